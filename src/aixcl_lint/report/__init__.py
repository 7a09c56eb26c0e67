"""Reporters: a run's findings as text for people or formats for machines."""

from __future__ import annotations

from collections.abc import Callable

from aixcl_lint.report.json_format import render_json
from aixcl_lint.report.model import Report
from aixcl_lint.report.text import render_text

Reporter = Callable[[Report, bool], str]
"""Render a report; the flag says whether colour is wanted."""

REPORTERS: dict[str, Reporter] = {
    "text": render_text,
    "json": render_json,
}
"""Output formats by name."""

__all__ = ["REPORTERS", "Report", "Reporter"]
