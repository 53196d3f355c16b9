"""Write: laid-out slides in, the .pptx out; the only layer that touches python-pptx and OOXML."""

from studydeck import load_when_used

# python-pptx imports xml.sax.saxutils, which imports urllib.request (and with it http.client,
# email and ssl: ~12 ms of every build) for a function python-pptx never calls.
load_when_used("urllib.request")
