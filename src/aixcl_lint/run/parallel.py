"""Evaluating compose projects and Markdown files in worker processes (``--jobs``).

Workers are forked, so they inherit the compiled pack (whose checks are closures and
cannot be pickled) instead of receiving it; each gets whole folders, so a base file
shared by several projects is parsed by one worker only, and a share of the Markdown
files. Only findings travel back.

One bad unit (a project or a document) must not stall or sink the run. A worker
announces each step (``run.steps``) before taking it, and a step's exception is already
that unit's finding. If a worker dies (a crash in C code, the kernel's OOM killer) or
spends more than ``UNIT_SECONDS`` on one step (a hang inside a parser), the parent
knows which unit it was on: that unit gets a ``run/crash`` or ``run/timeout`` finding,
and a new worker carries on with the rest of the share.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.discover import Files
from aixcl_lint.kinds.base import Unit
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.steps import Chunk, not_checked, steps

if TYPE_CHECKING:  # multiprocessing is imported only by runs that fork
    from multiprocessing.connection import Connection

MIN_UNITS_PER_JOB = 50
"""Fewer projects and documents than this per worker stay in-process: forking costs more."""
UNIT_SECONDS = 120.0
"""Longest a worker may spend on one project or document before it is given up."""


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(units: Sequence[Unit], jobs: int) -> list[Chunk]:
    """Split the work into ``jobs`` shares: units of one affinity together, the
    heaviest groups first, each to the lightest share."""
    together: dict[tuple[str, str], list[Unit]] = {}
    for unit in units:
        together.setdefault((unit.kind, unit.affinity), []).append(unit)
    chunks: list[Chunk] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for group in sorted(together.values(), key=lambda us: -sum(len(u.paths) or 1 for u in us)):
        lightest = loads.index(min(loads))
        chunks[lightest].extend(group)
        loads[lightest] += sum(len(u.paths) or 1 for u in group)
    order = {unit: i for i, unit in enumerate(units)}
    return [sorted(chunk, key=order.__getitem__) for chunk in chunks if chunk]


def _lint_chunk(settings: Settings, pack: Pack, chunk: Chunk, files: Files | None) -> list[Finding]:
    """A share in this process: each step's exception is that unit's finding."""
    return [finding for step in steps(settings, pack, chunk, files) for finding in step.run()]


def _worker(
    settings: Settings,
    pack: Pack,
    work: tuple[Chunk, Files | None],
    skip: int,
    failed: set[str],
    out: Connection,
) -> None:
    """A forked worker: announce each step, then send its findings."""
    try:
        for index, step in enumerate(steps(settings, pack, *work)):
            if index < skip or step.path in failed:
                continue
            out.send(("start", index, step.path))
            _inject_fault(step.path)
            out.send(("done", index, step.run()))
        out.send(("end", 0, None))
    finally:
        out.close()
        os._exit(0)  # never the parent's atexit handlers or buffers, a second time


@dataclass
class _Worker:
    """A worker process of one share: its pipe, and the step it is on (-1: between)."""

    chunk: int
    process: Any
    pipe: Connection
    failed: set[str]
    step: int = -1
    path: str = ""
    since: float = field(default_factory=time.monotonic)


class _Supervisor:
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
        import multiprocessing

        self.context = multiprocessing.get_context("fork")
        self.workers = [self.start(i, 0, set()) for i in range(len(chunks))]

    def start(self, chunk: int, skip: int, failed: set[str]) -> _Worker:
        receive, send = self.context.Pipe(duplex=False)
        work = (self.chunks[chunk], self.files)
        args = (self.settings, self.pack, work, skip, failed, send)
        process = self.context.Process(target=_worker, args=args, daemon=True)
        process.start()
        send.close()
        return _Worker(chunk, process, receive, failed)

    def replace(self, worker: _Worker) -> None:
        """A new worker for the rest of ``worker``'s share, after the step it was on."""
        worker.pipe.close()
        worker.process.join(5)
        self.workers.remove(worker)
        failed = {*worker.failed, worker.path}
        self.workers.append(self.start(worker.chunk, worker.step + 1, failed))

    def receive(self, worker: _Worker) -> Iterator[Finding]:
        try:
            kind, index, payload = worker.pipe.recv()
        except (EOFError, OSError):  # the worker died
            worker.process.join(5)
            why = _died(worker.process.exitcode)
            if worker.step >= 0:
                yield not_checked(worker.path, "run/crash", why)
                self.replace(worker)
                return
            # Between two units: nothing to blame, and what is left is not checked.
            self.workers.remove(worker)
            if worker.path:
                yield not_checked(
                    worker.path, "run/crash", f"{why} after it; the rest of its share"
                )
            return
        if kind == "start":
            worker.step, worker.path, worker.since = index, payload, time.monotonic()
        elif kind == "done":
            worker.step = -1
            yield from payload
        else:
            worker.process.join(5)
            worker.pipe.close()
            self.workers.remove(worker)

    def run(self) -> Iterator[Finding]:
        """Every share's findings, whatever its workers do."""
        from multiprocessing import connection

        while self.workers:
            ready = connection.wait([w.pipe for w in self.workers], timeout=1.0)
            for worker in list(self.workers):
                if worker.pipe in ready:
                    yield from self.receive(worker)
                elif worker.step >= 0 and time.monotonic() - worker.since > self.seconds:
                    worker.process.kill()
                    yield not_checked(worker.path, "run/timeout", f"took over {self.seconds:g} s")
                    self.replace(worker)


def _inject_fault(path: str) -> None:
    """The test suite's way to make one unit hang or kill its worker:
    ``AIXCL_LINT_FAULT=hang:PATH`` or ``kill:PATH`` (nothing else reads it)."""
    fault = os.environ.get("AIXCL_LINT_FAULT", "")
    kind, _, where = fault.partition(":")
    if where != path:
        return
    if kind == "hang":
        time.sleep(3600)
    elif kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)


def _died(code: int | None) -> str:
    if code is not None and code < 0:
        return f"the worker checking it was killed by signal {-code}"
    return f"the worker checking it stopped (exit code {code})"


def lint_units(
    settings: Settings, pack: Pack, units: Sequence[Unit], jobs: int, files: Files | None
) -> list[Finding]:
    """Findings and file problems of every unit, with up to ``jobs`` worker processes."""
    jobs = min(jobs, len(units) // MIN_UNITS_PER_JOB)
    if jobs < 2:
        return _lint_chunk(settings, pack, list(units), files)
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return _lint_chunk(settings, pack, list(units), files)
    chunks = _chunks(units, jobs)
    return list(_Supervisor(settings, pack, chunks, files, _seconds()).run())


def _seconds() -> float:
    configured = os.environ.get("AIXCL_LINT_UNIT_SECONDS")
    try:
        return float(configured) if configured else UNIT_SECONDS
    except ValueError:
        return UNIT_SECONDS
