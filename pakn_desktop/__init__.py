"""PAKN Desktop: the console for taking in and handling citizens' reports."""

__version__ = "0.1.0"
