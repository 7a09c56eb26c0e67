"""What an MkDocs site's ``mkdocs.yml`` says about how its pages' anchors are made.

MkDocs renders the pages under ``docs_dir`` (``docs`` unless set) with Python-Markdown,
whose ``toc`` extension makes heading anchors its own way; the ``attr_list`` extension
(listed in ``markdown_extensions``) lets a heading name its own id: ``## Title {#id}``.
The file is composed, never constructed, so MkDocs' ``!!python/name:`` tags are inert.
Zensical, MkDocs' successor, reads the same settings from the ``[project]`` table of
``zensical.toml``. An ``mkdocs.yml`` may ``INHERIT`` a parent file (a path relative to
it, itself free to inherit), deep-merged under it as MkDocs merges them: mappings key
by key, any other value of the child's replacing the parent's (lists too).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from aixcl_lint.core import Finding, Severity, Span
from aixcl_lint.records import record

NAMES = ("mkdocs.yml", "mkdocs.yaml", "zensical.toml")
_ATTR_LIST = frozenset(
    {"attr_list", "markdown.extensions.attr_list", "extra", "markdown.extensions.extra"}
    | {"pymdownx.extra"}
)
"""Extensions that give headings attribute lists (``extra`` bundles ``attr_list``)."""


INHERIT_PROBLEM = "markdown/mkdocs-inherit"


@record
class Site:
    """An MkDocs site: the folder of its pages, and the flavour they are read in."""

    docs_dir: str
    flavour: str
    problem: Finding | None = None
    """Why an ``INHERIT`` could not be followed (the site is read without it)."""

    def holds(self, path: str) -> bool:
        """Whether a repository path is one of the site's pages."""
        return path.startswith(self.docs_dir + "/") if self.docs_dir else True


def _extensions(value: object) -> set[str]:
    """Extension names from ``markdown_extensions``: a list of names or of one-key maps
    (YAML), or a table of tables (TOML)."""
    names: set[str] = set()
    for item in value if isinstance(value, list) else [value] if isinstance(value, dict) else []:
        keys = item if isinstance(item, dict) else [item]
        names.update(str(key) for key in keys)
    return names


def _settings(config_path: str, text: str) -> dict[str, Any]:
    """The file's settings as a mapping (empty if it cannot be read)."""
    if config_path.endswith(".toml"):
        import tomllib  # only for a zensical.toml

        try:
            project = tomllib.loads(text).get("project")
        except tomllib.TOMLDecodeError:
            return {}
        return project if isinstance(project, dict) else {}
    from aixcl_lint.documents import yamltree  # a site's settings: not a warm run's

    documents = yamltree.parse(config_path, text).documents
    data = documents[0].data if documents else None
    return data if isinstance(data, dict) else {}


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' deep merge: mappings key by key; the child's other values replace."""
    merged = dict(parent)
    for key, value in child.items():
        below = merged.get(key)
        if isinstance(below, dict) and isinstance(value, dict):
            merged[key] = _merge(below, value)
        else:
            merged[key] = value
    return merged


def _inherit_finding(path: str, text: str, why: str) -> Finding:
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.startswith("INHERIT")), 1)
    return Finding(path, Span.at(line, 1), INHERIT_PROBLEM, Severity.ERROR, why)


def _inherited(
    config_path: str, text: str, read: Callable[[str], str | None]
) -> tuple[dict[str, Any], Finding | None]:
    """The settings of an ``mkdocs.yml`` merged over those it inherits, and why an
    ``INHERIT`` could not be followed (a missing file, one outside the repository, a
    cycle): the settings read up to there."""
    layers, chain, problem = [_settings(config_path, text)], [config_path], None
    while not config_path.endswith(".toml") and "INHERIT" in layers[-1]:
        inherit = layers[-1]["INHERIT"]
        here = posixpath.dirname(chain[-1])
        parent = (
            posixpath.normpath(posixpath.join(here, inherit)) if isinstance(inherit, str) else ""
        )
        if parent in chain:
            cycle = " -> ".join([*chain, parent])
            why = f"INHERIT '{inherit}' leads back to {parent}: a cycle ({cycle})"
        elif not parent or parent == ".." or parent.startswith(("../", "/")):
            why = f"INHERIT {inherit!r} is not a path to a file inside the repository"
        elif (found := read(parent)) is None:
            why = f"INHERIT '{inherit}' names no file of the repository ({parent})"
        else:
            layers.append(_settings(parent, found))
            chain.append(parent)
            text = found
            continue
        why += "; the site is read without it"
        problem = _inherit_finding(chain[-1], text, why)
        break
    merged: dict[str, Any] = {}
    for layer in reversed(layers):
        merged = _merge(merged, layer)
    return merged, problem


def site(config_path: str, text: str, read: Callable[[str], str | None] | None = None) -> Site:
    """The site an ``mkdocs.yml`` (at a repository path) describes, following its
    ``INHERIT`` with ``read`` (a repository file's text, None if there is none); a file
    it cannot read still makes a site of the default layout."""
    data, problem = _inherited(config_path, text, read or (lambda _: None))
    docs_dir = data.get("docs_dir")
    folder = posixpath.dirname(config_path)
    docs = posixpath.normpath(
        posixpath.join(folder, docs_dir if isinstance(docs_dir, str) else "docs")
    )
    extensions = _extensions(data.get("markdown_extensions"))
    attr_list = bool(extensions & _ATTR_LIST)
    from aixcl_lint.documents.mdanchors import MKDOCS, MKDOCS_ATTR_LIST

    flavour = MKDOCS_ATTR_LIST if attr_list else MKDOCS
    return Site("" if docs == "." else docs, flavour, problem)
