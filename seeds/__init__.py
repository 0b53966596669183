"""The demo catalogue and its loader."""
