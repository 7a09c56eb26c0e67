"""A share of a run as steps, one per unit (a compose project, a Markdown file, ...), so
that a failure is that unit's finding and the rest goes on.

Each step loads its unit through the kinds registry and evaluates it; an exception
becomes a ``run/crash`` finding on the unit, and the file problems a step met travel
with its findings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding, Severity, Span, visible
from aixcl_lint.discover import Files
from aixcl_lint.engine import Evaluation
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Unit
from aixcl_lint.kinds.compose import NAME as COMPOSE
from aixcl_lint.policy.model import Pack
from aixcl_lint.records import record
from aixcl_lint.run import cache
from aixcl_lint.run.load import Loader
from aixcl_lint.run.scans import Marks, marks

Chunk = list[Unit]
"""One worker's share, in the order the units were planned."""


def not_checked(path: str, rule: str, why: str) -> Finding:
    """The finding of a unit that could not be checked."""
    return Finding(path, Span.at(1), rule, Severity.ERROR, f"not checked: {why}")


@record(frozen=False)
class Step:
    """One unit's work: ``run`` gives its findings (never raises)."""

    unit: Unit
    work: Callable[[], list[Finding]]
    loader: Loader
    marks: Marks | None = None
    """What the step read of its unit's files (``run.scans``), once it has run."""
    composed: tuple[str, ...] = ()
    """The YAML files a compose project's step parsed besides its own, once it has run."""

    @property
    def path(self) -> str:
        """The unit's first file (``.`` for the repository)."""
        return self.unit.paths[0] if self.unit.paths else "."

    def run(self) -> list[Finding]:
        """The unit's findings and the file problems met; an exception is a finding."""
        self.loader.scanned.clear()
        self.loader.composed.clear()
        try:
            found = self.work()
        except Exception as exc:  # a bug in a unit: report it there, check the rest
            why = f"{type(exc).__name__}: {visible(str(exc))[:200]} (a bug; please report it)"
            found = [not_checked(self.path, "run/crash", why)]
        found += self.loader.problems
        self.loader.problems.clear()
        self.marks = marks(self.unit.paths, self.loader.scanned)
        if self.loader.composed and self.unit.kind == COMPOSE:
            self.composed = tuple(self.loader.composed.difference(self.unit.paths))
        _bound(self.loader)
        return found


ANSWERS_KEPT = 32_768
"""Most answers a loader keeps of each kind that only saves time (whether a path exists,
where a folder's MkDocs site is): past it they are forgotten and asked again. The large
benchmark corpus asks about 27,600 link targets: at 8,192, 147k of its 343k existence
questions went to disk again (two lstat calls each, about 2.5 s of CPU), for 1.7 MB of
peak memory saved."""


def _bound(loader: Loader) -> None:
    """Forget the loader's answers that only save time once there are too many: a
    large repository's (27,600 link targets and 10,000 folders on the benchmark's
    20,000 files, 3.8 MB) outgrew every other thing a run holds. Answers with side
    effects (the problems a file's first reading reports) are kept."""
    for answers in (loader.present, loader.sites):
        if len(answers) > ANSWERS_KEPT:
            answers.clear()


class Stepper:
    """Steps of one process: its loader, cache recorder and evaluation, shared by every
    chunk it checks (a worker is given several: ``run.workers``)."""

    def __init__(self, settings: Settings, pack: Pack, files: Files | None) -> None:
        self.store = cache.store_for(settings, pack)  # None: results are not kept
        self.recorder = self.store.recorder(files) if self.store else None
        self.loader = self.recorder or Loader(settings, files)
        self.settings, self.pack = settings, pack

    @functools.cached_property
    def evaluation(self) -> Evaluation:
        """The pack's evaluation, made for the first unit checked: a run whose results
        are all kept checks none, and compiles no condition (a warm pre-commit run's
        instructions, 543.6M -> 508.3M, boot4's callgrind)."""
        return Evaluation(self.pack, self.settings.rule_options, self.settings.today)

    def check(self, unit: Unit) -> list[Finding]:
        """One unit's findings (a step's work)."""
        spec = KINDS[unit.kind]
        if not spec.exclusive and not self.evaluation.reads(unit.kind, unit.paths):
            return []  # read only for rules that, by its path, leave it out
        return self.evaluation.evaluate(spec.load(self.loader, [unit]))

    def steps(self, chunk: Sequence[Unit], later: Sequence[Unit] = ()) -> Iterator[Step]:
        """The steps of ``chunk``, in order: one per unit. ``later``: units this process
        may check after it (Markdown parsed for a link is kept for them); what was kept
        for units no longer among them is let go."""
        store, recorder, loader = self.store, self.recorder, self.loader
        loader.expect([*chunk, *later])
        for path in [p for p in loader.kept if p not in loader.expected]:
            loader.kept_chars -= loader.kept.pop(path)[1]
        for unit in chunk:
            work: Callable[[], list[Finding]] = functools.partial(self.check, unit)
            if store and recorder:
                work = store.keeping(unit, work, recorder)
            yield Step(unit, work, loader)


def steps(
    settings: Settings, pack: Pack, chunk: Sequence[Unit], files: Files | None
) -> Iterator[Step]:
    """The steps of ``chunk``, in order: one per unit."""
    return Stepper(settings, pack, files).steps(chunk)
