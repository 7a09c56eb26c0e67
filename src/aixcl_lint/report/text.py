"""``--format text``: ``path:line:col: severity rule-id message``, grouped by file, each
finding with a code frame (the line, carets under the span) and its rule's docs."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path

from aixcl_lint.core import Finding, Severity, visible
from aixcl_lint.report.model import Report

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
FIXABLE = "[*]"
"""Marks a finding ``--fix`` repairs, as ruff marks it."""


def paths_from(root: Path, cwd: Path) -> Callable[[str], str] | None:
    """How a person's output shows a repository path: from the working directory, as
    ruff shows paths (``sub/x.md`` is ``x.md`` in ``sub`` and ``../y.md`` beside it);
    None in the repository's root, where they are the same. Machine formats keep paths
    from the root: code scanning and GitHub annotations read them so."""
    root, cwd = root.resolve(), cwd.resolve()
    if cwd == root:
        return None
    if cwd.is_relative_to(root):
        here = cwd.relative_to(root).as_posix()
        return lambda path: posixpath.relpath(path, here)
    up = Path(os.path.relpath(root, cwd)).as_posix()
    return lambda path: up if path == "." else f"{up}/{path}"


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(report: Report) -> str:
    """One line that counts what was found."""
    files = _plural(report.files_checked, "file")
    if not report.findings:
        return f"All clear: no problems in {files} checked."
    counts = report.counts()
    parts = [_plural(counts[s], s.label) for s in sorted(Severity, reverse=True) if counts[s]]
    paths = len({f.path for f in report.findings})
    return (
        f"Found {_plural(len(report.findings), 'problem')} ({', '.join(parts)}) "
        f"in {_plural(paths, 'file')}; {files} checked."
    )


FRAME_WIDTH = 160
"""Most characters of a line a code frame shows; a longer line is cut to a window
around the span (so 100k findings on one 1 MB line print 100k short frames, not 100 GB)."""
FRAME_CONTEXT = 40
"""Characters shown before the span when a long line is cut."""


def _window(line_text: str, start: int, end: int) -> tuple[int, int]:
    """The part ``[lo, hi)`` of a line a frame shows for the span ``[start, end)``."""
    if len(line_text) <= FRAME_WIDTH:
        return 0, len(line_text)
    lo = max(0, start - FRAME_CONTEXT)
    return lo, min(len(line_text), lo + FRAME_WIDTH)


def frame(finding: Finding, line_text: str, docs: str | None, color: bool) -> list[str]:
    """The offending line with carets under the span, then where the rule is documented."""
    number = str(finding.line)
    gutter = " " * len(number)
    lines = []
    if line_text:
        first = min(finding.column - 1, len(line_text))
        last = finding.end_column - 1 if finding.end_line == finding.line else len(line_text)
        lo, hi = _window(line_text, first, last)
        cut_before, cut_after = ("…" if lo else ""), ("…" if hi < len(line_text) else "")
        shown = cut_before + visible(line_text[lo:hi]) + cut_after  # control characters escaped
        before = cut_before + line_text[lo:first]
        width = min(last, hi + len(cut_after)) - first
        pad = "".join(c if c == "\t" else " " for c in visible(before))
        carets = _paint("^" * max(1, width), _COLOURS[finding.severity], color)
        lines += [f" {gutter} |", f" {number} | {shown}", f" {gutter} | {pad}{carets}"]
    if docs:
        lines.append(f" {gutter} = docs: {docs}")
    return lines


def text_chunks(report: Report, color: bool = False) -> Iterator[str]:
    """The findings (a blank line between code frames; ``concise``: one line each, as
    grep and editors read them), then the summary: one line at a time, each with its
    newline."""
    first = True
    shown: dict[str, str] = {}
    for finding in report.findings:
        if not first and not report.concise:
            yield "\n"
        first = False
        path = finding.path
        if report.shown is not None:
            path = shown.get(path) or shown.setdefault(path, report.shown(path))
        where = _paint(f"{visible(path)}:{finding.line}:{finding.column}:", "1", color)
        severity = _paint(finding.severity.label, _COLOURS[finding.severity], color)
        rule = _paint(finding.rule, "2", color)
        citation = report.rule_for(finding.rule).governed_by
        cited = f" ({citation.clause.label()})" if citation else ""
        marker = f" {FIXABLE}" if finding.fixable else ""
        yield f"{where} {severity} {rule}{marker} {visible(finding.message)}{visible(cited)}\n"
        if not report.concise:
            text = report.lines.get((finding.path, finding.line), "")
            for line in frame(finding, text, report.rule_for(finding.rule).help_uri, color):
                yield line + "\n"
    if report.quiet:
        return
    if report.findings:
        yield "\n"
    yield summary_line(report) + "\n"
    fixable = sum(f.fixable for f in report.findings)
    if fixable:
        yield f"{FIXABLE} {fixable} fixable with `aixcl-lint check --fix`.\n"


def render_text(report: Report, color: bool = False) -> str:
    """The findings, a blank line between files (and frames), then the summary."""
    return "".join(text_chunks(report, color))
