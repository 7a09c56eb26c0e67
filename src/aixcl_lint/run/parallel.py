"""Evaluating compose projects in worker processes (``--jobs``).

Workers are forked, so they inherit the compiled pack (whose checks are closures and
cannot be pickled) instead of receiving it; each gets whole folders, so a base file
shared by several projects is parsed by one worker only, and a share of the Markdown
files. Only findings travel back.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import chain

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.discover import SourceFile
from aixcl_lint.engine import evaluate
from aixcl_lint.policy.model import Pack
from aixcl_lint.run.load import Group, Loader, compose_documents, markdown_documents

MIN_UNITS_PER_JOB = 50
"""Fewer projects and documents than this per worker stay in-process: forking costs more."""

Chunk = tuple[list[Group], list[SourceFile]]
"""One worker's share: compose projects (whole folders) and Markdown files."""

_SHARED: list[tuple[Settings, Pack, list[Chunk]]] = []
"""What forked workers inherit: set just before the pool starts, cleared after."""


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _chunks(groups: list[Group], markdown: list[SourceFile], jobs: int) -> list[Chunk]:
    """Split the work into ``jobs`` shares: compose projects by whole folders, balanced
    by file count, and Markdown files dealt round-robin."""
    folders: dict[str, list[Group]] = {}
    for group in groups:
        folders.setdefault(group[0].rpartition("/")[0], []).append(group)
    chunks: list[Chunk] = [([], []) for _ in range(jobs)]
    loads = [0] * jobs
    for folder_groups in sorted(folders.values(), key=lambda gs: -sum(map(len, gs))):
        lightest = loads.index(min(loads))
        chunks[lightest][0].extend(folder_groups)
        loads[lightest] += sum(map(len, folder_groups))
    for i, f in enumerate(markdown):
        chunks[i % jobs][1].append(f)
    return [chunk for chunk in chunks if chunk[0] or chunk[1]]


def _lint_chunk(settings: Settings, pack: Pack, chunk: Chunk) -> list[Finding]:
    groups, markdown = chunk
    loader = Loader(settings)
    documents = chain(compose_documents(loader, groups), markdown_documents(loader, markdown))
    found = evaluate(pack, documents, settings.rule_options, settings.today)
    return found + loader.problems


def _work(index: int) -> list[Finding]:
    settings, pack, chunks = _SHARED[0]
    return _lint_chunk(settings, pack, chunks[index])


def lint_documents(
    settings: Settings, pack: Pack, groups: list[Group], markdown: list[SourceFile], jobs: int
) -> list[Finding]:
    """Findings and file problems of every compose project and Markdown file, with up
    to ``jobs`` worker processes."""
    jobs = min(jobs, (len(groups) + len(markdown)) // MIN_UNITS_PER_JOB)
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return _lint_chunk(settings, pack, (groups, markdown))
    chunks = _chunks(groups, markdown, jobs)
    _SHARED.append((settings, pack, chunks))
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(chunks), mp_context=context) as pool:
            results = list(pool.map(_work, range(len(chunks))))
    finally:
        _SHARED.clear()
    return [finding for result in results for finding in result]
