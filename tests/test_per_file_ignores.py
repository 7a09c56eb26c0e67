"""``per-file-ignores``: rule ids not reported in the files a glob matches, as ruff has
it, from ``.aixcl-lint.yaml`` or ``[tool.aixcl-lint]``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
DOC = "# Doc\n\n[x](#nowhere)\n[y](missing.md)\n"
FILES = {"sections/a.md": DOC, "sections/deep/b.md": DOC, "docs/c.md": DOC}


def _found(root: Path, *args: str) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", "--select", "docs,suppress", *args, cwd=root)
    assert ran.code in (0, 1), ran.err
    return ran.findings()


def _rules_by_path(root: Path, *args: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for rule, path, _, _ in _found(root, *args):
        found.setdefault(path, []).append(rule.split("[", 1)[0])
    return found


def _config(body: str) -> dict[str, str]:
    return {**FILES, ".aixcl-lint.yaml": body}


def test_without_it_every_file_has_both_findings(repo: Repo) -> None:
    assert _rules_by_path(repo(FILES)) == {
        path: ["docs/anchors", "docs/relative-links"] for path in sorted(FILES)
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # gitignore-style from the root: a folder's files at any depth below it
        (
            'per-file-ignores:\n  "sections/**": [docs/anchors]\n',
            {
                "docs/c.md": ["docs/anchors", "docs/relative-links"],
                "sections/a.md": ["docs/relative-links"],
                "sections/deep/b.md": ["docs/relative-links"],
            },
        ),
        # a pattern without a slash matches a name at any depth; a prefix covers rules
        (
            "per-file-ignores:\n  b.md: [docs]\n",
            {
                "docs/c.md": ["docs/anchors", "docs/relative-links"],
                "sections/a.md": ["docs/anchors", "docs/relative-links"],
            },
        ),
        # ruff's negation: the files the rest of the pattern does not match
        (
            "per-file-ignores:\n  '!docs/*': ['docs/relative-links']\n",
            {
                "docs/c.md": ["docs/anchors", "docs/relative-links"],
                "sections/a.md": ["docs/anchors"],
                "sections/deep/b.md": ["docs/anchors"],
            },
        ),
        # one sub-id
        (
            "per-file-ignores:\n  docs/*: ['docs/relative-links[malformed]']\n",
            {path: ["docs/anchors", "docs/relative-links"] for path in sorted(FILES)},
        ),
        # several entries for one file add up; an entry matching no file is not reported
        (
            "per-file-ignores:\n  sections/a.md: [docs/anchors]\n  '*.md': [docs/relative-links]\n"
            "  nothing/**: [docs]\n",
            {"docs/c.md": ["docs/anchors"], "sections/deep/b.md": ["docs/anchors"]},
        ),
    ],
)
def test_entries_ignore_ids_in_matching_files(
    repo: Repo, body: str, expected: dict[str, list[str]]
) -> None:
    assert _rules_by_path(repo(_config(body))) == expected


def test_pyproject_table(repo: Repo) -> None:
    toml = (
        "[tool.aixcl-lint.per-file-ignores]\n"
        '"sections/**" = ["docs"]\n"docs/*" = ["docs/anchors"]\n'
    )
    assert _rules_by_path(repo({**FILES, "pyproject.toml": toml})) == {
        "docs/c.md": ["docs/relative-links"]
    }


def test_a_directive_for_an_id_ignored_in_its_file_is_unused(repo: Repo) -> None:
    # As ruff: per-file ignores apply before directives, so a directive behind one
    # suppresses nothing and says so; ignoring `suppress` there hides that too.
    doc = "# Doc\n\n<!-- aixcl-lint: ignore[docs/anchors] old -->\n[x](#nowhere)\n"
    body = "per-file-ignores:\n  sections/**: [docs/anchors]\n"
    root = repo({"sections/a.md": doc, ".aixcl-lint.yaml": body})
    assert _found(root) == [("suppress/unused", "sections/a.md", 3, 1)]
    (root / ".aixcl-lint.yaml").write_text(body.replace("anchors]", "anchors, suppress]"))
    assert _found(root) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "select: [docs]\nper-file-ignores:\n  sections/**: [docs/anchor]\n",
            ".aixcl-lint.yaml:3: per-file-ignores: sections/**: unknown rule id 'docs/anchor' "
            "(did you mean 'docs/anchors'?)",
        ),
        (
            "per-file-ignores:\n  sections/**: docs/anchors\n",
            ".aixcl-lint.yaml:2: 'per-file-ignores': sections/**: must be a list of rule ids "
            "or prefixes",
        ),
        (
            "per-file-ignores: [sections/**]\n",
            ".aixcl-lint.yaml:1: 'per-file-ignores' must be a mapping of glob pattern to a list "
            "of rule ids or prefixes",
        ),
        (
            "per-file-ignore:\n  sections/**: [docs]\n",
            ".aixcl-lint.yaml:1: unknown key 'per-file-ignore' (did you mean 'per-file-ignores'?)",
        ),
    ],
)
def test_bad_entries_are_config_errors(repo: Repo, body: str, message: str) -> None:
    ran = run_cli("check", cwd=repo(_config(body)))
    assert ran.code == 2
    assert ran.err.strip() == f"aixcl-lint: error: invalid config: {message}"


def test_a_rule_of_another_profile_may_be_ignored(repo: Repo) -> None:
    # compose/no-port-mappings belongs to the aixcl profile, which this run leaves out.
    body = "per-file-ignores:\n  legacy/**: [compose/no-port-mappings]\n"
    assert _rules_by_path(repo({"sections/a.md": "# A\n", ".aixcl-lint.yaml": body})) == {}
