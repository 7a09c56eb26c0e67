"""The config file's keys: the Settings field each sets, how its value is parsed, and
the errors for an unknown key (with the closest known one) or a value of the wrong type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from aixcl_lint.core import Severity, did_you_mean
from aixcl_lint.inputs import InputError

MARKDOWN_FLAVOURS = ("auto", "github", "mkdocs", "mkdocs+attr_list", "myst", "hugo")
"""``auto``: MkDocs' for the pages of an ``mkdocs.yml`` site, MyST's for those of a
Sphinx project whose ``conf.py`` enables it, Hugo's for those of a Hugo site, GitHub's
elsewhere."""


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


class EntryError(ValueError):
    """One entry of a mapping value is wrong: which (its key) and why."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


_SEVERITIES = ("error", "warning", "info")


def _severity_map(value: Any) -> dict[str, Severity] | None:
    if not isinstance(value, dict):
        return None
    found = {}
    for key, named in value.items():
        try:
            found[str(key)] = Severity.parse(str(named))
        except ValueError:
            hint = did_you_mean(str(named).lower(), _SEVERITIES) or " (error, warning or info)"
            raise EntryError(str(key), f"{named!r} is not a severity{hint}") from None
    return found


def _per_file(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """``{glob: [rule ids or prefixes]}`` (ruff's ``per-file-ignores``)."""
    if not isinstance(value, dict):
        return None
    found = []
    for glob, ids in value.items():
        rules = _strings(ids)
        if not isinstance(glob, str) or not glob or rules is None or not all(rules):
            raise EntryError(str(glob), "must be a list of rule ids or prefixes")
        found.append((glob, rules))
    return tuple(found)


def _options(value: Any) -> dict[str, dict[str, Any]] | None:
    if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
        return {str(k): dict(v) for k, v in value.items()}
    return None


def _clauses(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict) and all(v is False or isinstance(v, dict) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    return None


def _projects(value: Any) -> tuple[tuple[str, ...], ...] | None:
    if isinstance(value, list) and all(_strings(v) for v in value):
        return tuple(tuple(v) for v in value)
    return None


def _severity(value: Any) -> Severity | None:
    try:
        return Severity.parse(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


class CacheSettings(NamedTuple):
    """The ``cache`` section: whether results are kept between runs, and how much."""

    enabled: bool = True
    max_megabytes: int = 256
    """Past this size the least recently used results are removed."""


def _cache(value: Any) -> CacheSettings | None:
    """``cache: false``, or ``cache: {enabled: BOOL, max-megabytes: N}``."""
    if isinstance(value, bool):
        return CacheSettings(enabled=value)
    if not isinstance(value, dict) or set(value) - {"enabled", "max-megabytes"}:
        return None
    enabled, size = value.get("enabled", True), value.get("max-megabytes", 256)
    if _flag(enabled) is None or _size(size) is None:
        return None
    return CacheSettings(enabled, size)


KEYS: dict[str, tuple[str, Callable[[Any], Any], str]] = {
    "include": ("include", _strings, "a list of glob patterns"),
    "exclude": ("exclude", _strings, "a list of glob patterns"),
    "select": ("select", _strings, "a list of rule ids or prefixes"),
    "ignore": ("ignore", _strings, "a list of rule ids or prefixes"),
    "per-file-ignores": (
        "per_file_ignores",
        _per_file,
        "a mapping of glob pattern to a list of rule ids or prefixes",
    ),
    "severity": ("severity", _severity_map, "a mapping of rule id to error, warning or info"),
    "options": ("rule_options", _options, "a mapping of rule id to a mapping of options"),
    "governed-by": (
        "governed_by",
        _clauses,
        "a mapping of rule id to {path, section} or {path, anchor}, or false",
    ),
    "policies": ("policy_paths", _strings, "a list of policy files or folders"),
    "policy-folder": (
        "policy_folder",
        lambda v: v if isinstance(v, str) and v else None,
        "a folder path from the repository root",
    ),
    "builtin": ("builtin", _flag, "true or false"),
    "profile": ("profile", lambda v: v if isinstance(v, str) and v else None, "a profile name"),
    "fail-on": ("fail_on", _severity, "error, warning or info"),
    "max-file-size": ("max_file_bytes", _size, "a positive number of bytes"),
    "jobs": ("jobs", _size, "a positive number of worker processes"),
    "baseline": ("baseline", lambda v: v if isinstance(v, str) and v else None, "a file path"),
    "compose-projects": ("compose_projects", _projects, "a list of lists of compose files"),
    "compose-files": ("compose_files", _strings, "a list of glob patterns"),
    "markdown-flavour": (
        "markdown_flavour",
        lambda v: v if v in MARKDOWN_FLAVOURS else None,
        "one of " + ", ".join(MARKDOWN_FLAVOURS),
    ),
    "templates": ("templates", _strings, "a list of glob patterns"),
    "generated": ("generated", _strings, "a list of glob patterns"),
    "cache": (
        "cache",
        _cache,
        "true, false or a mapping of enabled (true or false) and max-megabytes (a number)",
    ),
}
"""Config keys: the Settings field each sets, its parser, and what it expects."""


def parse(
    key: Any,
    value: Any,
    shown: str,
    line: int,
    *,
    elsewhere: bool,
    lines: Mapping[str, int] | None = None,
) -> tuple[str, Any]:
    """The Settings field a config key sets and its parsed value; an unknown key or a
    value of the wrong type is an InputError at ``shown:line``. A file from
    ``elsewhere`` (outside the repository) never has its text echoed."""
    if key not in KEYS:
        known = ", ".join(sorted(KEYS))
        named = "a key" if elsewhere else repr(key)  # never echo a file outside
        hint = None if elsewhere else did_you_mean(str(key), KEYS)
        raise InputError(shown, line, f"unknown key {named}{hint or f' (known keys: {known})'}")
    attribute, parser, expected = KEYS[key]
    try:
        parsed = parser(value)
    except EntryError as exc:
        if elsewhere:
            raise InputError(shown, line, f"{key!r} must be {expected}") from None
        at = (lines or {}).get(f"{key}.{exc.key}", line)
        raise InputError(shown, at, f"{key!r}: {exc.key}: {exc}") from None
    if parsed is None:
        raise InputError(shown, line, f"{key!r} must be {expected}")
    return attribute, parsed
