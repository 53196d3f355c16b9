"""Load: a project folder in, its files out as plain data with the place of every value."""
