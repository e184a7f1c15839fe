"""Editing the training data from the staff console, and checking and releasing models.

`faq.py` reads and writes the FAQ topics in data/faq/*.yml (ruamel.yaml round trip:
comments and order kept), `history.py` keeps every change in git as the person who
made it, `missed.py` groups the messages `make review` would export, `candidates.py`
trains and judges a candidate in the background, `releases.py` puts one live on the
running Rasa servers and rolls back. Settings: `settings.py` (EDITING_*).
"""
