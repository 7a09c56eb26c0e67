"""Templates: ``{name}`` placeholders filled from known variables only.

Messages and operator arguments are templates. ``{{name}}`` is the literal text
``{name}``; ``${NAME}`` is a compose variable, never a placeholder; other braces
(``\\d{4}``, ``{"a": 1}``) are text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
_PLACEHOLDER = re.compile(rf"\{{\{{({_NAME})\}}\}}|(?<!\$)\{{({_NAME})\}}")


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
