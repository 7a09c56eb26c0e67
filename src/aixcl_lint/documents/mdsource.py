"""What Markdown text says outside pulldown-cmark's model, read from the raw source:
heading anchors (GitHub's slugs), section numbers, HTML anchors and comments, prose
references to a numbered section, and the kind of a link's destination.

Scanners work on UTF-8 bytes between two offsets, as the parser's ranges give them.
They run in linear time on any input: the patterns are RE2's (Python's ``re``
backtracks: a 100 KB paragraph took over a minute), comments are found by plain
searches, and per-match questions (inside a code span? a comment?) are answered by
bisection over positions found once.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import re2

from aixcl_lint import deferred

NUMBER = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)\.?(?=\s|$)")
"""A heading's leading section number: ``7``, ``7.1``, ``7.`` (at most 3 digits a part)."""
_SCHEME = deferred.pattern(r"[A-Za-z][A-Za-z0-9+.-]*:")
_WEB = frozenset({"http:", "https:", "ftp:", "ftps:", "//"})


def _bytes_pattern(pattern: bytes) -> Any:
    """An RE2 pattern over bytes (Latin-1 mode: byte for byte, as ``re`` reads bytes)."""
    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    return re2.compile(pattern, options)


_TAG = _bytes_pattern(rb"<([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
_ATTR = _bytes_pattern(
    rb"""(?i)\s(id|name|href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
)
_LINKED = {b"a": b"href", b"img": b"src"}
"""The elements whose attribute is a link (lychee checks them too)."""
_MD_PATH = rb"[`*_]*(?P<%s>(?:\.\.?/)*\w[\w./-]*\.md)[`*_]*"
_REFERENCE = _bytes_pattern(
    rb"(?i)" + _MD_PATH % b"path" + rb"[,;:]?\s+\(?(?:section|\xc2\xa7)\s*(?P<num>\d+(?:\.\d+)*)"
    rb"|(?:section|\xc2\xa7)\s*(?P<num2>\d+(?:\.\d+)*)\s+(?:of|in)\s+" + _MD_PATH % b"path2"
)
"""A prose reference: "docs/x.md section 7", "docs/x.md (section 7)", "section 7.1 of
docs/x.md" (or with a §)."""
_NUM = _REFERENCE.groupindex[b"num"]
_SECTION_NUMBER = re.compile(rb"section\s*\d")
_SIGN_NUMBER = deferred.pattern(rb"\xa7\s*\d")
"""What every match of ``_REFERENCE`` holds: "section" (its ``(?i)`` folds only ASCII
letters into these) or the sign's second byte, then a digit (Python's ``\\s`` is wider
than RE2's). Each begins with a literal, which ``re`` finds fast: an alternation or a
case-insensitive pattern would be tried at every byte, ten times slower."""


def may_cite(data: bytes) -> bool:
    """Whether a text may hold a prose reference (if not, none of its parts does)."""
    if _SECTION_NUMBER.search(data.lower()) is not None:
        return True
    return b"\xa7" in data and _SIGN_NUMBER.search(data) is not None


_ASCII_DROPPED = str.maketrans(
    "", "", "".join(c for c in map(chr, range(128)) if not c.isalnum() and c not in " -_")
)
"""The ASCII characters a slug drops: all but letters and digits (the only ASCII
characters of the categories L, M and N), space, ``-`` and ``_``."""


def slugify(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to ``-``."""
    lowered = text.lower()
    if lowered.isascii():
        return lowered.translate(_ASCII_DROPPED).replace(" ", "-")
    kept = (c for c in lowered if c in " -_" or unicodedata.category(c)[0] in "LMN")
    return "".join(kept).replace(" ", "-")


def link_parts(target: str, link_type: str) -> tuple[str, str | None, str | None]:
    """(kind, path, fragment) of a link destination."""
    if ":" in target:
        scheme = _SCHEME.match(target)
        name = scheme.group().lower() if scheme else target[:2]
    else:  # most links: a path
        scheme, name = None, target[:2]
    if link_type == "Email" or name == "mailto:":
        return "mailto", None, None
    if target.startswith("#"):
        return "anchor", None, _unquote(target[1:])
    if scheme or name == "//":
        return ("url" if name in _WEB else "other"), None, None
    if target[:1] == "(" and _SCHEME.match(target, 1):  # ``[x]((https://...))``
        return "malformed", None, None  # doubled parentheses: no path, a link written wrong
    rest, hash_, fragment = target.partition("#")
    path = rest.partition("?")[0]
    kind = "other" if not path else "root" if path.startswith("/") else "file"
    return kind, _unquote(path) if path else None, _unquote(fragment) if hash_ else None


def _unquote(text: str) -> str:
    return unquote(text) if "%" in text else text


def comments(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Byte ranges of the HTML comments between two offsets."""
    end = len(data) if end is None else end
    at = data.find(b"<!--", start, end)
    while at >= 0:
        close = data.find(b"-->", at + 4, end)
        if close < 0:
            return  # unterminated: no later comment can close either
        yield at, close + 3
        at = data.find(b"<!--", close + 3, end)


def html_anchors(
    data: bytes, start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int, str]]:
    """``id="..."`` on any tag and ``name="..."`` on ``<a>``: (start, end, name)."""
    for kind, first, last, value in html_attributes(data, start, end):
        if kind == "anchor":
            yield first, last, value


def html_attributes(
    data: bytes, start: int = 0, end: int | None = None
) -> Iterator[tuple[str, int, int, str]]:
    """Anchors (``id`` on any tag, ``name`` on ``<a>``), links (``href`` on ``<a>``) and
    images (``src`` on ``<img>``), not empty: (``anchor``, ``link`` or ``image``, start,
    end, value)."""
    for tag in _TAG.finditer(data, start, len(data) if end is None else end):
        element = tag.group(1).lower()
        for attr in _ATTR.finditer(data, tag.start(), tag.end()):
            group = next(g for g in (2, 3, 4) if attr.group(g) is not None)
            name = attr.group(1).lower()
            if not attr.group(group):
                continue
            if name == b"id" or (name == b"name" and element == b"a"):
                kind = "anchor"
            elif _LINKED.get(element) == name:
                kind = "link" if name == b"href" else "image"
            else:
                continue
            value = attr.group(group).decode("utf-8", "replace")
            yield kind, attr.start(group), attr.end(group), value


def references(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, str, str]]:
    """Prose references in a paragraph: (start, end, path, section number)."""
    # Most paragraphs name no Markdown file or no section: skip the regex for them.
    if data.find(b".md", start, end) < 0 or (
        data.find(b"ection", start, end) < 0
        and data.find(b"ECTION", start, end) < 0
        and data.find("§".encode(), start, end) < 0
    ):
        return
    matches = list(_REFERENCE.finditer(data, start, end))
    if not matches:
        return
    hidden = list(comments(data, start, end))
    hidden_starts = [a for a, _ in hidden]
    ticks = [m.start() for m in re.finditer(rb"`", data[start:end])]
    for match in matches:
        # Prose only: not inside an HTML comment, nor a code span holding the whole
        # reference (`docs/x.md` section 7 counts: only the path is code).
        word = match.start(_NUM) if match.group(b"num") else match.start()
        if bisect.bisect_left(ticks, word - start) % 2 == 1:
            continue
        i = bisect.bisect_right(hidden_starts, match.start())
        if i and match.start() < hidden[i - 1][1]:
            continue
        path = (match.group(b"path") or match.group(b"path2")).decode("utf-8", "replace")
        number = (match.group(b"num") or match.group(b"num2")).decode()
        yield match.start(), match.end(), path, number


def stray_link_syntax(text: str, *, starts_block: bool) -> Iterator[tuple[int, int]]:
    """Link syntax left in prose text, which a valid link would have consumed: ``](``
    after a link (``[x](a.md)](b.md)``), ``][`` of a reference with no definition, and
    ``[label]: target`` that is not a definition. (start, end) in characters."""
    if starts_block and text.startswith("[") and "]: " in text.partition("\n")[0]:
        yield 0, text.index("]: ") + 2
    for marker, closer in (("](", ")"), ("][", "]")):
        at = text.find(marker)
        while at >= 0:
            opening = text.rfind("[", 0, at)
            end = text.find(closer, at + 2)
            yield max(opening, 0) if opening >= 0 else at, end + 1 if end >= 0 else len(text)
            at = text.find(marker, at + 2)


_LOCAL = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")
_DOMAIN = _LOCAL - {ord("+")}


def emails(data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of e-mail addresses between two offsets, outside HTML comments: an
    ASCII local part, ``@``, and a domain with a dot. One pass from each ``@``."""
    hidden = list(comments(data, start, end)) if data.find(b"<!--", start, end) >= 0 else []
    at, floor = data.find(b"@", start, end), start
    while at >= 0:
        first = at
        while first > floor and data[first - 1] in _LOCAL:
            first -= 1
        last = at + 1
        while last < end and data[last] in _DOMAIN:
            last += 1
        while last > at + 1 and data[last - 1] in b".-_":
            last -= 1
        domain = data[at + 1 : last]
        visible = not any(a <= at < b for a, b in hidden)
        if first < at and b"." in domain.strip(b".") and visible:
            yield first, last
        floor = max(last, at + 1)
        at = data.find(b"@", floor, end)
