"""Run the hostile-input fuzz target for hours: ``python bench/fuzz.py --hours 2``.

Runs the target of tests/hostile/fuzz_target.py on fresh random inputs, batch after
batch, and keeps going after a failure: every input that raises, or takes longer than
``--slow`` CPU seconds, is saved as JSON in ``--out`` (replay one with ``--replay FILE``).
At the end (or on Ctrl-C or SIGTERM) it prints how many inputs ran and what was found. ``--seed N``
makes a run repeatable: batch ``k`` runs with seed ``N + k``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))

from fuzz_target import exercise, projects, scratch
from hypothesis import HealthCheck, given, seed, settings

STATS: Counter[str] = Counter()


def _cpu() -> float:
    """CPU seconds of this process and its children (git): unlike wall time, not
    inflated by a loaded machine or ``nice``."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _run(files: dict[str, str]) -> None:
    root = scratch()
    try:
        exercise(root, files)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _save(out: Path, kind: str, files: dict[str, str], detail: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    name = out / f"{kind}-{STATS['inputs']:08d}.json"
    record = {"kind": kind, "detail": detail, "files": files}
    name.write_text(json.dumps(record, ensure_ascii=True, indent=1), encoding="utf-8")


def _target(out: Path, slow: float) -> Callable[[dict[str, str]], None]:
    def target(files: dict[str, str]) -> None:
        STATS["inputs"] += 1
        start = _cpu()
        try:
            _run(files)
        except Exception as exc:  # a finding of the fuzz: record it, go on
            first = (str(exc).splitlines() or [""])[0][:160]
            signature = f"{type(exc).__name__}: {first}"
            if STATS[signature] == 0:
                _save(out, "crash", files, traceback.format_exc())
            STATS[signature] += 1
            STATS["crashes"] += 1
            return
        took = _cpu() - start
        if took > slow:
            STATS["slow"] += 1
            _save(out, "slow", files, f"{took:.2f} CPU s")

    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=2_000, help="examples per batch")
    parser.add_argument(
        "--slow", type=float, default=5.0, help="CPU seconds that make an input slow"
    )
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    parser.add_argument("--replay", type=Path, help="run one saved input and exit")
    parser.add_argument(
        "--seed", type=int, help="batch N runs with seed SEED+N, so a run can be repeated"
    )
    args = parser.parse_args()
    if args.replay:
        files = json.loads(args.replay.read_text(encoding="utf-8"))["files"]
        start = time.perf_counter()
        _run(files)
        print(f"ran in {time.perf_counter() - start:.2f} s")
        return 0
    fuzz = settings(
        max_examples=args.batch,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )(given(files=projects())(_target(args.out, args.slow)))
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill PID` ends it like Ctrl-C
    end, batches = time.time() + args.hours * 3600, 0
    if args.seed is not None:
        print(f"seed {args.seed}", flush=True)
    try:
        while time.time() < end:
            batches += 1
            (fuzz if args.seed is None else seed(args.seed + batches)(fuzz))()
            print(
                f"batch {batches}: {STATS['inputs']} inputs, {STATS['crashes']} crashes, "
                f"{STATS['slow']} slow",
                flush=True,
            )
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    print(f"ran {STATS['inputs']} inputs in {batches} batches")
    for key, count in STATS.most_common():
        print(f"  {count:8d}  {key}")
    return 1 if STATS["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
