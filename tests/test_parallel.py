"""--jobs: worker processes give byte-identical output to a single process."""

from __future__ import annotations

import collections
import multiprocessing.process
import os
import signal
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Document, Reader, Unit
from aixcl_lint.records import replace
from aixcl_lint.run import forked as worker_side
from aixcl_lint.run import load_policies, parallel, steps, workers
from aixcl_lint.run.scans import Scans
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _corpus(projects: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for i in range(projects):
        mode = "host" if i % 3 else "bridge"
        files[f"stack{i:03}/compose.yaml"] = (
            "x-base: &base\n  restart: always\n"
            f"services:\n  app{i}:\n    <<: *base\n    image: app:{i}.0\n"
            f"    network_mode: {mode}\n"
        )
        if i % 4 == 0:
            files[f"stack{i:03}/compose.override.yaml"] = (
                f"services:\n  app{i}:\n    ports: ['{8000 + i}:80']\n"
            )
        if i % 5 == 0:
            files[f"stack{i:03}/compose.prod.yaml"] = (
                f"services:\n  extra{i}:\n    image: extra:latest\n"
            )
    return files


def test_files_projects_extend_count_as_checked_with_workers_too(
    repo: Repo, forked: list[int]
) -> None:
    """The files projects extend (not targets of their own) are found while the workers
    check the units: the summary counts them as one process does."""
    files = _corpus(40)
    files["common/base.yml"] = "services:\n  base:\n    image: base:latest\n"
    for i in range(0, 40, 7):
        files[f"stack{i:03}/compose.yaml"] = (
            f"services:\n  app{i}:\n    extends: {{file: ../common/base.yml, service: base}}\n"
            "    network_mode: host\n"
        )
    root = repo(files)
    args = ("check", "--no-cache", "--profile", "aixcl", "--format", "json")
    one = run_cli(*args, "--jobs", "1", cwd=root)
    two = run_cli(*args, "--jobs", "2", cwd=root)
    assert forked == [2]
    assert one.out == two.out
    targets = sum(1 for name in files if name.startswith("stack"))
    assert one.json()["summary"]["files"] == targets + 1  # common/base.yml too
    found = {(f["path"], f["rule"]) for f in two.json()["findings"]}
    assert ("common/base.yml", "compose/image-pinned[latest]") in found


def test_jobs_give_the_same_report_as_one_process(
    repo: Repo, forked: list[int], dealt: list[tuple[int, int]]
) -> None:
    root = repo(_corpus(240))
    args = ("check", "--no-cache", "--profile", "aixcl", "--format", "json")
    one = run_cli(*args, "--jobs", "1", cwd=root)
    two = run_cli(*args, "--jobs", "2", cwd=root)
    assert forked == [2]
    assert one.code == two.code == 1
    assert one.out == two.out
    assert dealt
    assert sorted(piece for _, piece in dealt) == list(range(len(dealt)))
    assert len({pid for pid, _ in dealt}) == 2  # each worker took the next piece it could
    rules = [f[0] for f in one.findings()]
    assert rules.count("compose/network-mode-host") == 80 + 48  # bridge + extras without mode
    assert rules.count("compose/no-port-mappings") == 60
    assert rules.count("compose/image-pinned[latest]") == 48


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Workers for any run of two units or more; how many workers each supervised run
    so far started with."""
    runs: list[int] = []

    class Counted(workers.Supervisor):
        def run(
            self, scans: Scans, meanwhile: Callable[[], None] = lambda: None
        ) -> Iterator[Finding]:
            runs.append(len(self.workers))
            yield from super().run(scans, meanwhile)

    monkeypatch.setattr(parallel, "MIN_BYTES_PER_JOB", 1)
    monkeypatch.setattr(workers, "Supervisor", Counted)
    return runs


@pytest.fixture
def dealt(monkeypatch: pytest.MonkeyPatch, forked: list[int]) -> list[tuple[int, int]]:
    """Each piece of the run and the worker process it was given to (pid, piece)."""
    given: list[tuple[int, int]] = []
    supervisor = workers.Supervisor  # the ``forked`` fixture's
    start, order = supervisor.start, supervisor._order

    def starting(self: workers.Supervisor, chunk: int, first: int, lane: int) -> workers._Worker:
        worker = start(self, chunk, first, lane)
        given.append((worker.process.pid, chunk))
        return worker

    def ordering(self: workers.Supervisor, worker: workers._Worker) -> None:
        order(self, worker)
        if worker.queued is not None:
            given.append((worker.process.pid, worker.queued))

    monkeypatch.setattr(supervisor, "start", starting)
    monkeypatch.setattr(supervisor, "_order", ordering)
    return given


def _projects(count: int) -> dict[str, str | bytes]:
    return {
        f"p{i:03}/compose.yaml": f"services:\n  app{i}:\n    image: app:{i}.0\n"
        for i in range(count)
    }


def _exit_on(path: str, code: int) -> Callable[..., Iterator[Document]]:
    """The compose kind's loader, except that a worker loading ``path`` exits at once."""
    load = KINDS["compose"].load
    parent = os.getpid()

    def dying(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
        if any(path in unit.paths for unit in units):
            if os.getpid() == parent:
                raise AssertionError("the unit was checked in the test's own process")
            os._exit(code)
        return load(reader, units)

    return dying


def test_workers_done_are_not_waited_for(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker's exit (its memory freed) is not the run's time: only a worker that
    died before its work was done is waited for, for its exit code."""
    joined: list[int | None] = []
    join = multiprocessing.process.BaseProcess.join

    def counted(self: multiprocessing.process.BaseProcess, timeout: float | None = None) -> None:
        joined.append(self.pid)
        join(self, timeout)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "join", counted)
    root = repo(_projects(30))
    argv = ("check", "--no-cache", "--jobs", "2", "--profile", "aixcl")
    ran = run_cli(*argv, cwd=root)
    assert forked == [2]
    assert ran.code == 1, ran.err
    assert joined == []
    monkeypatch.setitem(
        KINDS, "compose", replace(KINDS["compose"], load=_exit_on("p007/compose.yaml", 3))
    )
    assert run_cli(*argv, cwd=root).code == 1
    assert len(joined) == 1


def test_a_worker_dying_on_a_unit_loses_only_that_unit(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(_projects(30))
    monkeypatch.setitem(
        KINDS, "compose", replace(KINDS["compose"], load=_exit_on("p007/compose.yaml", 3))
    )
    ran = run_cli(
        "check", "--no-cache", "--jobs", "2", "--format", "json", "--profile", "aixcl", cwd=root
    )
    assert forked == [2]
    assert ran.code == 1, ran.err
    crashed = [f for f in ran.json()["findings"] if f["rule"] == "run/crash"]
    assert [(f["path"], f["message"]) for f in crashed] == [
        ("p007/compose.yaml", "not checked: the worker checking it stopped (exit code 3)")
    ]
    others = {path for rule, path, _, _ in ran.findings() if rule == "compose/network-mode-host"}
    assert others == set(_projects(30)) - {"p007/compose.yaml"}


def test_a_worker_dying_between_units_loses_none_of_the_rest(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after one unit's step and before the next, twice (the retry dies there
    too): the unit it had just checked is reported, every other is checked once."""
    root = repo(_projects(30))
    args = ("check", "--no-cache", "--format", "json", "--profile", "aixcl")
    alone = run_cli(*args, "--jobs", "1", cwd=root)
    monkeypatch.setattr(worker_side, "BATCH_SECONDS", 3600.0)  # nothing sent before the kill
    env = {"AIXCL_LINT_FAULT": "kill-after:p007/compose.yaml"}
    ran = run_cli(*args, "--jobs", "2", cwd=root, env=env)
    assert forked == [2]
    assert ran.code == 1, ran.err
    found = ran.json()["findings"]
    crashed = [f for f in found if f["rule"] == "run/crash"]
    assert [(f["path"], f["message"]) for f in crashed] == [
        ("p007/compose.yaml", "not checked: the worker checking it was killed by signal 9 after it")
    ]
    expected = [f for f in alone.json()["findings"] if f["path"] != "p007/compose.yaml"]
    assert [f for f in found if f["rule"] != "run/crash"] == expected


def test_a_worker_dying_on_its_pieces_last_unit_loses_not_the_piece_it_was_told(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker is told its next piece before its last steps: dying on one, the piece
    it was told (never begun) goes to another worker."""
    made: list[list[list[Unit]]] = []
    real = parallel.pieces

    def recorded(*args: Any) -> list[list[Unit]]:
        made.append(real(*args))
        return made[-1]

    parent = os.getpid()

    def kill_on_first_pieces_last(when: str, path: str) -> None:
        if when == "on" and os.getpid() != parent and path == made[0][0][-1].paths[0]:
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(parallel, "pieces", recorded)
    monkeypatch.setattr(worker_side, "_inject_fault", kill_on_first_pieces_last)
    root = repo(_projects(30))
    args = ("check", "--no-cache", "--format", "json", "--profile", "aixcl")
    alone = run_cli(*args, "--jobs", "1", cwd=root)
    ran = run_cli(*args, "--jobs", "2", cwd=root)
    assert forked == [2]
    assert len(made[0]) > 2  # pieces left to tell when the first one ends
    dead = made[0][0][-1].paths[0]
    found = ran.json()["findings"]
    assert [(f["path"], f["rule"]) for f in found if f["rule"] == "run/crash"] == [
        (dead, "run/crash")
    ]
    expected = [f for f in alone.json()["findings"] if f["path"] != dead]
    assert [f for f in found if f["rule"] != "run/crash"] == expected


@pytest.mark.slow  # a real worker must hang past its unit's half second, then be killed
def test_a_worker_hanging_on_a_unit_is_replaced(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(_projects(12))
    env = {"AIXCL_LINT_FAULT": "hang:p003/compose.yaml", "AIXCL_LINT_UNIT_SECONDS": "0.5"}
    ran = run_cli(
        "check", "--jobs", "2", "--format", "json", "--profile", "aixcl", cwd=root, env=env
    )
    assert ran.code == 1, ran.err
    found = ran.findings()
    assert ("run/timeout", "p003/compose.yaml", 1, 1) in found
    checked = {path for rule, path, _, _ in found if rule == "compose/network-mode-host"}
    assert checked == set(_projects(12)) - {"p003/compose.yaml"}


def test_a_small_run_stays_in_one_process(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("forked workers for a small run")

    monkeypatch.setattr(workers, "Supervisor", refuse)
    root = repo(_projects(200))  # 200 units, 8 kB: far below a worker's worth of bytes
    ran = run_cli(
        "check", "--no-cache", "--jobs", "2", "--format", "json", "--profile", "aixcl", cwd=root
    )
    assert ran.code == 1, ran.err
    assert len(ran.findings()) == 200


def test_work_is_dealt_in_pieces_heaviest_first_keeping_affinities_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = [Unit("markdown", (f"d{i}.md",), f"d{i}.md") for i in range(8)]
    units += [Unit("compose", ("a/compose.yaml",), "a"), Unit("compose", ("a/x.yaml",), "a")]
    units += [Unit("compose", ("b/compose.yaml",), "b"), Unit("compose", ("c/compose.yaml",), "c")]
    weight = [10, 10, 10, 10, 40, 10, 10, 20, 30, 30, 20, 10]
    monkeypatch.setattr(parallel, "ROUNDS", 3)
    found = parallel.pieces(units, weight, 2)
    # two pieces of a quarter of the bytes (210), two of an eighth, two of what is
    # left; the heaviest groups of each kind first (d4, then a's two units together),
    # each kind spread over the pieces, each piece in planned order
    assert [[units.index(u) for u in piece] for piece in found] == [
        [4],
        [8, 9],
        [0, 7],
        [1, 2],
        [3, 10],
        [5, 6, 11],
    ]
    monkeypatch.setattr(parallel, "ROUNDS", 1)  # one round: a share for each job
    assert [len(piece) for piece in parallel.pieces(units, weight, 2)] == [3, 9]


def test_a_worker_takes_its_lanes_pieces_then_the_smallest_of_the_fullest_lane() -> None:
    supervisor = workers.Supervisor.__new__(workers.Supervisor)  # no workers: the rule
    supervisor.lanes = [collections.deque([2, 4]), collections.deque([3, 5, 7, 9])]
    assert [supervisor._take(0) for _ in range(3)] == [2, 4, 9]
    assert [supervisor._take(1) for _ in range(3)] == [3, 5, 7]
    assert supervisor._take(0) is None
    assert supervisor._take(1) is None


def test_markdown_kept_for_a_piece_another_worker_took_is_let_go(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n\n[b](b.md#b) [c](c.md#c)\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("# C\n", encoding="utf-8")
    settings = Settings(root=tmp_path)
    stepper = steps.Stepper(settings, load_policies(settings), None)
    a, b, c = (Unit("markdown", (f"{n}.md",), f"{n}.md") for n in "abc")
    for step in stepper.steps([a], [b]):  # b's piece may come to this worker: kept
        step.run()
    assert set(stepper.loader.kept) == {"b.md"}  # c, not to come, outlined lightly
    assert stepper.loader.kept_chars == len("# B\n")
    for step in stepper.steps([c]):  # b's piece went to another worker
        step.run()
    assert stepper.loader.kept == {}
    assert stepper.loader.kept_chars == 0


def test_units_weigh_their_bytes(tmp_path: Path) -> None:
    units = [Unit("markdown", ("d0.md",), "d0.md"), Unit("markdown", ("d1.md",), "d1.md")]
    units.append(Unit("compose", ("a/compose.yaml",), "a"))
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "compose.yaml").write_text("x" * 5000)
    (tmp_path / "d0.md").touch()
    overhead = parallel.UNIT_OVERHEAD_BYTES
    assert parallel.weights(tmp_path, units) == [
        overhead,
        overhead,  # a missing file weighs what any unit costs
        overhead + 5000,
    ]


def test_units_weigh_what_the_listing_found_without_asking_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Listing(discover.Files):
        def size(self, rel: str) -> int | None:
            return {"a/compose.yaml": 5000, "d0.md": 7}.get(rel)

    units = [Unit("markdown", ("d0.md",), "d0.md"), Unit("compose", ("a/compose.yaml",), "a")]
    units.append(Unit("markdown", ("gone.md",), "gone.md"))  # not listed: asked
    asked: list[str] = []
    lstat = os.lstat

    def counted(path: str) -> os.stat_result:
        asked.append(os.path.relpath(path, tmp_path))
        return lstat(path)

    monkeypatch.setattr(os, "lstat", counted)
    overhead = parallel.UNIT_OVERHEAD_BYTES
    weights = parallel.weights(tmp_path, units, Listing(tmp_path))
    assert weights == [overhead + 7, overhead + 5000, overhead]
    assert asked == ["gone.md"]


def test_workers_that_always_die_end_with_every_unit_reported(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker dying before its first step, every time: each death uses up a retry or a
    unit, so the run ends, each unit reported as not checked."""
    parent = os.getpid()

    def dying(*args: object) -> Iterator[object]:
        if os.getpid() != parent:
            os._exit(5)
        raise AssertionError("steps ran in the test's own process")
        yield

    monkeypatch.setattr(steps.Stepper, "steps", dying)
    root = repo(_projects(6))
    ran = run_cli(
        "check", "--no-cache", "--jobs", "2", "--format", "json", "--profile", "aixcl", cwd=root
    )
    assert ran.code == 1, ran.err
    found = ran.findings()
    assert {rule for rule, _, _, _ in found} == {"run/crash"}
    assert sorted(path for _, path, _, _ in found) == sorted(_projects(6))


def test_one_unit_with_jobs_runs_in_this_process(repo: Repo, forked: list[int]) -> None:
    root = repo({"compose.yaml": "services:\n  web:\n    image: web\n"})
    ran = run_cli(
        "check", "--no-cache", "--jobs", "2", "--format", "json", "--select", "compose", cwd=root
    )
    assert ran.code == 1, ran.err
    assert forked == []
    assert [f[0] for f in ran.findings()] == ["compose/image-pinned[untagged]"]


def test_a_share_whose_workers_die_after_every_unit_ends(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two deaths a unit would start more workers than a share has units: past that
    bound, the rest of the share is reported instead, and the run ends."""
    parent = os.getpid()

    def after_every_step(when: str, path: str) -> None:
        if when == "after" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(worker_side, "_inject_fault", after_every_step)
    monkeypatch.setattr(worker_side, "BATCH_SECONDS", 3600.0)
    monkeypatch.setattr(parallel, "ROUNDS", 1)  # two pieces of four units: one per job
    root = repo(_projects(8))
    ran = run_cli(
        "check", "--no-cache", "--jobs", "2", "--format", "json", "--profile", "aixcl", cwd=root
    )
    assert ran.code == 1, ran.err
    found = ran.json()["findings"]
    assert {f["rule"] for f in found} == {"run/crash"}
    assert {f["path"] for f in found} == set(_projects(8))
    assert any(f["message"].endswith(", again") for f in found)


def test_a_unit_not_checked_is_reported_whatever_select_says(
    repo: Repo, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(_projects(30))
    monkeypatch.setitem(
        KINDS, "compose", replace(KINDS["compose"], load=_exit_on("p007/compose.yaml", 3))
    )
    argv = ("check", "--no-cache", "--jobs", "2", "--format", "json", "--profile", "aixcl")
    ran = run_cli(*argv, "--select", "compose/no-port-mappings", cwd=root)
    assert ran.code == 1, ran.err
    assert [(rule, path) for rule, path, _, _ in ran.findings()] == [
        ("run/crash", "p007/compose.yaml")
    ]
    ignored = run_cli(*argv, "--select", "compose", "--ignore", "run/crash", cwd=root)
    assert "run/crash" not in {rule for rule, _, _, _ in ignored.findings()}
