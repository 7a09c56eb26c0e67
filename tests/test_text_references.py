"""Prose references in the ``#`` comments of text files (compose, env, shell)."""

from __future__ import annotations

import pytest

from aixcl_lint.documents import textlines


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("# See docs/operations/security.md section 6", [("docs/operations/security.md", "6", 7)]),
        ("network_mode: host  # section 6.1 of docs/x.md", [("docs/x.md", "6.1", 23)]),
        ('COLOR: "#fff docs/x.md section 2"', []),  # a "#" inside a word starts no comment
        ("command: see docs/x.md section 9", []),  # not a comment
        ("# `docs/x.md` section 3, `section 4 of docs/y.md`", [("docs/x.md", "3", 3)]),
        ("é: x  # docs/x.md section 5", [("docs/x.md", "5", 9)]),  # columns in characters
    ],
)
def test_references_in_comments(line: str, found: list[tuple[str, str, int]]) -> None:
    refs = textlines.references(line, 1)
    assert [(r["path"], r["number"], r["column"]) for r in refs] == found


def test_a_reference_is_located_on_its_line() -> None:
    tree = textlines.parse("compose.yaml", "services: {}\n  # docs/x.md section 2\n")
    location = tree.location(("references", 0))
    assert (location.span.start.line, location.span.start.column) == (2, 5)
    assert location.span.end.column == 24  # just past the reference
