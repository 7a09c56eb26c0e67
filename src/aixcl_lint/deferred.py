"""Regular expressions compiled on first use.

Python's ``re`` compiles a pattern in Python: about 0.7 million instructions for a
module's typical one, and a module of the documents layer holds several that a small
run never uses (the comment scanners of other languages, the env-file reader of a
project without one). ``pattern`` gives a module-level pattern that compiles itself
when first used, then keeps each method it was asked for (``search``, ``finditer``,
``sub``...) on itself, so a call afterwards costs what the compiled pattern's does.
Only for patterns used through their methods and attributes (``re.sub(PATTERN, ...)``
and ``isinstance(x, re.Pattern)`` need the compiled pattern).
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

_COMPILE = re.compile
"""``re.compile`` itself (``yamllib`` replaces it while PyYAML is imported)."""


class Deferred:
    """A pattern compiled when first used: any attribute (``match``, ``search``,
    ``pattern``...) is the compiled pattern's, kept on the instance once asked for."""

    def __init__(self, pattern: Any, flags: Any = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # copy, pickle and the like: not the pattern's
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = _COMPILE(*self._args)
        found = getattr(self._compiled, name)
        setattr(self, name, found)
        return found


def pattern(text: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(text, flags)``, compiled when first used."""
    return cast("re.Pattern[AnyStr]", Deferred(text, flags))
