"""Conversation stores for the Rasa server (tracker store that fails loudly)."""
