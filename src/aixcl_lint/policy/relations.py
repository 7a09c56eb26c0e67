"""Relations between documents: a set of values from the subject compared with a set
from another file (a compose project's services, an env variable's list, a literal
list or a rule option), after declared normalisation steps.

    relation:
      values: {in: lists, where: {field: heading, matches: Services}, take: items}
      compose: compose.yaml          # or env: {file: .env, key: PROFILE_SERVICES}
      op: equals                     # equals | subset-of | superset-of
      normalize: [{strip: ' \\(.*\\)$'}, lower]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.core import Location, Pointer, Span
from aixcl_lint.documents.yamltree import scalar_text
from aixcl_lint.policy.access import (
    MISSING,
    NOT_APPLICABLE,
    CheckError,
    Context,
    field_pointer,
    regex,
    resolve,
)
from aixcl_lint.policy.model import Evaluator, Outcome, Subject

Step = Callable[[str], str]


def _strip(pattern: Any) -> Step:
    return lambda text: str(pattern.sub("", text))


def _drop_prefix(prefix: str) -> Step:
    return lambda text: text.removeprefix(prefix)


def _drop_matching(pattern: Any) -> Step:
    return lambda text: "" if pattern.search(text) else text


def _map(table: dict[str, str]) -> Step:
    return lambda text: table.get(text, text)


def _steps(ctx: Context, specs: list[Any]) -> list[Step]:
    steps: list[Step] = []
    for i, spec in enumerate(specs):
        at = (*ctx.at, ctx.op, "normalize", i)
        if spec == "lower":
            steps.append(str.lower)
        elif spec == "trim":
            steps.append(str.strip)
        elif isinstance(spec, dict) and "strip" in spec:
            steps.append(_strip(regex(spec["strip"], at)))
        elif isinstance(spec, dict) and "drop-matching" in spec:
            steps.append(_drop_matching(regex(spec["drop-matching"], at)))
        elif isinstance(spec, dict) and "drop-prefix" in spec:
            steps.append(_drop_prefix(str(spec["drop-prefix"])))
        elif isinstance(spec, dict) and isinstance(spec.get("map"), dict):
            steps.append(_map({str(k): str(v) for k, v in spec["map"].items()}))
        else:
            raise CheckError(
                at,
                "a normalisation step is lower, trim, {strip: RE2}, {drop-prefix: TEXT}, "
                "{drop-matching: RE2} or {map: {FROM: TO}}",
            )
    return steps


def taken_values(
    ctx: Context, spec: Mapping[str, Any], key: Pointer = ("values",)
) -> Callable[[Subject, Mapping[str, Any]], list[tuple[str, Any]] | None]:
    """Values taken from a subject (``{in, where, take}`` at ``key``): (text, pointer) of
    each, in order; None when the ``in`` field is not there."""
    rel = field_pointer(spec["in"])
    take = field_pointer(spec.get("take"))
    where = spec.get("where")
    condition = ctx.compile(where, (*ctx.at, ctx.op, *key, "where")) if where else None

    def values(subject: Subject, options: Mapping[str, Any]) -> list[tuple[str, Any]] | None:
        ptr, items = resolve(subject, rel)
        if items is MISSING:
            return None
        found: list[tuple[str, Any]] = []
        for i, item in enumerate(items if isinstance(items, list) else [items]):
            sub = Subject(subject.tree, (*ptr, i), subject.variables, item)
            if condition is not None and condition(sub, options).ok is not True:
                continue
            inner_ptr, inner = resolve(sub, take) if take else (sub.pointer, item)
            if inner is MISSING:
                continue
            members = inner if isinstance(inner, list) else [inner]
            found.extend(
                (scalar_text(m), (*inner_ptr, j) if isinstance(inner, list) else inner_ptr)
                for j, m in enumerate(members)
            )
        return found

    return values


def _theirs(
    source: str,
    arg: Any,
    literal: Any,
    other_values: Any,
    subject: Subject,
    options: Mapping[str, Any],
) -> tuple[str, list[tuple[str, Location | None]]] | None:
    """The other side: a name for messages, and each value with where it stands."""
    repo = getattr(subject.tree, "repo", None)
    if source == "list":
        listed = literal(subject, options)
        return "the list", [(scalar_text(v), None) for v in listed or [] if v is not MISSING]
    if repo is None:
        return None
    if source == "compose":
        services = repo.compose_services(str(arg["compose"]))
        return (
            None
            if services is None
            else (str(arg["compose"]), [(name, at) for name, at in services])
        )
    if source == "markdown" and other_values is not None:
        path = str(arg["markdown"]["file"])
        tree = repo.markdown_tree(path)
        if tree is None:
            return None
        found = other_values(Subject(tree, (), {"path": path}, tree.data), options) or []
        return path, [(text, tree.location(ptr)) for text, ptr in found]
    env = arg["env"]
    found = repo.env_value(str(env["file"]), str(env["key"]))
    if found is None:
        return None
    value, line = found
    separator = str(env.get("split", ","))
    at = Location(str(env["file"]), Span.at(line))
    items: list[tuple[str, Location | None]] = [
        (v, at) for v in value.split(separator) if v.strip()
    ]
    return f"{env['file']} {env['key']}", items


def _relation(ctx: Context, arg: Any) -> Evaluator:
    ours = taken_values(ctx, arg["values"])
    steps = _steps(ctx, arg.get("normalize") or [])
    op = arg.get("op", "equals")
    if op not in ("equals", "subset-of", "superset-of"):
        raise CheckError((*ctx.at, ctx.op, "op"), "op is equals, subset-of or superset-of")
    sources = [k for k in ("compose", "env", "list", "markdown") if k in arg]
    if len(sources) != 1:
        raise CheckError(
            (*ctx.at, ctx.op), "a relation compares with one of compose, env, markdown, list"
        )
    source = sources[0]
    other_values = taken_values(ctx, arg["markdown"]["values"]) if source == "markdown" else None
    literal = ctx.argument(arg.get("list"), key=("list",))

    def norm(text: str) -> str:
        for step in steps:
            text = step(text)
        return text.strip()

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        mine = ours(subject, options)
        other = _theirs(source, arg, literal, other_values, subject, options)
        if mine is None:
            return NOT_APPLICABLE
        if other is None:
            return Outcome(
                False,
                subject.pointer,
                field="relation",
                value="",
                expected=f"a {source} file to compare with",
            )
        name, their_values = other
        left: dict[str, Any] = {}
        right: dict[str, Location | None] = {}
        for text, ptr in mine:  # the first occurrence of a value is where it is reported
            left.setdefault(norm(text), ptr)
        for text, at in their_values:
            right.setdefault(norm(text), at)
        left.pop("", None)
        right.pop("", None)
        extra = sorted(set(left) - set(right)) if op in ("equals", "subset-of") else []
        missing = sorted(set(right) - set(left)) if op in ("equals", "superset-of") else []
        if not extra and not missing:
            return Outcome(True, subject.pointer)
        parts = []
        if extra:
            parts.append(f"not in {name}: {', '.join(extra)}")
        if missing:
            parts.append(f"missing here, in {name}: {', '.join(missing)}")
        # Each differing value is reported where it stands: extra ones here, missing ones
        # on the other side.
        places = [subject.tree.location(left[v], value=True) for v in extra[1:]]
        places += [loc for v in missing if (loc := right[v]) is not None]
        first = left[extra[0]] if extra else subject.pointer
        return Outcome(
            False,
            first,
            True,
            False,
            "relation",
            "; ".join(parts),
            "; ".join(parts),
            f"{op} {name}",
            tuple(p for p in places if p is not None),
        )

    return evaluate


OPERATORS = {"relation": _relation}
"""Operators relating two documents."""
