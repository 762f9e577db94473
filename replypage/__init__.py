"""Liebe Kontaktsuchende: a reply page for unsolicited contact requests."""

__version__ = "0.1.0"
