"""Policy test cases as written: a cases file (``NAME.cases.yaml`` beside a policy) or a
rule's own ``cases:``, read strictly (a misspelt key is an error naming its line, with
the closest name, never a case that passes because it checks nothing)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path, PurePosixPath
from typing import Any

from aixcl_lint import inputs
from aixcl_lint.core import did_you_mean
from aixcl_lint.policy.model import PolicyError
from aixcl_lint.records import record

CASES_SUFFIX = ".cases.yaml"
CASES_SUFFIXES = (CASES_SUFFIX, ".cases.yml")
"""A cases file's name ends in one of these (``.yml`` as a policy may)."""
Expected = tuple[str, str, int, int | None]


@record
class Case:
    """One case of one policy file."""

    policy: Path
    rule: str
    name: str
    files: dict[str, str]
    expect: tuple[Expected, ...]
    today: datetime.date | None = None
    untracked: tuple[str, ...] = ()
    """Fixture files git does not track (where the case runs in a git repository)."""
    source: Path | None = None
    """The file the case is written in (a cases file, or the policy file itself)."""


def invalid(path: Path, message: str, line: int = 1) -> PolicyError:
    """A cases file that cannot be used, at the line where it goes wrong."""
    return PolicyError(str(path), line, message)


def _safe(case_file: Path, rel: str) -> str:
    """A fixture path, refused if it would leave the case's repository."""
    parts = PurePosixPath(rel).parts
    if not rel or rel.startswith(("/", "\\")) or ".." in parts or ":" in rel or "\\" in rel:
        raise invalid(case_file, f"fixture path {rel!r} must stay inside the case's repository")
    if not parts or "\0" in rel or parts[0] == ".git":
        raise invalid(case_file, f"fixture path {rel!r} does not name a file of the repository")
    return "/".join(parts)


def _no_conflicts(case_file: Path, case: int, paths: list[str]) -> None:
    """Refuse a fixture file that another fixture needs as a folder."""
    folders = {"/".join(p.split("/")[:n]) for p in paths for n in range(1, p.count("/") + 1)}
    clash = sorted(folders.intersection(paths))
    if clash:
        raise invalid(case_file, f"case {case}: fixture {clash[0]!r} is both a file and a folder")
    if len(set(paths)) != len(paths):
        raise invalid(case_file, f"case {case}: two fixtures name the same file")


def _expected(case_file: Path, item: Any, at: tuple[Any, ...], lines: Lines) -> Expected:
    here = lines.get(at, 1)
    if isinstance(item, dict):
        _known(case_file, item, _EXPECT_KEYS, at, lines, "expected finding")
    if not isinstance(item, dict) or not {"rule", "path", "line"} <= set(item):
        message = "each expected finding names rule, path and line (and column)"
        raise invalid(case_file, message, here)
    line, column = item["line"], item.get("column")
    if not _number(line) or not (column is None or _number(column)):
        bad = line if not _number(line) else column
        message = f"expected line and column are positive numbers, not {bad!r}"
        raise invalid(case_file, message, here)
    return (str(item["rule"]), str(item["path"]), line, column)


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


_FILE_KEYS = ("rule", "cases")
_CASE_KEYS = ("name", "files", "expect", "today", "untracked")
_EXPECT_KEYS = ("rule", "path", "line", "column")

Lines = dict[tuple[Any, ...], int]
"""The line of each key (or list item) of a cases file, by its path of keys and indexes."""


def _lines(node: Any, at: tuple[Any, ...] = (), found: Lines | None = None) -> Lines:
    found = {} if found is None else found
    for index, (key, value) in enumerate(_entries(node)):
        ptr = (*at, key.value if key is not None else index)
        found[ptr] = ((key or value).start_mark.line) + 1
        _lines(value, ptr, found)
    return found


def _entries(node: Any) -> list[tuple[Any, Any]]:
    value = getattr(node, "value", None)
    if not isinstance(value, list):
        return []
    if node.id == "mapping":
        return [(k, v) for k, v in value if getattr(k, "id", "") == "scalar"]
    return [(None, item) for item in value]


def _known(
    source: Path,
    item: dict[Any, Any],
    keys: tuple[str, ...],
    at: tuple[Any, ...],
    lines: Lines,
    what: str,
) -> None:
    """Refuse a key no case reads: a misspelt ``expect:`` would make a case pass."""
    for key in item:
        if key not in keys:
            hint = did_you_mean(str(key), keys) or f" (keys: {', '.join(keys)})"
            line = lines.get((*at, key), lines.get(at, 1))
            raise invalid(source, f"unknown {what} key {str(key)!r}{hint}", line)


def _read(path: Path) -> tuple[Any, Lines]:
    try:
        data, node = inputs.load_yaml(path, str(path), "cases")
    except inputs.InputError as exc:
        raise invalid(path, exc.message, exc.line) from None
    return data, _lines(node)


