"""Hostile files a repository can hold: each run ends, within the resource limits, with
the expected finding (or a normal result), and leaves the tree as it was.

One generated case per class of the hostile-input campaign: YAML bombs and depth, huge
and binary files, unsafe tags, recursive merges, long numbers and interpolation, floods
that were quadratic (findings on one long line, directives, fixable services, Markdown
links, anchors, comments, tags, references), ReDoS-shaped policy regexes, 100k files
in one folder, a 1 GB .env, and a parallel run with one unit that hangs or dies.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_run import check_unchanged, git_repo, run_limited

# Each case spawns the console script under resource limits: seconds apiece, so slow
# (CI runs every test; the default loop stays short).
pytestmark = pytest.mark.slow

GOOD = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
MIB = 1 << 20

Files = Callable[[Path], None]


def _text(rel: str, make: Callable[[], str | bytes]) -> Files:
    def write(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = make()
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return write


def _large(rel: str, head: bytes, unit: bytes, size: int) -> Files:
    """A file of ``size`` bytes written in chunks (never all in memory)."""

    def write(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        chunk = unit * (MIB // len(unit))
        with path.open("wb") as out:
            out.write(head)
            written = len(head)
            while written < size:
                out.write(chunk[: size - written])
                written += len(chunk)

    return write


def _sparse(rel: str, head: bytes, size: int) -> Files:
    """A file of ``size`` bytes that takes no disk: the size bound refuses it unread."""

    def write(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        with (root / rel).open("wb") as out:
            out.write(head)
            out.truncate(size)

    return write


def _bomb() -> str:
    lines = ["x-a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"x-{i}: &a{i} [{', '.join(['*a' + (str(i - 1) if i > 1 else '')] * 10)}]")
    return "\n".join([*lines, "services:", "  web:", "    image: nginx:1.27", "    x: *a9"]) + "\n"


def _flow_services(n: int) -> str:
    """One line of ``n`` services without network_mode: n findings on a 150 KB line."""
    return "services: {" + ", ".join(f"s{i}: {{image: 'nginx:1.27'}}" for i in range(n)) + "}\n"


def _interpolation(depth: int) -> str:
    value = "x"
    for i in range(depth):
        value = f"${{A{i}:-{value}}}"
    return f'services:\n  web:\n    network_mode: host\n    image: "{value}:1"\n'


def _chain(n: int) -> str:
    lines = ["services:"]
    for i in range(n):
        lines += [f"  s{i}:", "    network_mode: host"]
        lines += [f"    extends: s{i + 1}"] if i + 1 < n else ["    image: nginx:1.27"]
    return "\n".join(lines) + "\n"


def _fan_out(root: Path) -> None:
    """Two files of 5 services, each extending a service of the other (5^8 builds once)."""
    for me, other in (("compose.yaml", "other.yaml"), ("other.yaml", "compose.yaml")):
        lines = ["services:"]
        for i in range(5):
            lines += [f"  s{i}:", "    image: nginx:1.27", "    network_mode: host"]
            lines += [f"    extends: {{file: {other}, service: s{(i + 1) % 5}}}"]
        (root / "c").mkdir(exist_ok=True)
        (root / "c" / me).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _extends_null_services(root: Path) -> None:
    (root / "c").mkdir()
    (root / "c" / "compose.yaml").write_text(
        "services:\n  web:\n    network_mode: host\n"
        "    extends: {file: other.yaml, service: web}\n",
        encoding="utf-8",
    )
    (root / "c" / "other.yaml").write_text("services:\n", encoding="utf-8")


BIG = "9" * 5000
# (id, files, rule expected in the findings or None for a clean run, slow)
CASES: list[tuple[str, Files, str | None, bool]] = [
    ("alias bomb", _text("c/compose.yaml", _bomb), "yaml/alias-bomb", False),
    (
        "10k-deep nesting",
        _text("c/compose.yaml", lambda: "x: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        "yaml/too-deep",
        False,
    ),
    (
        "recursive merge",
        _text("c/compose.yaml", lambda: "x: &a\n  <<: *a\nservices: {}\n"),
        "yaml/alias-bomb",
        False,
    ),
    (
        "cyclic merge of two anchors",
        _text("c/compose.yaml", lambda: "x: &a\n  k: 1\n  y:\n    <<: *a\nservices: {}\n"),
        "yaml/alias-bomb",
        False,
    ),
    (
        "unsafe tag",
        _text("c/compose.yaml", lambda: "services:\n  web: !!python/object:os.system {}\n"),
        "yaml/unsafe-tag",
        False,
    ),
    (
        "extends chain of 2,000",
        _text("c/compose.yaml", lambda: _chain(2000)),
        "compose/invalid[extends-cycle]",  # the chain is given up past its bound
        False,
    ),
    ("extends fan-out across files", _fan_out, None, False),
    ("extends a file whose services are null", _extends_null_services, None, False),
    ("binary", _text("c/compose.yaml", lambda: b"services:\0\n"), "file/binary", False),
    (
        "bad UTF-8",
        _text("c/compose.yaml", lambda: b"services:\n  w\xff: {}\n"),
        "file/not-utf8",
        False,
    ),
    (
        "UTF-16",
        _text("c/compose.yaml", lambda: "services:\n  web: {}\n".encode("utf-16")),
        "file/binary",
        False,
    ),
    ("BOM", _text("c/compose.yaml", lambda: "\ufeff" + GOOD), None, False),
    ("BOM Markdown", _text("README.md", lambda: "\ufeff# T\n\nText.\n"), None, False),
    (
        "long integer",
        _text("c/compose.yaml", lambda: GOOD + f"    cpus: {BIG}\n"),
        "yaml/too-large-number",
        False,
    ),
    (
        "long integer as a key",  # an explicit key: a plain one is at most 1,024 characters
        _text("c/compose.yaml", lambda: GOOD + f"    labels:\n      ? {BIG}\n      : x\n"),
        None,  # keys are read as text: no conversion to fail
        False,
    ),
    (
        "long integer in front matter",
        _text("README.md", lambda: f"---\nn: {BIG}\n---\n# T\n"),
        "yaml/too-large-number",
        False,
    ),
    (
        "long section number",
        _text("README.md", lambda: f"# T\n\n## 1. A\n\n## {BIG}. B\n"),
        None,
        False,
    ),
    (
        "interpolation 1,000 deep",
        _text("c/compose.yaml", lambda: _interpolation(1000)),
        None,
        False,
    ),
    (
        "unterminated ${ many times",
        _text(
            "c/compose.yaml", lambda: GOOD + '    environment: {A: "' + "${A:-" * 20_000 + '"}\n'
        ),
        None,
        True,
    ),
    (
        "50 MB compose file",
        _large("c/compose.yaml", b"services:\n", b"  # padding\n", 50 * MIB),
        "file/too-large",
        True,
    ),
    (
        "50 MB Markdown file",
        _large("README.md", b"# T\n\n", b"words and words\n", 50 * MIB),
        "file/too-large",
        True,
    ),
    ("1 GB-line .env", _sparse("c/.env", b"A=", 1 << 30), "file/too-large", True),
    (
        "150 KB line of findings",
        _text("c/compose.yaml", lambda: _flow_services(5000)),
        "compose/network-mode-host",
        True,
    ),
    (
        "10k suppression directives",
        _text(
            "c/compose.yaml",
            lambda: (
                "services:\n"
                + "".join(
                    f"  # aixcl-lint: ignore[compose/network-mode-host] reason: r{i}\n"
                    f"  s{i}:\n    image: nginx:1.27\n"
                    for i in range(10_000)
                )
            ),
        ),
        None,
        True,
    ),
    (
        "100 KB paragraph",
        _text("README.md", lambda: "# T\n\nSee x.md section " + "a" * 100_000 + "\n"),
        None,
        True,
    ),
    (
        "long unclosed HTML tag",
        _text("README.md", lambda: "# T\n\n<" + "a" * 1_000_000 + "\n"),
        None,
        True,
    ),
    (
        "many unterminated HTML comments",
        _text("README.md", lambda: "# T\n\n" + "<!-- " * 200_000 + "\n"),
        None,
        True,
    ),
    (
        "600k links in one paragraph",
        _text("README.md", lambda: "# T\n\n" + "[a](#t) " * 600_000 + "\n"),
        "markdown/too-complex",
        True,
    ),
    (
        "100k anchor links",
        _text("README.md", lambda: "# T\n\n" + "[a](#t) " * 100_000 + "\n"),
        None,
        True,
    ),
    (
        "reference-style references",
        _text(
            "README.md",
            lambda: (
                "# T\n\n"
                + "".join(f"[`a.b/c{i}`][r{i}] " for i in range(20_000))
                + "\n\n"
                + "".join(f"[r{i}]: #t\n" for i in range(20_000))
            ),
        ),
        None,
        True,
    ),
    (
        "100k link definitions in one document",
        _text(
            "README.md",
            lambda: "# T\n\n[used][d7]\n\n" + "".join(f"[d{i}]: #t\n" for i in range(100_000)),
        ),
        None,
        True,
    ),
    (
        "prose references with backticks",
        _text("README.md", lambda: "# T\n\n" + "docs/x.md section 1 `" * 20_000 + "\n"),
        "docs/section-references[file]",
        True,
    ),
    (
        "a flood of directives in Markdown",
        _text(
            "README.md",
            lambda: "# T\n\n" + "<!-- aixcl-lint: ignore[docs/anchors] reason: x -->\n\n" * 20_000,
        ),
        "suppress/unused",
        True,
    ),
]


@pytest.mark.parametrize(
    ("files", "rule", "slow"),
    [pytest.param(*c[1:], marks=[pytest.mark.slow] if c[3] else []) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_hostile_file(tmp_path: Path, files: Files, rule: str | None, slow: bool) -> None:
    root = git_repo(tmp_path / "repo", {"good/compose.yaml": GOOD, "SECURITY.md": "# S\n"})
    files(root)
    ran = check_unchanged(root, "--select", "compose,docs,yaml,file,markdown,suppress,env")
    assert ran.code in (0, 1), ran.err
    rules = set(ran.rules())
    if rule is None:
        assert not {r for r in rules if r.startswith(("yaml/", "file/", "markdown/"))}, rules
    else:
        assert rule in rules, rules


REDOS_POLICY = """\
version: 1
rules:
  - id: team/shape
    title: Image shape
    severity: error
    target: {kind: compose}
    select: services
    checks:
      - field: image
        not-matches: '^(a+)+$'
        message: "service '{service}' has a suspicious image"
      - field: image
        not-matches: '^(a|aa)*b$'
        message: "service '{service}' has a suspicious image"
