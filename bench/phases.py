#!/usr/bin/env python3
"""Where a run spends its CPU time: the parent's serial phases and each worker.

    python bench/phases.py CORPUS [--jobs 1 2] [--repeat K] [--force-workers] [--take-turns]
        [-- CHECK-ARGS...]

Runs ``aixcl-lint check`` (default arguments ``--format json --profile aixcl``) in
CORPUS once per ``--jobs`` value, each in a fresh interpreter, and prints per phase the
parent's CPU seconds (planning, the units, suppression, fingerprints, reporting) and
each worker's CPU seconds. CPU time does not depend on how busy the machine is, wall
time does; so the *modelled* wall time of a parallel run on an idle machine is the
parent's serial CPU time plus the parallel phase: its busiest worker's CPU time, or
all the CPU time of that phase (the workers' and the parent's, receiving findings)
spread over the CPUs if that is longer. The ratio of two such models is the speed-up
a quiet machine would see, memory bandwidth and caches aside.

What two workers cost beyond one process is duplicated work (each worker's imports,
caches, outlines of the other's documents) and contention (two processes sharing caches
and memory bandwidth, on a shared machine other sessions too). ``--take-turns`` tells
them apart: the workers run one after another (each waits for a lock before its first
unit), so their CPU seconds hold the duplicated work but no contention between them.
The row "workers / --jobs 1 units" compares their sum with the units' CPU seconds of the
first ``--jobs`` value's run.

Needs aixcl-lint importable by this interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_CHECK = ["--format", "json", "--profile", "aixcl"]

# (module, attribute, phase): the functions of a run whose CPU time is attributed.
PHASES = [
    ("aixcl_lint.run", "load_policies", "load policies"),
    ("aixcl_lint.run", "plan", "plan (git ls-files, classify)"),
    ("aixcl_lint.run", "work", "units"),
    ("aixcl_lint.run", "lint_units", "lint units (workers)"),
    # ``run.suppressed`` (run/suppressing.py) since ``run._suppress`` moved out; a build
    # that still has ``_suppress`` is measured by it (--compare)
    ("aixcl_lint.run", "suppressed", "suppression"),
    ("aixcl_lint.run", "_suppress", "suppression"),
    ("aixcl_lint.cli.check", "_print_report", "reporting"),
    # asked for by the formats that show them, while reporting (so counted there too)
    ("aixcl_lint.run.byfile", "found_lines", "  of which code-frame lines"),
    ("aixcl_lint.run.byfile", "fingerprints", "  of which fingerprints"),
]


def _timed(phase: str, func: Callable[..., Any], totals: dict[str, list[float]]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent = totals.setdefault(phase, [0.0, 0.0])
            spent[0] += time.process_time() - cpu
            spent[1] += time.perf_counter() - wall

    return wrapper


def one(jobs: int, check_args: list[str], out: Path, *, force: bool, turns: bool) -> None:
    """One run in this process; its figures (and each worker's) written to ``out``."""
    import importlib

    if force:  # workers however small the run (to find where they start to pay)
        from aixcl_lint.run import parallel

        parallel.MIN_BYTES_PER_JOB = 1
    if turns:
        _take_turns(out.with_suffix(".lock"))

    started_cpu, started = time.process_time(), time.perf_counter()
    workers = out.with_suffix(".workers")
    real_exit = os._exit

    def worker_exit(code: int) -> None:  # a forked worker leaves through os._exit
        usage = os.times()
        with open(workers, "a", encoding="utf-8") as f:
            f.write(f"{usage.user + usage.system}\n")
        real_exit(code)

    from aixcl_lint import cli

    totals: dict[str, list[float]] = {}
    for module, name, phase in PHASES:
        try:  # another build (--compare) may not have every phase
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(mod, name):
            setattr(mod, name, _timed(phase, getattr(mod, name), totals))
    imported_cpu = time.process_time() - started_cpu
    os._exit = worker_exit
    with open(os.devnull, "w") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            code = cli.main(["check", *check_args, "--jobs", str(jobs)])
        finally:
            sys.stdout = saved
    os._exit = real_exit
    shares = [float(x) for x in workers.read_text().split()] if workers.exists() else []
    figures = {
        "jobs": jobs,
        "exit": code,
        "wall_s": time.perf_counter() - started,
        "parent_cpu_s": time.process_time() - started_cpu,
        "import_cpu_s": imported_cpu,
        "phases": totals,
        "workers_cpu_s": shares,
    }
    out.write_text(json.dumps(figures), encoding="utf-8")


def _take_turns(lock: Path) -> None:
    """Make forked workers run one at a time: each takes ``lock`` before its first unit
    (waiting is not CPU time) and holds it until it exits."""
    import fcntl

    try:  # a worker's side is ``run.forked`` since the seventh session
        from aixcl_lint.run import forked as workers

        work = workers.main
        name = "main"
    except ImportError:
        from aixcl_lint.run import workers

        work = workers._worker  # type: ignore[attr-defined]
        name = "_worker"

    def in_turn(*args: Any, **kwargs: Any) -> None:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR)
        fcntl.flock(fd, fcntl.LOCK_EX)  # released as the worker exits
        work(*args, **kwargs)

    setattr(workers, name, in_turn)


