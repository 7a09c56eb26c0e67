"""Inline suppressions: ``# aixcl-lint: ignore[rule-id] reason`` in YAML and env files,
``<!-- aixcl-lint: ignore[rule-id] reason -->`` in Markdown.

``ignore[...]`` covers findings on its own line (a trailing comment) and, written on a
line of its own, on the next line (a comment above the offending line); in Markdown an
HTML comment covers its line and the next. ``ignore-file[...]`` covers the whole file.
A directive needs a reason: one without suppresses nothing and is itself reported, as
is a directive that suppressed nothing or names no known rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field

from aixcl_lint.core import Finding, Severity, Span, did_you_mean
from aixcl_lint.records import record
from aixcl_lint.suppress.selection import covers

_BODY = (
    r"aixcl-lint:\s*(?P<kind>ignore-file|ignore)"
    r"\[(?P<ids>(?:[^\[\]]|\[[^\[\]]*\])*)\](?P<reason>.*?)"  # ids may hold [sub-ids]
)
_YAML = re.compile(r"#\s*" + _BODY + r"$")
_HTML = re.compile(r"<!--\s*" + _BODY + r"-->")
MARKER = "aixcl-lint:"
UNUSED = "suppress/unused"


@record(frozen=False)
class Directive:
    """One suppression comment."""

    path: str
    line: int
    column: int
    whole_file: bool
    rules: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)
    below: bool = True
    """Whether it covers the next line too (not a trailing comment after a value)."""
    columns: tuple[int, ...] = ()
    """The column of each of ``rules`` (an unused one is reported where it is written)."""

    def lines(self) -> tuple[int, ...]:
        """The lines whose findings it may cover (not for ``ignore-file``)."""
        return (self.line, self.line + 1) if self.below else (self.line,)

    def covers(self, finding: Finding) -> bool:
        """Whether this directive suppresses ``finding``."""
        if finding.path != self.path or not self.reason:
            return False
        if not self.whole_file and finding.line not in self.lines():
            return False
        return any(covers(rule, finding.rule) for rule in self.rules)


def _scan(
    path: str,
    number: int,
    offset: int,
    line: str,
    pattern: re.Pattern[str],
    *,
    trailing_covers_below: bool,
) -> Iterator[Directive]:
    for match in pattern.finditer(line):
        alone = not line[: match.start()].strip()
        rules, columns = _ids(match.group("ids"), offset + match.start("ids") + 1)
        yield Directive(
            path,
            number,
            offset + match.start() + 1,
            match.group("kind") == "ignore-file",
            rules,
            match.group("reason").strip(),
            below=alone or trailing_covers_below,
            columns=columns,
        )


def _ids(text: str, column: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The comma-separated rule ids of ``ignore[...]`` and the column of each (the
    first character of ``text`` at ``column``)."""
    rules, columns, start = [], [], 0
    for part in text.split(","):
        if part.strip():
            rules.append(part.strip())
            columns.append(column + start + len(part) - len(part.lstrip()))
        start += len(part) + 1
    return tuple(rules), tuple(columns)


def parse(path: str, text: str) -> list[Directive]:
    """The directives in the ``#`` comments of a YAML or env file."""
    if MARKER not in text:
        return []
    return [
        d
        for number, line in enumerate(text.splitlines(), start=1)
        for d in _scan(path, number, 0, line, _YAML, trailing_covers_below=False)
    ]


def from_comments(path: str, comments: Iterable[tuple[int, int, str]]) -> list[Directive]:
    """The directives in a Markdown file's HTML comments (line, column, text): comments
    the Markdown parser saw, so an example in a code block is not a directive. A comment
    over several lines counts from its last line, its reason read as one line."""
    found: list[Directive] = []
    for line, column, text in comments:
        if MARKER not in text:
            continue
        last = line + text.count("\n")
        flat = " ".join(text.split())
        # The comment's own text is all the parser gives: whether text stands before it
        # on its line is not known, so it covers the next line in any case.
        offset = column - 1 if last == line else 0
        found += _scan(path, last, offset, flat, _HTML, trailing_covers_below=True)
    return found


def _finding(directive: Directive, rule: str, message: str, column: int = 0) -> Finding:
    span = Span.at(directive.line, column or directive.column)
    return Finding(directive.path, span, rule, Severity.WARNING, message)


def _unused(directive: Directive, kind: str, active: Callable[[str], bool]) -> list[Finding]:
    """``suppress/unused`` for a directive that suppressed nothing (one finding, at the
    directive), or for each of its ids that suppressed nothing (at the id, as ruff's
    RUF100 names each unused code): ids the run does not report are not called unused."""
    listed = f"{kind}[{', '.join(directive.rules)}]"
    if not directive.used:
        if not any(active(rule) for rule in directive.rules):
            return []
        return [_finding(directive, UNUSED, f"{listed} suppresses nothing here; remove it")]
    columns = directive.columns or (directive.column,) * len(directive.rules)
    return [
        _finding(directive, UNUSED, f"{listed}: {rule} suppresses nothing here; remove it", at)
        for rule, at in zip(directive.rules, columns, strict=True)
        if active(rule) and not any(covers(rule, used) for used in directive.used)
    ]


def apply(
    findings: Iterable[Finding],
    directives: list[Directive],
    known: Iterable[str],
    active: Callable[[str], bool],
) -> list[Finding]:
    """Findings no directive suppresses, plus findings about the directives themselves.

    A directive for rules the run does not report (``active`` says) is not called unused.
    """
    known_ids = list(known)
    # A directive covers its own line and the next, or the whole file: index them so that
    # a finding meets only the few that could cover it (10k directives took 30 s).
    by_line: dict[tuple[str, int], list[Directive]] = {}
    whole: dict[str, list[Directive]] = {}
    for directive in directives:
        if directive.whole_file:
            whole.setdefault(directive.path, []).append(directive)
        else:
            for line in directive.lines():
                by_line.setdefault((directive.path, line), []).append(directive)
    kept = []
    for finding in findings:
        near = by_line.get((finding.path, finding.line), [])
        matching = [d for d in (*near, *whole.get(finding.path, ())) if d.covers(finding)]
        for directive in matching:
            directive.used.add(finding.rule)
        if not matching:
            kept.append(finding)
    known_rule: dict[str, bool] = {}
    for d in directives:
        kind = "ignore-file" if d.whole_file else "ignore"
        for r in d.rules:
            if r not in known_rule:
                known_rule[r] = any(covers(r, k) for k in known_ids)
        unknown = [r for r in d.rules if not known_rule[r]]
        if not d.rules:
            kept.append(_finding(d, "suppress/unknown-rule", f"{kind}[] names no rule id"))
        elif unknown:
            kept.append(
                _finding(
                    d,
                    "suppress/unknown-rule",
                    f"{kind}[...] names an unknown rule id {unknown[0]!r}"
                    + did_you_mean(unknown[0], known_ids),
                )
            )
        elif not d.reason:
            kept.append(
                _finding(
                    d,
                    "suppress/missing-reason",
                    f"{kind}[{', '.join(d.rules)}] needs a reason after it; "
                    "without one it suppresses nothing",
                )
            )
        else:
            kept += _unused(d, kind, active)
    return kept
