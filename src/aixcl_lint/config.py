"""Settings for one run: defaults < config file < command line.

The config file is ``.aixcl-lint.yaml`` (or ``.yml``) or ``[tool.aixcl-lint]`` in
``pyproject.toml``, the first found walking up from the current folder to the
repository root. Unknown keys and values of the wrong type are errors naming the file,
the line and the key.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from aixcl_lint.core import Severity, did_you_mean
from aixcl_lint.inputs import InputError, load_toml, load_yaml, read_bytes

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
MARKDOWN_FLAVOURS = ("auto", "github", "mkdocs", "mkdocs+attr_list")
"""``auto``: MkDocs' for the pages of an ``mkdocs.yml`` site, GitHub's elsewhere."""
DEFAULT_TEMPLATES = (
    "**/ISSUE_TEMPLATE/**",
    "**/ISSUE_TEMPLATE*",
    "**/PULL_REQUEST_TEMPLATE/**",
    "**/PULL_REQUEST_TEMPLATE*",
    "**/RELEASE_TEMPLATE/**",
    "**/RELEASE_TEMPLATE*",
)
"""Documents GitHub renders in an issue, a pull request or a release, not in the tree
(matched without regard to case)."""
CONFIG_NAMES = (".aixcl-lint.yaml", ".aixcl-lint.yml")


def cache_dir() -> Path:
    """Where results cached by content hash live: ``$AIXCL_LINT_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/aixcl-lint``, else ``~/.cache/aixcl-lint``."""
    configured = os.environ.get("AIXCL_LINT_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "aixcl-lint"


ConfigError = InputError
"""A config file (or another input of the tool's own) that cannot be used."""


def read_yaml(path: Path, shown: str, what: str) -> tuple[Any, yaml.Node | None]:
    """A small YAML file of settings (config, waivers, pack): its data, built safely, and
    its node tree for line numbers; any problem is a ConfigError naming the line."""
    return load_yaml(path, shown, what)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know besides the files themselves."""

    root: Path
    policy_paths: tuple[Path, ...] = ()
    policy_folder: str = ".aixcl-lint/policies"
    """The repository's own policies, loaded when the folder exists (root-relative)."""
    builtin: bool = True
    fail_on: Severity = Severity.ERROR
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    jobs: int = 0
    """Worker processes for large runs; 0 means one per available CPU."""
    today: datetime.date | None = None
    """The date date checks compare with (None: the clock's)."""
    baseline: Path | None = None
    """A baseline file: only findings it does not record are reported."""
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    """Apply include / exclude to paths named on the command line too (pre-commit does)."""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    governed_by: Mapping[str, Any] = field(default_factory=dict)
    """Per rule id, the governance clause it enforces (``{path, section}``) or False."""
    compose_projects: tuple[tuple[str, ...], ...] = ()
    compose_files: tuple[str, ...] = ()
    """Globs (gitignore-style, from the root) of other files that are compose files."""
    profile: str = "general"
    """The built-in pack's profile (``aixcl`` adds the AIXCL platform's invariants)."""
    stdin: tuple[str, bytes] | None = None
    """A file read from standard input: its repository-relative name and its bytes."""
    markdown_flavour: str = "auto"
    """Whose heading anchors Markdown links are checked against (``MARKDOWN_FLAVOURS``)."""
    templates: tuple[str, ...] = DEFAULT_TEMPLATES
    """Markdown templates: their relative links lead nowhere in the tree, and are not checked."""
    config_file: str | None = None
    key_lines: Mapping[str, int] = field(default_factory=dict)
    """Line of each config key (``select``, ``severity.compose/x`` ...), for errors."""
    command_line: frozenset[str] = frozenset()
    """Keys (``select``) and entries (``ignore.compose``) the command line set."""

    def where(self, key: str) -> tuple[str, int]:
        """File and line to blame for a config key; line 0 means the command line."""
        if self.config_file is None or {key, key.split(".", 1)[0]} & self.command_line:
            return "command line", 0
        return self.config_file, self.key_lines.get(
            key, self.key_lines.get(key.split(".", maxsplit=1)[0], 1)
        )


def _strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _severity_map(value: Any) -> dict[str, Severity] | None:
    if not isinstance(value, dict):
        return None
    try:
        return {str(k): Severity.parse(str(v)) for k, v in value.items()}
    except ValueError:
        return None


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


_KEYS: dict[str, tuple[str, Callable[[Any], Any], str]] = {
    "include": ("include", _strings, "a list of glob patterns"),
    "exclude": ("exclude", _strings, "a list of glob patterns"),
    "select": ("select", _strings, "a list of rule ids or prefixes"),
    "ignore": ("ignore", _strings, "a list of rule ids or prefixes"),
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
}
"""Config keys: the Settings field each sets, its parser, and what it expects."""


def _yaml_config(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int]]:
    data, node = read_yaml(path, shown, "config")
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(shown, 1, "the config must be a mapping of keys")
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.MappingNode):
                for sub, _ in value_node.value:
                    lines[f"{key_node.value}.{sub.value}"] = sub.start_mark.line + 1
    return data, lines


