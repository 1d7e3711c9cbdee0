"""briefing: one canonical episode record in, many documents out."""

__version__ = "0.1.0"
