"""Diagrams: a DiagramSpec in, Graphviz layouts and pictures out (with their cache)."""
