"""Administrators' dialogs: units and contacts, deadline settings, routing rules, notification
settings; what they share is in ``base.py``."""
