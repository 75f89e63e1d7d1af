"""Footnote: short, sourced answers to questions about curated articles."""

__version__ = "0.1.0"
