"""The shipped JSON Schemas' yes/no checks, compiled to Python ahead of time (generated)."""
