"""Notes: planned slides in, speaker notes out, from sandboxed and time-limited Jinja2."""
