"""Validate: plain data in, pydantic models out, and every failure as a sentence at its line."""
