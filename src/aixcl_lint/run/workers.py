"""Forked workers and their supervisor: ``jobs`` workers take the pieces of the run
(``run.parallel.pieces``) one after another, each told its next piece as it nears the
end of one (its own lane's, else the smallest left in another's), so that they end
together whatever their speeds; ``run.forked`` is a worker's side.

One bad unit (a project or a document) must not stall or sink the run. Each worker
marks the unit it is on in its piece's slot of shared memory (``run.forked``); the
parent reads the slot only when it needs to. A step's exception is already that
unit's finding. When a worker dies (a crash in C code, the kernel's OOM killer) or
spends more than ``UNIT_SECONDS`` on one step (a hang inside a parser), a new worker
carries on with the rest of its piece, from the first unit whose findings had not
arrived, and then takes pieces as any worker does:

- on a step: that unit gets a ``run/crash`` or ``run/timeout`` finding and is skipped;
- between two steps: the piece is retried from there; if a worker dies between steps
  at the same place again, the unit it had just finished gets ``run/crash`` and is
  skipped (nothing else ran in that process since);
- before its first step: retried; if the next worker does so too, the unit it was to
  begin with gets ``run/crash`` and is skipped.

Every other unit is checked, and each death uses up a unit or a retry, so a piece ends.
"""

from __future__ import annotations

import collections
import contextlib
import mmap
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.discover import Files
from aixcl_lint.policy.model import Pack
from aixcl_lint.records import record
from aixcl_lint.run import forked
from aixcl_lint.run.forked import FINISHED, ON, SINCE, Order, Slot
from aixcl_lint.run.found import finding
from aixcl_lint.run.scans import Scans
from aixcl_lint.run.steps import Chunk, not_checked

UNIT_SECONDS = 120.0
"""Longest a worker may spend on one project or document before it is given up."""


@record(frozen=False)
class _Worker:
    """A worker process, the piece it is on, and what the parent knows of its progress."""

    chunk: int
    process: Any
    pipe: Connection
    orders: Connection
    slot: Any
    start: int
    """The first unit of the piece this worker checks; the others before it are done."""
    received: int = -1
    """The last unit whose findings arrived."""
    timed_out: bool = False
    finished: bool = False
    """Whether its piece is done and it was told there is no other."""
    ordered: bool = False
    """Whether it was told what to do after its piece (asked before its last step)."""
    queued: int | None = None
    """The piece it was told to take next, not begun before its piece's end arrives."""
    lane: int = 0
    """Whose pieces it takes first (``Supervisor.lanes``)."""


@record(frozen=False)
class _Share:
    """What the supervisor keeps of a piece across its workers."""

    skipped: frozenset[int] = frozenset()
    died_after: int | None = None
    """Where the last worker died between two steps (the step it had finished)."""
    stalled: bool = False
    """Whether its last worker died before finishing or beginning a step."""
    starts: int = 1
    """Workers started for it: a piece whose workers keep dying ends."""


