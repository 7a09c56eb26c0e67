"""Deciding which findings a run keeps: rule selection and severities, inline directives,
waivers and baselines."""

from __future__ import annotations

SUPPRESS_PROBLEMS: dict[str, str] = {
    "suppress/missing-reason": "A suppression directive has no reason, so it suppresses nothing.",
    "suppress/unknown-rule": "A suppression directive or a waiver names no known rule id.",
    "suppress/unused": "A suppression directive suppresses no finding.",
    "suppress/expired-waiver": "A waiver has expired: it no longer suppresses its findings.",
    "suppress/unused-waiver": "A waiver matches no finding.",
}
"""Ids of findings about suppressions themselves."""

WAIVERS_FILE = ".aixcl-lint-waivers.yaml"
"""The waivers file at the repository root (``suppress.waivers`` reads it: a run
imports that module only when the file is there)."""
