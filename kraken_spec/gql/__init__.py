"""The GraphQL layer: endpoint schemas built from the model, and operation validation."""
