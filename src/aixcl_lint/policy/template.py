"""Message templates: ``{name}`` placeholders filled from known variables only."""

from __future__ import annotations

import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_-]*)\}")


def placeholders(template: str) -> set[str]:
    """The variable names a template uses."""
    return set(_PLACEHOLDER.findall(template))


def render(template: str, variables: Mapping[str, str]) -> str:
    """Fill a template; a placeholder without a value is left as written."""
    return _PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), template)
