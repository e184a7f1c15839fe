"""Custom actions and form validators run by the action server (actions.server)."""
