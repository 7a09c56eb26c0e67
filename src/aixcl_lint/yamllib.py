"""PyYAML, imported without compiling its regular expressions: each is compiled on
first use.

``yaml.reader.Reader.NON_PRINTABLE`` is compiled when ``yaml`` is imported, from a
negated class of the printable ranges (``[^...\\xA0-\\uD7FF\\uE000-\\uFFFD...]``);
Python's compiler walks every code point of those ranges, about 58 million
instructions of a 660 million tiny cold run (issue 14, "Start-up"). While ``yaml`` is
imported here, that one pattern is compiled from ``CHEAP_NON_PRINTABLE`` instead: the
same code points (the class of those outside the printable ranges, which are few),
compiled in about 5 million. The C loader does not use it; the pure Python reader
(``check_printable``) finds the same characters at the same offsets.
``tests/test_yamllib.py`` compares the two patterns on every code point.

The other patterns PyYAML's modules compile at import (the implicit resolvers' nine,
the constructor's timestamp) are made ``Deferred``: compiled when first used, which the
composer of ``documents.yamlload`` never does (it resolves tags itself), so a first run
on a compose file compiles none of them (15 million instructions of the tiny
repository's first run, with ``NON_PRINTABLE``'s, which only PyYAML's pure Python reader
uses).

Every module of aixcl-lint imports PyYAML as ``from aixcl_lint.yamllib import yaml``.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from aixcl_lint.deferred import Deferred

PYYAML_NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""The pattern as PyYAML's ``yaml/reader.py`` writes it (PyYAML 5.1 to 6.0)."""
CHEAP_NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
"""The code points ``PYYAML_NON_PRINTABLE`` matches, named instead of complemented."""


_COMPILE = re.compile
"""``re.compile`` itself (it is replaced while PyYAML is imported)."""


def _import_yaml() -> None:
    if "yaml" in sys.modules:  # imported before (by another library): as it is
        return

    def cheaper(pattern: Any, flags: Any = 0) -> Any:
        if flags == 0 and pattern == PYYAML_NON_PRINTABLE:
            return Deferred(CHEAP_NON_PRINTABLE, 0)
        return Deferred(pattern, flags)

    re.compile = cheaper  # only while PyYAML's modules run their class bodies
    try:
        import yaml  # noqa: F401
    finally:
        re.compile = _COMPILE


_import_yaml()

import yaml  # noqa: E402  (imported above, its patterns deferred)
from yaml import _yaml as libyaml  # noqa: E402  (libyaml's binding: the C parser)

__all__ = ["libyaml", "yaml"]
