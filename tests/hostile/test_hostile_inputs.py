"""The tool's own inputs are read through one bounded reader: each problem is exit 2 with
the file and line, never a hang, a traceback or unbounded memory.

Covers config (``.aixcl-lint.yaml`` and ``[tool.aixcl-lint]``), packs, policies,
waivers, baselines, ignore patterns, and ``aixcl-lint test`` on bad cases files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_run import check_unchanged, git_repo, run_limited

from conftest import TEAM_POLICY

# Each case spawns the console script under resource limits: seconds apiece, so slow
# (CI runs every test; the default loop stays short).
pytestmark = pytest.mark.slow

SERVICE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
POLICIES = ".aixcl-lint/policies"
WAIVERS = ".aixcl-lint-waivers.yaml"


def _bomb(prefix: str, tail: str) -> str:
    """A billion-laughs document: ``prefix`` anchors, then ``tail`` uses the last one."""
    lines = [f"{prefix}l0: &l0 [a, a, a, a, a, a, a, a, a, a]"]
    for i in range(1, 10):
        lines.append(f"{prefix}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]")
    return "\n".join([*lines, tail]) + "\n"


def _deep_toml(depth: int) -> str:
    return "[tool.aixcl-lint]\nx = " + "[" * depth + "]" * depth + "\n"


def _waiver(**fields: str) -> str:
    entry = {"rule": "compose/x", "path": "a", "reason": "r", "owner": "o", "expires": "2030-01-01"}
    entry.update(fields)
    return "waivers:\n  - {" + ", ".join(f"{k}: {v}" for k, v in entry.items()) + "}\n"


Setup = Callable[[Path], None]


def _write(rel: str, text: str | bytes) -> Setup:
    def setup(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")

    return setup


def _fifo(rel: str) -> Setup:
    def setup(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)

    return setup


def _link(rel: str, target: str) -> Setup:
    def setup(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)

    return setup


def _both(*setups: Setup) -> Setup:
    def setup(root: Path) -> None:
        for each in setups:
            each(root)

    return setup


NOT_REGULAR = "a FIFO, not a regular file; not read"
BIG_NUMBER = "1" * 5000
# (id, setup, extra arguments, what stderr must say: the file and line, and why)
CASES: list[tuple[str, Setup, tuple[str, ...], str]] = [
    (
        "alias bomb in the severity map",
        _write(".aixcl-lint.yaml", _bomb("x-", "severity: {compose/network-mode-host: *l9}")),
        (),
        ".aixcl-lint.yaml:5: aliases expand to more than",
    ),
    (
        "recursive alias in config",
        _write(".aixcl-lint.yaml", "select: &s [*s]\n"),
        (),
        ".aixcl-lint.yaml:1: alias *s is recursive",
    ),
    (
        "deep nesting in config",
        _write(".aixcl-lint.yaml", "select: " + "[" * 100 + "]" * 100 + "\n"),
        (),
        ".aixcl-lint.yaml:1: nested deeper than 64",
    ),
    (
        "10k-deep nesting in config",
        _write(".aixcl-lint.yaml", "select: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        (),
        ".aixcl-lint.yaml:1:",
    ),
    (
        "long number in config",
        _write(".aixcl-lint.yaml", f"jobs: {BIG_NUMBER}\n"),
        (),
        ".aixcl-lint.yaml:1: a number of 5,000 digits",
    ),
    ("config is a FIFO", _fifo(".aixcl-lint.yaml"), (), "not a regular file"),
    (
        "config is /dev/zero",
        _link(".aixcl-lint.yaml", "/dev/zero"),
        (),
        ".aixcl-lint.yaml: leads outside the repository",
    ),
    (
        "config not UTF-8",
        _write(".aixcl-lint.yaml", b"select: []\n\xff\n"),
        (),
        ".aixcl-lint.yaml:2: config is not valid UTF-8",
    ),
    (
        "pyproject not UTF-8",
        _write("pyproject.toml", b"[tool.aixcl-lint]\njobs = 1\n\xff\n"),
        (),
        "pyproject.toml:3: config is not valid UTF-8",
    ),
    ("pyproject 10k deep", _write("pyproject.toml", _deep_toml(10_000)), (), "nested too deeply"),
    (
        "pyproject long number",
        _write("pyproject.toml", f"[tool.aixcl-lint]\njobs = {BIG_NUMBER}\n"),
        (),
        "pyproject.toml:1: invalid TOML: Exceeds the limit",
    ),
    (
        "[tool] not a table",
        _write("pyproject.toml", 'tool = 1\n[x]\ny = "aixcl-lint"\n'),
        (),
        "pyproject.toml:1: [tool] must be a table",
    ),
    (
        "[tool.aixcl-lint] not a table",
        _write("pyproject.toml", "[tool]\naixcl-lint = 1\n"),
        (),
        "pyproject.toml:2: [tool.aixcl-lint] must be a table",
    ),
    (
        "invalid exclude pattern",
        _write(".aixcl-lint.yaml", "exclude: [a, '!']\n"),
        (),
        ".aixcl-lint.yaml:1: exclude: invalid pattern '!'",
    ),
    (
        "alias bomb in a pack",
        _write(f"{POLICIES}/pack.yaml", _bomb("x-", "pack: 1")),
        (),
        "pack.yaml:5: aliases expand to more than",
    ),
    (
        "alias bomb in a waiver's rule",
        _write(WAIVERS, _bomb("x-", "waivers: [{rule: *l9, path: a, reason: r, owner: o}]")),
        (),
        f"{WAIVERS}:5: aliases expand to more than",
    ),
    (
        "alias bomb in a waiver's expiry",
        _write(
            WAIVERS,
            _bomb("x-", "waivers: [{rule: a, path: a, reason: r, owner: o, expires: *l9}]"),
        ),
        (),
        f"{WAIVERS}:5: aliases expand to more than",
    ),
    (
        "invalid waiver path",
        _write(WAIVERS, _waiver(path="'!'")),
        (),
        f"{WAIVERS}:2: path: invalid pattern '!'",
    ),
    ("FIFO in the policy folder", _fifo(f"{POLICIES}/x.yaml"), (), "x.yaml: cannot read policy"),
    (
        "symlink loop in the policy folder",
        _link(f"{POLICIES}/loop.yaml", "loop.yaml"),
        (),
        "loop.yaml: cannot read policy: Too many levels of symbolic links",
    ),
    (
        "waivers file is a FIFO",
        _fifo(WAIVERS),
        (),
        f"{WAIVERS}: cannot read waivers: {NOT_REGULAR}",
    ),
    (
        "waivers file is a dangling symlink",
        _link(WAIVERS, "gone.yaml"),
        (),
        f"{WAIVERS}: no such file (or a dangling symlink)",
    ),
    (
        "config policies: names a FIFO",
        _both(_fifo("fifo.yaml"), _write(".aixcl-lint.yaml", "policies: [fifo.yaml]\n")),
        (),
        f"fifo.yaml: cannot read policy: {NOT_REGULAR}",
    ),
    ("--policy names a FIFO", _fifo("fifo.yaml"), ("--policy", "fifo.yaml"), NOT_REGULAR),
    (
        "pyproject is a FIFO",
        _fifo("pyproject.toml"),
        (),
        f"pyproject.toml: cannot read config: {NOT_REGULAR}",
    ),
    (
        "the policy folder is a FIFO",
        _fifo(POLICIES),
        (),
        f"{POLICIES}: the policy folder is a FIFO, not a folder",
    ),
    (
        "the configured policy folder is a FIFO",
        _both(_fifo("p"), _write(".aixcl-lint.yaml", "policy-folder: p\n")),
        (),
        ".aixcl-lint.yaml:1: the policy folder is a FIFO, not a folder",
    ),
    (
        "pack.yaml is a FIFO",
        _fifo(f"{POLICIES}/pack.yaml"),
        (),
        f"pack.yaml: cannot read pack: {NOT_REGULAR}",
    ),
    (
        "a pack extends a FIFO",
        _both(
            _fifo(".aixcl-lint/q"), _write(f"{POLICIES}/pack.yaml", "pack: 1\nextends: [../q]\n")
        ),
        (),
        "pack.yaml:1: extends '../q': a FIFO, not a folder",
    ),
    (
        "baseline at /dev/zero",
        _link("base.json", "/dev/zero"),
        ("--baseline", "base.json"),
        "base.json: cannot read baseline: a character device, not a regular file",
    ),
    (
        "baseline 100k deep",
        _write("base.json", '{"a":' * 100_000 + "1" + "}" * 100_000),
        ("--baseline", "base.json"),
        "invalid baseline: base.json:1: invalid JSON: nested too deeply",
    ),
]


@pytest.mark.parametrize(
    ("setup", "args", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_own_input_is_exit_2_with_file_and_line(
    tmp_path: Path, setup: Setup, args: tuple[str, ...], said: str
) -> None:
    root = git_repo(tmp_path / "repo", {"compose.yaml": SERVICE})
    setup(root)
    ran = check_unchanged(root, *args)
    assert ran.code == 2, (ran.code, ran.out, ran.err)
    assert said in ran.err
    assert len(ran.err.splitlines()) == 1, ran.err


@pytest.mark.parametrize("count", [2_000, 20_000, 100_000])
def test_thousands_of_ignore_patterns_work(tmp_path: Path, count: int) -> None:
    patterns = "".join(f"*.ext{i}\n" for i in range(count))
    root = git_repo(
        tmp_path / "repo",
        {
            "compose.yaml": SERVICE,
            ".gitignore": patterns + "skipped/\n",
            "skipped/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
            ".aixcl-lint.yaml": "exclude:\n" + "".join(f"  - 'd{i}/*.md'\n" for i in range(count)),
        },
    )
    ran = check_unchanged(root)
    assert ran.code == 0, ran.err
    assert ran.err == ""  # RE2 logs nothing: it never sees the large sets
    assert ran.json()["summary"]["files"] == 1


CASE_POLICY = TEAM_POLICY

BAD_CASES = [
    ("fixture path '.'", '".": x', "fixture path '.' does not name a file"),
    ("fixture path './'", '"./": x', "fixture path './' does not name a file"),
    ("fixture path with NUL", '"a\\0b": x', "does not name a file"),
    ("fixture in .git", '".git/config": x', "does not name a file"),
    ("file and folder", '{"a": x, "a/compose.yaml": y}', "'a' is both a file and a folder"),
]


@pytest.mark.parametrize(
    ("files", "said"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES]
)
def test_bad_cases_files_are_clear_errors(tmp_path: Path, files: str, said: str) -> None:
    files = files if files.startswith("{") else "{" + files + "}"
    cases = f"rule: team/restart\ncases:\n  - name: bad\n    files: {files}\n"
    root = git_repo(tmp_path / "repo", {"p/team.yaml": CASE_POLICY, "p/team.cases.yaml": cases})
    ran = run_limited("test", "p", cwd=root)
    assert ran.code == 2, (ran.out, ran.err)
    assert said in ran.err


@pytest.mark.parametrize("line", ["x", "true", "-1", "[1]", "1.5"])
def test_an_expected_line_that_is_not_a_number(tmp_path: Path, line: str) -> None:
    cases = (
        "rule: team/restart\ncases:\n  - name: bad\n    files: {compose.yaml: 'services: {}'}\n"
        f"    expect: [{{rule: team/restart, path: compose.yaml, line: {line}}}]\n"
    )
    root = git_repo(tmp_path / "repo", {"p/team.yaml": CASE_POLICY, "p/team.cases.yaml": cases})
    ran = run_limited("test", "p", cwd=root)
    assert ran.code == 2, (ran.out, ran.err)
    # The line of the expected finding itself (line 5), not the top of the file.
    assert "team.cases.yaml:5: expected line and column are positive numbers" in ran.err


def test_an_alias_bomb_in_a_cases_file(tmp_path: Path) -> None:
    cases = _bomb("x-", "rule: *l9\ncases: []")
    root = git_repo(tmp_path / "repo", {"p/team.yaml": CASE_POLICY, "p/team.cases.yaml": cases})
    ran = run_limited("test", "p", cwd=root)
    assert ran.code == 2, (ran.out, ran.err)
    assert "team.cases.yaml:5: aliases expand to more than" in ran.err


@pytest.mark.parametrize("named", ["p", "p/team.yaml"])
def test_a_fifo_cases_file_is_refused_by_name(tmp_path: Path, named: str) -> None:
    root = git_repo(tmp_path / "repo", {"p/team.yaml": CASE_POLICY})
    os.mkfifo(root / "p" / "team.cases.yaml")
    ran = run_limited("test", named, cwd=root)
    assert ran.code == 2, (ran.out, ran.err)
    assert f"team.cases.yaml: cannot read cases: {NOT_REGULAR}" in ran.err


def test_a_fifo_policy_beside_its_cases_is_refused_by_name(tmp_path: Path) -> None:
    cases = "rule: team/restart\ncases:\n  - name: a\n    files: {compose.yaml: 'services: {}'}\n"
    root = git_repo(tmp_path / "repo", {"p/team.cases.yaml": cases})
    os.mkfifo(root / "p" / "team.yaml")
    ran = run_limited("test", "p/team.cases.yaml", cwd=root)
    assert ran.code == 2, (ran.out, ran.err)
    assert NOT_REGULAR in ran.err


def test_a_fifo_policy_folder_stops_the_test_command(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo")
    _fifo(POLICIES)(root)
    ran = run_limited("test", cwd=root)
    assert ran.code == 2, (ran.out, ran.err)
    assert ran.err.endswith(f"{POLICIES}: a FIFO, not a folder\n")


def test_a_broken_policy_named_by_absolute_path(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {"compose.yaml": SERVICE})
    outside = tmp_path / "elsewhere" / "bad.yaml"
    outside.parent.mkdir()
    outside.write_text("rules: [\n", encoding="utf-8")
    ran = check_unchanged(root, "--policy", str(outside))
    assert ran.code == 2, (ran.out, ran.err)
    assert f"{outside}:2: yaml/parse-error" in ran.err
