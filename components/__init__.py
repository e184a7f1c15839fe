"""Custom Rasa NLU components for an English / Simplified Chinese assistant."""

# Imported with the components, so every process that loads the model has the fixes.
import rasa_patches  # noqa: F401
