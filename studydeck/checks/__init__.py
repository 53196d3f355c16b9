"""Check: a validated project in, its problems out; checks.run runs every check of a deck."""
