"""Fiches: enrichment and tagging of social-centre action sheets."""

__version__ = "0.1.0"
