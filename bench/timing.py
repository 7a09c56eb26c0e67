"""Commands timed as fresh processes, interleaved in rounds (best of K), with peak RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Timed:
    """One command timed several times, as a fresh process each time."""

    name: str
    argv: list[str]
    cwd: Path
    ok_codes: tuple[int, ...]
    cold_cache: bool = False
    """Run with an empty ``XDG_CACHE_HOME``: the first run on a machine."""
    env: dict[str, str] = field(default_factory=dict)
    """Variables set for the command (``NO_RESULTS``: lint, do not replay kept results)."""
    times: list[float] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    """Peak resident set of each run, in bytes (the largest of its processes)."""
    cpu: list[float] = field(default_factory=list)
    """User + system CPU seconds of each run (its waited-for processes)."""

    def run(self) -> None:
        with tempfile.TemporaryDirectory(prefix="aixcl-bench-cache-") as cache:
            env = {**user_environment(), **self.env}
            if self.cold_cache:
                env = fresh_cache(env, cache)
            code, out, err, elapsed, rss = run_measured(self.argv, self.cwd, env, self.cpu)
        if code not in self.ok_codes:
            sys.exit(f"bench: {self.name}: exit {code} (expected {self.ok_codes}): {err[:500]}")
        self.times.append(elapsed)
        self.outputs.append(out)
        self.rss.append(rss)

    def clear(self) -> None:
        self.times.clear()
        self.rss.clear()
        self.cpu.clear()

    @property
    def best(self) -> float:
        return min(self.times)


NO_RESULTS = {"AIXCL_LINT_NO_CACHE": "1"}
"""The results cache off (builds without one ignore it): a timed run lints every file."""


def user_environment() -> dict[str, str]:
    """This process's environment as a user's shell has it: without
    ``PYTHONDONTWRITEBYTECODE`` (this machine sets it; a user's install has byte code,
    which ``compile_package`` writes), so start-up is not timed compiling every module."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_package(lint: str) -> None:
    """Write the byte code of the ``aixcl_lint`` package the console script ``lint``
    runs (an editable install's source folder included), as a user's ``pip install``
    does: start-up is then timed as a user sees it, not compiling every module."""
    try:
        with open(lint, encoding="utf-8") as script:
            python = script.readline().removeprefix("#!").strip()
    except (OSError, UnicodeDecodeError):
        return  # not a script: nothing of ours to compile
    if "python" not in Path(python).name:
        return
    code = (
        "import compileall, pathlib, aixcl_lint; "
        "compileall.compile_dir(pathlib.Path(aixcl_lint.__file__).parent, quiet=1)"
    )
    subprocess.run([python, "-c", code], env=user_environment(), check=True)


def fresh_cache(env: dict[str, str], folder: str) -> dict[str, str]:
    """``env`` with an empty cache folder: nothing validated or kept before."""
    clean = {k: v for k, v in env.items() if k not in {"AIXCL_LINT_CACHE_DIR", *NO_RESULTS}}
    return {**clean, "XDG_CACHE_HOME": folder}


GNU_TIME = "/usr/bin/time"
"""GNU time, which reports its child's own peak RSS (``%M``)."""


def _gnu_time() -> bool:
    try:
        found = subprocess.run([GNU_TIME, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return False
    return "GNU" in found.stdout + found.stderr


HAVE_GNU_TIME = _gnu_time()


def run_measured(
    argv: Sequence[str], cwd: Path, env: dict[str, str] | None, cpu: list[float] | None = None
) -> tuple[int, str, str, float, int]:
    """Exit code, stdout, stderr, wall seconds and peak RSS (bytes) of one process (and
    its CPU seconds appended to ``cpu``).

    The peak is GNU time's ``%M`` when it is installed: a child's ``ru_maxrss`` from
    ``wait4`` starts at this process's own RSS (Linux carries the high-water mark of
    the memory a process execs from), so it said how big the benchmark had grown
    rather than how big aixcl-lint grew (69 MB on medium, 46 MB really). GNU time
    forks the command from its own small process; it costs about a millisecond, and
    its CPU time includes the command's."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
    ):
        command = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if HAVE_GNU_TIME else list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if cpu is not None:
            cpu.append(usage.ru_utime + usage.ru_stime)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace")
        errors = err.read().decode("utf-8", "replace").strip()
        # GNU time writes "Command exited with non-zero status N" before the figure.
        reported = rss.read().split()
    peak = int(reported[-1]) if HAVE_GNU_TIME and reported else usage.ru_maxrss
    return proc.returncode, text, errors, elapsed, peak * 1024


@dataclass
class CachePair:
    """A run with a fresh ``XDG_CACHE_HOME`` (cold), then the same again (warm)."""

    name: str
    argv: list[str]
    cwd: Path
    ok_codes: tuple[int, ...]
    times: list[float] = field(default_factory=list)
    """The cold runs."""
    warm: list[float] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    def run(self) -> None:
        with tempfile.TemporaryDirectory(prefix="aixcl-bench-cache-") as cache:
            env = fresh_cache(user_environment(), cache)
            for times in (self.times, self.warm):
                code, out, err, elapsed, _ = run_measured(self.argv, self.cwd, env)
                if code not in self.ok_codes:
                    sys.exit(f"bench: {self.name}: exit {code}: {err[:500]}")
                times.append(elapsed)
                self.outputs.append(out)

    def clear(self) -> None:
        self.times.clear()
        self.warm.clear()


def interleave(
    commands: Sequence[Timed | CachePair],
    repeat: int,
    progress: Callable[[str], None],
    *,
    warm_up: bool = True,
) -> None:
    """Warm each command up once, then run them ``repeat`` rounds, rotating the order."""
    if warm_up:
        for cmd in commands:
            cmd.run()
            cmd.clear()
    for k in range(repeat):
        shift = k % len(commands)
        for cmd in [*commands[shift:], *commands[:shift]]:
            cmd.run()
        progress(f"round {k + 1}/{repeat}")
