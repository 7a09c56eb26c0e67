"""Evaluating the run's units in worker processes (``--jobs``).

Workers are forked, so they inherit the compiled pack (whose checks are closures and
cannot be pickled) instead of receiving it. The work is cut by bytes: each unit
weighs what its files hold (plus a constant for the work every unit costs), units of
one affinity stay together (a base file shared by several projects is parsed by one
worker only), in pieces of halving weight that the workers take as they go
(``pieces``, ``run.workers``). A run lighter
than ``MIN_BYTES_PER_JOB`` per worker stays in this process: forking, each worker's
own start-up (lazy imports, caches) and sending findings back cost more than a second
core gives back.

Supervising the workers, and what happens when one dies, is ``run.workers``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from aixcl_lint.config import Settings
from aixcl_lint.discover import Files
from aixcl_lint.kinds.base import Unit
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.found import Found
from aixcl_lint.run.scans import Scans
from aixcl_lint.run.steps import Chunk, steps

MIN_BYTES_PER_JOB = 750_000
"""Less work than this (in ``weights``) per worker stays in-process. Measured with
``bench/phases.py --force-workers`` (bench/README.md): on 20 compose files and 20
documents (a weight of 0.85 MB) two workers cost 38% more CPU for a modelled 0.82 of
the wall time; on 50 + 50 (1.9 MB), 15% more CPU for 0.65."""
UNIT_OVERHEAD_BYTES = 2048
"""What a unit costs beyond its bytes (planning, evaluating its rules, its findings),
expressed in bytes of input; a missing or empty file still costs this much."""


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def weights(root: Path, units: Sequence[Unit], files: Files | None = None) -> list[int]:
    """Each unit's weight: the bytes of its files (as the listing found them, else from
    ``lstat``: never opened, never followed) plus ``UNIT_OVERHEAD_BYTES``."""
    sizes: dict[str, int] = {}
    top = os.fspath(root)

    def size(path: str) -> int:
        if path not in sizes:
            listed = files.size(path) if files is not None else None
            if listed is None:
                try:
                    listed = os.lstat(os.path.join(top, path)).st_size
                except (OSError, ValueError):  # gone, or a name the filesystem refuses
                    listed = 0
            sizes[path] = listed
        return sizes[path]

    return [UNIT_OVERHEAD_BYTES + sum(size(p) for p in unit.paths) for unit in units]


def pieces(units: Sequence[Unit], weight: Sequence[int], jobs: int) -> list[Chunk]:
    """The work as pieces for ``jobs`` workers to take one after another, heaviest
    first: ``jobs`` pieces of a quarter of the bytes each (with two jobs), then ``jobs``
    of an eighth, and so on for ``ROUNDS`` rounds, the last round sharing what is left.
    A worker near the end of its piece is given the next (its own lane's, else
    another's smallest: ``run.workers``), so the workers end within about one small
    piece of each other however their speeds differ (another process on the same
    CPU, a slow file), where equal shares end as far apart as the speeds differ.

    Units of one affinity stay together. Every piece holds about the same fraction of
    each kind's bytes (a Markdown byte costs twice a compose byte and ten times a byte
    read as plain lines, so a piece's bytes say its time only for such a mix), the
    heaviest groups of each kind in the first pieces, and its units in planned order.
    """
    together: dict[tuple[str, str], list[int]] = {}
    for i, unit in enumerate(units):
        together.setdefault((unit.kind, unit.affinity), []).append(i)
    by_kind: dict[str, list[tuple[int, list[int]]]] = {}
    for (kind, _), members in together.items():
        by_kind.setdefault(kind, []).append((sum(weight[i] for i in members), members))
    # Each group at the middle of its bytes among its kind's (heaviest first), as a
    # fraction of that kind's bytes: ordered by it, any stretch has each kind's share.
    placed: list[tuple[float, int, int, list[int]]] = []
    for groups in by_kind.values():
        groups.sort(key=lambda g: (-g[0], g[1][0]))
        whole, before = sum(g[0] for g in groups) or 1, 0
        for heavy, members in groups:
            placed.append(((before + heavy / 2) / whole, members[0], heavy, members))
            before += heavy
    placed.sort(key=lambda p: (p[0], p[1]))
    total = sum(p[2] for p in placed)
    ends = list(itertools.accumulate(_sizes(total, jobs)))
    found: list[list[int]] = [[] for _ in ends]
    k, done = 0, 0
    for _, _, heavy, members in placed:
        while k < len(ends) - 1 and done + heavy / 2 >= ends[k]:
            k += 1
        found[k].extend(members)
        done += heavy
    return [[units[i] for i in sorted(piece)] for piece in found if piece]


ROUNDS = 6
"""Rounds of pieces (``pieces``): with two jobs, the last two hold 1/64 of the work
each (on the medium benchmark corpus about 0.08 s of a worker's 2.5 s)."""


def _sizes(total: int, jobs: int) -> list[float]:
    """The weight of each piece: each round ``jobs`` pieces of half of what is left,
    the last round all of it (one round: ``jobs`` equal shares)."""
    sizes: list[float] = []
    left = float(total)
    for r in range(ROUNDS):
        share = left / jobs if r == ROUNDS - 1 else left / (2 * jobs)
        sizes += [share] * jobs
        left -= share * jobs
    return sizes


def lint_units(
    settings: Settings,
    pack: Pack,
    units: Sequence[Unit],
    jobs: int,
    files: Files | None,
    meanwhile: Callable[[], None] = lambda: None,
) -> tuple[Found, Scans]:
    """Findings and file problems of every unit, with up to ``jobs`` worker processes,
    and what the units read of their files; ``meanwhile`` is called once, while the
    workers check units (after the units, in a run without workers)."""
    dealt = _pieces(settings.root, units, jobs, files)
    scans, found = Scans(), Found()
    if dealt is None:
        for step in steps(settings, pack, units, files):
            found.extend(step.run())
            scans.add(step.unit, step.marks)
            scans.composed.update(step.composed)
        meanwhile()
        return found, scans
    from aixcl_lint.run import workers  # multiprocessing only for runs that fork

    supervisor = workers.Supervisor(
        settings, pack, dealt[0], files, workers.unit_seconds(), jobs=dealt[1]
    )
    found.extend(supervisor.run(scans, meanwhile))
    return found, scans


def _pieces(
    root: Path, units: Sequence[Unit], jobs: int, files: Files | None
) -> tuple[list[Chunk], int] | None:
    """The workers' pieces and how many workers, or None when the run is too small to
    pay for workers (or this platform cannot fork)."""
    if jobs < 2 or len(units) < 2:
        return None
    weight = weights(root, units, files)
    jobs = min(jobs, sum(weight) // MIN_BYTES_PER_JOB)
    if jobs < 2:
        return None
    import multiprocessing  # only for a run large enough to fork (socket, pickle: 10 ms)

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    found = pieces(units, weight, jobs)
    return (found, min(jobs, len(found))) if len(found) > 1 else None
