"""Booking and call-back requests once the action server has accepted them.

The durable outbox, the relay that forwards it to the clinic's booking system
(`python -m booking.relay`), that system's client, the settings, and the staff command
line (`python -m booking.staff`).
"""
