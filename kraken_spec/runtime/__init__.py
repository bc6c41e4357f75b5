"""The client runtime: generated error codes and the reader of GraphQL error responses."""
