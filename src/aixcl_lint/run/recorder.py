"""What a unit's result depends on: a loader that notes every question a unit asks of
the repository, and the answers those questions have now.

A fact is ``(what, path)``: ``file`` (the bytes of a file, or why it cannot be read),
``exists`` (a file or folder is there), ``outline`` (a linked Markdown file's anchors
and section numbers), ``flavour`` (the Markdown flavour a file is read in, which an
``mkdocs.yml`` above it decides), ``project`` (the source folder of the MyST Sphinx
project a page is in), ``labels`` (that project's explicit targets, with the file of
each), ``listing`` (the repository's file list) and ``inventory`` (the
files with their sizes and git's view, which is never kept). A result recorded with
its facts holds again while every fact has the value it had.

A file's fact is recorded as ``digest@stamp@mark``: the digest of its bytes, the
``lstat`` of a plain file (no symlink on its way) that had not been written in the
``SETTLED_NS`` before it was read, and whether its bytes hold an inline directive's
marker. While the stamp (modification and change times, size, inode, device) is the
same, the bytes are taken to be too, as git's index and make take them: a warm run
reads no file it does not need, and knows from the mark which files suppression must
read. An edit keeps no stamp: it sets the change time, which no program can set back.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aixcl_lint import discover, fsio
from aixcl_lint.config import Settings
from aixcl_lint.documents import source
from aixcl_lint.inputs import hexdigest
from aixcl_lint.run.load import Loader
from aixcl_lint.suppress.directives import MARKER

if TYPE_CHECKING:
    from aixcl_lint.core import Kind
    from aixcl_lint.documents import yamltree
    from aixcl_lint.documents.markdown import MarkdownDocument
    from aixcl_lint.kinds.base import Document

FILE, EXISTS, OUTLINE, FLAVOUR = "file", "exists", "outline", "flavour"
PROJECT, LABELS = "project", "labels"
UNKEPT = "unkept"
"""A fact no result is kept under (``value`` has none for it)."""
LISTING, INVENTORY = "listing", "inventory"
Fact = tuple[str, str]

PURE = frozenset({"expect", "forget", "is_template", "repository"})
"""Loader methods whose answers depend on the settings alone (or on nothing)."""

SETTLED_NS = 2_000_000_000
"""How long before it is read a file must have been left alone for its stamp to be
kept: a file written again within a timestamp's granularity of the reading could
otherwise keep its stamp with other bytes (git's "racy" files)."""
_MARKED = MARKER.encode()
FACTS_KEPT = 32_768
"""Most answers of each kind recording keeps for a run (as ``steps.ANSWERS_KEPT``)."""


def _stamp(path: Path) -> int | None:
    """A file's modification time, size and inode, as one number: their hash (a tuple
    of the three is 160 bytes, 3.5 MB for the large benchmark corpus's 20,000 files, held
    until the run's units are done; a change keeping the hash is a 64-bit hash's
    collision)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return hash((info.st_mtime_ns, info.st_size, info.st_ino))


def _stamp_text(info: os.stat_result) -> str:
    """A plain file's stamp as recorded: modification and change times, size, inode and
    device."""
    return f"{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_size}:{info.st_ino}:{info.st_dev}"


def _digest(data: bytes) -> str:
    return hexdigest(data, 16)  # BLAKE2b without hashlib (OpenSSL)


class Recorder(Loader):
    """A loader that notes, in ``facts``, what the units it loads read."""

    def __init__(self, settings: Settings, files: discover.Files | None = None) -> None:
        super().__init__(settings, files)
        self.facts: set[Fact] = set()
        self._documents: dict[tuple[Kind, str], set[Fact]] = {}
        self.stamps: dict[str, int | None] = {}
        """Each file read: its modification time, size and inode when it was read
        (``_stamp``)."""
        self._quiet = 0
        """Inside a question whose answer is its own fact (an outline): what it reads
        to answer is not noted."""
        self.bytes_read: dict[str, tuple[str, int, str, bool]] = {}
        """Each plain file read, as last read: its stamp just before (``_stamp_text``),
        the time of that read, the digest of its bytes and whether they hold the marker.
        Recording a unit's facts takes a file's from here while its stamp is the same,
        instead of reading the file again (a later unit's outline fact of the file needs
        its file fact too)."""
        self.fact_folders: dict[str, bool] = {"": True}
        """Whether each folder looked at is plain (``Facts._plain``), once a run."""
        self.outline_facts: dict[str, str] = {}
        """Each linked Markdown file's outline fact (``Facts.outline``), once a run: the
        loader keeps the outline it answers with for the run."""

    def begin(self) -> None:
        """A new unit: nothing read for it yet (``composed``: the YAML files parsed for
        it, which ``run.projectreads`` takes a kept project's from)."""
        if len(self.fact_folders) > FACTS_KEPT:  # they only save time (steps.ANSWERS_KEPT)
            self.fact_folders = {"": True}
        if len(self.outline_facts) > FACTS_KEPT:
            self.outline_facts.clear()
        self.facts.clear()
        self.composed.clear()

    def _note(self, what: str, path: str) -> None:
        if not self._quiet:
            self.facts.add((what, path))

    def _outline_fact(
        self, path: str, ask: Callable[[str], AbstractSet[str] | None]
    ) -> AbstractSet[str] | None:
        self._note(OUTLINE, path)
        problems = len(self.problems)
        self._quiet += 1
        try:
            return ask(path)
        finally:
            self._quiet -= 1
            if len(self.problems) > problems:  # reading it was a finding: its bytes count
                self._note(FILE, path)

    def read(self, rel: str) -> source.Source | None:
        self._note(FILE, rel)
        if rel not in self.stamps:
            self.stamps[rel] = _stamp(self.settings.root / rel)
        return super().read(rel)

    def _bytes(self, rel: str, full: str) -> bytes:
        self.bytes_read.pop(rel, None)
        try:
            before = os.lstat(full)
        except (OSError, ValueError):
            return super()._bytes(rel, full)
        when = time.time_ns()
        data = super()._bytes(rel, full)
        if stat.S_ISREG(before.st_mode):
            self.bytes_read[rel] = (_stamp_text(before), when, _digest(data), _MARKED in data)
        return data

    def unchanged(self) -> bool:
        """Whether the files the unit read are as they were when they were read (a file
        written during the run must not have its new bytes recorded beside findings of
        the old)."""
        return all(
            _stamp(self.settings.root / rel) == self.stamps[rel]
            for what, rel in self.facts
            if what == FILE and rel in self.stamps
        )

    def mentions(self, rel: str, marker: str) -> bool:
        self._note(FILE, rel)
        return super().mentions(rel, marker)

    def text(self, rel: str) -> str | None:
        self._note(FILE, rel)
        return super().text(rel)

    def line_text(self, rel: str, line: int) -> str:
        self._note(FILE, rel)
        return super().line_text(rel, line)

    def yaml_file(self, rel: str) -> yamltree.YamlFile:
        self._note(FILE, rel)
        return super().yaml_file(rel)

    def markdown(self, rel: str, *, full: bool = True) -> MarkdownDocument | None:
        self._note(FILE, rel)
        return super().markdown(rel, full=full)

    def env_for(self, folder: str) -> dict[str, str]:
        self._note(FILE, f"{folder}/.env" if folder else ".env")
        return super().env_for(folder)

    def env_text(self, rel: str) -> str | None:
        self._note(FILE, rel)
        return super().env_text(rel)

    def compose_file(self, rel: str) -> yamltree.YamlFile | None:
        self._note(FILE, rel)
        return super().compose_file(rel)

    def exists(self, path: str) -> bool:
        self._note(EXISTS, path)
        return super().exists(path)

    def anchors(self, path: str) -> AbstractSet[str] | None:
        return self._outline_fact(path, super().anchors)

    def numbers(self, path: str) -> AbstractSet[str] | None:
        return self._outline_fact(path, super().numbers)

    def document(self, kind: Kind, path: str) -> Document | None:
        # The loader keeps each other document: a unit asking again is given the same
        # one, and depends on the same facts as the unit that had it loaded.
        self._note(FILE, path)
        key = (kind, path)
        if key in self._documents:
            self.facts |= self._documents[key]
            return super().document(kind, path)
        outer, self.facts = self.facts, set()
        try:
            return super().document(kind, path)
        finally:
            if not self._quiet:
                self._documents[key] = set(self.facts)
            self.facts = outer | self.facts

    def file_bytes(self, rel: str) -> bytes | None:
        self._note(FILE, rel)
        return super().file_bytes(rel)

    def inventory(self) -> list[dict[str, Any]]:
        self._note(INVENTORY, "")
        return super().inventory()

    def flavour(self, rel: str) -> str:
        if self.settings.markdown_flavour != "auto":
            return self.settings.markdown_flavour
        self._note(FLAVOUR, rel)  # the answer is the fact, not the mkdocs.yml read for it
        problems = len(self.problems)
        self._quiet += 1
        try:
            return super().flavour(rel)
        finally:
            self._quiet -= 1
            if len(self.problems) > problems:  # a broken INHERIT: the answer may hold
                self.facts.add((UNKEPT, rel))  # once it is mended; such a result is not kept

    def project(self, path: str) -> str | None:
        self._note(PROJECT, path)  # the answer is the fact, as a flavour's is
        self._quiet += 1
        try:
            return super().project(path)
        finally:
            self._quiet -= 1

    def labels(self, folder: str) -> Mapping[str, str]:
        self._note(LABELS, folder)  # the answer is the fact, not the files read for it
        self._quiet += 1
        try:
            return super().labels(folder)
        finally:
            self._quiet -= 1

    @property
    def files(self) -> discover.Files:
        self._note(LISTING, "")
        return super().files

    def ignored(self, path: str, is_dir: bool | None = None) -> bool:
        self._note(EXISTS, path)  # part of whether it exists, found the same way then
        return super().ignored(path, is_dir)


class Facts:
    """The values facts have now, each found once (through ``loader``, whose answers
    are the ones the units were given)."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader
        self._files: dict[str, str] = {}
        self._listing: str | None = None
        self._read: Mapping[str, tuple[str, int, str, bool]] = {}
        """The files the loader read (``Recorder.bytes_read``), if it is a recorder."""
        self._folders: dict[str, bool] = {"": True}
        self._present: dict[str, bool] = {}
        self._outlines: dict[str, str] = {}
        if isinstance(loader, Recorder):  # the facts of its units: what holds for a run
            self._read, self._folders, self._present, self._outlines = (
                loader.bytes_read,
                loader.fact_folders,
                loader.present,  # the loader's answers: those the units were given
                loader.outline_facts,
            )
        self._stamps: dict[str, str] = {}
        """The stamps of the files read, as they were just before (kept if settled)."""
        self._now: dict[str, str] = {}
        """The stamps files have now, of those looked at for a recorded stamp."""
        self.marked: dict[str, bool] = {}
        """Files whose bytes now are known: whether each holds the directives' marker."""
        self.root = str(loader.settings.root)
        self._prefix = self.root.rstrip("/") + "/"

    def _plain(self, folder: str) -> bool:
        """Whether a folder lies inside the root with no symlink on the way there (so
        what is in it needs no ``realpath`` to be known inside)."""
        if folder not in self._folders:
            parent, _, name = folder.rpartition("/")
            try:
                plain = (
                    name not in ("", ".", "..")
                    and self._plain(parent)
                    and stat.S_ISDIR(os.lstat(self._prefix + folder).st_mode)
                )
            except (OSError, ValueError):
                plain = False
            self._folders[folder] = plain
        return self._folders[folder]

    def _entry(self, rel: str) -> os.stat_result | bool | None:
        """What stands at ``rel`` when it is neither a symlink nor below one (None:
        nothing); False when only the loader's own checks can say."""
        folder, _, name = rel.rpartition("/")
        if name in ("", ".", "..") or rel[0] == "/" or not self._plain(folder):
            return False
        try:
            info = os.lstat(self._prefix + rel)  # (a join costs more than the lstat)
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return False
        return False if stat.S_ISLNK(info.st_mode) else info

    def exists(self, rel: str) -> bool:
        """Whether a file or folder is there, as the loader would say (a file git
        ignores and does not track is not: ``Loader.exists``)."""
        if rel not in self._present:
            entry = self._entry(rel)
            if isinstance(entry, os.stat_result):
                present = not self.loader.ignored(rel, is_dir=stat.S_ISDIR(entry.st_mode))
            else:
                present = self.loader.exists(rel) if entry is False else entry is not None
            self._present[rel] = present
        return self._present[rel]

    def _stamp(self, entry: os.stat_result | bool | None, *, settled: bool) -> str:
        """A plain file's stamp, ``-`` where nothing stands ("" for anything else, or
        for a file written too recently when ``settled``)."""
        if entry is None:
            return "-"
        if not isinstance(entry, os.stat_result) or not stat.S_ISREG(entry.st_mode):
            return ""
        if settled and max(entry.st_mtime_ns, entry.st_ctime_ns) > time.time_ns() - SETTLED_NS:
            return ""
        return _stamp_text(entry)

    def file(self, rel: str) -> str:
        """A digest of a file's bytes, or why it cannot be read."""
        if rel not in self._files:
            root, limit = self.loader.settings.root, self.loader.settings.max_file_bytes
            entry = self._entry(rel)
            if self._as_read(rel, entry):
                return self._files[rel]
            inside = entry is not False  # then no symlink leads elsewhere
            self._stamps[rel] = self._stamp(entry, settled=True)  # taken before the bytes
            try:
                data = fsio.read_regular(root / rel, limit, None if inside else root)
                self._files[rel] = _digest(data)
                self.marked[rel] = _MARKED in data
            except fsio.Refused as refused:
                self._files[rel] = (
                    f"!{refused.kind} {_digest(refused.message.encode('utf-8', 'replace'))[:8]}"
                )
            except (OSError, ValueError) as exc:
                self._files[rel] = f"!{type(exc).__name__}"
        return self._files[rel]

    def _as_read(self, rel: str, entry: os.stat_result | bool | None) -> bool:
        """Whether the file's fact is the one of the bytes the loader last read (kept
        then): a plain file whose stamp now is the one it had just before that read,
        and which had been left alone for ``SETTLED_NS`` by then (the same bytes, as a
        warm run takes them to be)."""
        kept = self._read.get(rel)
        if kept is None or not isinstance(entry, os.stat_result):
            return False
        before, when, digest, marked = kept
        if _stamp_text(entry) != before or max(entry.st_mtime_ns, entry.st_ctime_ns) > (
            when - SETTLED_NS
        ):
            return False
        self._stamps[rel], self._files[rel], self.marked[rel] = before, digest, marked
        return True

    def outline(self, rel: str) -> str:
        """A digest of a Markdown file's anchors and section numbers."""
        found = self._outlines.get(rel)
        if found is None:
            anchors, numbers = self.loader.anchors(rel), self.loader.numbers(rel)
            if anchors is None or numbers is None:
                found = "-"
            else:
                found = _digest(
                    "\0".join([*sorted(anchors), "\0", *sorted(numbers)]).encode(
                        "utf-8", "surrogateescape"
                    )
                )
            self._outlines[rel] = found
        return found

    def recorded_file(self, rel: str) -> str:
        """A file's fact as recorded: ``digest@stamp@mark`` (no stamp for a file that is
        not plain or was written just now, no mark for one that cannot be read)."""
        digest = self.file(rel)
        mark = self.marked.get(rel)
        return f"{digest}@{self._stamps.get(rel, '')}@{'' if mark is None else int(mark)}"

    def _file_holds(self, rel: str, recorded: str) -> bool:
        parts = recorded.rsplit("@", 2)
        if len(parts) != 3:
            return False
        digest, stamp, mark = parts
        if stamp and rel not in self._files:
            if rel not in self._now:
                self._now[rel] = self._stamp(self._entry(rel), settled=False)
            if self._now[rel] == stamp:
                if mark:
                    self.marked[rel] = mark == "1"
                return True
        return self.file(rel) == digest

    def value(self, what: str, path: str) -> str | None:
        """A fact's value now; None for a fact no result can be kept under."""
        if what == FILE:
            return self.recorded_file(path)
        if what == EXISTS:
            return "1" if self.exists(path) else "0"
        if what == FLAVOUR:
            return self.loader.flavour(path)
        if what == PROJECT:
            found = self.loader.project(path)
            return "-" if found is None else f"={found}"
        if what == LABELS:
            labels = sorted(self.loader.labels(path).items())
            return _digest("\0".join(f"{k}\0{v}" for k, v in labels).encode("utf-8", "replace"))
        if what == OUTLINE:
            # The file's fact first: while it holds, its outline needs no parse.
            return f"{self.recorded_file(path)} {self.outline(path)}"
        if what == LISTING:
            if self._listing is None:
                listed = self.loader.files.git
                self._listing = (
                    ""
                    if listed is None
                    else _digest("\0".join(listed).encode("utf-8", "surrogateescape"))
                )
            return self._listing or None
        return None

    def holds(self, what: str, path: str, recorded: str) -> bool:
        """Whether a fact still has the value it was recorded with."""
        if what == OUTLINE:
            file, _, outline = recorded.rpartition(" ")
            return self._file_holds(path, file) or self.outline(path) == outline
        if what == FILE:
            return self._file_holds(path, recorded)
        return self.value(what, path) == recorded

    def hold(self, facts: Iterable[Sequence[str]]) -> bool:
        """Whether every recorded fact (what, path, value) still has its value (the
        existence of a path, most facts of a warm run, answered inline);
        TypeError or ValueError for what is not a list of facts."""
        present = self._present
        for what, path, recorded in facts:
            if what == EXISTS:
                found = present.get(path)
                if found is None:
                    found = self.exists(path)
                if recorded != ("1" if found else "0"):
                    return False
            elif not self.holds(what, path, recorded):
                return False
        return True

    def values(self, facts: Iterable[Fact]) -> list[tuple[str, str, str]] | None:
        """Each fact with its value now; None if one of them cannot be kept."""
        found = []
        for what, path in sorted(facts):
            value = self.value(what, path)
            if value is None:
                return None
            found.append((what, path, value))
        return found
