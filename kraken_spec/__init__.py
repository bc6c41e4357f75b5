"""kraken-spec: a declarative, machine-checked catalogue of the Kraken GraphQL API mutations."""

__version__ = "0.1.0"
