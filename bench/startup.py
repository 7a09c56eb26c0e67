#!/usr/bin/env python3
"""Start-up: the small runs of issue 14, wall and CPU time, beside another build's.

    python bench/startup.py --corpus /work/bench/medium/corpus [--compare LINT] [-k 7]

Every command runs as a fresh process with byte code compiled (``timing.compile_package``
for each build) and without ``PYTHONDONTWRITEBYTECODE``, as on a user's machine;
interleaved rounds, best of K after a warm-up:

- ``python -c pass`` and ``python -c "import yaml"`` (the interpreter's own floor), and
  ``python -c`` importing the libraries a cold run imports (``LIBRARIES``) and those a
  warm run imports (``WARM_LIBRARIES``: click);
- the tiny repository's floor (``TINY_FLOOR``): git's listing, libyaml's compose of its
  compose file, pyromark's events of its documents, one RE2 pattern and the pack's
  shipped parse read as JSON; and the same with ``import click``;
- ``aixcl-lint check examples/aixcl`` in this repository (warm), and with an empty
  ``XDG_CACHE_HOME`` (a machine's first run);
- the tiny repository of ``done.py`` (one compose file, two documents), cold and warm;
- the pre-commit run of ``done.py``: ``check --profile aixcl`` on 5 named files of the
  corpus (three compose files, two documents), warm.

With ``--compare LINT`` (another build's ``aixcl-lint``), that build's runs are timed in
the same rounds and each row shows this build over it, in wall and in CPU time (the
CPU ratio is the one to read on a shared machine).

``--phases``: only the warm pre-commit run, in each build, with its CPU time split by
phase inside the process (``PHASES``: the interpreter, the command line (with click,
in a build whose command line imports it), the run package, configuring, loading the
pack, linting, the report), best of K per phase.

``--instructions``: each row's instructions instead of its times (valgrind's callgrind,
fewest of K; the command's own process, not the git it starts): unlike CPU seconds,
repeatable to about 1% on a loaded machine, so two builds compare in any minutes. Two
rows more, in each build's interpreter: the modules a warm ``check`` imports
(``WARM_IMPORTS``), and the same with ``@dataclass`` made a no-op (``NO_DATACLASSES``,
which leaves each class as written): the difference is what creating the frozen
dataclasses of aixcl-lint's modules costs at every start.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import done
from timing import Timed, compile_package, fresh_cache, interleave, user_environment

REPO = Path(__file__).resolve().parent.parent
LIBRARIES = "import yaml, click, pathspec, re2, pyromark, hashlib, json, subprocess, dataclasses"
"""What a cold run on a compose file and a document imports besides aixcl-lint itself."""
WARM_LIBRARIES = "import click, hashlib, json, subprocess, dataclasses"
"""What a warm run (every result kept) imports besides aixcl-lint itself."""
TINY_FLOOR = """\
import json, subprocess, yaml, pyromark, re2
O = pyromark.Options
options = (O.ENABLE_TABLES | O.ENABLE_STRIKETHROUGH | O.ENABLE_TASKLISTS | O.ENABLE_FOOTNOTES
           | O.ENABLE_GFM | O.ENABLE_YAML_STYLE_METADATA_BLOCKS)
parser = pyromark.Markdown(options=options)
listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"],
                        capture_output=True, check=True).stdout.decode().split("\\0")
for path in filter(None, listed):
    text = open(path, encoding="utf-8").read()
    if path.endswith(".yaml"):
        list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    else:
        list(parser.events_with_range(text, merge_text=True))
