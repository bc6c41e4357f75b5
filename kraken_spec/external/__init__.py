"""External GraphQL schemas: read SDL or introspection results, and fetch introspection."""