"""


@pytest.mark.slow
def test_redos_shaped_policy_regexes_run_in_linear_time(tmp_path: Path) -> None:
    compose = f'services:\n  web:\n    network_mode: host\n    image: "{"a" * 200_000}!"\n'
    root = git_repo(
        tmp_path / "repo",
        {"c/compose.yaml": compose, ".aixcl-lint/policies/shape.yaml": REDOS_POLICY},
    )
    ran = check_unchanged(root, "--select", "team")
    assert ran.code == 0, ran.err  # neither pattern matches, and RE2 says so at once


@pytest.mark.slow
def test_100k_files_in_one_folder(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {"many/compose.yaml": GOOD})
    for i in range(100_000):
        (root / "many" / f"f{i}.txt").touch()
    (root / "many" / "README.md").write_text("# T\n\n[x](f99999.txt)\n", encoding="utf-8")
    ran = check_unchanged(root, "--select", "compose,docs")
    assert ran.code == 0, ran.err
    assert ran.json()["summary"]["files"] == 2


def _projects(root: Path, count: int) -> None:
    padding = "# " + "x" * 20_000 + "\n"  # enough bytes for the run to use workers
    for i in range(count):
        folder = root / f"p{i:03}"
        folder.mkdir()
        (folder / "compose.yaml").write_text(
            f"{padding}services:\n  app{i}:\n    image: app:1\n", encoding="utf-8"
        )


@pytest.mark.slow
@pytest.mark.parametrize(("fault", "rule"), [("kill", "run/crash"), ("hang", "run/timeout")])
def test_a_parallel_run_survives_one_bad_project(tmp_path: Path, fault: str, rule: str) -> None:
    root = git_repo(tmp_path / "repo")
    _projects(root, 120)
    env = {"AIXCL_LINT_FAULT": f"{fault}:p007/compose.yaml", "AIXCL_LINT_UNIT_SECONDS": "3"}
    ran = run_limited("check", "--jobs", "2", "--format", "json", cwd=root, env=env)
    assert ran.code == 1, ran.err
    found = ran.findings()
    assert (rule, "p007/compose.yaml", 1) in found
    others = {path for r, path, _ in found if r == "compose/network-mode-host"}
    assert others == {f"p{i:03}/compose.yaml" for i in range(120)} - {"p007/compose.yaml"}


@pytest.mark.slow
@pytest.mark.parametrize("count", [2_000, 20_000])  # 20k: a 1 MB file, 40k edits
def test_fix_and_diff_on_many_fixable_services(tmp_path: Path, count: int) -> None:
    services = "".join(
        f"  s{i}:\n    image: nginx:1.27\n    ports: ['80:80']\n" for i in range(count)
    )
    root = git_repo(tmp_path / "repo", {"compose.yaml": "services:\n" + services})
    ran = run_limited("check", "--diff", "--select", "compose", cwd=root)
    assert ran.code == 0, ran.err
    assert ran.out.count("+    network_mode: host\n") == count
    assert ran.out.count("-    ports: ['80:80']\n") == count
    fixed = run_limited("check", "--fix", "--select", "compose", cwd=root)
    assert fixed.code == 0, fixed.err
    assert "ports" not in (root / "compose.yaml").read_text(encoding="utf-8")
    assert os.path.getsize(root / "compose.yaml") > 0


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_100k_findings_on_one_markdown_line(tmp_path: Path, fmt: str) -> None:
    links = "".join(f"[a](#nowhere{i}) " for i in range(100_000))  # 1.7 MB, one line
    root = git_repo(tmp_path / "repo", {"README.md": f"# T\n\n{links}\n", "SECURITY.md": "# S\n"})
    # A code frame printed the whole line under each finding: 100k x 1.7 MB.
    ran = run_limited("check", "--select", "docs/anchors", "--format", fmt, cwd=root)
    assert ran.code == 1, ran.err
    if fmt == "json":
        assert len(ran.findings()) == 100_000
    else:
        assert ran.out.count(" docs/anchors link '#nowhere") == 100_000
        assert len(ran.raw) < 100_000 * 1_000


@pytest.mark.slow
def test_many_findings_and_many_waivers(tmp_path: Path) -> None:
    services = "".join(f"  s{i}:\n    image: nginx:1.27\n" for i in range(5000))
    unused = "".join(
        f"  - {{rule: compose/network-mode-host, path: p{i}/compose.yaml, reason: r, owner: o, "
        "expires: 2030-01-01}\n"
        for i in range(20_000)
    )
    waivers = (
        "waivers:\n  - {rule: compose/network-mode-host, path: c/compose.yaml, reason: r, "
        f"owner: o, expires: 2030-01-01}}\n{unused}"
    )
    root = git_repo(
        tmp_path / "repo",
        {"c/compose.yaml": "services:\n" + services, ".aixcl-lint-waivers.yaml": waivers},
    )
    # 5,000 findings and 20,001 waivers: a waiver-by-finding scan is 10^8 glob matches.
    ran = check_unchanged(root, "--select", "compose,suppress")
    assert ran.code == 0, ran.err  # unused waivers are warnings
    found = ran.findings()
    assert not [f for f in found if f[0] == "compose/network-mode-host"]
    unused_lines = [line for rule, _, line in found if rule == "suppress/unused-waiver"]
    assert unused_lines == list(range(3, 20_003))
    named = check_unchanged(root, "--select", "compose,suppress", "c/compose.yaml")
    assert named.code == 0, named.err
    assert named.findings() == []  # the other waivers name no file this run linted
