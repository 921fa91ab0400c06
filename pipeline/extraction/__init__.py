"""Extraction: the spaCy pipeline, its components, and the budget, headcount and dates."""
