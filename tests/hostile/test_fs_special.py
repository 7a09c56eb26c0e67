"""FIFOs, devices and symlinks to them are never opened; each is a finding.

Each case runs the real CLI in a subprocess under an address-space and CPU limit, with
a timeout: opening a FIFO blocks and reading /dev/zero never ends, so a regression is a
hang or an out-of-memory kill, which only a separate process can survive. The limits
are generous correctness bounds, not timings.
"""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import Ran, console_script, main_in

Repo = Callable[[Mapping[str, str | bytes]], Path]
HOST = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"
pytestmark = pytest.mark.slow


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def bounded(root: Path, *args: str) -> Ran:
    """The CLI in ``root`` under a 1 GB address-space and 60 s CPU limit."""
    proc = subprocess.run(
        [console_script(), *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
        preexec_fn=_limits,
        check=False,
    )
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def tree(root: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry below ``root``: its type and content (a link's target)."""
    found: dict[str, tuple[int, bytes | str]] = {}
    for path in sorted(root.rglob("*")):
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            found[str(path)] = (stat.S_IFMT(mode), os.readlink(path))
        elif stat.S_ISREG(mode):
            found[str(path)] = (stat.S_IFMT(mode), path.read_bytes())
        else:
            found[str(path)] = (stat.S_IFMT(mode), b"")
    return found


def rules(ran: Ran) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in json.loads(ran.out)["findings"]]


@pytest.mark.parametrize("name", ["docker-compose.yml", "README.md", ".env"])
def test_a_fifo_with_a_linted_name_is_a_finding(repo: Repo, name: str) -> None:
    root = repo({"compose.yaml": HOST} if name != "docker-compose.yml" else {})
    os.mkfifo(root / name)
    before = tree(root)
    for args in ([], [name], ["--fix"], ["--diff", name]):
        ran = bounded(root, "check", "--format", "json", *args)
        if "--diff" in args:  # --diff exits 0 and counts what no fix covers
            assert ran.code == 0, ran.err
            assert "1 other problem(s) no fix covers" in ran.err
        else:
            assert ran.code == 1, ran.err
            assert ("file/not-regular", name) in rules(ran)
        assert tree(root) == before


def test_a_fifo_where_a_gitignore_should_be_is_not_opened(repo: Repo) -> None:
    root = repo({"compose.yaml": HOST})
    os.mkfifo(root / ".gitignore")
    ran = bounded(root, "check", "--format", "json", "--select", "compose")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["summary"]["files"] == 1


def test_a_link_to_a_fifo_markdown_file_is_checked_without_opening_it(repo: Repo) -> None:
    root = repo({"README.md": "# r\n\nSee [the notes](notes.md#usage).\n"})
    os.mkfifo(root / "notes.md")
    ran = bounded(root, "check", "--format", "json", "README.md")
    assert ran.code == 1, ran.err  # the security policy is missing; nothing else
    assert rules(ran) == [("security/policy-present[missing]", "README.md")]


def test_a_compose_file_linked_to_dev_zero_is_not_read(repo: Repo) -> None:
    root = repo({"README.md": "# r\n"})
    (root / "compose.yaml").symlink_to("/dev/zero")
    (root / "deploy").mkdir()
    (root / "deploy" / ".env").symlink_to("/dev/zero")
    (root / "deploy" / "compose.yaml").write_text(HOST)
    before = tree(root)
    for args in ([], ["compose.yaml"], ["--fix"], ["--diff"]):
        ran = bounded(root, "check", "--format", "json", *args)
        if "--diff" in args:  # --diff exits 0 and counts what no fix covers
            assert ran.code == 0, ran.err
            assert "other problem(s) no fix covers" in ran.err
        else:
            assert ran.code == 1, ran.err
            assert ("file/outside-repository", "compose.yaml") in rules(ran)
        assert tree(root) == before


def test_a_character_device_with_a_compose_name_is_not_opened(repo: Repo) -> None:
    root = repo({})
    try:
        os.mknod(root / "compose.yaml", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("creating a device needs CAP_MKNOD")
    ran = bounded(root, "check", "--format", "json")
    assert ran.code == 1, ran.err
    assert ("file/not-regular", "compose.yaml") in rules(ran)
    message = json.loads(ran.out)["findings"][0]["message"]
    assert message == "a character device, not a regular file; not read"


def test_the_size_bound_applies_before_reading(repo: Repo) -> None:
    root = repo({".aixcl-lint.yaml": "max-file-size: 1000\n"})
    with open(root / "compose.yaml", "wb") as handle:  # sparse: 4 GB that take no space
        handle.truncate(4 << 30)
    ran = bounded(root, "check", "--format", "json")
    assert ran.code == 1, ran.err
    assert rules(ran) == [("file/too-large", "compose.yaml")]


def test_a_fifo_gitignore_that_stalls_git_falls_back_to_the_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from aixcl_lint import listing

    root = tmp_path / "r"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / "sub").mkdir()
    (root / "sub" / "compose.yaml").write_text(HOST.replace("1.27", "latest"))
    os.mkfifo(root / "sub" / ".gitignore")  # git blocks opening it
    monkeypatch.setattr(listing, "GIT_TIMEOUT", 1.0)
    assert main_in(root, "check", "--format", "json", "--select", "compose/image-pinned") == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "aixcl-lint: warning: git ls-files did not answer in 1 s (a FIFO where an ignore "
        "file should be?); the folders were walked instead\n"
    )
    assert rules(Ran(1, captured.out, "")) == [("compose/image-pinned[latest]", "sub/compose.yaml")]
