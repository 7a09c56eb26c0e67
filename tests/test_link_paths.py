"""Where a link's path leads: the quick join of plain paths is what normpath gives."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint.documents.mdtree import resolve

PART = st.sampled_from(["a", "b.md", ".", "..", "", ".x", "x.", "c d", "...", "a..b"])
PATH = st.lists(PART, min_size=1, max_size=4).map("/".join)


def _normalized(document: str, target: str, root_relative: bool) -> str | None:
    base = "" if root_relative else posixpath.dirname(document)
    joined = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
    return None if joined == ".." or joined.startswith("../") else joined.removeprefix("./")


@settings(max_examples=500, deadline=None)
@given(PATH, st.sampled_from(["", "/", "//"]), PATH, st.booleans())
def test_resolve_is_normpath(document: str, lead: str, target: str, root: bool) -> None:
    document = (document.strip("/") + "/r.md").lstrip("/")  # repository paths
    target = lead + target
    assert resolve(document, target, root_relative=root) == _normalized(document, target, root)


def test_plain_and_dotted_paths() -> None:
    assert resolve("docs/a.md", "b/c.md") == "docs/b/c.md"
    assert resolve("docs/a.md", "/b/c.md", root_relative=True) == "b/c.md"
    assert resolve("docs/a.md", "../b/./c.md") == "b/c.md"
    assert resolve("docs/a.md", "../../x.md") is None
    assert resolve("a.md", ".github/x.md") == ".github/x.md"
