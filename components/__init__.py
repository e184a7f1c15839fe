"""Custom Rasa NLU components for an English / Simplified Chinese assistant."""
