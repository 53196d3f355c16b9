"""Export: the built .pptx in, PDF, PNG pages, HTML, a contact sheet or a handout out."""
