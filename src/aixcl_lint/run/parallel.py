"""Evaluating documents in worker processes (``--jobs``).

Workers are forked, so they inherit the compiled pack (whose checks are closures and
cannot be pickled) instead of receiving it. Work is dealt as the kinds registry plans
it: units with the same affinity (a compose project's folder, so a base file shared by
several projects is parsed by one worker only) stay together. Only findings travel back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import chain

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.discover import Files
from aixcl_lint.engine import evaluate
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Unit
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.load import Loader

MIN_UNITS_PER_JOB = 50
"""Fewer units than this per worker stay in-process: forking costs more."""

Chunk = list[Unit]
"""One worker's share, in the order the units were planned."""

_SHARED: list[tuple[Settings, Pack, list[Chunk], Files | None]] = []
"""What forked workers inherit: set just before the pool starts, cleared after."""


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
    loader = Loader(settings, files)
    by_kind: dict[str, list[Unit]] = {}
    for unit in chunk:
        by_kind.setdefault(unit.kind, []).append(unit)
    documents = chain.from_iterable(
        KINDS[kind].load(loader, units) for kind, units in by_kind.items()
    )
    found = evaluate(pack, documents, settings.rule_options, settings.today)
    return found + loader.problems


def _work(index: int) -> list[Finding]:
    settings, pack, chunks, files = _SHARED[0]
    return _lint_chunk(settings, pack, chunks[index], files)


def lint_units(
    settings: Settings, pack: Pack, units: Sequence[Unit], jobs: int, files: Files | None
) -> list[Finding]:
    """Findings and file problems of every unit, with up to ``jobs`` worker processes."""
    jobs = min(jobs, len(units) // MIN_UNITS_PER_JOB)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _lint_chunk(settings, pack, list(units), files)
    chunks = _chunks(units, jobs)
    _SHARED.append((settings, pack, chunks, files))
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
            results = list(pool.map(_work, range(len(chunks))))
    finally:
        _SHARED.clear()
    return [finding for result in results for finding in result]
