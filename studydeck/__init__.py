"""studydeck: YAML in, an interactive, editable PowerPoint deck out."""
