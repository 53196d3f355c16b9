"""Architecture diagrams: icon names, drawing with Graphviz, and the picture cache."""
