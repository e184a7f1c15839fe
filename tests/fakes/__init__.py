"""Real stand-ins for the outside systems the assistant talks to, for tests."""
