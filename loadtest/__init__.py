"""Load, fault and fuzz tests of the production-shaped stack (python -m loadtest)."""
