"""A pack's adjustments of the rules it extends (``pack.yaml``'s ``rules:``), by id.

An entry names what ``select`` and ``ignore`` name: a rule (``compose/image-pinned``:
``severity``, ``options``, ``enabled``, ``governed-by``), one of its sub-ids
(``compose/image-pinned[latest]``) or a prefix of whole segments (``docs``,
``security/``): these two take ``severity`` and ``enabled`` only, which apply to the
checks the entry covers. What aixcl-lint itself reports (``compose/invalid[schema]``,
``yaml/duplicate-key``) is no rule of a pack: the config file's ``severity`` and
``ignore`` adjust it, and an entry for it says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aixcl_lint.core import Severity, did_you_mean
from aixcl_lint.documents.problems import PROBLEMS
from aixcl_lint.policy.model import Clause, PolicyError, Rule
from aixcl_lint.records import replace

RULE_KEYS = ("severity", "options", "enabled", "governed-by")
"""What an entry naming a whole rule may adjust."""
PART_KEYS = ("severity", "enabled")
"""What an entry naming a sub-id or a prefix may adjust."""


class Entry:
    """One ``rules:`` entry of a ``pack.yaml``: its id, what it changes, and where."""

    def __init__(self, entry: str, change: Mapping[str, Any], shown: str, line: int) -> None:
        self.entry, self.change, self.shown, self.line = entry, change, shown, line

    def fail(self, message: str) -> PolicyError:
        return PolicyError(self.shown, self.line, message)

    def keys(self, allowed: tuple[str, ...], what: str) -> None:
        """Refuse a key the entry may not adjust, with the closest one."""
        for key in self.change:
            if key in allowed:
                continue
            if key in RULE_KEYS:
                raise self.fail(
                    f"{self.entry}: {key!r} adjusts a whole rule, not {what}, "
                    f"which takes {' / '.join(allowed)}"
                )
            hint = did_you_mean(str(key), allowed) or f" (keys: {', '.join(allowed)})"
            raise self.fail(f"{self.entry}: unknown key {key!r}{hint}")

    def severity(self, default: Severity | None) -> Severity | None:
        if "severity" not in self.change:
            return default
        try:
            return Severity.parse(str(self.change["severity"]))
        except ValueError as exc:
            raise self.fail(f"{self.entry}: {exc}") from None

    def enabled(self) -> bool:
        return self.change.get("enabled", True) is not False


def adjust(rule: Rule, entry: Entry) -> Rule | None:
    """The rule as an entry naming it changes it; None when disabled."""
    entry.keys(RULE_KEYS, "a rule")
    if not entry.enabled():
        return None
    options = dict(rule.options)
    for name, value in (entry.change.get("options") or {}).items():
        if name not in options:
            known = ", ".join(sorted(options)) or "none"
            hint = did_you_mean(str(name), options) or f" (options: {known})"
            raise entry.fail(f"{rule.id} has no option {name!r}{hint}")
        options[name] = value
    severity = entry.severity(rule.severity)
    assert severity is not None
    governed_by = rule.governed_by
    if "governed-by" in entry.change:
        governed_by = governed(rule.id, entry.change["governed-by"], entry.shown, entry.line)
    return replace(rule, severity=severity, options=options, governed_by=governed_by)


def governed(rule_id: str, spec: Any, shown: str, line: int) -> Clause | None:
    """A ``governed-by`` adjustment: a clause, or ``false`` for none."""
    if spec is False or spec is None:
        return None
    try:
        return Clause.parse(spec, shown, line)
    except ValueError as exc:
        raise PolicyError(shown, line, f"{rule_id}: {exc}") from None


def _covers(entry: str, rule_id: str) -> bool:
    """Whether an entry names ``rule_id`` as ``select`` does: itself, a sub-id of it, or
    a prefix of whole segments."""
    entry = entry.rstrip("/")
    return rule_id == entry or rule_id.startswith((entry + "/", entry + "["))


def adjust_part(rule: Rule, entry: Entry) -> Rule | None:
    """The rule with the checks an entry covers (a sub-id, or every check under a
    prefix) re-graded or dropped; None when no check is left."""
    entry.keys(PART_KEYS, "a sub-id or a prefix")
    covered = [_covers(entry.entry, rule.full_id(check)) for check in rule.checks]
    if not entry.enabled():
        checks = tuple(c for c, hit in zip(rule.checks, covered, strict=True) if not hit)
        return replace(rule, checks=checks) if checks else None
    if _covers(entry.entry, rule.id):  # a prefix of the rule's id: the whole rule
        severity = entry.severity(rule.severity)
        assert severity is not None
        return replace(rule, severity=severity)
    from aixcl_lint.policy.rules import replaced  # (the compiler's: only here)

    checks = tuple(
        replaced(c, severity=entry.severity(c.severity)) if hit else c
        for c, hit in zip(rule.checks, covered, strict=True)
    )
    return replace(rule, checks=checks)


def covered(entry: Entry, rules: Iterable[Rule]) -> list[int]:
    """The indexes of the rules a sub-id or prefix entry covers (some check of each);
    an entry covering none is an error naming the closest id."""
    rules = list(rules)
    found = [
        i
        for i, rule in enumerate(rules)
        if any(_covers(entry.entry, rule.full_id(c)) for c in rule.checks)
    ]
    if found:
        return found
    if any(_covers(entry.entry, problem) for problem in PROBLEMS):
        raise entry.fail(
            f"{entry.entry!r} is reported by aixcl-lint itself, not by a rule of a pack: "
            "adjust it in the config file (`severity:`, `ignore:`)"
        )
    ids = [*(r.id for r in rules), *(r.full_id(c) for r in rules for c in r.checks)]
    raise entry.fail(
        f"no rule {entry.entry!r} in this pack or those it extends"
        + did_you_mean(entry.entry, list(dict.fromkeys(ids)))
    )
