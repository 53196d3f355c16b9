"""A project folder in, the validated Project out (plus the starter deck and JSON Schemas)."""
