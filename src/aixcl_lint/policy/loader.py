"""Loading policy files: parse, validate against the published schema, compile to rules.

Schema validation needs jsonschema, the slowest import of a run, so a file whose
content has been validated before (by content hash and schema version) is not
validated again: the hash is recorded in the user's cache folder.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from aixcl_lint import __version__
from aixcl_lint.config import cache_dir
from aixcl_lint.core import Pointer, Severity
from aixcl_lint.documents import source, yamltree
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy import fields
from aixcl_lint.policy.checks import CheckError, compile_condition, field_pointer
from aixcl_lint.policy.fixers import FixError, compile_fix
from aixcl_lint.policy.model import Check, Clause, Fix, Pack, PolicyError, Rule
from aixcl_lint.policy.reach import unreachable
from aixcl_lint.policy.selectors import CHECK_VARIABLES, SelectorError, compile_selector
from aixcl_lint.policy.template import placeholders

MAX_POLICY_BYTES = 1024 * 1024


@functools.cache
def schema_text() -> str:
    """The policy JSON Schema, as shipped in the package."""
    return resources.files("aixcl_lint.policy").joinpath("schema.json").read_text("utf-8")


def builtin_files() -> list[Path]:
    """The built-in pack's policy files, in name order."""
    folder = Path(str(resources.files("aixcl_lint.policies")))
    return sorted(p for p in folder.glob("*.yaml") if _is_policy(p))


def docs_dir() -> Path:
    """The shipped documentation: beside the pack, in a wheel and in a source checkout."""
    return Path(str(resources.files("aixcl_lint.policies"))).parent / "docs"


def _is_policy(path: Path) -> bool:
    """Policy files are YAML; ``*.cases.yaml`` files beside them hold their test cases."""
    return path.suffix in (".yaml", ".yml") and not path.name.endswith(
        (".cases.yaml", ".cases.yml")
    )


