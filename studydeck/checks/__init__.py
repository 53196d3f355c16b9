"""Check: a validated project in, its problems out (contrast, glyphs, diagrams, legibility, fit)."""
