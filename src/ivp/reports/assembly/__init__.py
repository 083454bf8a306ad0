"""Assemble the report model from live data; one module per part of the report (see report.py)."""

from .report import assemble

__all__ = ["assemble"]
