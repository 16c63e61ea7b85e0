"""Administrators\x27 dialogs: routing rules, notification settings."""
