"""Patients' data: the notice, consent records, retention and deletion on request.

What the assistant keeps about a visitor, for how long, and how it is deleted or
exported (docs/privacy.md). The notice page (`/webchat/privacy`) and the consent step of
the booking and call-back forms say what is written here; the tracker store and the
outbox delete by it; `python -m privacy` is the staff command line.
"""
