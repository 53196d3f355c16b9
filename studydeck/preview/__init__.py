"""Preview: the built deck in a browser (the viewer page, the live server) and `watch`."""
