"""shopkeeper: a retention desk for a small shop, in the terminal."""

__version__ = "0.1.0"
