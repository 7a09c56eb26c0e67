"""What a fix run tells people: the fixed and unfixed findings, and unified diffs."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

from aixcl_lint.core import visible
from aixcl_lint.fix import linediff
from aixcl_lint.fix.session import Change, FixResult

_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(result: FixResult, *, dry_run: bool, shown: Callable[[str], str] | None = None) -> str:
    """One line per fixed finding (not with ``dry_run``: the diff shows them), one per
    finding a fix could not repair and why, and a summary line; ``shown`` says how a
    repository path is shown (from the working directory, as ``check`` shows it)."""
    path = shown or (lambda rel: rel)
    lines = (
        []
        if dry_run
        else [
            f"{visible(path(f.path))}:{f.line}:{f.column}: fixed {f.rule} {visible(f.message)}"
            for f in result.fixed
        ]
    )
    # With dry_run nothing is written: point at the findings where they are now.
    unfixed = sorted((result.before.get(f, f), why) for f, why in result.unfixed)
    lines += [
        f"{visible(path(f.path))}:{f.line}:{f.column}: not fixed {f.rule}: {visible(reason)}"
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


def _quoted(prefix: str, path: str) -> str:
    """A diff header's path as git writes it: C-quoted, bytes over 0x7f in octal, when
    it holds anything but printable ASCII (so ``git apply`` reads it back)."""
    name = os.fsencode(prefix + path)
    if all(0x20 <= b < 0x7F and b not in b'"\\' for b in name):
        return prefix + path
    escapes = {0x22: '\\"', 0x5C: "\\\\", 0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    shown = (escapes.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\{b:03o}") for b in name)
    return '"' + "".join(shown) + '"'


def unified_diff(changes: Mapping[str, Change]) -> str:
    """A unified diff of every change (``a/PATH`` -> ``b/PATH``), as ``git apply`` reads it."""
    out: list[str] = []
    for path in sorted(changes):
        change = changes[path]
        before = _LINE.findall(change.original.text)
        after = _LINE.findall(change.text)
        for line in linediff.unified_diff(before, after, _quoted("a/", path), _quoted("b/", path)):
            out.append(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n")
    return "".join(out)
