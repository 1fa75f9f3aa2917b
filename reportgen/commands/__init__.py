"""One module per CLI command; each exposes `command` and calls library functions."""
