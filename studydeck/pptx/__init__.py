"""python-pptx and OOXML: the only layer that writes the deck."""
