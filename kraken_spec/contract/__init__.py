"""Contract checks for client CI: operations, request bodies and catalogue diffs."""
