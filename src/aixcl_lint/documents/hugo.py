"""A Hugo site (``hugo.toml``, a ``config.toml`` with Hugo's keys, ``config/_default/``)
whose pages under ``content/`` Hugo renders, and what a link means there.

Hugo expands a shortcode before the page is rendered, so ``[x]({{< ref "b" >}})``
is a link although CommonMark reads no link in it (a destination holds no space). The
``ref`` and ``relref`` shortcodes name a page as Hugo's cross references do: a path
with or without ``.md``, relative to the page, else to ``content/`` (from it, with a
leading ``/``), a folder naming its ``index.md`` or ``_index.md``, and ``#anchor``
(one alone names the page's own heading). Any other shortcode is left unchecked. A
root-relative link (``/images/x.png``) is what Hugo serves there: a file of
``static/``, else of ``content/`` (a page's folder, ``/docs/x/``, its page). Headings
get goldmark's ``github`` ids, and ``## Title {#id}`` names its own
(``mdanchors.HUGO``). A page found by its name alone anywhere in the site (``ref
"post.md"`` from another section) is not looked for: such a ref is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from aixcl_lint.documents.mkdocs import Site

if TYPE_CHECKING:
    from aixcl_lint.documents.mdtree import Repository

CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
"""Hugo's own configuration files: a site whatever they hold."""
LEGACY = ("config.toml", "config.yaml", "config.yml", "config.json")
"""Hugo's older names, a site's only if they hold one of ``_KEYS``."""
DEFAULT_FOLDER = "config/_default"
_KEYS = frozenset({"baseurl", "languagecode", "theme", "contentdir", "markup", "taxonomies"})
"""Top-level settings (Hugo's keys are case-insensitive) no other tool's config shares
with all of these names."""
_SHORTCODE = re.compile(r"\{\{([<%])\s*(\S.*?)\s*[>%]\}\}(#[^\s()]*)?", re.DOTALL)
"""A shortcode (and a ``#fragment`` after it)."""
_LINKED = re.compile(r"\]\(\s*([^\s()]*\{\{[<%].*?[>%]\}\}[^\s()]*)\s*\)", re.DOTALL)
"""A link whose destination holds a shortcode, from its ``](``."""
_REF = re.compile(r"""(?:rel)?ref\s+(?:"([^"]*)"|`([^`]*)`)""")
_SUFFIX = ".md"


def _has_keys(name: str, text: str) -> bool:
    """Whether a legacy configuration's top level holds one of Hugo's keys."""
    data: object = None
    try:
        if name.endswith(".toml"):
            import tomllib

            data = tomllib.loads(text)
        elif name.endswith(".json"):
            data = json.loads(text)
        else:
            from aixcl_lint.documents import yamltree

            documents = yamltree.parse(name, text).documents
            data = documents[0].data if documents else None
    except ValueError:  # (TOMLDecodeError and JSONDecodeError are ValueErrors)
        return False
    return isinstance(data, dict) and any(str(key).lower() in _KEYS for key in data)


def site(
    folder: str, read: Callable[[str], str | None], is_folder: Callable[[str], bool]
) -> Site | None:
    """The Hugo site whose configuration is in ``folder`` (``read`` gives a file's text
    there, None if there is none; ``is_folder`` whether a folder there exists)."""
    found = any(read(name) is not None for name in CONFIGS) or is_folder(DEFAULT_FOLDER)
    if not found:
        found = any((text := read(name)) is not None and _has_keys(name, text) for name in LEGACY)
    if not found:
        return None
    from aixcl_lint.documents.mdanchors import HUGO  # (a warm run that finds none: not)

    return Site(f"{folder}/content" if folder else "content", HUGO)


def shortcode_links(text: str) -> Iterator[tuple[int, int, str]]:
    """Links whose destination is a shortcode in prose text (which CommonMark left as
    text): (start, end, destination), in characters, from the ``[`` when the text
    holds it."""
    for found in _LINKED.finditer(text):
        opening = text.rfind("[", 0, found.start())
        yield (opening if opening >= 0 else found.start()), found.end(), found.group(1)


def is_shortcode(target: str) -> bool:
    """Whether a link destination is a shortcode."""
    return _SHORTCODE.fullmatch(target) is not None


def link_parts(target: str) -> tuple[str, str | None, str | None]:
    """(kind, path, fragment) of a shortcode destination: a ``ref``/``relref`` as the
    link it names (``file``, ``root`` or ``anchor``), any other ``other``."""
    found = _SHORTCODE.fullmatch(target)
    ref = _REF.fullmatch(found.group(2)) if found is not None else None
    if found is None or ref is None:
        return "other", None, None
    from aixcl_lint.documents import mdsource  # (a site's detection needs none of these)

    named = ref.group(1) if ref.group(1) is not None else ref.group(2)
    if found.group(3) and "#" not in named:  # ``{{% relref "x" %}}#part``
        named += found.group(3)
    kind, path, fragment = mdsource.link_parts(named, "Inline")
    if kind not in ("file", "root", "anchor"):
        return "other", None, None
    return kind, path, fragment


def _pages(base: str, path: str, languages: tuple[str, ...], *, itself: bool = False) -> list[str]:
    """The files a page path names from a folder: (with ``itself``, the path as it is)
    with ``.md``, or a folder's ``index.md`` / ``_index.md``; each also in a language
    (``x.en.md``)."""
    from aixcl_lint.documents import mdtree

    found = mdtree.resolve(f"{base}/x" if base else "x", path.rstrip("/") or ".")
    if found is None:
        return []
    found = "" if found == "." else found
    if found.endswith(_SUFFIX):
        return [found]
    inside = f"{found}/" if found else ""
    pages = [f"{found}{_SUFFIX}", f"{inside}index.md", f"{inside}_index.md"]
    pages += [f"{page[:-3]}.{code}.md" for page in pages for code in languages]
    return [found, *pages] if itself and found else pages


def _languages(page: str) -> tuple[str, ...]:
    """The languages a page's links may find pages in: its own (``x.de.md``), and
    Hugo's default content language (``en``)."""
    parts = page.rpartition("/")[2].split(".")
    own = parts[-2] if len(parts) > 2 and 2 <= len(parts[-2]) <= 5 else None
    return (own, "en") if own and own != "en" else ("en",)


def resolve_link(page: str, link: dict[str, Any], repo: Repository, *, ref: bool) -> None:
    """Where a Hugo page's link leads that names no file as GitHub reads it: a ``ref``
    (``ref``) from the page's folder or ``content/``; a root-relative link from
    ``static/`` or ``content/``."""
    from aixcl_lint.documents import fragments, mdtree

    content = repo.project(page)
    kind, path = link["kind"], link["path"]
    if content is None or kind not in ("file", "root") or not path:
        return
    site_root = content.rpartition("/")[0]
    static = f"{site_root}/static" if site_root else "static"
    here = page.rpartition("/")[0]
    languages = _languages(page)
    candidates: list[str] = []
    if kind == "root":
        candidates += [] if ref else [p for p in [mdtree.resolve(f"{static}/x", path)] if p]
        candidates += _pages(content, path.lstrip("/"), languages, itself=not ref)
    else:
        candidates += _pages(here, path, languages) if ref else []
        candidates += _pages(content, path, languages)
    found = next((c for c in candidates if repo.exists(c)), None)
    if found is None:
        if ref and candidates:
            link["resolved"] = candidates[0]
        return
    link.update(resolved=found, target_exists=True)
    fragment = link["fragment"]
    anchors = repo.anchors(found) if fragment else None
    if fragment and anchors is not None:
        link["fragment_exists"] = fragments.found(fragment.lower(), anchors)
