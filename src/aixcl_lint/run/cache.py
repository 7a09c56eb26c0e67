"""Results kept between runs: each unit's raw findings (before directives, waivers,
baseline and select / ignore, which every run applies afresh), under the user's cache
folder (``config.cache_dir()/results``), never inside the repository.

An entry is found by a key of the unit (its kind and files) and a salt: the format,
the tool's version and its installed files, the pack (every rule, and the text of the
files that define them), the settings that change results, and today's date when a
rule compares dates. The entry holds the facts the unit read (``recorder``: its files'
bytes, the outlines of the files it links to, the ``.env`` beside a project, ...) with
their values then; it is used only while every fact still has that value. An entry
that is truncated, corrupt or not the one asked for is ignored, and overwritten.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from aixcl_lint import __version__
from aixcl_lint.config import Settings, cache_dir
from aixcl_lint.core import Finding, Severity
from aixcl_lint.discover import Files
from aixcl_lint.inputs import hexdigest
from aixcl_lint.kinds.base import Unit
from aixcl_lint.kinds.compose import NAME as COMPOSE
from aixcl_lint.policy.model import Pack, Rule
from aixcl_lint.run.load import Loader
from aixcl_lint.run.recorder import Facts, Recorder

FORMAT = 2
"""The entries' layout: a new one makes every older entry a miss."""
_PACKAGE = Path(__file__).resolve().parents[1]
_DATED = re.compile(r"""date["']?\s*:""")
"""A policy that may compare dates (the ``date`` operator): its results change daily."""


def _dated(text: str) -> bool:
    """Whether ``text`` matches ``\\bdate["']?\\s*:``: the word boundary checked by hand,
    as re searches a pattern opening with ``\\b`` 30 to 50 times slower (1.0 ms against
    0.06 ms for the built-in pack's 14 files, on every run)."""
    for found in _DATED.finditer(text):
        start = found.start()
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            return True
    return False


_PRUNE_SECONDS = 3600.0
"""How often a run that wrote entries measures the cache and removes the oldest."""
_TOUCH_SECONDS = 86400.0
"""A hit older than this is marked as used, so that pruning keeps it."""

_OPEN: dict[tuple[int, int], Store] = {}
"""The store of each run in progress, by its settings and pack (forked workers inherit
it; ``steps`` asks for it)."""


def _digest(*parts: str) -> str:
    return hexdigest("\0".join(parts).encode("utf-8", "surrogateescape"))


def _code() -> str:
    """The installed files of aixcl-lint, and Python's version. A wheel install is its
    ``RECORD`` (pip writes the hash of every installed file there: another build is
    another record), read in one go; an editable install or a checkout changes without
    a new record, so each of its files is stat'ed (about 3 ms for 200 files)."""
    record = _PACKAGE.parent / f"aixcl_lint-{__version__}.dist-info" / "RECORD"
    try:
        return _digest(sys.version, str(_PACKAGE), record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    found = [sys.version]
    for folder, subfolders, names in os.walk(_PACKAGE):
        subfolders[:] = sorted(s for s in subfolders if s != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".json", ".yaml", ".yml")):
                info = os.stat(os.path.join(folder, name))
                found.append(f"{folder}/{name} {info.st_size} {info.st_mtime_ns}")
    return _digest(*found)


def _source_text(settings: Settings, rule: Rule, builtin: dict[str, Path]) -> str | None:
    """The text of the file a rule was loaded from (None if it cannot be read again)."""
    name = rule.source
    if name.startswith("<builtin>/"):
        if not builtin:
            from aixcl_lint.policy.loader import builtin_files

            builtin.update((p.name, p) for p in builtin_files())
        found = builtin.get(name.removeprefix("<builtin>/"))
        if found is None:
            return None
        path = found
    else:
        path = Path(name) if os.path.isabs(name) else settings.root / name
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None


