"""The spec on disk: YAML with positions, JSON Schemas, the rules, and the spec-file layout."""