def measure(
    corpus: Path, jobs: int, check_args: list[str], *, force: bool, turns: bool = False
) -> dict[str, Any]:
    """One run in a fresh interpreter (imports paid as in a real run)."""
    with tempfile.TemporaryDirectory(prefix="aixcl-phases-") as tmp:
        out = Path(tmp) / "figures.json"
        argv = [sys.executable, __file__, "--one", str(jobs), "--out", str(out)]
        argv += ["--force-workers"] if force else []
        argv += ["--take-turns", str(corpus)] if turns else [str(corpus)]
        env = {**os.environ, "AIXCL_LINT_NO_CACHE": "1"}  # lint, never replay kept results
        subprocess.run([*argv, "--", *check_args], cwd=corpus, check=True, env=env)
        figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return model(figures)


def model(figures: dict[str, Any]) -> dict[str, Any]:
    """The modelled wall time on an idle machine: the parent's serial CPU, then the
    parallel phase, which lasts as long as the busiest worker or as all the work of
    that phase (workers and the parent receiving their findings) spread over the CPUs."""
    shares = figures["workers_cpu_s"]
    receiving = figures["phases"].get("lint units (workers)", [0.0, 0.0])[0] if shares else 0.0
    serial = figures["parent_cpu_s"] - receiving
    cpus = os.cpu_count() or 1
    during = max(max(shares, default=0.0), (sum(shares) + receiving) / cpus) if shares else 0.0
    figures["serial_cpu_s"] = serial
    figures["receiving_cpu_s"] = receiving
    figures["model_wall_s"] = serial + during
    figures["total_cpu_s"] = figures["parent_cpu_s"] + sum(shares)
    return figures


def show(runs: list[dict[str, Any]]) -> None:
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'CPU seconds':<34}" + "".join(f"{'--jobs ' + str(r['jobs']):>12}" for r in runs))

    def row(label: str, values: Sequence[float], fmt: str = ">12.3f") -> None:
        print(f"{label:<34}" + "".join(f"{v:{fmt}}" for v in values))

    row("imports (parent)", [r["import_cpu_s"] for r in runs])
    for phase in dict.fromkeys(phase for _, _, phase in PHASES):  # a phase once
        row(phase, [r["phases"].get(phase, [0.0])[0] for r in runs])
    row("parent, whole process", [r["parent_cpu_s"] for r in runs])
    row("parent, serial (not in workers)", [r["serial_cpu_s"] for r in runs])
    row("parent, receiving findings", [r["receiving_cpu_s"] for r in runs])
    for i in range(max(len(r["workers_cpu_s"]) for r in runs)):
        row(f"worker {i + 1}", [(r["workers_cpu_s"][i:] or [0.0])[0] for r in runs])
    row("all processes", [r["total_cpu_s"] for r in runs])
    units = runs[0]["phases"].get("lint units (workers)", [0.0])[0]
    if units and not runs[0]["workers_cpu_s"]:
        row(
            f"workers / --jobs {runs[0]['jobs']} units",
            [sum(r["workers_cpu_s"]) / units if r["workers_cpu_s"] else 1.0 for r in runs],
        )
    row("model wall (idle machine)", [r["model_wall_s"] for r in runs])
    row("measured wall (this machine)", [r["wall_s"] for r in runs])
    base = runs[0]["model_wall_s"]
    row(f"model ratio to --jobs {runs[0]['jobs']}", [r["model_wall_s"] / base for r in runs])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("-k", "--repeat", type=int, default=1, help="runs of each, interleaved")
    ap.add_argument("--force-workers", action="store_true", help="workers however small the run is")
    ap.add_argument(
        "--take-turns", action="store_true", help="workers one after another (no contention)"
    )
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    ap.add_argument("check_args", nargs="*", help="arguments of check (after --)")
    args = ap.parse_args(argv)
    check_args = args.check_args or DEFAULT_CHECK
    if args.one is not None:
        one(args.one, check_args, args.out, force=args.force_workers, turns=args.take_turns)
        return 0
    corpus, force, turns = args.corpus.resolve(), args.force_workers, args.take_turns
    rounds = [
        [measure(corpus, j, check_args, force=force, turns=turns) for j in args.jobs]
        for _ in range(args.repeat)
    ]
    # of each configuration, the round whose modelled wall time was least
    runs = [min(same, key=lambda r: r["model_wall_s"]) for same in zip(*rounds, strict=True)]
    show(runs)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
