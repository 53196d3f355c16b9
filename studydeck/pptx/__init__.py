"""Write: laid-out slides in, the .pptx out; the only layer that touches python-pptx and OOXML."""
