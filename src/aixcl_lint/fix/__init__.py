"""Autofix: minimal-diff edits at YAML node spans, repeated until stable, written safely.

``session.fix`` plans and applies the fixes in memory; ``files.write`` writes a result
back atomically; ``summary`` says what was fixed and renders diffs. The fixers are
registered in ``fixers.FIXERS`` under the names policies use in ``fix:``.
"""

from __future__ import annotations

from aixcl_lint.fix.files import write
from aixcl_lint.fix.fixers import FIXERS
from aixcl_lint.fix.session import FIXABLE, MAX_PASSES, Change, FixRequest, FixResult, fix
from aixcl_lint.fix.summary import render, unified_diff

__all__ = [
    "FIXABLE",
    "FIXERS",
    "MAX_PASSES",
    "Change",
    "FixRequest",
    "FixResult",
    "fix",
    "render",
    "repair",
    "unified_diff",
    "write",
]


def repair(request: FixRequest, *, write_files: bool = True) -> FixResult:
    """Fix ``request`` in memory and, with ``write_files``, write each changed file back
    (a file that cannot be written keeps its findings, with the reason)."""
    result = fix(request)
    for path, change in sorted(result.changes.items()) if write_files else ():
        problem = write(request.root, change.original, change.text)
        if problem is not None:
            result.not_written(path, f"{path} {problem}")
    return result
