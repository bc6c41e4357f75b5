"""Entry point for ``python -m kraken_spec``."""

import sys

from kraken_spec.cli import run

sys.exit(run())
