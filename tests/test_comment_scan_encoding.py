"""A file read only for references in its comments (docs/comment-references) that is
binary or not UTF-8 is skipped silently; a text rule reading its lines still reports
it (file/binary, file/not-utf8)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_discover_git import git_repo

FILES: dict[str, str | bytes] = {
    "README.md": "# Project\n\n## 1. Setup\n\nSee [security](SECURITY.md).\n",
    "SECURITY.md": "# Security\n",
    # pip's tests/data/packages/SetupPyLatin1/setup.py: valid Python, declared Latin-1
    "pkg/setup.py": b'# -*- coding: latin-1 -*-\nname = "caf\xe9"  # see README.md section 9\n',
    # ruff's E501_4.py fixture holds a NUL byte
    "fixtures/E501_4.py": b"x = 1\n\x00\n",
    "ok.sh": "#!/bin/sh\n# see README.md section 9\n",
}

TABS_POLICY = """\
version: 1
rules:
  - id: team/no-tabs
    title: No tabs in Python
    severity: error
    target: {kind: text, files: ["*.py"]}
    select: lines
    checks:
      - field: tabs
        equals: false
        message: "a tab"
"""


def _findings(root: Path, cache: Path) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_CACHE_DIR": str(cache)})
    assert ran.code == 1, ran.err
    return sorted(f for f in ran.findings() if not f[0].startswith("security/"))


def test_comment_scan_skips_binary_and_latin1_files(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", FILES)
    expected = [("docs/comment-references[section]", "ok.sh", 2, 7)]
    cold = _findings(root, tmp_path / "cache")
    assert cold == expected
    assert _findings(root, tmp_path / "cache") == cold  # and from the cache


def test_a_rule_reading_lines_still_reports_them(tmp_path: Path) -> None:
    files = {**FILES, "tabs.yaml": TABS_POLICY, ".aixcl-lint.yaml": "policies: [tabs.yaml]\n"}
    root = git_repo(tmp_path / "repo", files)
    found = _findings(root, tmp_path / "cache")
    assert ("file/binary", "fixtures/E501_4.py", 2, 1) in found
    assert ("file/not-utf8", "pkg/setup.py", 2, 12) in found
