"""The project's spaCy components; importing this package registers their factories."""

from pipeline.extraction.components import date_mentions, headcount_mentions, money, organisations

__all__ = ["date_mentions", "headcount_mentions", "money", "organisations"]
