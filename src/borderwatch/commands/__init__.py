"""Click commands the main CLI group registers, one module per command."""
