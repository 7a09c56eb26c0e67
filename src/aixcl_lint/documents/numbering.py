"""Section numbers of Markdown headings: which headings are releases' versions, and
which numbered headings are out of sequence among their siblings."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from aixcl_lint import deferred

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_VERSION = re.compile(
    r"\[?(?P<v>v)?\d+(?P<dots>(?:\.\d+)+)(?P<pre>[-+][0-9A-Za-z.-]+)?(?P<b>\])?"
    r"(?:\s*\{[^}]*\})?"  # an attribute list (``{ #id }``, ``{: #id }``): no title
    r"(?:$|\s*(?:[-\u2013\u2014:(\[/|]|\d{4}-\d{2}-\d{2}|yanked\b|unreleased\b"
    rf"|{_MONTH}\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s|,|$)))",
    re.IGNORECASE,
)
"""A release's heading: ``2.6.1``, ``[1.2.0] - 2026-01-10``, ``v2.0 (beta)``,
``2.1.0 March 19, 2026`` (mkdocs-material's ``2.1.0 <small>March 2026</small>``: its
text without the HTML), ``2.1.0 { id="2.1.0" }``."""


_NUMBER = re.compile(r"[vV]?\d+(?:\.\d+)+")
_RANGE = deferred.pattern(r"\s+(?:to|->|\u2192|\.\.\.?)\s+[vV]?\d+(?:\.(?:\d+|x))*(?:\W|$)", re.I)
"""An upgrade guide's step, after the first version: ``6.0 to 7.0`` (Guzzle's)."""


def is_version(text: str) -> bool:
    """Whether a heading names a release (a changelog's), not a numbered section: a
    number of two or more parts alone (``## 0.7``: a section number comes with a title)
    or but for an attribute list, or followed by a date (``2026-03-19``, ``March 2026``,
    ``19 March``), a dash or a parenthesis; a ``v``, a suffix or brackets; an upgrade
    step (``6.0 to 7.0``); or followed by symbols only (``1.2.0 🎉``: a title has words)."""
    if _VERSION.match(text) is not None:
        return True
    number = _NUMBER.match(text)
    if number is None:
        return False
    rest = text[number.end() :]
    if _RANGE.match(rest):
        return True
    symbols = [c for c in rest if not c.isspace()]
    return any(unicodedata.category(c) == "So" for c in symbols) and not any(
        c.isalnum() for c in symbols
    )


def _titled(heading: dict[str, Any]) -> bool:
    """Whether a heading's leading number is part of its title, not a section number:
    three digits (``## 404 page``, ``## 504 Gateway Timeout``) or a count before a
    lowercase word (``## 3 ways to deploy``)."""
    number: str = heading["number"]
    if "." in number:
        return False
    rest = heading["text"][len(number) :]
    return len(number) >= 3 or (rest[:1].isspace() and rest.lstrip()[:1].islower())


def misnumbered(headings: list[dict[str, Any]]) -> dict[int, str]:
    """Numbered headings out of sequence among their siblings, with the number each
    should have. One heading out of place is reported alone: the next one is compared
    with the heading before it when it continues from there."""
    groups: dict[tuple[Any, int], list[int]] = {}
    plain: set[tuple[Any, int]] = set()  # groups with unnumbered headings before numbered
    for i, heading in enumerate(headings):
        key = (heading["parent"], heading["level"])
        if heading["version"] or heading["duplicate"] or heading["empty"]:
            continue
        if heading["number"] is None or _titled(heading):
            if key not in groups:
                plain.add(key)
            continue
        groups.setdefault(key, []).append(i)
    found = _late_starts(headings, groups, plain)
    for (parent, _), members in groups.items():
        parent_number = headings[parent]["number"] if parent is not None else None
        previous: str | None = None
        for k, i in enumerate(members):
            number = headings[i]["number"]
            expected = found.get(i) or next_number(previous, parent_number, number)
            if expected is None:
                previous = number
                continue
            found[i] = expected
            following = headings[members[k + 1]]["number"] if k + 1 < len(members) else None
            if (
                following is None
                or previous is None
                or next_number(previous, parent_number, following) is not None
                or next_number(number, parent_number, following) is None
            ):
                previous = number
    return found


def _late_starts(
    headings: list[dict[str, Any]], groups: dict[tuple[Any, int], list[int]], plain: set[Any]
) -> dict[int, str]:
    """Unnumbered sections, then a run of numbered ones that starts past 1 (``## 10.``,
    ``## 11.``): the first of the run should be 1. A lone number after unnumbered
    headings (``## 504 Gateway Timeout``) is a title, not a section number."""
    found: dict[int, str] = {}
    for key, members in groups.items():
        first = headings[members[0]]["number"]
        if key not in plain or "." in first or first in ("0", "1") or len(members) < 2:
            continue
        parent = headings[key[0]]["number"] if key[0] is not None else None
        if next_number(first, parent, headings[members[1]]["number"]) is None:
            found[members[0]] = "1"
    return found


def next_number(previous: str | None, parent: str | None, number: str) -> str | None:
    """The number a heading should have, if it does not; None if ``number`` fits."""
    if previous is None:
        # A first numbered heading may start anywhere at the top; below a numbered
        # heading, a numbered sub-section starts at its parent's .1.
        if parent and "." in number and number != parent + ".1":
            return parent + ".1"
        return None
    head, _, last = previous.rpartition(".")
    if not last.isdigit() or len(last) > 100:  # Python refuses 4,300 digits and more
        return None
    wanted = f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return None if number == wanted else wanted
