"""Custom Rasa NLU components for a bilingual (English / Simplified Chinese) assistant."""
