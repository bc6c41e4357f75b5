"""The documentation page: reading its text into entries, and importing them into spec files."""
