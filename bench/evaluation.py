#!/usr/bin/env python3
"""What rule evaluation alone costs: the engine's CPU time with every document loaded.

    python bench/evaluation.py CORPUS [--repeat K] [--calls] [-- CHECK-ARGS...]

Runs ``aixcl-lint check --jobs 1`` (default arguments ``--format json --profile
aixcl``) in CORPUS in this interpreter, with ``Evaluation.evaluate`` wrapped: each
unit's documents are loaded first (outside the measure), then evaluated K times; the
best CPU time of each unit counts, and the sum over the units is printed (K above 1
flatters a build whose patterns remember their answers: the repeats find them
remembered; K = 1, the default, is a run's own evaluation), with the time of selecting
the subjects measured apart. With ``--calls``, instead, a deterministic profiler counts
the function calls of each unit's one evaluation (the measure that does not depend on
the machine's load) and prints the most frequent ones. The findings are those of the
run (written to ``--out``).

Needs aixcl-lint importable by this interpreter; any build that has
``aixcl_lint.engine.Evaluation`` (so two builds compare in the same minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_CHECK = ["--format", "json", "--profile", "aixcl"]


def measure(corpus: Path, check_args: list[str], repeat: int, calls: bool) -> dict[str, Any]:
    """CPU seconds of evaluation (best of ``repeat`` per unit, summed), and call counts."""
    from aixcl_lint import cli, engine

    original = engine.Evaluation.evaluate
    spent = [0.0, 0.0]
    profile = cProfile.Profile() if calls else None

    def evaluate(self: Any, documents: Iterable[Any]) -> Any:
        docs = list(documents)  # loading is not measured
        if profile is not None:  # the first evaluation, as a run makes it
            profile.enable()
            result = original(self, docs)
            profile.disable()
            return result
        best, result = float("inf"), None
        for _ in range(repeat):
            start = time.process_time()
            result = original(self, docs)
            best = min(best, time.process_time() - start)
        spent[0] += best
        spent[1] += _selecting(self, docs, repeat)
        return result

    engine.Evaluation.evaluate = evaluate  # type: ignore[method-assign]
    out = io.StringIO()
    cwd = os.getcwd()
    os.environ["AIXCL_LINT_NO_CACHE"] = "1"
    try:
        os.chdir(corpus)
        with contextlib.redirect_stdout(out):
            code = cli.main(["check", "--jobs", "1", *check_args])
    finally:
        os.chdir(cwd)
        engine.Evaluation.evaluate = original  # type: ignore[method-assign]
    figures: dict[str, Any] = {"exit": code, "cpu": spent[0], "output": out.getvalue()}
    figures["selecting"] = spent[1]
    if profile is not None:
        stats = pstats.Stats(profile)
        figures["calls"] = sum(v[1] for v in stats.stats.values())  # type: ignore[attr-defined]
        figures["stats"] = stats
    return figures


def _selecting(evaluation: Any, docs: list[Any], repeat: int) -> float:
    """CPU seconds of selecting the documents' subjects alone (best of ``repeat``): each
    selector the rules use, once per document, as the engine selects them."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for doc in docs:
            seen = set()
            for planned in evaluation.rules.get(doc.kind, ()):
                if not planned.admits(doc.files):
                    continue
                for group in planned.groups:
                    if group.selector not in seen:
                        seen.add(group.selector)
                        list(group.pick(doc.tree))
        best = min(best, time.process_time() - start)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Print evaluation's CPU time (and with ``--calls`` its function calls)."""
    args = list(sys.argv[1:] if argv is None else argv)
    extra = DEFAULT_CHECK
    if "--" in args:
        at = args.index("--")
        args, extra = args[:at], args[at + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--calls", action="store_true")
    parser.add_argument("--top", type=int, default=15, help="call sites shown with --calls")
    parser.add_argument("--sort", default="ncalls", help="pstats order with --calls")
    parser.add_argument("--out", type=Path, help="write the run's output here")
    opts = parser.parse_args(args)
    figures = measure(opts.corpus.resolve(), extra, opts.repeat, opts.calls)
    if opts.out:
        opts.out.write_text(figures["output"])
    if not opts.calls:
        cpu, selecting = figures["cpu"], figures["selecting"]
        print(f"evaluation CPU s (best of {opts.repeat} per unit, summed): {cpu:.3f}")
        print(f"  of which selecting subjects (measured apart): {selecting:.3f}")
    else:
        print(f"function calls in one evaluation: {figures['calls']:,}")
        figures["stats"].sort_stats(opts.sort).print_stats(opts.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
