"""``target.exclude``: files a rule never reads, and files no rule reads are not parsed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint.documents import textlines
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

TAB_RULE = """\
version: 1
rules:
  - id: team/no-tabs
    title: No tabs
    severity: error
    target: {{kind: text{target}}}
    select: lines
    checks:
      - field: tabs
        equals: false
        message: a tab
"""


def _policy(target: str = "") -> str:
    return TAB_RULE.format(target=target)


def _files(policy: str) -> dict[str, str]:
    return {
        "policy.yaml": policy,
        "compose.yaml": "services:\n\tweb: {}\n",
        "README.md": "# Title\n\tindented\n",
        "docs/guide.md": "# Guide\n\ttab\n",
    }


def _findings(root: Path, *args: str) -> list[tuple[str, int]]:
    ran = run_cli(
        "check", "--no-builtin", "--policy", "policy.yaml", "--format", "json", *args, cwd=root
    )
    assert ran.code in (0, 1), ran.err
    return sorted((f["path"], f["line"]) for f in json.loads(ran.out)["findings"])


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the text kind parses during a run."""
    seen: list[str] = []
    real = textlines.parse

    def counting(path: str, *args: Any, **kwargs: Any) -> textlines.TextTree:
        seen.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(textlines, "parse", counting)
    return seen


def test_without_exclude_a_text_rule_reads_markdown_too(repo: Repo) -> None:
    root = repo(_files(_policy()))
    assert _findings(root) == [("README.md", 2), ("compose.yaml", 2), ("docs/guide.md", 2)]


def test_excluded_files_are_not_reported(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo(_files(_policy(', exclude: ["*.md"]')))
    parsed = _parsed(monkeypatch)
    assert _findings(root) == [("compose.yaml", 2)]
    # No rule of the kind reads a Markdown file as text, so none is even parsed.
    assert parsed == ["compose.yaml"]


def test_exclude_narrows_target_files(repo: Repo) -> None:
    root = repo(_files(_policy(', files: ["*.md"], exclude: ["docs/"]')))
    assert _findings(root) == [("README.md", 2)]


def test_a_file_one_rule_excludes_is_still_read_by_another(repo: Repo) -> None:
    other = _policy().split("rules:\n", 1)[1].replace("team/no-tabs", "team/no-tabs-anywhere")
    root = repo(_files(_policy(', exclude: ["*.md"]') + other))
    ran = run_cli("check", "--no-builtin", "--policy", "policy.yaml", "--format", "json", cwd=root)
    found = sorted((f["rule"], f["path"]) for f in json.loads(ran.out)["findings"])
    assert found == [
        ("team/no-tabs", "compose.yaml"),
        ("team/no-tabs-anywhere", "README.md"),
        ("team/no-tabs-anywhere", "compose.yaml"),
        ("team/no-tabs-anywhere", "docs/guide.md"),
    ]


def test_an_invalid_exclude_pattern_is_a_load_error(repo: Repo) -> None:
    root = repo(_files(_policy(', exclude: ["!"]')))
    ran = run_cli("check", "--no-builtin", "--policy", "policy.yaml", cwd=root)
    assert ran.code == 2
    assert "policy.yaml:6:" in ran.err
    assert "invalid pattern '!'" in ran.err


def test_the_builtin_comment_rule_does_not_read_markdown_as_text(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(
        {
            "compose.yaml": "services:\n  web:  # see docs/ops.md section 3\n    image: a:1\n",
            "docs/ops.md": "# Ops\n\n## 1. Start\n",
        }
    )
    parsed = _parsed(monkeypatch)
    ran = run_cli("check", "--select", "docs/comment-references", "--format", "json", cwd=root)
    found = [(f["path"], f["rule"]) for f in json.loads(ran.out)["findings"]]
    assert found == [("compose.yaml", "docs/comment-references[section]")]
    assert parsed == ["compose.yaml"]


def test_file_filters_answer_each_set_of_files_once_and_stay_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Rules sharing globs (the security rules' ``locations``) ask about a document's
    # files in turn: the answer is kept, by globs and files, and forgotten past a bound.
    from aixcl_lint.policy import targets

    filters = targets.FileFilters()
    asked: list[tuple[str, ...]] = []
    passes = filters._passes

    def counted(exclude: Any, globs: Any, files: tuple[str, ...]) -> bool:
        asked.append(files)
        return passes(exclude, globs, files)

    monkeypatch.setattr(filters, "_passes", counted)
    monkeypatch.setattr(targets, "_ANSWERS_KEPT", 4)
    exclude, globs = ("vendor/",), ("/SECURITY.md", "docs/*.md")
    cases = {
        ("SECURITY.md",): True,
        ("vendor/SECURITY.md",): False,
        ("docs/a.md",): True,
        ("docs/a/b.md",): False,
        ("vendor/x.md", "docs/b.md"): True,
    }
    for files, expected in cases.items():
        assert filters.passes(exclude, globs, files) is expected, files
        assert filters.passes(exclude, globs, files) is expected, files
    assert asked == list(cases)  # each asked once, though the bound was passed
    assert len(filters.answers) <= 4
    assert filters.passes((), (), ("anything",)) is True  # no globs: nothing to ask
    assert len(asked) == len(cases)


def test_a_file_one_rule_s_glob_selects_and_excludes_is_not_read_for_another(
    repo: Repo,
) -> None:
    # team/yaml's glob selects gen/x.yaml and its exclude drops it; team/sh reads only
    # scripts. Before: team/sh (no exclude) kept every unit, so gen/x.yaml was parsed,
    # listed and counted though no rule read it.
    policy = (
        "version: 1\nrules:\n"
        "  - id: team/yaml\n    title: t\n    severity: error\n"
        "    target: {kind: text, files: ['*.yaml'], exclude: ['gen/']}\n    select: lines\n"
        "    checks: [{field: tabs, equals: false, message: a tab}]\n"
        "  - id: team/sh\n    title: t\n    severity: error\n"
        "    target: {kind: text, files: ['*.sh']}\n    select: lines\n"
        "    checks: [{field: tabs, equals: false, message: a tab}]\n"
    )
    files = {"policy.yaml": policy, "gen/x.yaml": "a:\n\tb\n", "a.sh": "x\n", "b.yaml": "a: 1\n"}
    root = repo(files)
    args = ("--no-builtin", "--policy", "policy.yaml")
    shown = run_cli("check", "--show-files", *args, cwd=root)
    assert (shown.code, shown.out) == (0, "a.sh\nb.yaml\npolicy.yaml\n")
