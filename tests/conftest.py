"""Shared helpers: write small repositories, run the command line (in-process)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
VENDOR = REPO / "tests" / "fixtures" / "vendor"
"""Copies of outside material the suite needs (the SARIF schema, the user's seed policy)."""
SEED_POLICY = VENDOR / "seed-security-policy.md"
SARIF_SCHEMA = VENDOR / "sarif-schema-2.1.0.json"

_CACHE_HOME = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """The suite's runs keep their caches (results, validations, parsed policies) in a
    folder of their own, never in the user's ``~/.cache``; tests that need a cache of
    their own still name one (``AIXCL_LINT_CACHE_DIR``, ``XDG_CACHE_HOME``)."""
    home = tempfile.mkdtemp(prefix="aixcl-lint-tests-cache-")
    config.stash[_CACHE_HOME] = home
    os.environ["XDG_CACHE_HOME"] = home
    os.environ.pop("AIXCL_LINT_CACHE_DIR", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    home = config.stash.get(_CACHE_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


def console_script() -> str:
    """The installed ``aixcl-lint`` beside this interpreter (the real entry point)."""
    here = Path(sys.executable).parent / "aixcl-lint"
    found = str(here) if here.exists() else shutil.which("aixcl-lint")
    if found is None:
        pytest.fail("aixcl-lint is not installed: run pip install -e '.[test]'")
    return found


@dataclass
class Ran:
    """A finished command: exit code and output."""

    code: int
    out: str
    err: str
    out_bytes: bytes = b""

    def json(self) -> dict[str, Any]:
        """stdout parsed as JSON."""
        return json.loads(self.out)  # type: ignore[no-any-return]

    def findings(self) -> list[tuple[str, str, int, int]]:
        """(rule, path, line, column) of every finding in JSON output."""
        return [(f["rule"], f["path"], f["line"], f["column"]) for f in self.json()["findings"]]


@contextlib.contextmanager
def _environment(env: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``env`` applied (None removes a name), restored afterwards."""
    saved = dict(os.environ)
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _deadline(seconds: float, argv: list[str]) -> Iterator[None]:
    """Raise TimeoutExpired in the main thread after ``seconds``, as subprocess.run does."""

    def expire(signum: int, frame: object) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise subprocess.TimeoutExpired(argv, seconds) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Expired(BaseException):
    """Not an Exception: the command line's own handler must not catch it."""


def _stream(data: bytes = b"") -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", write_through=True)


def run_cli(
    *args: str,
    cwd: Path,
    env: Mapping[str, str | None] | None = None,
    timeout: float = 120,
    stdin: str | bytes = b"",
) -> Ran:
    """Run ``aixcl-lint ARGS`` in this process, in ``cwd``, as the console script would:
    ``main(argv)`` with standard streams, the current folder and the environment
    swapped for the call and restored after it."""
    from aixcl_lint.cli import main

    streams = (sys.stdin, sys.stdout, sys.stderr)
    sys.stdin = _stream(stdin.encode("utf-8") if isinstance(stdin, str) else stdin)
    out, err = _stream(), _stream()
    sys.stdout, sys.stderr = out, err
    here = os.getcwd()
    try:
        os.chdir(cwd)
        with _environment({"NO_COLOR": "1", **(env or {})}), _deadline(timeout, list(args)):
            code = main(list(args))
    finally:
        os.chdir(here)
        sys.stdin, sys.stdout, sys.stderr = streams
    raw_out = out.buffer.getvalue()  # type: ignore[attr-defined]
    raw_err = err.buffer.getvalue()  # type: ignore[attr-defined]
    return Ran(
        code,
        raw_out.decode("utf-8", "replace").replace("\r\n", "\n"),
        raw_err.decode("utf-8", "replace"),
        raw_out,
    )


def run_process(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> Ran:
    """Run the installed console script in ``cwd`` as a real process (slow tests only)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [console_script(), *args],
        cwd=cwd,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    out = proc.stdout.decode("utf-8", "replace")
    return Ran(
        proc.returncode,
        out.replace("\r\n", "\n"),
        proc.stderr.decode("utf-8", "replace"),
        proc.stdout,
    )


def main_in(root: Path, *argv: str) -> int:
    """Run the command line in-process (``aixcl_lint.cli.main``) with ``root`` as the
    current folder; returns the exit code."""
    from aixcl_lint.cli import main

    cwd = Path.cwd()
    os.chdir(root)
    try:
        return main(list(argv))
    finally:
        os.chdir(cwd)


UNSCANNED = ("build", "dist", "node_modules")
"""Folders of the checkout that are not its own pages (with ``.venv*`` and hidden ones)."""


def repository_pages(suffix: str = ".md") -> list[Path]:
    """The repository's own files ending in ``suffix``: git's list (tracked, and untracked
    not ignored) in a git checkout, else a walk; never a build, a virtual environment,
    ``node_modules`` or a hidden folder (a stray ``build/`` held 185 more pages)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", f"*{suffix}"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode()
        found = [REPO / rel for rel in listed.split("\0") if rel]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout
        found = list(REPO.rglob(f"*{suffix}"))
    return sorted(
        p
        for p in set(found)
        if p.is_file()
        and not any(
            part.startswith((".", ".venv")) or part in UNSCANNED
            for part in p.relative_to(REPO).parts
        )
    )


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> content) below ``root``; return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Make a git-rooted repository from a mapping of files."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        root = tmp_path / "repo"
        (root / ".git").mkdir(parents=True, exist_ok=True)
        return write_tree(root, files)

    return make


@pytest.fixture
def aixcl_repo(
    repo: Callable[[Mapping[str, str | bytes]], Path],
) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Like ``repo``, with the aixcl profile in its config (AIXCL's invariants on); a
    config the files bring keeps its own keys."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        own = files.get(".aixcl-lint.yaml", "")
        text = own.decode("utf-8") if isinstance(own, bytes) else own
        if "profile:" not in text:
            text = "profile: aixcl\n" + text
        return repo({**files, ".aixcl-lint.yaml": text})

    return make


TEAM_POLICY = """\
version: 1
rules:
  - id: team/restart
    title: Restart policy
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: restart
        present: true
        message: "service '{service}' has no restart policy"
"""
"""A small user policy: services must set a restart policy (error)."""


def modules_after_check(root: Path, cache: Path) -> tuple[str, list[str], str]:
    """Run ``check`` in a fresh interpreter in ``root`` with results kept in ``cache``:
    its exit code, the modules it had imported by the end, and its standard error."""
    script = (
        "import sys; from aixcl_lint.cli import main; code = main(['check']); "
        "print(code, ' '.join(sorted(sys.modules)), file=sys.stderr)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env={**os.environ, "AIXCL_LINT_CACHE_DIR": str(cache)},
        capture_output=True,
        text=True,
        check=False,
    )
    code, *loaded = ran.stderr.split("\n")[-2].split()
    return code, loaded, ran.stderr


def compose_models() -> list[Any]:
    """The documents of every compose file of the test fixtures and examples (the
    compose corpus checked against Docker Compose among them), as models."""
    from aixcl_lint.documents import yamltree

    found: list[Any] = []
    for folder in (REPO / "tests" / "fixtures", REPO / "examples"):
        for path in sorted(p for p in folder.rglob("*.y*ml") if "compose" in p.name):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [doc.data for doc in yamltree.parse(path.name, text).documents]
    return found
