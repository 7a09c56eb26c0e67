"""Running the real console script on hostile repositories, under resource limits.

Each case builds a git repository, runs ``aixcl-lint`` in a subprocess whose address
space and CPU time are capped (a hang or a memory blow-up fails the case instead of
the machine), and checks the exit code, the findings and that the tree is unchanged.
The limits are generous: these are correctness checks, not timings.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import stat
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import console_script

MEMORY = 1 << 30
"""Address-space limit of a run (RLIMIT_AS), about 1 GB."""
CPU_SECONDS = 120
"""CPU-time limit of a run (RLIMIT_CPU); the wall-clock timeout is a few times it."""
HASHED_BYTES = 64 << 20
"""Files up to this size are compared by content; larger ones by size, mtime, inode."""


@dataclass
class Ran:
    """A finished, limited run: exit code and output (stdout as bytes, too)."""

    code: int
    raw: bytes
    err: str

    @property
    def out(self) -> str:
        """stdout as text (undecodable bytes escaped, so a test can show them)."""
        return self.raw.decode("utf-8", "backslashreplace")

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.raw)

    def rules(self) -> list[str]:
        """The rule id of every finding in JSON output."""
        return [f["rule"] for f in self.json()["findings"]]

    def findings(self) -> list[tuple[str, str, int]]:
        """(rule, path, line) of every finding in JSON output."""
        return [(f["rule"], f["path"], f["line"]) for f in self.json()["findings"]]


def _limits(memory: int, cpu: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    os.nice(5)


def run_limited(
    *args: str,
    cwd: Path,
    memory: int = MEMORY,
    cpu: int = CPU_SECONDS,
    env: Mapping[str, str] | None = None,
) -> Ran:
    """Run the console script in ``cwd`` under the limits; fail on a hang or a traceback."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("AIXCL_LINT_DEBUG", None)
    if args[:1] == ("check",) and "--profile" not in args:
        args = ("check", "--profile", "aixcl", *args[1:])  # the invariants these cases break
    try:
        proc = subprocess.run(
            [console_script(), *args],
            cwd=cwd,
            capture_output=True,
            env=full_env,
            timeout=cpu * 3,
            check=False,
            preexec_fn=lambda: _limits(memory, cpu),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"aixcl-lint {' '.join(args)} did not finish in {cpu * 3} s")
    err = proc.stderr.decode("utf-8", "backslashreplace")
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {err}"
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    return Ran(proc.returncode, proc.stdout, err)


def git_repo(root: Path, files: Mapping[str, str | bytes] | None = None) -> Path:
    """A git repository at ``root`` holding ``files`` (all added to the index)."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for rel, content in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[bytes, tuple[Any, ...]]:
    """Every entry below ``root`` (``.git`` aside): kind, mode and content (or, for a
    large file, its size, mtime and inode), keyed by its name as bytes."""
    found: dict[bytes, tuple[Any, ...]] = {}
    stack = [os.fsencode(root)]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name == b".git":
                    continue
                info = entry.stat(follow_symlinks=False)
                key = os.path.relpath(entry.path, os.fsencode(root))
                if stat.S_ISLNK(info.st_mode):
                    found[key] = ("link", os.readlink(entry.path))
                elif stat.S_ISDIR(info.st_mode):
                    found[key] = ("dir", info.st_mode)
                    stack.append(entry.path)
                elif stat.S_ISREG(info.st_mode) and info.st_size <= HASHED_BYTES:
                    with open(entry.path, "rb") as handle:
                        digest = hashlib.file_digest(handle, "sha256").hexdigest()
                    found[key] = ("file", info.st_mode, digest)
                else:
                    found[key] = ("other", info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def check_unchanged(root: Path, *args: str, **limits: Any) -> Ran:
    """Run ``check --format json ARGS`` under the limits and assert it wrote nothing."""
    before = snapshot(root)
    ran = run_limited("check", "--format", "json", *args, cwd=root, **limits)
    assert snapshot(root) == before, "the run changed the tree"
    return ran
