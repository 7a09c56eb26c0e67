"""What a fix run tells people: the fixed and unfixed findings, and unified diffs."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from aixcl_lint.fix.session import Change, FixResult

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(result: FixResult, *, dry_run: bool) -> str:
    """One line per fixed finding (not with ``dry_run``: the diff shows them), one per
    finding a fix could not repair and why, and a summary line."""
    lines = (
        []
        if dry_run
        else [f"{f.path}:{f.line}:{f.column}: fixed {f.rule} {f.message}" for f in result.fixed]
    )
    # With dry_run nothing is written: point at the findings where they are now.
    unfixed = sorted((result.before.get(f, f), why) for f, why in result.unfixed)
    lines += [
        f"{f.path}:{f.line}:{f.column}: not fixed {f.rule}: {reason}"
        for f, reason in (unfixed if dry_run else result.unfixed)
    ]
    changed, left = len(result.changes), len(result.unfixed)
    verb = "Would fix" if dry_run else "Fixed"
    if result.fixed or changed:
        fixed = f"{verb} {_plural(len(result.fixed), 'problem')} in {_plural(changed, 'file')}"
        lines.append(f"{fixed}; {left} could not be fixed." if left else f"{fixed}.")
    elif left:
        lines.append(f"Nothing fixed: {_plural(left, 'problem')} could not be fixed.")
    else:
        lines.append("Nothing to fix.")
    return "\n".join(lines) + "\n"


def unified_diff(changes: Mapping[str, Change]) -> str:
    """A unified diff of every change (``a/PATH`` -> ``b/PATH``), as ``git apply`` reads it."""
    out: list[str] = []
    for path in sorted(changes):
        change = changes[path]
        before = _LINE.findall(change.original.text)
        after = _LINE.findall(change.text)
        for line in difflib.unified_diff(before, after, f"a/{path}", f"b/{path}"):
            out.append(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n")
    return "".join(out)
