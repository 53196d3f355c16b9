"""Lay out: text and boxes in, sizes and positions out (fonts, measuring, fit; no writing)."""
