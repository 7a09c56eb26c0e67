"""``.aixcl-lint-waivers.yaml``: accepted findings, each with a reason, an owner and an
expiry date. An expired waiver stops suppressing and is reported; so is one that
matches nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

from aixcl_lint import globs
from aixcl_lint.config import ConfigError, read_yaml
from aixcl_lint.core import Finding, Severity, Span, did_you_mean, matchable
from aixcl_lint.records import record
from aixcl_lint.suppress import WAIVERS_FILE
from aixcl_lint.suppress.index import Index, literal
from aixcl_lint.suppress.selection import covers
from aixcl_lint.yamllib import yaml

__all__ = ["WAIVERS_FILE", "Waiver", "apply", "load", "reaching"]
_KEYS = {"rule", "path", "reason", "owner", "expires"}
_WHAT = "waivers"
"""What the command line calls a waivers file in its errors."""


@record(frozen=False)
class Waiver:
    """One accepted finding (or family of findings)."""

    rule: str
    path: str
    reason: str
    owner: str
    expires: datetime.date
    line: int
    used: bool = False
    spec: Any = field(default=None, repr=False)

    def covers(self, finding: Finding) -> bool:
        """Whether this waiver (ignoring expiry) matches ``finding``, by its own pattern
        (the reference the index is tested against)."""
        if self.spec is None:
            self.spec = globs.spec([self.path])
        return covers(self.rule, finding.rule) and bool(
            self.spec.match_file(matchable(finding.path))
        )


def _entry(item: Any, line: int, shown: str) -> Waiver:
    if not isinstance(item, dict):
        raise ConfigError(
            shown, line, "each waiver is a mapping of rule, path, reason, owner, expires", _WHAT
        )
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        named = ", ".join(map(repr, unknown))
        keys = "keys" if len(unknown) > 1 else "key"
        raise ConfigError(shown, line, f"unknown waiver {keys} {named}", _WHAT)
    missing = sorted(k for k in _KEYS if not item.get(k))
    if missing:
        named = ", ".join(map(repr, missing[:-1])) + " and " if len(missing) > 1 else ""
        raise ConfigError(shown, line, f"a waiver needs {named}{missing[-1]!r}", _WHAT)
    expires = item["expires"]
    if not isinstance(expires, datetime.date):
        try:
            expires = datetime.date.fromisoformat(str(expires))
        except ValueError:
            raise ConfigError(
                shown, line, f"expires {expires!r} is not a date (YYYY-MM-DD)", _WHAT
            ) from None
    waiver = Waiver(
        str(item["rule"]), str(item["path"]), str(item["reason"]), str(item["owner"]), expires, line
    )
    if literal(waiver.path) is not None:
        return waiver  # looked up by the index, never compiled (a quarter ms apiece)
    try:
        waiver.spec = globs.spec([waiver.path])
    except globs.PatternError as exc:
        raise ConfigError(shown, line, f"path: {exc}", _WHAT) from None
    return waiver


def load(path: Path, shown: str) -> list[Waiver]:
    """The waivers in ``path``; a malformed file is a ConfigError naming the line."""
    data, node = read_yaml(path, shown, "waivers")
    if data is None:
        return []
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list) or not isinstance(node, yaml.MappingNode):
        raise ConfigError(shown, 1, "a waivers file holds `waivers:`, a list of waivers", _WHAT)
    seq = next(v for k, v in node.value if k.value == "waivers")
    lines = [n.start_mark.line + 1 for n in seq.value] if isinstance(seq, yaml.SequenceNode) else []
    return [_entry(item, lines[i] if i < len(lines) else 1, shown) for i, item in enumerate(items)]


def reaching(waivers: list[Waiver], paths: Iterable[str]) -> set[int]:
    """The ids (``id()``) of the waivers whose path matches one of ``paths``."""
    return Index(waivers).any_on(paths)


def apply(
    findings: Iterable[Finding],
    waivers: list[Waiver],
    shown: str,
    today: datetime.date,
    reach: Callable[[Waiver], bool] = lambda waiver: True,
    known: Iterable[str] | None = None,
) -> list[Finding]:
    """Findings no live waiver covers, plus findings about expired and unused waivers.

    A waiver the run could not have used (its files were not linted, its rule was not
    run: ``reach`` says) is not called unused. One whose rule covers none of the ``known``
    rule ids (a misspelt id) is reported as naming an unknown rule, with the closest id.
    """
    known_ids = None if known is None else list(known)
    index = Index(waivers)
    live: dict[tuple[str, str], bool] = {}
    kept = []
    for finding in findings:
        key = (finding.rule, finding.path)
        if key not in live:
            matching = index.covering(*key)
            for waiver in matching:
                waiver.used = True
            live[key] = any(w.expires >= today for w in matching)
        if not live[key]:
            kept.append(finding)
    for w in waivers:
        span = Span.at(w.line)
        if w.expires < today:
            message = (
                f"waiver for {w.rule} on {w.path} (owner {w.owner}) expired on "
                f"{w.expires.isoformat()}; fix the findings or renew it"
            )
            kept.append(Finding(shown, span, "suppress/expired-waiver", Severity.ERROR, message))
        elif not w.used and reach(w):
            kept.append(_unused(w, shown, known_ids))
    return kept


def _unused(waiver: Waiver, shown: str, known: list[str] | None) -> Finding:
    """The finding about a waiver that matched nothing: unused, or naming no known rule."""
    span = Span.at(waiver.line)
    if known is not None and not any(covers(waiver.rule, k) for k in known):
        message = (
            f"waiver names an unknown rule id {waiver.rule!r}{did_you_mean(waiver.rule, known)}"
        )
        return Finding(shown, span, "suppress/unknown-rule", Severity.WARNING, message)
    message = f"waiver for {waiver.rule} on {waiver.path} matches no finding; remove it"
    return Finding(shown, span, "suppress/unused-waiver", Severity.WARNING, message)