def _cases(
    source: Path, policy: Path, rule: str, items: Any, at: tuple[Any, ...], lines: Lines
) -> list[Case]:
    """Cases from a list of case mappings (a cases file's, or a rule's own); ``at`` is
    where the list is in ``source``, whose ``lines`` say where each key is written."""
    if not isinstance(items, list):
        raise invalid(source, "`cases:` is a list of cases", lines.get(at, 1))
    cases = []
    for i, item in enumerate(items):
        here = (*at, i)
        if isinstance(item, dict):
            _known(source, item, _CASE_KEYS, here, lines, "case")
        if not isinstance(item, dict) or not isinstance(item.get("files"), dict):
            message = f"case {i + 1} needs `files:`, a mapping of path to text"
            raise invalid(source, message, lines.get(here, 1))
        names = [_safe(source, str(k)) for k in item["files"]]
        _no_conflicts(source, i + 1, names)
        for key, value in item["files"].items():
            if value is not None and not isinstance(value, str):
                message = (
                    f"case {i + 1}: the content of {key} is a {type(value).__name__}; write "
                    "a file's text as a block string (`|`)"
                )
                raise invalid(source, message, lines.get((*here, "files", key), 1))
        files = dict(zip(names, (v or "" for v in item["files"].values()), strict=True))
        wanted = item.get("expect") or []
        if not isinstance(wanted, list):
            message = f"case {i + 1}: `expect:` is a list of findings"
            raise invalid(source, message, lines.get((*here, "expect"), 1))
        expect = tuple(
            _expected(source, e, (*here, "expect", j), lines) for j, e in enumerate(wanted)
        )
        today = item.get("today")
        if today is not None and not isinstance(today, datetime.date):
            message = f"case {i + 1}: today {today!r} is not a date (YYYY-MM-DD)"
            raise invalid(source, message, lines.get((*here, "today"), 1))
        untracked = item.get("untracked") or []
        if not isinstance(untracked, list) or not set(map(str, untracked)) <= set(files):
            message = f"case {i + 1}: `untracked:` lists paths of its `files:`"
            raise invalid(source, message, lines.get((*here, "untracked"), 1))
        name = str(item.get("name", i + 1))
        kept = tuple(map(str, untracked))
        cases.append(Case(policy, rule, name, files, expect, today, kept, source))
    return cases


def load_cases(case_file: Path) -> list[Case]:
    """The cases of one ``*.cases.yaml`` file."""
    stem = case_file.name
    for suffix in CASES_SUFFIXES:
        stem = stem.removesuffix(suffix)
    policy = case_file.with_name(stem + ".yaml")
    if not os.path.lexists(policy) and os.path.lexists(case_file.with_name(stem + ".yml")):
        policy = case_file.with_name(stem + ".yml")
    spec, lines = _read(case_file)
    if isinstance(spec, dict):
        _known(case_file, spec, _FILE_KEYS, (), lines, "cases file")
    if not isinstance(spec, dict) or not isinstance(spec.get("cases"), list):
        raise invalid(case_file, "a cases file holds `rule:` and `cases:`, a list of cases")
    if not isinstance(spec.get("rule"), str) or not spec["rule"]:
        message = "a cases file names the rule its cases test (`rule: team/rule-id`)"
        raise invalid(case_file, message, lines.get(("rule",), 1))
    if not os.path.lexists(policy):  # a FIFO there is the reader's to refuse by name
        raise invalid(case_file, f"no policy {policy.name} beside these cases")
    rule = spec["rule"]
    return _cases(case_file, policy, rule, spec["cases"], ("cases",), lines)


def inline_cases(policy: Path) -> list[Case]:
    """Cases a policy file keeps in its rules (a rule's own ``cases:``)."""
    spec, lines = _read(policy)
    rules = spec.get("rules") if isinstance(spec, dict) else None
    found: list[Case] = []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, dict) and "cases" in rule:
            rule_id = str(rule.get("id", ""))
            found += _cases(policy, policy, rule_id, rule["cases"], ("rules", i, "cases"), lines)
    return found


def _policies(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml")
        and not p.name.endswith(CASES_SUFFIXES)
        and p.name != "pack.yaml"
    )


def policy_files(paths: list[Path]) -> list[Path]:
    """The policy files ``paths`` name or hold (a cases file names its policy's)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += _policies(path)
        elif path.suffix in (".yaml", ".yml") and not path.name.endswith(CASES_SUFFIXES):
            found.append(path)
    return found


def collect(paths: list[Path]) -> list[Case]:
    """Every case for ``paths``: cases files, and the cases policy files keep inline."""
    found: list[Case] = []
    for path in paths:
        if path.is_dir():
            for case_file in sorted(p for s in CASES_SUFFIXES for p in path.rglob("*" + s)):
                found += load_cases(case_file)
            for policy in _policies(path):
                found += inline_cases(policy)
        elif path.name.endswith(CASES_SUFFIXES):
            found += load_cases(path)
        elif path.suffix in (".yaml", ".yml"):
            for suffix in CASES_SUFFIXES:
                sibling = path.with_name(path.stem + suffix)
                found += load_cases(sibling) if os.path.lexists(sibling) else []
            found += inline_cases(path)
        else:
            raise invalid(path, "not a policy file, a cases file or a folder")
    return found
