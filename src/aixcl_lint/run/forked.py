"""One forked worker: it checks the pieces its supervisor (``run.workers``) orders,
one after another with one loader, and sends their findings back in batches.

Findings travel as plain tuples (a frozen dataclass pickles through ``__reduce__`` and
``__setstate__``, about ten times slower to send and receive). Before each step the
worker writes the unit it is on, and when it began, into its piece's slot of shared
memory, and the last unit it finished after it: what the supervisor reads when the
worker dies or hangs.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

from aixcl_lint.config import Settings
from aixcl_lint.discover import Files
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.found import Row, row
from aixcl_lint.run.scans import Marks
from aixcl_lint.run.steps import Chunk, Step, Stepper

BATCH_FINDINGS = 1000
"""A worker sends its findings once it holds this many..."""
BATCH_SECONDS = 0.5
"""... or this long after it last sent some (what a dying worker's successor redoes)."""

ASK_AT = 7
"""A worker asks for its next piece once this many eighths of its units are done: the
supervisor's answer then arrives before the piece ends, however busy the machine is
(asked only at the last step, medium with two jobs at load 13 had workers waiting
25-68 ms for it at a third of their pieces' ends)."""

ON, SINCE, FINISHED = 0, 1, 2
"""A worker's slot: the step it is on (-1 between steps), when it began, the last
step it finished."""


Order = tuple[int, int, frozenset[int], tuple[int, ...]] | None
"""The piece a worker is to check next, from which of its units on and which not, and
the pieces it may be given after it (its lane's); None when there is nothing left."""


def main(
    settings: Settings,
    pack: Pack,
    work: tuple[list[Chunk], Files | None],
    first: Order,
    slots: Any,
    pipes: tuple[Connection, Connection],
) -> None:
    """A forked worker: check the pieces the supervisor gives it, ``first`` first, one
    after another with one loader (its caches serve every piece); mark each step in
    the piece's slot, send findings in batches."""
    orders, out = pipes
    stepper = Stepper(settings, pack, work[1])
    order, parent = first, os.getppid()
    try:
        while order is not None:
            piece, start, skipped, later = order
            units = stepper.steps(work[0][piece], [u for i in later for u in work[0][i]])
            _check(units, len(work[0][piece]), (start, skipped), Slot(slots, 3 * piece), out)
            order = _next_order(orders, parent)
    finally:
        out.close()
        os._exit(0)  # never the parent's atexit handlers or buffers, a second time


def _check(
    steps: Iterator[Step], size: int, skip: tuple[int, frozenset[int]], slot: Slot, out: Connection
) -> None:
    """Check the ``size`` steps of one piece from ``skip[0]`` on (not the units in
    ``skip[1]``), mark each
    step in ``slot``, send findings in batches, the last one saying the piece is done;
    near its end, ask what to do next (the supervisor answers meanwhile)."""
    start, skipped = skip
    numbers, at = slot.array, slot.offset
    rows: list[Row] = []
    done: list[tuple[int, Marks | None]] = []
    composed: list[str] = []
    sent = time.monotonic()
    last = size - 1
    ask = start + (last - start) * ASK_AT // 8
    for index, step in enumerate(steps):
        if index < start or index in skipped:
            continue
        if index >= ask:  # ask what comes next while the last steps run
            out.send((index - 1, rows, done, composed, False, True))
            rows, done, composed, sent, ask = [], [], [], time.monotonic(), last + 1
        # The slot's numbers written in place (no ``Slot`` call: four a step).
        numbers[at + SINCE] = time.monotonic()
        numbers[at + ON] = index
        _inject_fault("on", step.path)
        rows.extend(map(row, step.run()))
        done.append((index, step.marks))
        composed += step.composed
        numbers[at + ON], numbers[at + FINISHED] = -1, index
        if len(rows) >= BATCH_FINDINGS or time.monotonic() - sent >= BATCH_SECONDS:
            out.send((index, rows, done, composed, False, False))
            rows, done, composed, sent = [], [], [], time.monotonic()
        _inject_fault("after", step.path)
    out.send((last, rows, done, composed, True, False))


def _next_order(orders: Connection, parent: int) -> Order:
    """The supervisor's next order; None once it has none (or has gone)."""
    while not orders.poll(1.0):
        if os.getppid() != parent:
            return None
    try:
        order: Order = orders.recv()
    except (EOFError, OSError):
        return None
    return order


class Slot:
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
