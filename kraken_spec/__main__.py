"""Entry point for ``python -m kraken_spec``."""

import sys

from kraken_spec.cli import main

sys.exit(main())
