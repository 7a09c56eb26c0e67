"""Where a link's ``#fragment`` leads besides a heading or an HTML anchor of a Markdown
file: the README GitHub shows below a folder, ``#top``, and the ids GitHub renders
(``user-content-`` spelled out, footnotes)."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aixcl_lint.documents.mdtree import Repository

_FOLDER_READMES = ("README.md", "readme.md", "README.markdown")
"""What GitHub shows below a folder's listing, whose headings a ``folder#x`` link names."""
_FOOTNOTE = ("fn-", "fnref-")
"""GitHub's footnote anchors (``#fn-note``, ``#fnref-note``): labels are not checked."""
_GITHUB_PREFIX = "user-content-"
"""GitHub's prefix of the ids it renders; a fragment may spell it out."""


def folder_readme(path: str, repo: Repository) -> AbstractSet[str] | None:
    """The anchors of the README a folder's page shows (None: not a folder with one)."""
    for name in _FOLDER_READMES:
        anchors = repo.anchors(f"{path.rstrip('/')}/{name}")
        if anchors is not None:
            return anchors
    return None


def found(fragment: str, anchors: AbstractSet[str]) -> bool:
    """Whether a fragment (lower case) leads somewhere: an anchor, GitHub's spelling of
    one with its prefix or a footnote's, or ``top``, which HTML scrolls to the top."""
    if fragment in anchors or fragment == "top":
        return True
    bare = fragment.removeprefix(_GITHUB_PREFIX)
    return bare in anchors or bare.startswith(_FOOTNOTE)
