"""Forked workers, each checking one share of the units, and their supervisor.

Findings travel back in batches, as plain tuples (a frozen dataclass pickles through
``__reduce__`` and ``__setstate__``, about ten times slower to send and receive).

One bad unit (a project or a document) must not stall or sink the run. Each worker
writes the unit it is on, and when it began, into a slot of shared memory before each
step, and the last unit it finished after it; the parent reads the slot only when it
needs to. A step's exception is already that unit's finding. When a worker dies (a
crash in C code, the kernel's OOM killer) or spends more than ``UNIT_SECONDS`` on one
step (a hang inside a parser), a new worker carries on with the rest of its share,
from the first unit whose findings had not arrived:

- on a step: that unit gets a ``run/crash`` or ``run/timeout`` finding and is skipped;
- between two steps: the share is retried from there; if a worker dies between steps
  at the same place again, the unit it had just finished gets ``run/crash`` and is
  skipped (nothing else ran in that process since);
- before its first step: retried; if the next worker does so too, the unit it was to
  begin with gets ``run/crash`` and is skipped.

Every other unit is checked, and each death uses up a unit or a retry, so a share ends.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.discover import Files
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.found import Row, finding, row
from aixcl_lint.run.scans import Marks, Scans
from aixcl_lint.run.steps import Chunk, not_checked, steps

UNIT_SECONDS = 120.0
"""Longest a worker may spend on one project or document before it is given up."""
BATCH_FINDINGS = 1000
"""A worker sends its findings once it holds this many..."""
BATCH_SECONDS = 0.5
"""... or this long after it last sent some (what a dying worker's successor redoes)."""

_ON, _SINCE, _FINISHED = 0, 1, 2
"""A worker's slot: the step it is on (-1 between steps), when it began, the last
step it finished."""


def _worker(
    settings: Settings,
    pack: Pack,
    work: tuple[Chunk, Files | None],
    skip: tuple[int, frozenset[int]],
    slot: Any,
    out: Connection,
) -> None:
    """A forked worker: check the share from ``skip[0]`` on (not the units in
    ``skip[1]``), mark each step in ``slot``, send findings in batches."""
    start, skipped = skip
    try:
        rows: list[Row] = []
        done: list[tuple[int, Marks | None]] = []
        sent = time.monotonic()
        for index, step in enumerate(steps(settings, pack, *work)):
            if index < start or index in skipped:
                continue
            slot[_SINCE] = time.monotonic()
            slot[_ON] = index
            _inject_fault("on", step.path)
            rows.extend(map(row, step.run()))
            done.append((index, step.marks))
            slot[_ON], slot[_FINISHED] = -1, index
            if len(rows) >= BATCH_FINDINGS or time.monotonic() - sent >= BATCH_SECONDS:
                out.send((index, rows, done, False))
                rows, done, sent = [], [], time.monotonic()
            _inject_fault("after", step.path)
        out.send((len(work[0]) - 1, rows, done, True))
    finally:
        out.close()
        os._exit(0)  # never the parent's atexit handlers or buffers, a second time


@dataclass
class _Worker:
    """A worker process of one share, and what the parent knows of its progress."""

    chunk: int
    process: Any
    pipe: Connection
    slot: Any
    start: int
    """The first unit of the share this worker checks; the others before it are done."""
    received: int = -1
    """The last unit whose findings arrived."""
    timed_out: bool = False
    finished: bool = False


@dataclass
class _Share:
    """What the supervisor keeps of a share across its workers."""

    skipped: frozenset[int] = frozenset()
    died_after: int | None = None
    """Where the last worker died between two steps (the step it had finished)."""
    stalled: bool = False
    """Whether its last worker died before finishing or beginning a step."""
    starts: int = 1
    """Workers started for it: a share whose workers keep dying ends."""


class Supervisor:
    """Runs one worker per share, replaces those that die or hang, gathers findings."""

    def __init__(
        self,
        settings: Settings,
        pack: Pack,
        chunks: list[Chunk],
        files: Files | None,
        seconds: float,
    ):
        self.settings, self.pack, self.chunks, self.seconds = settings, pack, chunks, seconds
        self.files = files
        self.context = multiprocessing.get_context("fork")
        self.slots = self.context.RawArray("d", 3 * len(chunks))
        self.shares = [_Share() for _ in chunks]
        self.workers = [self.start(i, 0) for i in range(len(chunks))]

    def start(self, chunk: int, first: int) -> _Worker:
        view = _Slot(self.slots, 3 * chunk)
        view[_ON], view[_SINCE], view[_FINISHED] = -1.0, time.monotonic(), first - 1.0
        receive, send = self.context.Pipe(duplex=False)
        work = (self.chunks[chunk], self.files)
        args = (self.settings, self.pack, work, (first, self.shares[chunk].skipped), view, send)
        process = self.context.Process(target=_worker, args=args, daemon=True)
        process.start()
        send.close()
        return _Worker(chunk, process, receive, view, first, first - 1)

    def receive(self, worker: _Worker, scans: Scans) -> Iterator[Finding]:
        """The findings of one message (and what its steps read, into ``scans``), or (at
        its end) what the worker's death means."""
        try:
            last, rows, done, finished = worker.pipe.recv()
        except (EOFError, OSError):
            yield from self.ended(worker)
            return
        worker.received, worker.finished = last, finished
        chunk = self.chunks[worker.chunk]
        scans.add_all((chunk[index], found) for index, found in done)
        yield from map(finding, rows)

    def ended(self, worker: _Worker) -> Iterator[Finding]:
        worker.pipe.close()
        worker.process.join(5)
        self.workers.remove(worker)
        if not worker.finished:
            yield from self.died(worker)

    def died(self, worker: _Worker) -> Iterator[Finding]:
        """What a worker's death means for its unit, and a new worker for the rest."""
        share = self.shares[worker.chunk]
        on, done = int(worker.slot[_ON]), int(worker.slot[_FINISHED])
        why = _died(worker.process.exitcode)
        if on >= 0:
            rule = "run/timeout" if worker.timed_out else "run/crash"
            why = f"took over {self.seconds:g} s" if worker.timed_out else why
            yield not_checked(self._path(worker.chunk, on), rule, why)
            share.skipped |= {on}
        elif done >= worker.start:  # between two steps, after checking some units
            if share.died_after == done:  # twice at the same place: the unit just checked
                yield not_checked(self._path(worker.chunk, done), "run/crash", f"{why} after it")
                share.skipped |= {done}
            share.died_after = done
        elif share.stalled:  # before its first step, twice: the unit it was to begin with
            yield not_checked(self._path(worker.chunk, worker.start), "run/crash", why)
            share.skipped |= {worker.start}
        share.stalled = on < 0 and done < worker.start
        rest = self._next(worker.chunk, worker.received + 1)
        if rest >= len(self.chunks[worker.chunk]):
            return
        share.starts += 1
        if share.starts <= len(self.chunks[worker.chunk]) + 2:
            self.workers.append(self.start(worker.chunk, rest))
            return
        for i in range(rest, len(self.chunks[worker.chunk])):  # workers keep dying: give up
            if i not in share.skipped:
                yield not_checked(self._path(worker.chunk, i), "run/crash", f"{why}, again")

    def _next(self, chunk: int, index: int) -> int:
        """The first unit of a share from ``index`` on that is not skipped."""
        skipped = self.shares[chunk].skipped
        while index < len(self.chunks[chunk]) and index in skipped:
            index += 1
        return index

    def _path(self, chunk: int, index: int) -> str:
        unit = self.chunks[chunk][index]
        return unit.paths[0] if unit.paths else "."

    def run(self, scans: Scans) -> Iterator[Finding]:
        """Every share's findings, whatever its workers do; what their steps read goes
        into ``scans``."""
        while self.workers:
            ready = wait([w.pipe for w in self.workers], timeout=1.0)
            for worker in list(self.workers):
                if worker.pipe in ready:
                    yield from self.receive(worker, scans)
                elif self._overdue(worker):
                    worker.timed_out = True
                    worker.process.kill()  # its pipe ends: then ``ended`` reports it

    def _overdue(self, worker: _Worker) -> bool:
        on, since = worker.slot[_ON], worker.slot[_SINCE]
        return not worker.timed_out and on >= 0 and time.monotonic() - since > self.seconds


class _Slot:
    """Three numbers of the shared array: one worker's slot (a slice would copy)."""

    def __init__(self, array: Any, offset: int) -> None:
        self.array, self.offset = array, offset

    def __getitem__(self, i: int) -> float:
        return float(self.array[self.offset + i])

    def __setitem__(self, i: int, value: float) -> None:
        self.array[self.offset + i] = value


def _inject_fault(when: str, path: str) -> None:
    """The test suite's way to make one unit hang or kill its worker:
    ``AIXCL_LINT_FAULT=hang:PATH``, ``kill:PATH`` (on its step) or ``kill-after:PATH``
    (once its step is done, before the next begins). Nothing else reads it."""
    kind, _, where = os.environ.get("AIXCL_LINT_FAULT", "").partition(":")
    if where != path:
        return
    if when == "on" and kind == "hang":
        time.sleep(3600)
    elif (when, kind) in {("on", "kill"), ("after", "kill-after")}:
        os.kill(os.getpid(), signal.SIGKILL)


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        return f"the worker checking it was killed by signal {-code}"
    return f"the worker checking it stopped (exit code {code})"


def unit_seconds() -> float:
    """``UNIT_SECONDS``, or ``AIXCL_LINT_UNIT_SECONDS`` when set (the tests' limit)."""
    configured = os.environ.get("AIXCL_LINT_UNIT_SECONDS")
    try:
        return float(configured) if configured else UNIT_SECONDS
    except ValueError:
        return UNIT_SECONDS
