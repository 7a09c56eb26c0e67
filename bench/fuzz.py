"""Run the hostile-input fuzz target for hours: ``python bench/fuzz.py --hours 2``.

It runs batches of the target in tests/hostile/fuzz_target.py with fresh random seeds,
keeps going after a failure (each distinct failure is written, shrunk, to the log), and
prints how many inputs ran and what was found.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))

from fuzz_target import exercise, projects, scratch
from hypothesis import HealthCheck, given, settings

COUNT = [0]


def _target(files: dict[str, str]) -> None:
    COUNT[0] += 1
    root = scratch()
    try:
        exercise(root, files)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=5_000, help="examples per batch")
    parser.add_argument("--deadline", type=int, default=5_000, help="ms per input")
    parser.add_argument("--log", type=Path, default=Path("fuzz-failures.log"))
    args = parser.parse_args()
    fuzz = settings(
        max_examples=args.batch,
        deadline=args.deadline,
        database=None,
        suppress_health_check=list(HealthCheck),
    )(given(files=projects())(_target))
    end, failures, batches = time.time() + args.hours * 3600, {}, 0
    while time.time() < end:
        batches += 1
        try:
            fuzz()
        except Exception as exc:  # a failure: log it shrunk, and go on
            signature = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            if signature not in failures:
                with args.log.open("a", encoding="utf-8") as log:
                    log.write(f"=== {signature}\n{traceback.format_exc()}\n")
            failures[signature] = failures.get(signature, 0) + 1
        print(f"batch {batches}: {COUNT[0]} inputs, {len(failures)} distinct failures", flush=True)
    print(f"ran {COUNT[0]} inputs in {batches} batches; {len(failures)} distinct failures")
    for signature, times in sorted(failures.items()):
        print(f"  {times}x {signature}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
