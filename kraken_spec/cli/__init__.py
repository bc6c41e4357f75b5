"""The command line: argument parsing, the commands and their one reporter."""

from kraken_spec.cli.main import main

__all__ = ["main"]
