"""The command line: argument parsing, the commands and their one reporter."""

import gc

from kraken_spec.cli.main import main

__all__ = ["main", "run"]


def run() -> int:
    """The process entry point: ``main``, with the collector set for a short-lived process.

    A command builds one large graph of objects that lives until it exits; the default
    thresholds would walk that graph again and again as it grows (a tenth of a validate
    run, a quarter at a hundred times the catalogue). Collections stay on, so a cycle-heavy
    input is still bounded, but run a hundred times less often; the objects of the
    imports are frozen out of them.
    """
    gc.freeze()
    gc.set_threshold(70_000, 10, 10)
    return main()
