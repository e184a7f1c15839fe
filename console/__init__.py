"""The staff console: a signed-in web page for the front desk (`python -m console`).

Requests (the outbox, worked new -> called -> confirmed / declined / no answer),
conversations (the tracker store, through a summary index), a dashboard, the audit log
and, for admins, a visitor's export and deletion. See docs/console.md.
"""
