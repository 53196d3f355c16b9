"""The deck in a browser: the viewer page (shared by `export html`) and the live preview server."""
