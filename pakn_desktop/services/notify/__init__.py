"""Unit notifications: messages, the dispatcher (SMS gateway, SMTP) and their settings."""
