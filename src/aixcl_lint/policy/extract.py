"""Checks that read prose and tables: numbers and dates found by a pattern, placeholder
values, table columns, and files named by value that must exist."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.kinds.base import sources
from aixcl_lint.policy.access import (
    MISSING,
    NOT_APPLICABLE,
    CheckError,
    Context,
    regex,
    resolve,
)
from aixcl_lint.policy.model import Evaluator, Outcome, Subject
from aixcl_lint.policy.patterns import checking as checking_patterns
from aixcl_lint.policy.variables import variables_set

TODAY = "@today"
"""The key under which the engine passes the run's date in a rule's options."""

PLACEHOLDER = (
    r"(?i)(?:\bexample\.(?:com|org|net|edu)\b"
    r"|\.(?:example|test|invalid|localhost)(?:$|[^\w.-])|(?:^|[^\w.-])localhost(?:$|[^\w.-])"
    r"|your[-_ ]?(?:domain|company|org|organi[sz]ation|project|email|team)|\bmy[-_]?company\b"
    r"|[@./]company\.com\b|[@./]domain\.(?:com|tld)\b|\bdomain\.tld\b"
    r"|(?:^|[@/.])acme(?:[-_]?(?:corp|inc|co))?\.[a-z]{2,}\b"
    r"|\bchange[-_ ]?me\b|\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX+\b|<[^<>]+>"
    r"|\bfoo@bar\b|\blorem ipsum\b|\bplaceholder\b)"
)
"""Values that stand in for a real one: the reserved example names of RFC 2606 and 6761
(example.com / .org / .net, *.example, *.test, *.invalid, localhost), the usual
stand-ins (company.com, domain.com, yourcompany, acme.com), TODO, <...>, changeme."""

ValueOperator = Callable[..., Evaluator]


def _number(value_operator: ValueOperator, ctx: Context, arg: Any) -> Evaluator:
    pattern = regex(arg["pattern"], (*ctx.at, ctx.op, "pattern"))
    if checking_patterns() and pattern.groups < 1:
        raise CheckError((*ctx.at, ctx.op, "pattern"), "the pattern needs a group for the number")
    units = {" ".join(k.lower().split()): float(v) for k, v in (arg.get("units") or {}).items()}
    low = ctx.argument(arg.get("at-least"), key=("at-least",))
    high = ctx.argument(arg.get("at-most"), key=("at-most",))

    def amount(text: str) -> float | None:
        """The number found, in the bounds' unit; None when there is none to read."""
        match = pattern.search(text)
        try:
            number = float(match.group(1)) if match and match.group(1) else None
        except ValueError:  # the pattern captured something that is not a number
            return None
        if number is None or not units:
            return number
        unit = " ".join((match.group(2) or "").lower().split()) if pattern.groups > 1 else ""
        return number * units[unit] if unit in units else None

    def bounds(subject: Subject, options: Mapping[str, Any]) -> Any:
        lo, hi = low(subject, options), high(subject, options)
        if lo is MISSING or hi is MISSING:
            return MISSING
        return (None if lo is None else float(lo), None if hi is None else float(hi))

    def holds(text: str, limits: tuple[float | None, float | None]) -> bool:
        found, (lo, hi) = amount(text), limits
        return found is not None and (lo is None or found >= lo) and (hi is None or found <= hi)

    def expected(limits: tuple[float | None, float | None]) -> str:
        lo, hi = limits
        return " and ".join(
            p
            for p in (lo is not None and f"at least {lo:g}", hi is not None and f"at most {hi:g}")
            if p
        )

    inner = value_operator(ctx, holds, expected, bounds)

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcome = inner(subject, options)
        if outcome.ok is False and amount(outcome.value) is None:
            return NOT_APPLICABLE  # nothing stated: a `matches` check says that
        found = amount(outcome.value)
        return outcome._replace(value=f"{found:g}") if found is not None else outcome

    return evaluate


def _date(value_operator: ValueOperator, ctx: Context, arg: Any) -> Evaluator:
    pattern = regex(arg.get("pattern", r"(\d{4}-\d{2}-\d{2})"), (*ctx.at, ctx.op, "pattern"))
    if checking_patterns() and pattern.groups < 1:
        raise CheckError((*ctx.at, ctx.op, "pattern"), "the pattern needs a group for the date")
    max_age = ctx.argument(arg.get("max-age-days"), key=("max-age-days",))
    not_past = bool(arg.get("not-past", False))

    def found(text: str) -> datetime.date | None:
        match = pattern.search(text)
        try:
            found = match.group(1) if match else None
            return datetime.date.fromisoformat(found) if found else None
        except ValueError:
            return None

    def limits(subject: Subject, options: Mapping[str, Any]) -> Any:
        age = max_age(subject, options)
        return MISSING if age is MISSING else (age, options[TODAY])

    def holds(text: str, limit: tuple[Any, datetime.date]) -> bool:
        (age, today), day = limit, found(text)
        if day is None:
            return False
        return (age is None or (today - day).days <= age) and (not not_past or day >= today)

    def expected(limit: tuple[Any, datetime.date]) -> str:
        age = limit[0]
        parts = [f"at most {age} days old" if age is not None else "", "not past" * not_past]
        return " and ".join(p for p in parts if p) or "a date"

    inner = value_operator(ctx, holds, expected, limits)

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        outcome = inner(subject, options)
        day = found(outcome.value) if outcome.ok is not None else None
        if outcome.ok is False and day is None:
            return NOT_APPLICABLE  # no date stated: a `matches` check says that
        return outcome._replace(value=day.isoformat()) if day else outcome

    return evaluate


