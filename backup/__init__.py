"""Backups of the conversations and booking requests, and restores (`make backup`)."""
