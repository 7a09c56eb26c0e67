"""Scalars as text, the way YAML 1.2 writes them: without the YAML parser (checks
compare values as text in every run; only a run that reads a YAML file imports yaml)."""

from __future__ import annotations

from typing import Any


def scalar_text(value: Any) -> str:
    """A scalar as text, the way YAML 1.2 would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