def _not_placeholder(value_operator: ValueOperator, ctx: Context, arg: Any) -> Evaluator:
    extra = arg if isinstance(arg, list) else []
    own = [regex(str(p), (*ctx.at, ctx.op, i)) for i, p in enumerate(extra)]
    patterns = [regex(PLACEHOLDER, (*ctx.at, ctx.op)), *own]
    return value_operator(
        ctx, lambda t, w: not any(p.search(t) for p in patterns), lambda w: "a real value"
    )


def _has_columns(ctx: Context, arg: Any) -> Evaluator:
    wanted = ctx.argument(arg)
    rel = ctx.field or ("columns",)

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        from aixcl_lint.documents.mdtree import column_key  # once a table is read

        _, columns = resolve(subject, rel)
        if not isinstance(columns, list):
            return NOT_APPLICABLE
        have = [f" {column_key(str(c))} " for c in columns]  # (spaces: whole words)
        names = wanted(subject, options)
        if names is MISSING:
            return NOT_APPLICABLE
        # "Supported|Status": either name will do (a table cell cannot hold a "|"), and
        # a column whose name holds one as words ("Version series", "Support level").
        missing = [
            n
            for n in names
            if not any(f" {column_key(a)} " in col for a in n.split("|") for col in have)
        ]
        shown = ", ".join(str(c) for c in columns)
        ptr = (*subject.pointer, "header") if not ctx.field else (*subject.pointer, *rel)
        expected = " and none such as ".join(f"'{n.split('|')[0]}'" for n in missing)
        return Outcome(not missing, ptr, False, False, "columns", shown, shown, expected)

    return evaluate


def _file_exists(ctx: Context, arg: Any) -> Evaluator:
    rel = ctx.field
    found_by = None
    if isinstance(arg, dict) and "pattern" in arg:
        found_by = regex(arg["pattern"], (*ctx.at, ctx.op, "pattern"))
        if checking_patterns() and found_by.groups < 1:
            raise CheckError((*ctx.at, ctx.op, "pattern"), "the pattern needs a group for the path")
    paths = ctx.argument(None if found_by else arg)
    if (arg is True or found_by) and not rel:
        raise CheckError(ctx.at, "file-exists: true or a pattern needs a 'field' with the path")

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        exists = getattr(subject.tree, "exists", None)
        if exists is None:  # a yaml, text or env document asks the run (``repo``)
            repo = sources(subject.tree)
            if repo is None:
                return NOT_APPLICABLE  # --fix asks no questions about other files
            exists = repo.exists
        if rel:
            _, value = resolve(subject, rel)
            if value is MISSING or value is None:
                return NOT_APPLICABLE
            candidates = [scalar_text(value)]
            if found_by is not None:
                match = found_by.search(candidates[0])
                if match is None or not match.group(1):
                    return NOT_APPLICABLE  # no path stated: a `matches` check says that
                candidates = [match.group(1)]
        else:
            listed = paths(subject, options)
            if listed is MISSING:
                return NOT_APPLICABLE
            candidates = [str(p) for p in (listed if isinstance(listed, list) else [listed])]
        ok = any(exists(path) for path in candidates)
        shown = ", ".join(candidates)
        return Outcome(ok, subject.pointer, False, False, "path", shown, shown, "an existing file")

    return evaluate


def _near(ctx: Context, arg: Any) -> Evaluator:
    """Some line within ``lines`` above (``below: true``: or below) the subject's line
    matches the pattern: a waiver comment next to what it waives."""
    pattern = regex(arg["matches"], (*ctx.at, ctx.op, "matches"))
    span = ctx.argument(arg.get("lines", 1), key=("lines",))
    below = bool(arg.get("below", False))

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        lines = subject.tree.data.get("lines")
        ptr = subject.pointer
        if not isinstance(lines, list) or len(ptr) < 2 or not isinstance(ptr[1], int):
            return NOT_APPLICABLE
        n, i = int(span(subject, options)), ptr[1]
        window = lines[max(0, i - n) : i] + (lines[i + 1 : i + 1 + n] if below else [])
        ok = any(pattern.search(line["text"]) for line in window)
        where = "around" if below else "above"
        return Outcome(
            ok,
            ptr,
            True,
            False,
            "line",
            lines[i]["text"].strip(),
            "",
            f"a line matching '{arg['matches']}' within {n} line(s) {where}",
        )

    return evaluate


def operators(value_operator: ValueOperator) -> dict[str, Callable[[Context, Any], Evaluator]]:
    """These operators, built on the basic value operator."""
    return {
        "number": lambda ctx, arg: _number(value_operator, ctx, arg),
        "date": lambda ctx, arg: _date(value_operator, ctx, arg),
        "not-placeholder": lambda ctx, arg: _not_placeholder(value_operator, ctx, arg),
        "has-columns": _has_columns,
        "file-exists": _file_exists,
        "near": _near,
        "variables-set": variables_set,
    }
