"""The common ``check`` command lines, read without click.

Importing click is about a quarter of a warm pre-commit run's CPU time (it imports
``inspect`` and most of its own package). ``parse`` reads the command lines pre-commit,
CI and people type (``check [--profile aixcl] [--format json] ... PATH...``) into
exactly what click would pass to the ``check`` command, or answers None, and the
command line goes to click: help, the version, other commands, a value click would
refuse or convert (a path option, a date), anything not plainly one of these.
``tests/test_cli_fast.py`` holds the two readings equal, option by option.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aixcl_lint.cli.base import FORMATS, SEVERITIES

FLAGS: dict[str, tuple[str, bool]] = {
    "--no-builtin": ("no_builtin", True),
    "--no-config": ("no_config", True),
    "--force-exclude": ("force_exclude", True),
    "--fix": ("fix", True),
    "--diff": ("show_diff", True),
    "--color": ("colour", True),
    "--no-color": ("colour", False),
    "--exit-zero": ("exit_zero", True),
    "--statistics": ("statistics", True),
    "-q": ("quiet", True),
    "--quiet": ("quiet", True),
    "--concise": ("concise", True),
    "--no-cache": ("no_cache", True),
    "--show-files": ("show_files", True),
}
"""Flags: the parameter each sets, and to what."""

VALUES: dict[str, str] = {
    "--format": "fmt",
    "--profile": "profile",
    "--fail-on": "fail_on",
    "--select": "select",
    "--ignore": "ignore",
    "-j": "jobs",
    "--jobs": "jobs",
}
"""Options taking a value that needs no conversion click would do differently."""

MULTIPLE = frozenset({"select", "ignore"})

DEFAULTS: dict[str, Any] = {
    "fmt": "auto",
    "output": None,
    "policies": (),
    "no_builtin": None,
    "profile": None,
    "select": (),
    "ignore": (),
    "fail_on": None,
    "config": None,
    "no_config": False,
    "jobs": None,
    "baseline": None,
    "write_baseline": None,
    "today": None,
    "force_exclude": False,
    "fix": False,
    "show_diff": False,
    "colour": None,
    "exit_zero": False,
    "statistics": False,
    "quiet": False,
    "concise": False,
    "no_cache": False,
    "show_files": False,
    "stdin_filename": None,
}
"""What click passes for an option not given."""

COMPLETE = "_AIXCL_LINT_COMPLETE"
"""click's shell-completion variable for ``aixcl-lint``: when set, click answers."""


def parse(argv: list[str]) -> tuple[tuple[Path, ...], dict[str, Any]] | None:
    """``check``'s paths and options as click would pass them, or None (ask click)."""
    if len(argv) < 1 or argv[0] != "check" or os.environ.get(COMPLETE):
        return None
    given = dict(DEFAULTS)
    paths: list[Path] = []
    words = iter(argv[1:])
    for word in words:
        if not word.startswith("-"):
            path = _path(word)
            if path is None:
                return None
            paths.append(path)
            continue
        name, eq, inline = word.partition("=")
        if name in FLAGS and not eq:
            flag, setting = FLAGS[name]
            given[flag] = setting
            continue
        key = VALUES.get(name) if name.startswith("--") or not eq else None
        if key is None:
            return None  # "-", "--", help, a path option, a typo: click's
        taken = _value(key, inline if eq else next(words, None))
        if taken is None:
            return None
        given[key] = (*given[key], taken) if key in MULTIPLE else taken
    return tuple(paths), given


def _path(word: str) -> Path | None:
    """A PATH argument as ``click.Path()`` converts it (None: one click would refuse)."""
    try:
        os.stat(word)
    except OSError:
        return Path(word)
    except ValueError:  # a NUL in it: click's own error
        return None
    return Path(word) if os.access(word, os.R_OK) else None


def _value(key: str, value: str | None) -> Any:
    """An option's value as click converts it (None: one to leave to click)."""
    if value is None or value.startswith("-"):
        return None
    if key == "jobs":
        return int(value) if value.isascii() and value.isdigit() else None
    if key == "fmt":
        return value if value in FORMATS else None
    if key == "fail_on":
        return value if value in SEVERITIES else None
    if key == "profile":
        from aixcl_lint.policy.profiles import PROFILES

        return value if value in PROFILES else None
    return value
