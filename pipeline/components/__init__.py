"""The project's spaCy components; importing this package registers their factories."""

from pipeline.components import dates, headcounts, money, organisations

__all__ = ["dates", "headcounts", "money", "organisations"]