def _pack(settings: Settings, pack: Pack) -> tuple[str, bool] | None:
    """A digest of the rules, and whether one of them may compare dates (None: a rule's
    file cannot be read again, so no result of this pack is kept)."""
    texts: dict[str, str] = {}
    builtin: dict[str, Path] = {}
    parts = []
    for rule in pack.rules:
        if rule.source not in texts:
            text = _source_text(settings, rule, builtin)
            if text is None:
                return None
            texts[rule.source] = text
        checks = [(c.message, c.selector, c.sub_id, c.severity, c.fix) for c in rule.checks]
        parts.append(
            repr(
                (
                    rule.id,
                    rule.title,
                    rule.severity,
                    rule.kind,
                    rule.source,
                    rule.line,
                    rule.selector,
                    rule.files,
                    rule.options,
                    rule.governed_by,
                    checks,
                )
            )
        )
    dated = any(_dated(text) for text in texts.values())
    return _digest(*parts, *(f"{n}\0{t}" for n, t in sorted(texts.items()))), dated


def _settings(settings: Settings, *, dated: bool) -> str:
    """The settings a unit's findings depend on (not those applied after: select,
    ignore, severity, baseline, fail-on; not jobs)."""
    day = (settings.today or datetime.date.today()).isoformat() if dated else ""
    return repr(
        (
            str(settings.root),
            settings.policy_folder,
            settings.builtin,
            settings.max_file_bytes,
            settings.include,
            settings.exclude,
            settings.rule_options,
            settings.governed_by,
            settings.compose_projects,
            settings.compose_files,
            settings.profile,
            settings.markdown_flavour,
            settings.templates,
            settings.generated,
            day,
        )
    )


def folder() -> Path:
    """Where results are kept."""
    return cache_dir() / "results"


def _encode(finding: Finding) -> list[Any]:
    position = [finding.line, finding.column, finding.end_line, finding.end_column]
    facts = [finding.rule, int(finding.severity), finding.message, finding.fixable]
    return [finding.path, *position, *facts]


_SEVERITIES = {int(severity): severity for severity in Severity}


def _decode(item: Any) -> Finding:
    """A finding as stored; TypeError, ValueError or KeyError if it is not one."""
    path, line, column, end_line, end_column, rule, severity, message, fixable = item
    # (each test written out: generators over the fields cost more than the tests)
    if not (
        type(line) is int
        and type(column) is int
        and type(end_line) is int
        and type(end_column) is int
        and type(severity) is int
    ):
        raise TypeError("positions are integers")
    if not (type(path) is str and type(rule) is str and type(message) is str):
        raise TypeError("a finding's texts")
    if type(fixable) is not bool:
        raise TypeError("whether a finding is fixable")
    where = (line, column, end_line, end_column)
    return Finding.at(path, where, rule, _SEVERITIES[severity], message, fixable)


