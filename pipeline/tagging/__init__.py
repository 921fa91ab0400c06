"""Tagging: keyword and dimension suggestions, training, evaluation, model card, feedback."""
