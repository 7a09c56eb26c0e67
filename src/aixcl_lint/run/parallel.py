"""Evaluating the run's units in worker processes (``--jobs``).

Workers are forked, so they inherit the compiled pack (whose checks are closures and
cannot be pickled) instead of receiving it. The work is dealt by bytes: each unit
weighs what its files hold (plus a constant for the work every unit costs), units of
one affinity stay together (a base file shared by several projects is parsed by one
worker only), and the heaviest groups go first to the lightest share. A run lighter
than ``MIN_BYTES_PER_JOB`` per worker stays in this process: forking, each worker's
own start-up (lazy imports, caches) and sending findings back cost more than a second
core gives back.

Supervising the workers, and what happens when one dies, is ``run.workers``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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


def weights(root: Path, units: Sequence[Unit]) -> list[int]:
    """Each unit's weight: the bytes of its files (from ``lstat``: never opened, never
    followed) plus ``UNIT_OVERHEAD_BYTES``."""
    sizes: dict[str, int] = {}

    def size(path: str) -> int:
        if path not in sizes:
            try:
                sizes[path] = os.lstat(root / path).st_size
            except (OSError, ValueError):  # gone, or a name the filesystem refuses
                sizes[path] = 0
        return sizes[path]

    return [UNIT_OVERHEAD_BYTES + sum(size(p) for p in unit.paths) for unit in units]


def chunks(units: Sequence[Unit], weight: Sequence[int], jobs: int) -> list[Chunk]:
    """Split the work into at most ``jobs`` shares: each kind's bytes dealt evenly
    (units of one affinity together, the heaviest groups first, each to the share with
    the fewest bytes of that kind), each share in the order the units were planned.

    Kinds are dealt one by one because a byte costs each kind differently: measured on
    the benchmark's corpus, a Markdown byte ten times a byte read as plain lines and
    twice a compose byte. Half of every kind's bytes is half of the work whatever
    those costs are.
    """
    together: dict[tuple[str, str], list[int]] = {}
    for i, unit in enumerate(units):
        together.setdefault((unit.kind, unit.affinity), []).append(i)
    by_kind: dict[str, list[tuple[int, list[int]]]] = {}
    for (kind, _), members in together.items():
        by_kind.setdefault(kind, []).append((sum(weight[i] for i in members), members))
    shares: list[list[int]] = [[] for _ in range(jobs)]
    for groups in by_kind.values():
        loads = [0] * jobs
        for heavy, members in sorted(groups, key=lambda g: (-g[0], g[1][0])):
            # the share with the fewest bytes of this kind, then the fewest units
            lightest = min(range(jobs), key=lambda s: (loads[s], len(shares[s])))
            shares[lightest].extend(members)
            loads[lightest] += heavy
    return [[units[i] for i in sorted(share)] for share in shares if share]


def lint_units(
    settings: Settings, pack: Pack, units: Sequence[Unit], jobs: int, files: Files | None
) -> tuple[Found, Scans]:
    """Findings and file problems of every unit, with up to ``jobs`` worker processes,
    and what the units read of their files."""
    shares = _shares(settings.root, units, jobs)
    scans, found = Scans(), Found()
    if shares is None:
        for step in steps(settings, pack, units, files):
            found.extend(step.run())
            scans.add(step.unit, step.marks)
        return found, scans
    from aixcl_lint.run import workers  # multiprocessing only for runs that fork

    supervisor = workers.Supervisor(settings, pack, shares, files, workers.unit_seconds())
    found.extend(supervisor.run(scans))
    return found, scans


def _shares(root: Path, units: Sequence[Unit], jobs: int) -> list[Chunk] | None:
    """The workers' shares, or None when the run is too small to pay for workers (or
    this platform cannot fork)."""
    if jobs < 2 or len(units) < 2:
        return None
    weight = weights(root, units)
    jobs = min(jobs, sum(weight) // MIN_BYTES_PER_JOB)
    if jobs < 2:
        return None
    import multiprocessing  # only for a run large enough to fork (socket, pickle: 10 ms)

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    found = chunks(units, weight, jobs)
    return found if len(found) > 1 else None
