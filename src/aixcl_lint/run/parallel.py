"""Evaluating compose projects in worker processes (``--jobs``).

Workers are forked, so they inherit the compiled pack (whose checks are closures and
cannot be pickled) instead of receiving it; each gets whole folders, so a base file
shared by several projects is parsed by one worker only. Only findings travel back.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.engine import evaluate
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.load import Group, Loader, compose_documents

MIN_GROUPS_PER_JOB = 50
"""Fewer projects than this per worker are linted in-process: forking would cost more."""

_SHARED: list[tuple[Settings, Pack, list[list[Group]]]] = []
"""What forked workers inherit: set just before the pool starts, cleared after."""


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(groups: list[Group], jobs: int) -> list[list[Group]]:
    """Split ``groups`` into ``jobs`` lists of whole folders, balanced by file count."""
    folders: dict[str, list[Group]] = {}
    for group in groups:
        folders.setdefault(group[0].rpartition("/")[0], []).append(group)
    chunks: list[list[Group]] = [[] for _ in range(jobs)]
    loads = [0] * jobs
    for folder_groups in sorted(folders.values(), key=lambda gs: -sum(map(len, gs))):
        lightest = loads.index(min(loads))
        chunks[lightest].extend(folder_groups)
        loads[lightest] += sum(map(len, folder_groups))
    return [chunk for chunk in chunks if chunk]


def _lint_chunk(settings: Settings, pack: Pack, groups: list[Group]) -> list[Finding]:
    loader = Loader(settings)
    documents = compose_documents(loader, groups)
    found = evaluate(pack, documents, settings.rule_options, settings.today)
    return found + loader.problems


def _work(index: int) -> list[Finding]:
    settings, pack, chunks = _SHARED[0]
    return _lint_chunk(settings, pack, chunks[index])


def lint_groups(settings: Settings, pack: Pack, groups: list[Group], jobs: int) -> list[Finding]:
    """Findings and file problems of every compose project, with up to ``jobs`` workers."""
    jobs = min(jobs, len(groups) // MIN_GROUPS_PER_JOB)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _lint_chunk(settings, pack, groups)
    chunks = _chunks(groups, jobs)
    _SHARED.append((settings, pack, chunks))
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
            results = list(pool.map(_work, range(len(chunks))))
    finally:
        _SHARED.clear()
    return [finding for result in results for finding in result]
