"""Generators: each maps the catalogue model to output files (relative path -> text)."""
