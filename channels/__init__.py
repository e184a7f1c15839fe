"""Custom input channels (see credentials.yml)."""
