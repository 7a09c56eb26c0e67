"""A Sphinx project whose Markdown pages MyST reads (``myst_parser`` or ``myst_nb`` in
its ``conf.py``), and what a link means there.

MyST resolves a link that has no scheme (``[text](target)``) as a file beside the page
(``guide.md``, ``img/x.png``), else as Sphinx's ``any`` role resolves it: a document
named without its suffix (``[text](getting-started)``, relative to the page, or from the
source folder with a leading ``/``) or an explicit target anywhere in the project
(``(label)=`` above a block in Markdown, ``.. _label:`` in reStructuredText). A
``#fragment`` alone names a heading of the page or an explicit target of the project.
``project:`` (an internal reference) and ``path:`` (a file) spell the same out.
The roles ``{doc}``, ``{ref}``, ``{numref}`` and ``{download}`` are read as such links
(``mdfacts.Facts.role``: a document, ``#label``, a file).
Headings get GitHub's slugs (``myst_heading_anchors``). Links to glossary terms,
Python objects or other projects (``inv:``) are not known here: such a link without a
scheme is reported as before, as Sphinx's nitpicky build warns of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from aixcl_lint.documents import fragments, mdsource, mdtree
from aixcl_lint.documents.mkdocs import Site

if TYPE_CHECKING:
    from aixcl_lint.documents.mdtree import Repository

CONFIG = "conf.py"
_MYST = re.compile(r"""["'](?:myst_parser|myst_nb)["']""")
"""The extension names in ``conf.py``'s text (a quoted string: not a comment's word)."""
SUFFIXES = (".md", ".rst", ".ipynb")
"""Source suffixes a document named without one may have (MyST's, Sphinx's, MyST-NB's)."""
SCHEMES = ("project:", "path:")
_MD_LABEL = re.compile(r"^ {0,3}\(([^()\s][^()]*)\)=[ \t]*$", re.MULTILINE)
_RST_LABEL = re.compile(r"^\.\. _(`[^`]+`|[^:`\s][^:`]*):[ \t]*$", re.MULTILINE)


def uses_myst(text: str) -> bool:
    """Whether a ``conf.py``'s text enables MyST (``myst_parser``, ``myst_nb``)."""
    return ("myst_parser" in text or "myst_nb" in text) and _MYST.search(text) is not None


def labels(path: str, text: str) -> Iterator[str]:
    """A source file's explicit targets, as Sphinx compares them (lower case, white
    space single)."""
    if path.endswith(".rst"):
        found = (m.group(1).strip("`") for m in _RST_LABEL.finditer(text))
    elif path.endswith(".md"):
        found = (m.group(1) for m in _MD_LABEL.finditer(text))
    else:
        return
    for label in found:
        yield " ".join(label.lower().split())


def project(folder: str, config: str) -> Site | None:
    """The project whose ``conf.py`` (in ``folder``, with the text ``config``) enables
    MyST: its pages are those below that folder (Sphinx's source folder)."""
    from aixcl_lint.documents.mdanchors import MYST

    return Site(folder, MYST) if uses_myst(config) else None


def project_labels(paths: Iterable[str], read: Callable[[str], str | None]) -> dict[str, str]:
    """The explicit targets of a project's source files (``paths``; ``read`` gives a
    file's text, None if it cannot be read), each with the first file defining it."""
    found: dict[str, str] = {}
    for rel in paths:
        if rel.endswith((".md", ".rst")) and (text := read(rel)) is not None:
            for label in labels(rel, text):
                found.setdefault(label, rel)
    return found


def unscheme(link: dict[str, Any]) -> None:
    """A ``project:`` or ``path:`` link as the link it spells out (``project:x.md``
    is ``x.md``, ``project:#label`` is ``#label``)."""
    target: str = link["target"]
    scheme = next((s for s in SCHEMES if target.startswith(s)), None)
    if scheme is not None:
        kind, path, fragment = mdsource.link_parts(target[len(scheme) :], "Inline")
        link.update(kind=kind, path=path, fragment=fragment)


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def resolve_link(page: str, link: dict[str, Any], repo: Repository) -> None:
    """Where a MyST page's link leads when it names no file (``target_exists`` false)
    or no heading of its own page (``fragment_exists`` false): a document named
    without its suffix, or an explicit target of the project."""
    folder = repo.project(page)
    kind, path, fragment = link["kind"], link["path"], link["fragment"]
    if folder is None or (kind == "file" and link.get("resolved") is None):
        return
    if kind == "anchor":
        if fragment and _label(fragment) in repo.labels(folder):
            link["fragment_exists"] = True
        return
    if kind not in ("file", "root") or not path:
        return
    if kind == "file":
        candidates = [mdtree.resolve(page, path + suffix) for suffix in SUFFIXES]
    else:  # from the source folder, as from a page there
        here = f"{folder}/index" if folder else "index"
        candidates = [mdtree.resolve(here, path + suffix) for suffix in ("", *SUFFIXES)]
    found = next((c for c in candidates if c is not None and repo.exists(c)), None)
    if found is None and kind == "file" and not fragment:
        labelled = repo.labels(folder).get(_label(path))
        if labelled is not None:
            link.update(resolved=labelled, target_exists=True)
        return
    if found is None:
        return
    link.update(resolved=found, target_exists=True)
    anchors = repo.anchors(found) if fragment else None
    if fragment and anchors is not None:
        link["fragment_exists"] = fragments.found(fragment.lower(), anchors)
