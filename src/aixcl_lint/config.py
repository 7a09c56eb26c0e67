"""Settings for one run: defaults < config file < command line.

The config file is ``.aixcl-lint.yaml`` (or ``.yml``) or ``[tool.aixcl-lint]`` in
``pyproject.toml``, the first found walking up from the current folder to the
repository root. Unknown keys and values of the wrong type are errors naming the file,
the line and the key.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from aixcl_lint import __version__, configkeys
from aixcl_lint import pyproject as pyproject_config
from aixcl_lint.configkeys import CacheSettings
from aixcl_lint.core import Severity
from aixcl_lint.inputs import InputError, hexdigest, load_yaml, plain, read_text

if TYPE_CHECKING:  # yaml is imported by a run that reads a config file (inputs)
    from aixcl_lint.yamllib import yaml

DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024
DEFAULT_TEMPLATES = ("ISSUE_TEMPLATE*", "PULL_REQUEST_TEMPLATE*", "RELEASE_TEMPLATE*")
"""Documents GitHub renders in an issue, a pull request or a release, not in the tree
(matched without regard to case): a file or folder of such a name at any depth, and what
is inside such a folder. Plain names, so that ``globs.spec`` matches them without
importing pathspec (about 55 ms of a first run on Markdown); they select what
``**/ISSUE_TEMPLATE/**`` and ``**/ISSUE_TEMPLATE*`` did (``tests/test_config.py``)."""
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


class Settings(NamedTuple):
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
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``per-file-ignores``: (glob, rule ids) pairs, in the config's order."""
    severity: Mapping[str, Severity] = {}  # one shared default: never changed
    rule_options: Mapping[str, Mapping[str, Any]] = {}  # one shared default: never changed
    governed_by: Mapping[str, Any] = {}  # one shared default: never changed
    """Per rule id, the governance clause it enforces (``{path, section}``) or False."""
    compose_projects: tuple[tuple[str, ...], ...] = ()
    compose_files: tuple[str, ...] = ()
    """Globs (gitignore-style, from the root) of other files that are compose files."""
    profile: str = "general"
    """The built-in pack's profile (``aixcl`` adds the AIXCL platform's invariants)."""
    stdin: tuple[str, bytes] | None = None
    """A file read from standard input: its repository-relative name and its bytes."""
    markdown_flavour: str = "auto"
    """Whose heading anchors Markdown links are checked against (one of
    ``configkeys.MARKDOWN_FLAVOURS``)."""
    templates: tuple[str, ...] = DEFAULT_TEMPLATES
    """Markdown templates: their relative links lead nowhere in the tree, and are not checked."""
    generated: tuple[str, ...] = ()
    """Globs of files a build generates (git-ignored): links to them count as leading
    somewhere, and their anchors and section numbers are not checked."""
    config_file: str | None = None
    key_lines: Mapping[str, int] = {}  # one shared default: never changed
    """Line of each config key (``select``, ``severity.compose/x`` ...), for errors."""
    command_line: frozenset[str] = frozenset()
    """Keys (``select``) and entries (``ignore.compose``) the command line set."""
    cache: CacheSettings = CacheSettings()
    """Results kept between runs under ``cache_dir()`` (``--no-cache``: off)."""

    def where(self, key: str) -> tuple[str, int]:
        """File and line to blame for a config key; line 0 means the command line."""
        if self.config_file is None or {key, key.split(".", 1)[0]} & self.command_line:
            return "command line", 0
        return self.config_file, self.key_lines.get(
            key, self.key_lines.get(key.split(".", maxsplit=1)[0], 1)
        )


def _yaml_config(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int]]:
    """A YAML config's data and the line of each key, kept by its text (``_kept``): a
    warm run in a repository with a config imports no YAML parser (about 40 ms)."""
    text = read_text(path, shown, "config")
    kept = _kept(text)
    if kept is not None:
        return kept
    from aixcl_lint.yamllib import yaml

    data, node = load_yaml(path, shown, "config", text=text)
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
    _keep(text, data, lines)
    return data, lines


_KEPT_FORMAT = 1


def _kept_path(text: str) -> tuple[str, Path]:
    key = hexdigest(f"{_KEPT_FORMAT}\0{__version__}\0{text}".encode("utf-8", "surrogateescape"))
    return key, cache_dir() / "configs" / key


def _kept(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The data and key lines kept for a config of this text, if the entry is whole and
    its own (a damaged or foreign entry is parsed again, and rewritten)."""
    key, path = _kept_path(text)
    try:
        checksum, _, body = path.read_bytes().partition(b"\n")
        if checksum.decode("ascii") != hexdigest(body):
            return None
        entry = json.loads(body)
        data, lines = entry["data"], entry["lines"]
        if entry["key"] != key or type(data) is not dict or type(lines) is not dict:
            return None
        if not all(type(line) is int for line in lines.values()):
            return None
        return data, lines
    except (OSError, ValueError, TypeError, KeyError, UnicodeError):
        return None


def _keep(text: str, data: dict[str, Any], lines: dict[str, int]) -> None:
    """Keep a config's parse, if JSON gives its data back exactly (a date is not kept)."""
    plain_data = plain(data)
    if plain_data is None:
        return
    key, path = _kept_path(text)
    body = f'{{"key":"{key}","data":{plain_data},"lines":{json.dumps(lines)}}}'.encode()
    temporary = path.with_name(f"{key}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(hexdigest(body).encode() + b"\n" + body)
        os.replace(temporary, path)
    except OSError:  # a cache that cannot be written only costs the next run a parse
        with contextlib.suppress(OSError):
            temporary.unlink()


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
        if os.path.exists(pyproject) and pyproject_config.declares(pyproject):
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
        pyproject_config.toml_config(path, shown)
        if path.name == "pyproject.toml"
        else _yaml_config(path, shown)
    )
    if loaded is None:
        return settings
    data, lines = loaded
    changes: dict[str, Any] = {"config_file": shown, "key_lines": lines}
    for key, value in data.items():
        attribute, parsed = configkeys.parse(
            key, value, shown, lines.get(str(key), 1), elsewhere=elsewhere, lines=lines
        )
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
    return settings._replace(**changes)
