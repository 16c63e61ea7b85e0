"""Qt screens: one folder per screen."""