re2.compile("security@")
"""
"""The least a first run on the tiny repository must do: list it with git, compose its
YAML with libyaml, take pyromark's events of its two documents, compile an RE2 pattern
(the pack's parse ships with the package: ``policy.shipped``; its JSON is read below)."""


WARM_IMPORTS = (
    "import click, aixcl_lint.run, aixcl_lint.cli.check_command, aixcl_lint.report.text\n"
)
"""The modules a warm ``check`` with a text report imports (all but the few it imports
while it runs)."""
NO_DATACLASSES = """\
import dataclasses

def _as_written(cls=None, /, **_options):
    # A class left as written, with the one method a module's import may call: an
    # __init__ taking the fields in order (no exec, unlike dataclasses' generated code).
    def plain(c):
        written = [vars(k).get("__annotations__", {}) for k in reversed(c.__mro__)]
        names = [n for a in written for n, t in a.items() if "ClassVar" not in str(t)]
        names = list(dict.fromkeys(names))
        given = {n: getattr(c, n) for n in names if hasattr(c, n)}
        def __init__(self, *args, **kwargs):
            for n, v in [*zip(names, args), *kwargs.items()]:
                object.__setattr__(self, n, v)
            for n in names[len(args):]:
                if n not in kwargs:
                    d = given[n]
                    if isinstance(d, dataclasses.Field):
                        f = d.default_factory
                        d = f() if f is not dataclasses.MISSING else d.default
                    object.__setattr__(self, n, d)
        c.__init__ = __init__
        return c
    return plain if cls is None else plain(cls)

dataclasses.dataclass = _as_written
"""
"""``@dataclass`` replaced by a plain ``__init__`` (only for timing imports: the classes
it leaves have no equality, ordering, hash or repr)."""


PHASES = """\
import sys, time
T = [("start", 0.0)]
def mark(name):
    T.append((name, time.process_time()))
mark("the interpreter")
import aixcl_lint.cli as cli; mark("import cli (click, if it does)")
import aixcl_lint.run as run; mark("import aixcl_lint.run")
from aixcl_lint.cli import check as command
def around(owner, name, before, after):
    inner = getattr(owner, name, None)
    if inner is None:
        return
    def timed(*args, **kwargs):
        if before:
            mark(before)
        found = inner(*args, **kwargs)
        mark(after)
        return found
    setattr(owner, name, timed)
around(run, "load_policies", "configure", "load the pack")
around(run, "lint", "", "lint (plan, cache, evaluate)")
around(command, "_print_report", "build the report", "print it")
cli.main(sys.argv[1:])
mark("exit")
spent = (f"{n}={1000 * (t - T[i][1]):.2f}" for i, (n, t) in enumerate(T[1:]))
print("|".join(spent), file=sys.stderr)
"""
"""A warm pre-commit run's CPU time by phase, in its own process (``--phases``)."""


def _phases(builds: list[tuple[str, str]], corpus: Path, repeat: int) -> None:
    """Best CPU milliseconds of each phase of the warm pre-commit run, for each build."""
    named = done.named_files(corpus)
    with tempfile.TemporaryDirectory(prefix="aixcl-phases-") as cache:
        env = {**fresh_cache(user_environment(), cache)}
        best: dict[str, dict[str, float]] = {}
        for _ in range(repeat + 1):  # the first run of each fills the cache
            for lint, label in builds:
                with open(lint, encoding="utf-8") as script:
                    python = script.readline().removeprefix("#!").strip()
                argv = [python, "-c", PHASES, "check", "--profile", "aixcl", *named]
                ran = subprocess.run(
                    argv, cwd=corpus, env=env, capture_output=True, text=True, check=False
                )
                parts = dict(p.split("=") for p in ran.stderr.splitlines()[-1].split("|"))
                for name, ms in parts.items():
                    mine = best.setdefault(name, {})
                    mine[label] = min(mine.get(label, 1e9), float(ms))
    print(
        f"{'phase, CPU ms, best of ' + str(repeat):<36}"
        + "".join(f"{b[1] or 'this':>12}" for b in builds)
    )
    for name, by in best.items():
        print(f"{name:<36}" + "".join(f"{by.get(label, 0):>12.1f}" for _, label in builds))
    sums = [sum(by.get(label, 0) for by in best.values()) for _, label in builds]
    print(f"{'sum of the bests':<36}" + "".join(f"{total:>12.1f}" for total in sums))


PACK = f"json.loads(open({str(REPO / 'src/aixcl_lint/policy/builtin.json')!r}).read())\n"
CLICK = "import click\n"


def _build(lint: str, label: str, corpus: Path, tiny: Path) -> list[Timed]:
    named = done.named_files(corpus)
    examples = [lint, "check", "examples/aixcl"]
    return [
        Timed(f"{label}examples/aixcl", examples, REPO, (1,)),
        Timed(f"{label}examples/aixcl, cold", examples, REPO, (1,), cold_cache=True),
        Timed(f"{label}tiny, cold", [lint, "check"], tiny, (0, 1), cold_cache=True),
        Timed(f"{label}tiny, warm", [lint, "check"], tiny, (0, 1)),
        Timed(
            f"{label}pre-commit, 5 files",
            [lint, "check", "--profile", "aixcl", *named],
            corpus,
            (0, 1),
        ),
    ]


def _python(lint: str) -> str:
    """The interpreter of the console script ``lint`` (this one if it is not a script)."""
    try:
        with open(lint, encoding="utf-8") as script:
            first = script.readline()
    except (OSError, UnicodeDecodeError):
        return sys.executable
    return first.removeprefix("#!").strip() if first.startswith("#!") else sys.executable


def _instructions(timed: Timed, repeat: int) -> float:
    """The fewest instructions (millions) of ``repeat`` runs of ``timed`` under callgrind."""
    argv = list(timed.argv)
    if "python" not in Path(argv[0]).name:
        argv = [_python(argv[0]), *argv]  # valgrind runs the interpreter, not the script
    counts = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="aixcl-startup-cache-") as cache:
            # A cache folder of this build's own: a warm row is first run once to fill
            # it (the user's folder may hold another build's entries, or none).
            env = fresh_cache({**user_environment(), **timed.env}, cache)
            if not timed.cold_cache:
                subprocess.run(argv, cwd=timed.cwd, env=env, capture_output=True, check=False)
            ran = subprocess.run(
                ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
                cwd=timed.cwd,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        if ran.returncode not in timed.ok_codes:
            sys.exit(f"startup: {timed.name}: exit {ran.returncode}: {ran.stderr[-500:]}")
        collected = [w for w in ran.stderr.split("\n") if "Collected :" in w]
        counts.append(int(collected[-1].split(":")[-1]) / 1e6)
    return min(counts)


def _count(floor: list[Timed], runs: list[list[Timed]], repeat: int) -> None:
    """Print each row's instructions (``--instructions``), this build over the other."""
    print(f"{'fewest of ' + str(repeat) + ', callgrind':<44}{'M instr':>9}", end="")
    print(f"{'/ compared':>12}" if len(runs) > 1 else "")
    for t in floor:
        print(f"{t.name:<44}{_instructions(t, repeat):>9.1f}", flush=True)
    for k, t in enumerate(runs[0]):
        mine = _instructions(t, repeat)
        other = _instructions(runs[1][k], repeat) if len(runs) > 1 else None
        print(f"{t.name:<44}{mine:>9.1f}" + (f"{mine / other:>11.3f}x" if other else ""))
        if other is not None:
            print(f"{runs[1][k].name:<44}{other:>9.1f}", flush=True)


def _imports(lint: str, label: str) -> list[Timed]:
    """A warm check's imports in ``lint``'s interpreter, with and without dataclasses."""
    py = _python(lint)
    return [
        Timed(f"{label}a warm check's imports", [py, "-c", WARM_IMPORTS], REPO, (0,)),
        Timed(
            f"{label}the same, @dataclass a no-op",
            [py, "-c", NO_DATACLASSES + WARM_IMPORTS],
            REPO,
            (0,),
        ),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a corpus of gen_corpus.py")
    ap.add_argument("--lint", default=str(Path(sys.executable).parent / "aixcl-lint"))
    ap.add_argument("--compare", help="another build's aixcl-lint, timed in the same rounds")
    ap.add_argument("-k", "--repeat", type=int, default=7)
    ap.add_argument("--phases", action="store_true", help="only the pre-commit run's phases")
    ap.add_argument(
        "--instructions", action="store_true", help="callgrind's instruction counts, not times"
    )
    args = ap.parse_args(argv)
    builds = [(args.lint, "")] + ([(args.compare, "compared: ")] if args.compare else [])
    for lint, _ in builds:
        compile_package(lint)
    if args.phases:
        _phases([(lint, label.rstrip(": ")) for lint, label in builds], args.corpus, args.repeat)
        return 0
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="aixcl-startup-") as workdir:
        tiny = done.make_tiny(Path(workdir))
        floor = [
            Timed("python -c pass", [py, "-c", "pass"], REPO, (0,)),
            Timed("python -c 'import yaml'", [py, "-c", "import yaml"], REPO, (0,)),
            Timed("the libraries a cold run imports", [py, "-c", LIBRARIES], REPO, (0,)),
            Timed("the libraries a warm run imports", [py, "-c", WARM_LIBRARIES], REPO, (0,)),
            Timed("tiny floor: list, parse, RE2", [py, "-c", TINY_FLOOR + PACK], tiny, (0,)),
            Timed("tiny floor, and click", [py, "-c", f"{TINY_FLOOR}{PACK}{CLICK}"], tiny, (0,)),
        ]
        runs = [
            _imports(lint, label) + _build(lint, label, args.corpus.resolve(), tiny)
            for lint, label in builds
        ]
        if args.instructions:
            _count(floor, runs, args.repeat)
            return 0
        timed = floor + [t for build in runs for t in build]
        interleave(timed, args.repeat, lambda s: print(s, file=sys.stderr))
    head = f"{'best of ' + str(args.repeat):<36}{'wall s':>9}{'CPU s':>9}"
    print(head + (f"{'wall / compared':>17}{'CPU / compared':>16}" if args.compare else ""))
    for t in floor:
        print(f"{t.name:<36}{t.best:>9.3f}{min(t.cpu):>9.3f}")
    for k, t in enumerate(runs[0]):
        other = runs[1][k] if len(runs) > 1 else None
        ratio = (
            f"{t.best / other.best:>16.2f}x{min(t.cpu) / min(other.cpu):>15.2f}x" if other else ""
        )
        print(f"{t.name:<36}{t.best:>9.3f}{min(t.cpu):>9.3f}{ratio}")
        if other:
            print(f"{other.name:<36}{other.best:>9.3f}{min(other.cpu):>9.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
