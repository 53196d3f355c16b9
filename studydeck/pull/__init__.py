"""Pull: an edited .pptx and the project in, the edited texts written back into its YAML out."""
