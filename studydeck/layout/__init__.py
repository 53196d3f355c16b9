"""Pure geometry and text measurement: where shapes go and what size their text takes."""