def _toml_config(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    document, text = load_toml(path, shown, "config")
    tool = document.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(shown, _toml_line(text, r"^\s*tool\b"), "[tool] must be a table")
    section = tool.get("aixcl-lint")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(
            shown,
            _toml_line(text, r"^\s*(?:tool\.)?\"?aixcl-lint\b"),
            "[tool.aixcl-lint] must be a table",
        )
    return section, _toml_lines(text, section)


def _toml_key(key: str) -> str:
    """A pattern for a TOML key written bare or quoted."""
    return rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""


def _toml_lines(text: str, section: dict[str, Any]) -> dict[str, int]:
    """Line of each key of ``[tool.aixcl-lint]`` and of each key one level below it
    (``options.compose/image-pinned``), written as a table, dotted or inline."""
    start = re.search(r"^\[tool\.aixcl-lint", text, re.MULTILINE)
    offset = start.start() if start else 0

    def line_of(pattern: str, after: int) -> int | None:
        found = re.compile(pattern, re.MULTILINE).search(text, after)
        return text.count("\n", 0, found.start()) + 1 if found else None

    lines: dict[str, int] = {}
    for key, value in section.items():
        table = rf"^[ \t]*\[\s*tool\.aixcl-lint\.{_toml_key(key)}"
        line = line_of(rf"^[ \t]*{_toml_key(key)}\s*[=.]|{table}", offset)
        lines[key] = line or 1
        if not isinstance(value, dict):
            continue
        own = re.compile(table + r"\s*\]", re.MULTILINE).search(text, offset)
        below = own.end() if own else offset
        for sub in value:
            name = _toml_key(sub)
            sub_line = line_of(rf"{table}\s*\.\s*{name}\s*\]", offset) or line_of(
                rf"^[ \t]*(?:{_toml_key(key)}\s*\.\s*)?{name}\s*[=.]|[{{,]\s*{name}\s*[=.]",
                below,
            )
            lines[f"{key}.{sub}"] = sub_line or lines[key]
    return lines


def _toml_line(text: str, pattern: str) -> int:
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _declares(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.aixcl-lint]`` (or one that load()
    should report as broken)."""
    if b"aixcl-lint" not in read_bytes(pyproject, "pyproject.toml", "config"):
        return False
    try:
        tool = load_toml(pyproject, "pyproject.toml", "config")[0].get("tool")
    except InputError:
        return True
    return not isinstance(tool, dict) or "aixcl-lint" in tool


def find_config(start: Path, root: Path) -> Path | None:
    """The config file nearest to ``start``, looking no higher than ``root``."""
    start, root = start.resolve(), root.resolve()
    if not start.is_relative_to(root):  # linting another repository: its own config
        start = root
    folders = [start, *start.parents]
    for folder in folders:
        # A name standing there is a config, even one that is not a regular file: load()
        # says so rather than the run going on without it.
        found = [folder / name for name in CONFIG_NAMES if os.path.lexists(folder / name)]
        pyproject = folder / "pyproject.toml"
        # exists(), not is_file(): a FIFO or a folder there is an error, never skipped.
        if os.path.exists(pyproject) and _declares(pyproject):
            found.append(pyproject)
        if len(found) > 1:  # never pick one silently
            shown = " and ".join(f.name for f in found)
            raise ConfigError(
                found[0].name, 1, f"{shown} both configure aixcl-lint in {folder}; keep one"
            )
        if found:
            return found[0]
        if folder == root:
            break
    return None


def _inside(root: Path, path: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies in the repository at ``root``."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except ValueError:  # a NUL byte
        return False


def _confined(key: str, value: Any, base: Path, root: Path) -> str | None:
    """The first path of a config value that leads outside the repository."""
    if key in ("policies", "compose-projects"):
        entries = [v for group in value for v in group] if key == "compose-projects" else value
    elif key in ("baseline", "policy-folder"):
        entries = [value]
    else:
        return None
    here = root if key in ("compose-projects", "policy-folder") else base
    return next((str(e) for e in entries if not _inside(root, here / e)), None)


def load(path: Path, settings: Settings, *, trusted: bool = False) -> Settings:
    """``settings`` updated by the config file at ``path``. Paths in it must stay in the
    repository, unless the file is ``trusted`` (named on the command line, from outside
    the repository)."""
    try:
        shown, elsewhere = path.resolve().relative_to(settings.root).as_posix(), False
    except ValueError:
        shown, elsewhere = str(path), True
    loaded = (
        _toml_config(path, shown) if path.name == "pyproject.toml" else _yaml_config(path, shown)
    )
    if loaded is None:
        return settings
    data, lines = loaded
    changes: dict[str, Any] = {"config_file": shown, "key_lines": lines}
    for key, value in data.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            named = "a key" if elsewhere else repr(key)  # never echo a file outside
            hint = None if elsewhere else did_you_mean(str(key), _KEYS)
            raise ConfigError(
                shown,
                lines.get(str(key), 1),
                f"unknown key {named}{hint or f' (known keys: {known})'}",
            )
        attribute, parse, expected = _KEYS[key]
        parsed = parse(value)
        if parsed is None:
            raise ConfigError(shown, lines.get(key, 1), f"{key!r} must be {expected}")
        outside = None if trusted else _confined(key, parsed, path.parent, settings.root)
        if outside is not None:
            raise ConfigError(
                shown,
                lines.get(key, 1),
                f"{key!r}: {outside!r} is outside the repository "
                "(only the command line may name such paths)",
            )
        if key == "policies":
            parsed = tuple(path.parent / p for p in parsed)
        elif key == "baseline":
            parsed = path.parent / parsed
        elif key == "compose-projects":
            parsed = tuple(tuple(os.path.normpath(p) for p in group) for group in parsed)
        changes[attribute] = parsed
    return replace(settings, **changes)
