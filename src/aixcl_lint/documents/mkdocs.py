"""What an MkDocs site's ``mkdocs.yml`` says about how its pages' anchors are made.

MkDocs renders the pages under ``docs_dir`` (``docs`` unless set) with Python-Markdown,
whose ``toc`` extension makes heading anchors its own way; the ``attr_list`` extension
(listed in ``markdown_extensions``) lets a heading name its own id: ``## Title {#id}``.
The file is composed, never constructed, so MkDocs' ``!!python/name:`` tags are inert.
Zensical, MkDocs' successor, reads the same settings from the ``[project]`` table of
``zensical.toml``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

NAMES = ("mkdocs.yml", "mkdocs.yaml", "zensical.toml")
_ATTR_LIST = frozenset(
    {"attr_list", "markdown.extensions.attr_list", "extra", "markdown.extensions.extra"}
    | {"pymdownx.extra"}
)
"""Extensions that give headings attribute lists (``extra`` bundles ``attr_list``)."""


@dataclass(frozen=True)
class Site:
    """An MkDocs site: the folder of its pages, and the flavour they are read in."""

    docs_dir: str
    flavour: str

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


def site(config_path: str, text: str) -> Site:
    """The site an ``mkdocs.yml`` (at a repository path) describes; a file it cannot read
    still makes a site of the default layout."""
    data = _settings(config_path, text)
    docs_dir = data.get("docs_dir")
    folder = posixpath.dirname(config_path)
    docs = posixpath.normpath(
        posixpath.join(folder, docs_dir if isinstance(docs_dir, str) else "docs")
    )
    extensions = _extensions(data.get("markdown_extensions"))
    attr_list = bool(extensions & _ATTR_LIST)
    from aixcl_lint.documents.mdanchors import MKDOCS, MKDOCS_ATTR_LIST

    return Site("" if docs == "." else docs, MKDOCS_ATTR_LIST if attr_list else MKDOCS)
