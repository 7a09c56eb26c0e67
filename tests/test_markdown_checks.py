"""Markdown operators on odd input: they answer, they never crash a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

POLICY = """\
version: 1
rules:
  - id: team/answer
    title: Answer quickly
    severity: error
    target: {{kind: markdown}}
    select: document
    checks:
      - field: prose
        number: {{pattern: '{pattern}', units: {{hours: 1, days: 24, business days: 24}},
                 at-most: 72}}
        message: "answer within {{value}} hours, over {{expected}}"
"""


@pytest.mark.parametrize(
    ("pattern", "text", "findings"),
    [
        (r"(\w+) days", "We answer in two days.", []),  # not a number: does not apply
        (r"(\d+) (hours)|in (two) (days)", "We answer in two days.", []),  # empty group
        (r"(\d+)\s*(business\s+days?)", "We answer in 5 business  days.", [(1, 1)]),  # 120 h
        (r"(\d+)\s*(weeks?)", "We answer in 2 weeks.", []),  # unit not in units
        (r"(\d+)\s*(hours|days)", "We answer in 3 days.", []),  # 72 h: within
        (r"(\d+)\s*(hours|days)", "We answer in 4 days.", [(1, 1)]),
    ],
)
def test_number_operator(
    repo: Repo, pattern: str, text: str, findings: list[tuple[int, int]]
) -> None:
    root = repo({"doc.md": text + "\n", "p.yaml": POLICY.format(pattern=pattern)})
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", "--format", "json", cwd=root)
    assert ran.code in (0, 1), ran.err
    assert "Traceback" not in ran.err
    assert [(f[2], f[3]) for f in ran.findings()] == findings


DATE_POLICY = """\
version: 1
rules:
  - id: team/reviewed
    title: Reviewed
    severity: error
    target: {{kind: markdown}}
    select: document
    checks:
      - field: prose
        date: {{pattern: '{pattern}', max-age-days: 365}}
        message: "reviewed {{value}}"
"""


def test_a_date_pattern_needs_a_group(repo: Repo) -> None:
    root = repo(
        {
            "doc.md": "Last reviewed: 2020-01-01\n",
            "p.yaml": DATE_POLICY.format(pattern=r"Last reviewed: \d{4}-\d{2}-\d{2}"),
        }
    )
    ran = run_cli("check", "--no-builtin", "--policy", "p.yaml", cwd=root)
    assert ran.code == 2
    assert "the pattern needs a group for the date" in ran.err


@pytest.mark.parametrize(
    ("text", "findings"),
    [
        ("Last reviewed: soon\n", []),
        ("Last reviewed: 2020-01-01\n", [(1, 1)]),
        ("Last reviewed: 2026-01-01\n", []),
    ],
)
def test_dates_found_or_not(repo: Repo, text: str, findings: list[tuple[int, int]]) -> None:
    policy = DATE_POLICY.format(pattern=r"Last reviewed:\s*(\d{4}-\d{2}-\d{2})?")
    root = repo({"doc.md": text, "p.yaml": policy})
    ran = run_cli(
        "check",
        "--no-builtin",
        "--policy",
        "p.yaml",
        "--format",
        "json",
        "--today",
        "2026-11-23",
        cwd=root,
    )
    assert ran.code in (0, 1), ran.err
    assert [(f[2], f[3]) for f in ran.findings()] == findings
