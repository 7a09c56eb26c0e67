"""Each file is read as far as its rules read it, and parsed once: a Markdown file
linked before its own unit's turn is parsed then and kept for it (within a budget; past
it, and for a file no unit reads, only its outline is read, once a run), a file only
reference rules read as text without its line records."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.documents import markdown, outline, textlines
from aixcl_lint.run import load
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

DOCS = {
    "a.md": "# A\n\nSee [b](b.md#b) and [c](c.md#c), [gone](c.md#nowhere).\n",
    "b.md": "# B\n\n[a](a.md#a) and [c](c.md#c)\n",
    "c.md": "# C\n\n1. first\n",
    "compose.yaml": (
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
        "    # see c.md section 9\n"
    ),
}


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    seen: list[str] = []
    real = getattr(module, name)

    def counting(first: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return seen


def _rules(root: Path, *args: str) -> list[tuple[str, str]]:
    ran = run_cli("check", "--format", "json", "--jobs", "1", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return sorted((f["rule"], f["path"]) for f in json.loads(ran.out)["findings"])


def test_each_document_is_parsed_once_and_a_linked_one_outlined_once(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(DOCS)
    parsed = _counting(monkeypatch, markdown, "parse")
    outlined = _counting(monkeypatch, outline, "outline")
    found = _rules(root, "--select", "docs")
    assert ("docs/anchors", "a.md") in found
    assert ("docs/comment-references[section]", "compose.yaml") in found
    # a.md links into b.md and c.md before their turn: each is parsed then, kept for
    # its own unit, and never read again.
    assert sorted(parsed) == ["a.md", "b.md", "c.md"]
    assert outlined == []


def test_past_the_kept_budget_a_linked_file_is_outlined_once(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(DOCS)
    monkeypatch.setattr(load, "KEEP_CHARS", 0)
    parsed = _counting(monkeypatch, markdown, "parse")
    outlined = _counting(monkeypatch, outline, "outline")
    found = _rules(root, "--select", "docs")
    assert ("docs/anchors", "a.md") in found
    assert sorted(parsed) == ["a.md", "b.md", "c.md"]
    # outlined once however many links lead there; a.md's outline comes from its parse
    assert sorted(outlined) == [DOCS["b.md"], DOCS["c.md"]]


def test_a_kept_file_reports_its_own_problems(repo: Repo) -> None:
    bad = {**DOCS, "b.md": "---\ntitle: [unclosed\n---\n# B\n"}
    root = repo(bad)
    found = _rules(root, "--select", "docs,yaml")
    # b.md was parsed for a.md's link, before its own unit: its problem is reported once
    assert [f for f in found if f[1] == "b.md"] == [("yaml/parse-error", "b.md")]


def test_a_linked_file_outside_the_run_is_outlined_not_parsed(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(DOCS)
    parsed = _counting(monkeypatch, markdown, "parse")
    outlined = _counting(monkeypatch, outline, "outline")
    assert ("docs/anchors", "a.md") in _rules(root, "--select", "docs", "a.md", "b.md")
    assert sorted(parsed) == ["a.md", "b.md"]
    # b.md is parsed for a.md's link and kept for its own unit; c.md (no unit of this
    # run) is outlined once, for the links of both
    assert outlined == [DOCS["c.md"]]


def _lines(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each text parse of the run built line records."""
    built: list[bool] = []
    real = textlines.parse

    def counting(path: str, *args: Any, lines: bool = True, **kwargs: Any) -> Any:
        built.append(lines)
        return real(path, *args, lines=lines, **kwargs)

    monkeypatch.setattr(textlines, "parse", counting)
    return built


TABS = """\
version: 1
rules:
  - id: team/no-tabs
    title: No tabs
    severity: error
    target: {kind: text, files: ["compose.yaml"]}
    select: lines
    checks:
      - field: tabs
        equals: false
        message: "a tab"
"""


def test_reference_rules_alone_read_no_line_records(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(DOCS)
    built = _lines(monkeypatch)
    found = _rules(root, "--select", "docs/comment-references")
    assert found == [("docs/comment-references[section]", "compose.yaml")]
    assert built == [False]


def test_a_rule_reading_lines_gets_them_beside_reference_rules(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo({**DOCS, "compose.yaml": DOCS["compose.yaml"] + "\t# tab\n", "tabs.yaml": TABS})
    built = _lines(monkeypatch)
    found = _rules(root, "--policy", "tabs.yaml", "--select", "docs/comment-references,team")
    assert found == [
        ("docs/comment-references[section]", "compose.yaml"),
        ("team/no-tabs", "compose.yaml"),
    ]
    # compose.yaml with its lines; tabs.yaml (a YAML file, read for its comments'
    # references) without: lines are built only where a rule on lines reads the file.
    assert built == [True, False]
