"""The default ``templates`` are plain names, matched without pathspec, and select the
same files as the patterns they replaced (``**/ISSUE_TEMPLATE/**``, ``**/ISSUE_TEMPLATE*``
and the same for pull requests and releases)."""

from __future__ import annotations

import itertools

import pathspec

from aixcl_lint import globs
from aixcl_lint.config import DEFAULT_TEMPLATES
from aixcl_lint.core import matchable

BEFORE = [
    f"**/{name}{tail}"
    for name in ("ISSUE_TEMPLATE", "PULL_REQUEST_TEMPLATE", "RELEASE_TEMPLATE")
    for tail in ("/**", "*")
]
NAMES = [
    "issue_template",
    "ISSUE_TEMPLATE",
    "issue_template.md",
    "Issue_Templates",
    "my_issue_template.md",
    "pull_request_template.md",
    "PULL_REQUEST_TEMPLATE",
    "release_template.yml",
    "release_templat",
    ".github",
    "docs",
    "README.md",
    "template.md",
]


def _lowered(patterns: tuple[str, ...] | list[str]) -> list[str]:
    return [p.lower() for p in patterns]  # as run.load's is_template matches them


def test_the_defaults_need_no_pathspec() -> None:
    assert isinstance(globs.spec(_lowered(DEFAULT_TEMPLATES)), globs.Simple)


def test_the_defaults_select_what_the_patterns_they_replaced_did() -> None:
    now = globs.spec(_lowered(DEFAULT_TEMPLATES))
    before = pathspec.GitIgnoreSpec.from_lines(_lowered(BEFORE))
    paths = [
        "/".join(parts) for depth in (1, 2, 3) for parts in itertools.product(NAMES, repeat=depth)
    ]
    selected = 0
    for path in paths:
        rel = matchable(path.lower())
        assert now.match_file(rel) == before.match_file(rel), path
        selected += now.match_file(rel)
    assert 0 < selected < len(paths)