class Store:
    """The results of one run's salt: looked up by the parent, kept by whoever checks
    a unit (the parent or a forked worker)."""

    def __init__(self, settings: Settings, salt: str, where: Path) -> None:
        self.settings, self.salt, self.where = settings, salt, where
        self.hits = 0
        self.folders: set[str] = set()
        """Entry folders this process made (or found) already."""
        self.reads: set[str] = set()
        """The YAML files the kept units parsed besides their own (``run.projectreads``)."""
        self.marked: dict[str, bool] = {}
        """Files whose bytes the look-up knows: whether each holds the directives' marker."""

    def path(self, unit: Unit) -> str:
        """The entry of a unit."""
        # A fragment is held to less than the same files as a whole project.
        fragment = ("\0fragment",) if unit.fragment else ()
        key = _digest(self.salt, unit.kind, *unit.paths, *fragment)
        return os.path.join(self.where, key[:2], key[2:])

    def _load(self, unit: Unit) -> dict[str, Any] | None:
        """A unit's entry, if it is whole and this unit's (its ``facts``, ``findings``
        and ``reads``, still as JSON gave them)."""
        path = self.path(unit)
        try:
            # (os.read, not a file object: a third of the time of each of a warm run's
            # thousands of look-ups)
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                info = os.fstat(fd)
                raw = os.read(fd, info.st_size + 1)
            finally:
                os.close(fd)
            checksum, _, body = raw.partition(b"\n")
            if checksum.decode("ascii") != hexdigest(body):
                return None
            entry = json.loads(body.decode("utf-8"))  # (a str parses in 2/3 of the time)
            if entry["format"] != FORMAT or entry["key"] != os.path.basename(path):
                return None
        except (OSError, ValueError, TypeError, KeyError, UnicodeError):
            return None
        if time.time() - info.st_mtime > _TOUCH_SECONDS:
            with contextlib.suppress(OSError):
                os.utime(path)
        return entry if isinstance(entry, dict) else None

    def lookup(self, units: Sequence[Unit], loader: Loader) -> tuple[list[Finding], list[Unit]]:
        """The kept findings of the units whose facts still hold, and the other units."""
        facts = Facts(loader)
        found: list[Finding] = []
        todo: list[Unit] = []
        for unit in units:
            entry = self._load(unit)
            try:
                if entry is None or not facts.hold(entry["facts"]):
                    todo.append(unit)
                    continue
                findings = [_decode(item) for item in entry["findings"]]
                reads = [str(path) for path in entry["reads"]]
            except (ValueError, TypeError, KeyError, AttributeError):  # not an entry we wrote
                todo.append(unit)
                continue
            self.hits += 1
            found.extend(findings)
            self.reads.update(reads)
        self.marked = facts.marked
        return found, todo

    def keep(self, unit: Unit, recorder: Recorder, findings: list[Finding]) -> None:
        """Record a unit's findings with the facts it read (unless one cannot be kept)."""
        values = Facts(recorder).values(set(recorder.facts))
        if values is None or not recorder.unchanged():
            return
        path = self.path(unit)
        entry = {
            "format": FORMAT,
            "key": os.path.basename(path),
            "facts": values,
            "findings": [_encode(f) for f in findings],
            # (only a compose project's: run.projectreads counts no other unit's)
            "reads": sorted(recorder.composed.difference(unit.paths))
            if unit.kind == COMPOSE
            else [],
        }
        body = json.dumps(entry, separators=(",", ":")).encode()
        checksum = hexdigest(body).encode()
        # Written aside, then renamed: a reader sees the old entry or the new one.
        temporary = f"{path}.{os.getpid()}.tmp"
        try:
            folder = os.path.dirname(path)
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(checksum + b"\n" + body)
            os.replace(temporary, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)  # a read-only or full cache only costs speed

    def recorder(self, files: Files | None) -> Recorder:
        """A loader for the units of a share, noting what each reads."""
        return Recorder(self.settings, files)

    def keeping(
        self, unit: Unit, work: Callable[[], list[Finding]], recorder: Recorder
    ) -> Callable[[], list[Finding]]:
        """``work``, keeping its findings and the file problems met (not when it raises)."""

        def run() -> list[Finding]:
            recorder.begin()
            found = work()
            self.keep(unit, recorder, [*found, *recorder.problems])
            return found

        return run


def _prune(where: Path, max_bytes: int) -> None:
    """Remove the least recently used entries while the cache is over ``max_bytes``
    (measured at most once an ``_PRUNE_SECONDS``)."""
    marker = where / ".pruned"
    try:
        if time.time() - marker.stat().st_mtime < _PRUNE_SECONDS:
            return
    except OSError:
        pass
    entries: list[tuple[float, int, str]] = []
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
        for sub in os.scandir(where):
            if sub.is_dir(follow_symlinks=False):
                for entry in os.scandir(sub.path):
                    info = entry.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= max_bytes * 0.8:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size


def store_for(settings: Settings, pack: Pack) -> Store | None:
    """The store of the run in progress with these settings and pack, if it keeps results."""
    return _OPEN.get((id(settings), id(pack)))


@contextlib.contextmanager
def opened(settings: Settings, pack: Pack) -> Iterator[Store | None]:
    """The store for a run (None when results are not kept: ``--no-cache`` or
    ``AIXCL_LINT_NO_CACHE``, standard input, a cache folder inside the repository, a rule
    whose file is gone)."""
    where = folder()
    if (
        not settings.cache.enabled
        or os.environ.get("AIXCL_LINT_NO_CACHE")
        or settings.stdin is not None
        or Path(os.path.realpath(where)).is_relative_to(os.path.realpath(settings.root))
    ):
        yield None
        return
    rules = _pack(settings, pack)
    if rules is None:
        yield None
        return
    digest, dated = rules
    salt = _digest(str(FORMAT), __version__, _code(), digest, _settings(settings, dated=dated))
    store = Store(settings, salt, where)
    _OPEN[id(settings), id(pack)] = store
    try:
        yield store
    finally:
        del _OPEN[id(settings), id(pack)]
    _prune(where, settings.cache.max_megabytes * 1024 * 1024)