def policy_files(paths: Iterable[Path]) -> list[Path]:
    """Policy files named directly, or found as ``*.yaml`` / ``*.yml`` in folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.y*ml") if _is_policy(p)))
        elif path.exists():
            found.append(path)
        else:
            raise PolicyError(str(path), 1, "policy file or folder does not exist")
    return found


def _line(spans: Mapping[Pointer, NodeSpans], ptr: Pointer) -> int:
    """The line of ``ptr``, or of its nearest ancestor that has a span."""
    for depth in range(len(ptr), -1, -1):
        spans_here = spans.get(ptr[:depth])
        if spans_here is not None:
            return spans_here.anchor.start.line
    return 1


def _dotted(ptr: Iterable[Any]) -> str:
    out = ""
    for part in ptr:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _validate(display: str, text: str, data: Any, spans: Mapping[Pointer, NodeSpans]) -> None:
    # The schema is part of the key: a policy valid under an older schema is checked again.
    digest = hashlib.sha256(f"{__version__}\0{schema_text()}\0{text}".encode()).hexdigest()
    marker = cache_dir() / "validated" / digest
    if marker.exists():
        return
    import jsonschema  # only when a policy's content is new to this machine

    validator = jsonschema.Draft202012Validator(json.loads(schema_text()))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None and error.validator == "unevaluatedProperties":
        # A known key whose value is wrong shows up as "unevaluated" at its parent: the
        # error inside that value says what is actually wrong.
        inner = [
            e
            for e in validator.iter_errors(data)
            if len(e.absolute_path) > len(error.absolute_path)
        ]
        error = jsonschema.exceptions.best_match(inner) or error
    if error is not None:
        ptr = tuple(error.absolute_path)
        message = error.message
        if display.startswith(("/", "../")):  # never echo a file outside the repository
            message = f"does not match the policy schema ({error.validator})"
        raise PolicyError(display, _line(spans, ptr), f"{_dotted(ptr)}: {message}")
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only cache only costs speed


def _compile_rule(
    display: str, spec: dict[str, Any], at: Pointer, spans: Mapping[Pointer, NodeSpans]
) -> Rule:
    kind = str(spec["target"]["kind"])
    kind_spec = KINDS[kind]
    options = dict(spec.get("options") or {})

    def fail(ptr: Pointer, message: str) -> PolicyError:
        return PolicyError(display, _line(spans, ptr), message)

    def selection(written: Any, ptr: Pointer) -> Any:
        try:
            return compile_selector(kind, written)
        except SelectorError as exc:
            raise fail(ptr, f"{_dotted(ptr)}: {exc}") from None

    def condition(cond: Mapping[str, Any], ptr: Pointer, chosen: Any) -> Any:
        try:
            fields.check(cond, kind_spec, chosen.name, chosen.spec, ptr)
            return compile_condition(cond, ptr, options, frozenset(chosen.spec.variables))
        except (CheckError, fields.FieldError) as exc:
            raise fail(exc.where, f"{_dotted(exc.where)}: {exc}") from None

    def optional(owner: Mapping[str, Any], key: str, ptr: Pointer, chosen: Any) -> Any:
        return condition(owner[key], (*ptr, key), chosen) if key in owner else None

    def fix(check: Mapping[str, Any], selector: str, ptr: Pointer) -> Fix | None:
        # A check's own fix, else the rule's (which then fixes each of its checks).
        owner, where = (check, (*ptr, "fix")) if "fix" in check else (spec, (*at, "fix"))
        if "fix" not in owner:
            return None
        try:
            return compile_fix(
                owner["fix"], field_pointer(check.get("field")), selector, kind, where
            )
        except FixError as exc:
            raise fail(exc.where, f"{_dotted(exc.where)}: {exc}") from None

    default = selection(spec["select"], (*at, "select"))
    checks = []
    for i, check in enumerate(spec["checks"]):
        ptr = (*at, "checks", i)
        chosen = selection(check["select"], (*ptr, "select")) if "select" in check else default
        known = frozenset(chosen.spec.variables) | CHECK_VARIABLES
        unknown = sorted(placeholders(check["message"]) - known)
        if unknown:
            raise fail(
                (*ptr, "message"),
                f"unknown message variable {{{unknown[0]}}} (known: {', '.join(sorted(known))})",
            )
        body = {
            k: v
            for k, v in check.items()
            if k not in ("id", "message", "severity", "select", "unless", "where", "fix")
        }
        checks.append(
            Check(
                evaluate=condition(body, ptr, chosen),
                message=check["message"],
                selector=chosen.key,
                pick=chosen,
                sub_id=check.get("id"),
                severity=Severity.parse(check["severity"]) if "severity" in check else None,
                unless=optional(check, "unless", ptr, chosen),
                where=optional(check, "where", ptr, chosen),
                fix=fix(check, chosen.name, ptr),
            )
        )
    files = _target_files(spec["target"].get("files", ()), options, fail, at)
    if isinstance(files, tuple):
        problem = unreachable(kind_spec, files)
        if problem is not None:
            where = (*at, "target", "files")
            raise fail(where, f"{_dotted(where)}: {problem}")
    return Rule(
        id=spec["id"],
        title=spec["title"],
        severity=Severity.parse(spec["severity"]),
        kind=kind,
        checks=tuple(checks),
        source=display,
        selector=default.key,
        line=_line(spans, (*at, "id")),
        rationale=spec.get("rationale", "").strip(),
        references=tuple(spec.get("references", ())),
        files=files,
        options=options,
        unless=optional(spec, "unless", at, default),
        where=optional(spec, "where", at, default),
        governed_by=_clause(spec, display, spans, at),
    )


def _clause(
    spec: Mapping[str, Any], display: str, spans: Mapping[Pointer, NodeSpans], at: Pointer
) -> Clause | None:
    if "governed-by" not in spec:
        return None
    line = _line(spans, (*at, "governed-by"))
    try:
        return Clause.parse(spec["governed-by"], display, line)
    except ValueError as exc:
        raise PolicyError(display, line, str(exc)) from None


def _target_files(
    files: Any, options: Mapping[str, Any], fail: Any, at: Pointer
) -> tuple[str, ...] | str:
    """``target.files``: globs, or ``{option: NAME}`` naming the option that holds them."""
    if isinstance(files, dict):
        name = files["option"]
        if name not in options:
            raise fail((*at, "target", "files"), f"unknown option {name!r} for target files")
        return str(name)
    return tuple(files)


def load_file(path: Path, display: str) -> list[Rule]:
    """Load and compile one policy file."""
    loaded = source.read(path, display, MAX_POLICY_BYTES)
    if not isinstance(loaded, source.Source):
        raise PolicyError(display, loaded.line, loaded.message)
    parsed = yamltree.parse(display, loaded.text)
    if parsed.problems:
        problem = parsed.problems[0]
        raise PolicyError(display, problem.line, f"{problem.rule}: {problem.message}")
    if len(parsed.documents) != 1:
        raise PolicyError(display, 1, "a policy file holds exactly one YAML document")
    doc = parsed.documents[0]
    _validate(display, loaded.text, doc.data, doc.spans)
    return [
        _compile_rule(display, rule, ("rules", i), doc.spans)
        for i, rule in enumerate(doc.data["rules"])
    ]


def load_pack(files: Iterable[tuple[Path, str]]) -> Pack:
    """Load every file (path, name to show) into one pack; rule ids must be unique."""
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path, display in files:
        for rule in load_file(path, display):
            if rule.id in seen:
                raise PolicyError(
                    display,
                    rule.line,
                    f"rule {rule.id!r} is already defined in {seen[rule.id].source}",
                )
            seen[rule.id] = rule
            rules.append(rule)
    return Pack(tuple(rules))
