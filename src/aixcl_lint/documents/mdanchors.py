"""Heading anchors as a renderer makes them: the flavours a Markdown file is read in.

- ``github``: GitHub's slugs (lower case, punctuation dropped, each space a ``-``,
  ``-1``, ``-2`` for repeats). A trailing ``{#id}`` is text, as GitHub shows it.
- ``mkdocs``: MkDocs' slugs (Python-Markdown's ``toc``: ASCII only, runs of spaces and
  hyphens one ``-``, ``_1``, ``_2`` for repeats). GitHub's slug counts too, since the
  same files are read on GitHub.
- ``mkdocs+attr_list``: as ``mkdocs``, and a trailing attribute list (``{#id}``,
  ``{: #id .class }``) is not text: its ``#id`` replaces the heading's slug.
- ``myst``: a page of a Sphinx project read by MyST: GitHub's slugs
  (``myst_heading_anchors``); its links mean what MyST makes of them (``sphinx``).
- ``hugo``: a page of a Hugo site: goldmark's ``github`` ids (GitHub's slugs), and a
  trailing ``{#id}`` names the heading's own (``parser.attribute.title``); its links
  mean what Hugo makes of them (``hugo``).

Plain string scanning (no regular expressions): heading text is untrusted input.
"""

from __future__ import annotations

import unicodedata

from aixcl_lint.documents.mdsource import slugify

GITHUB = "github"
MKDOCS = "mkdocs"
MKDOCS_ATTR_LIST = "mkdocs+attr_list"
MYST = "myst"
HUGO = "hugo"
FLAVOURS = (GITHUB, MKDOCS, MKDOCS_ATTR_LIST, MYST, HUGO)
MKDOCS_FLAVOURS = frozenset({MKDOCS, MKDOCS_ATTR_LIST})


def attribute_list(text: str) -> tuple[str, str | None] | None:
    """A heading's text without its trailing ``{...}`` attribute list, and the list's
    ``#id`` (None if it has none); None if the heading ends in no attribute list."""
    stripped = text.rstrip()
    if not stripped.endswith("}"):
        return None
    opening = stripped.rfind("{")
    inside = stripped[opening + 1 : -1]
    if opening < 0 or "}" in inside:
        return None
    words = inside.removeprefix(":").split()
    found = next((w[1:] for w in words if w.startswith("#") and len(w) > 1), None)
    return stripped[:opening].rstrip(), found


def mkdocs_slug(text: str) -> str:
    """Python-Markdown's ``toc`` slug: ASCII letters, digits, ``_`` and ``-`` kept."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = "".join(c for c in ascii_text if c.isalnum() or c in "_-" or c.isspace())
    out: list[str] = []
    gap = False  # a run of spaces and hyphens, written as one "-"
    for c in kept.strip().lower():
        if c == "-" or c.isspace():
            gap = True
            continue
        out.append("-" + c if gap else c)
        gap = False
    return "".join(out) + ("-" if gap else "")


def _unique(anchor: str, used: set[str]) -> str:
    """Python-Markdown's ``unique``: ``x``, ``x_1``, ``x_2`` ..."""
    while anchor in used or not anchor:
        head, _, count = anchor.rpartition("_")
        anchor = f"{head}_{int(count) + 1}" if head and count.isdigit() else f"{anchor}_1"
    used.add(anchor)
    return anchor


class HeadingAnchors:
    """The anchors of one document's headings, in order, for one flavour."""

    def __init__(self, flavour: str = GITHUB) -> None:
        self.flavour = flavour
        self.github: dict[str, int] = {}
        self.used: set[str] = set()

    def _github_slug(self, text: str) -> str:
        base = slug = slugify(text)
        while slug in self.github:
            self.github[base] += 1
            slug = f"{base}-{self.github[base]}"
        self.github[slug] = 0
        return slug

    def add(self, text: str) -> tuple[str, str, list[str]]:
        """The next heading: (its text as shown, its anchor, other anchors it answers to)."""
        custom = None
        if self.flavour in (MKDOCS_ATTR_LIST, HUGO):
            found = attribute_list(text)
            if found is not None:
                text, custom = found
        github = self._github_slug(text)
        if self.flavour == HUGO:  # goldmark's github ids; its own, and GitHub's beside it
            return (text, github, []) if custom in (None, github) else (text, custom, [github])
        if self.flavour in (GITHUB, MYST):
            return text, github, []
        anchor = custom if custom is not None else mkdocs_slug(text)
        anchor = _unique(anchor, self.used) if custom is None else anchor
        self.used.add(anchor)
        return text, anchor, [github] if github != anchor else []
