"""Markdown documents as plain data plus an index from pointers to spans.

Built on pyromark (bindings to pulldown-cmark, CommonMark + GFM). Its events carry
ranges in UTF-8 bytes, kept per pointer; a :class:`LineIndex` maps one to 1-based lines
and columns in characters when its span is first asked for.

Two readers of the same events: ``mdscan`` reads what every document needs (headings,
anchors, links, section references, comments, front matter) with little Python per
event; ``mdbuild`` also builds prose, tables, lists, code blocks and addresses, for the
documents a rule reads them in (``full``).

Pass the file's text with its byte order mark removed (``source.decode`` does); a BOM
left in place is removed here. Either way positions are those of the file as an editor
shows it: the BOM is not a column. Lone surrogates become ``?``. Nothing here raises on
any ``str``; bad front matter becomes findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

import pyromark

from aixcl_lint.core import Finding, Pointer, Severity, Span
from aixcl_lint.documents import mdbuild, mdmask, mdscan
from aixcl_lint.documents.lineindex import LazySpans, LineIndex
from aixcl_lint.documents.mdanchors import GITHUB, MKDOCS_FLAVOURS
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.records import record

_O = pyromark.Options
_GFM = _O.ENABLE_TABLES | _O.ENABLE_STRIKETHROUGH | _O.ENABLE_TASKLISTS | _O.ENABLE_FOOTNOTES
PARSER = pyromark.Markdown(options=_GFM | _O.ENABLE_GFM | _O.ENABLE_YAML_STYLE_METADATA_BLOCKS)
MAX_EVENTS = 1_000_000
"""Most parser events (elements, text runs) read from one document (10 MB of prose has
about 950,000): each costs microseconds
to convert from pyromark and a few hundred bytes to keep, so a file of a million links
would take a minute and gigabytes. The rest is reported, not read."""


FOLD_BELOW = MAX_EVENTS // 4
"""The longest text (in bytes) whose unread table rows are folded before the scan
(``mdmask``): no text shorter makes ``MAX_EVENTS`` events (at most two a byte), so the
limit falls where it would without folding."""


@record
class MarkdownDocument:
    """A parsed Markdown file: plain data, spans by pointer, and problems found.

    Without ``full``, ``data`` holds only ``mdfacts.FACTS`` and ``front_matter``."""

    path: str
    data: dict[str, Any]
    spans: Mapping[Pointer, NodeSpans]
    problems: tuple[Finding, ...]
    full: bool = True
    flavour: str = GITHUB
    """The renderer it was read for (``mdanchors.FLAVOURS``)."""


def parse(path: str, text: str, flavour: str = GITHUB, *, full: bool = True) -> MarkdownDocument:
    """Parse a Markdown file into its data model (with ``full``, prose, tables, lists,
    code blocks and addresses too); never raises on any ``str``.

    ``flavour`` (``mdanchors.FLAVOURS``) is the renderer whose heading anchors apply
    (and, for MkDocs', whose admonitions and tabs hold Markdown: ``mdblocks``)."""
    text = text.removeprefix("\ufeff")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: one '?' each keeps every offset
        text = text.encode("utf-8", "replace").decode("utf-8")
    if flavour in MKDOCS_FLAVOURS:  # admonitions and tabs: Markdown, not indented code
        from aixcl_lint.documents import mdblocks  # (MkDocs' pages only)

        text = mdblocks.as_items(text)
    index = LineIndex(text)
    reader: mdbuild.Builder | mdscan.Scan
    if full:
        reader = mdbuild.Builder(path, index, flavour)
        events = _events(text)
        stopped = mdbuild.build(reader, events, MAX_EVENTS)
    else:
        reader, stopped = _scan(path, text, index, flavour)
    if stopped is not None:
        message = f"more than {MAX_EVENTS:,} Markdown elements; the rest of the file is not checked"
        reader.problems.append(
            Finding(
                path,
                Span.at(index.line_of(stopped)),
                "markdown/too-complex",
                Severity.ERROR,
                message,
            )
        )
    reader.end_lines()
    spans = LazySpans(index, reader.ranges, reader.front_spans)
    return MarkdownDocument(path, reader.data, spans, tuple(reader.problems), full, flavour)


def _events(text: str) -> Iterator[tuple[Any, Any]]:
    return cast("Iterator[tuple[Any, Any]]", PARSER.events_with_range(text, merge_text=True))


def _scan(path: str, text: str, index: LineIndex, flavour: str) -> tuple[mdscan.Scan, int | None]:
    """The scan of a text, its unread table rows folded first (``mdmask``) if it is
    short enough; where it stopped (``mdscan.scan``)."""
    reader = mdscan.Scan(path, index, flavour)
    if len(index.data) < FOLD_BELOW and not (reader.roles and b"}`" in index.data):
        # (mdmask folds rows without a link: a MyST role in a row must be read)
        folded, starts = mdmask.fold(index.data)
        if starts:
            reader.folded = starts[::-1]  # (the next one last)
            stopped = mdscan.scan(reader, _events(folded.decode("utf-8")), MAX_EVENTS)
            if not reader.folded:  # a table began where each fold was made
                return reader, stopped
            reader = mdscan.Scan(path, index, flavour)  # some were no table: as written
    return reader, mdscan.scan(reader, _events(text), MAX_EVENTS)
