"""A person takes over: the hand-over's state (shared database) and its settings."""
