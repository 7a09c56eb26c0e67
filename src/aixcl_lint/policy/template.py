"""Templates: ``{name}`` placeholders filled from known variables only.

Messages and operator arguments are templates. ``{{name}}`` is the literal text
``{name}``; ``${NAME}`` is a compose variable and ``\\p{Greek}`` an RE2 class, never
placeholders; other braces (``\\d{4}``, ``{"a": 1}``) are text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

Formatter = Callable[[Mapping[str, str]], str]
"""A template made ready to fill: ``render(template, variables)`` as one call."""

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_PLACEHOLDER = re.compile(rf"\{{\{{({_NAME})\}}\}}|(?<!\$)(?<!\\p)(?<!\\P)(?<!\\x)\{{({_NAME})\}}")
"""``{{name}}`` (text) or ``{name}``; not ``${NAME}`` (a compose variable), nor RE2's
own braces in a pattern: ``\\p{Greek}``, ``\\P{Greek}`` (Unicode classes), ``\\x{41}``."""


def placeholders(template: str) -> set[str]:
    """The variable names a template uses (escaped ones are text)."""
    return {m.group(2) for m in _PLACEHOLDER.finditer(template) if m.group(2)}


def render(
    template: str, variables: Mapping[str, str], quote: Callable[[str], str] | None = None
) -> str:
    """Fill a template; a placeholder without a value is left as written. ``quote``
    transforms each value put in (a pattern escapes it)."""

    def fill(match: re.Match[str]) -> str:
        if match.group(1):
            return "{" + match.group(1) + "}"
        found = variables.get(match.group(2))
        if found is None:
            return match.group(0)
        return quote(found) if quote else found

    return _PLACEHOLDER.sub(fill, template)


_FORMATTERS: dict[str, Formatter] = {}


def formatter(template: str) -> Formatter:
    """``template`` filled as ``render`` fills it (without ``quote``), its placeholders
    found once: a message is rendered for every finding, and a regular expression's
    callback per placeholder cost more than the rest of building the finding."""
    found = _FORMATTERS.get(template)
    if found is None:
        found = _FORMATTERS[template] = _compile(template)
    return found


def _compile(template: str) -> Formatter:
    pieces: list[tuple[str, str]] = []  # the text before each placeholder, its name
    text: list[str] = []
    at = 0
    for match in _PLACEHOLDER.finditer(template):
        text.append(template[at : match.start()])
        if match.group(1):
            text.append("{" + match.group(1) + "}")
        else:
            pieces.append(("".join(text), match.group(2)))
            text = []
        at = match.end()
    text.append(template[at:])
    tail = "".join(text)
    if not pieces:
        return lambda variables: tail
    parts = tuple((before, name, "{" + name + "}") for before, name in pieces)

    def fill(variables: Mapping[str, str]) -> str:
        out = []
        for before, name, written in parts:
            found = variables.get(name)
            out.append(before)
            out.append(written if found is None else found)
        out.append(tail)
        return "".join(out)

    return fill