class Supervisor:
    """Runs ``jobs`` workers, gives each the next piece when it is done with one,
    replaces those that die or hang, gathers findings."""

    def __init__(
        self,
        settings: Settings,
        pack: Pack,
        chunks: list[Chunk],
        files: Files | None,
        seconds: float,
        *,
        jobs: int,
    ):
        self.settings, self.pack, self.chunks, self.seconds = settings, pack, chunks, seconds
        self.files = files
        self.context = multiprocessing.get_context("fork")
        # Anonymous shared memory the forked workers write in place: an ``mmap`` seen as
        # doubles, not ``RawArray`` (which imports ctypes: 2-5 ms of a parallel run's
        # serial part).
        self.slots = memoryview(mmap.mmap(-1, 8 * 3 * len(chunks))).cast("d")
        self.shares = [_Share() for _ in chunks]
        jobs = min(jobs, len(chunks))
        self.lanes = [collections.deque(range(w, len(chunks), jobs)) for w in range(jobs)]
        """The pieces no worker has taken yet, dealt to the workers' lanes in turn
        (each lane one piece of each size): a worker takes its lane's next piece, and
        with its lane empty the last (smallest) of the fullest lane. Its loader keeps
        the Markdown its lane's pieces will read (parsed once, for a link and for
        its own unit), as a single process keeps them for the whole run."""
        self.workers = [self.start(self.lanes[w].popleft(), 0, w) for w in range(jobs)]

    def _slot(self, chunk: int, first: int) -> Slot:
        view = Slot(self.slots, 3 * chunk)
        view[ON], view[SINCE], view[FINISHED] = -1.0, time.monotonic(), first - 1.0
        return view

    def start(self, chunk: int, first: int, lane: int) -> _Worker:
        view = self._slot(chunk, first)
        receive, send = self.context.Pipe(duplex=False)
        orders, order = self.context.Pipe(duplex=False)
        work = (self.chunks, self.files)
        first_order = (chunk, first, self.shares[chunk].skipped, tuple(self.lanes[lane]))
        args = (self.settings, self.pack, work, first_order, self.slots, (orders, send))
        process = self.context.Process(target=forked.main, args=args, daemon=True)
        process.start()
        send.close()
        orders.close()
        return _Worker(chunk, process, receive, order, view, first, first - 1, lane=lane)

    def _take(self, lane: int) -> int | None:
        """The next piece for a worker of ``lane``: its own lane's next, else the
        smallest left in the fullest lane; None when none is left."""
        own = self.lanes[lane]
        if own:
            return own.popleft()
        fullest = max(self.lanes, key=len)
        return fullest.pop() if fullest else None

    def receive(self, worker: _Worker, scans: Scans) -> Iterator[Finding]:
        """The findings of one message (and what its steps read, into ``scans``), or (at
        its end) what the worker's death means. A worker about to end its piece is
        told its next one, so that it need not wait for this process to answer."""
        try:
            last, rows, done, composed, finished, asking = worker.pipe.recv()
        except (EOFError, OSError):
            yield from self.ended(worker)
            return
        worker.received = last
        chunk = self.chunks[worker.chunk]
        scans.add_all((chunk[index], found) for index, found in done)
        scans.composed.update(composed)
        if (asking or finished) and not worker.ordered:
            self._order(worker)
        if finished:
            self._next_piece(worker)
        yield from map(finding, rows)

    def _order(self, worker: _Worker) -> None:
        """Tell a worker the piece to take after its own, or to stop then."""
        order: Order = None
        worker.queued = self._take(worker.lane)
        if worker.queued is not None:
            self._slot(worker.queued, 0)  # before the worker can mark it
            order = (worker.queued, 0, frozenset(), tuple(self.lanes[worker.lane]))
        worker.ordered = True
        with contextlib.suppress(OSError):  # it died: its pipe ends, ``ended`` reports it
            worker.orders.send(order)

    def _next_piece(self, worker: _Worker) -> None:
        """A worker's piece is done: it is on the piece it was told, or stops."""
        worker.ordered = False
        if worker.queued is None:
            worker.finished = True
            return
        worker.chunk, worker.start, worker.received = worker.queued, 0, -1
        worker.slot = Slot(self.slots, 3 * worker.chunk)
        worker.queued = None

    def ended(self, worker: _Worker) -> Iterator[Finding]:
        worker.pipe.close()
        worker.orders.close()
        self.workers.remove(worker)
        if worker.finished:
            # Not waited for: its exit (the kernel freeing its memory, 65 ms under load)
            # would hold up the other workers' findings, then the report. It is reaped
            # when the next worker starts or this process exits (multiprocessing's own).
            return
        if worker.queued is not None:  # told, never begun: the next worker's to take
            self.lanes[worker.lane].appendleft(worker.queued)
        worker.process.join(5)
        yield from self.died(worker)

    def died(self, worker: _Worker) -> Iterator[Finding]:
        """What a worker's death means for its unit, and a new worker for the rest of
        its piece (or, that one over, for the next piece)."""
        share = self.shares[worker.chunk]
        on, done = int(worker.slot[ON]), int(worker.slot[FINISHED])
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
        if rest < len(self.chunks[worker.chunk]):
            share.starts += 1
            if share.starts <= len(self.chunks[worker.chunk]) + 2:
                self.workers.append(self.start(worker.chunk, rest, worker.lane))
                return
            for i in range(rest, len(self.chunks[worker.chunk])):  # they keep dying: give up
                if i not in share.skipped:
                    yield not_checked(self._path(worker.chunk, i), "run/crash", f"{why}, again")
        piece = self._take(worker.lane)  # its piece is over: a worker for the next one
        if piece is not None:
            self.workers.append(self.start(piece, 0, worker.lane))

    def _next(self, chunk: int, index: int) -> int:
        """The first unit of a share from ``index`` on that is not skipped."""
        skipped = self.shares[chunk].skipped
        while index < len(self.chunks[chunk]) and index in skipped:
            index += 1
        return index

    def _path(self, chunk: int, index: int) -> str:
        unit = self.chunks[chunk][index]
        return unit.paths[0] if unit.paths else "."

    def run(self, scans: Scans, meanwhile: Callable[[], None] = lambda: None) -> Iterator[Finding]:
        """Every share's findings, whatever its workers do; what their steps read goes
        into ``scans``. ``meanwhile`` is called once the workers have begun (this
        process's own work, done while they work)."""
        meanwhile()
        while self.workers:
            ready = wait([w.pipe for w in self.workers], timeout=1.0)
            for worker in list(self.workers):
                if worker.pipe in ready:
                    yield from self.receive(worker, scans)
                elif self._overdue(worker):
                    worker.timed_out = True
                    worker.process.kill()  # its pipe ends: then ``ended`` reports it

    def _overdue(self, worker: _Worker) -> bool:
        on, since = worker.slot[ON], worker.slot[SINCE]
        return not worker.timed_out and on >= 0 and time.monotonic() - since > self.seconds


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
