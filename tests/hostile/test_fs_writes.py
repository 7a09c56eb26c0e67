"""What --fix and init write: atomic, confined, keeping the file's own metadata."""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.fix.files import read, temporary_name, write
from conftest import console_script, main_in

Repo = Callable[[Mapping[str, str | bytes]], Path]
BRIDGE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n"
HOST = BRIDGE.replace("bridge", "host")


def test_init_does_not_write_through_a_dangling_symlink(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo({})
    (root / ".aixcl-lint.yaml").symlink_to(tmp_path / "planted.yaml")
    assert main_in(root, "init") == 2
    assert capsys.readouterr().err == (
        f"aixcl-lint: error: {root / '.aixcl-lint.yaml'} is a symlink; not written\n"
    )
    assert not (tmp_path / "planted.yaml").exists()


def test_init_writes_a_starter_config(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = repo({})
    assert main_in(root, "init") == 0
    assert "fail-on: error" in (root / ".aixcl-lint.yaml").read_text()
    assert main_in(root, "init", "--force") == 0
    capsys.readouterr()


def test_a_fix_keeps_mode_setuid_and_xattrs(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    target.write_text(BRIDGE)
    target.chmod(0o4751)
    try:
        os.setxattr(target, "user.origin", b"kept")
    except OSError:
        xattrs = False
    else:
        xattrs = True
    original = read(tmp_path, "compose.yaml", 10_000)
    assert not isinstance(original, str)
    assert write(tmp_path, original, HOST) is None
    assert target.read_text() == HOST
    assert stat.S_IMODE(target.stat().st_mode) == 0o4751
    if xattrs:
        assert os.getxattr(target, "user.origin") == b"kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compose.yaml"]


def test_a_fix_keeps_crlf_a_bom_and_no_final_newline(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "\ufeff" + BRIDGE.replace("\n", "\r\n").rstrip("\r\n")
    root = repo({"compose.yaml": text.encode("utf-8")})
    main_in(root, "check", "--fix", "--select", "compose/network-mode-host")
    capsys.readouterr()
    fixed = (root / "compose.yaml").read_bytes()
    assert fixed == HOST.replace("\n", "\r\n").rstrip("\r\n").encode("utf-8-sig")


def test_a_leftover_temporary_file_is_removed_by_the_next_fix(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo({"deploy/compose.yaml": BRIDGE})
    leftover = root / "deploy" / temporary_name("compose.yaml")
    leftover.write_text("half a file")
    assert main_in(root, "check", "--fix", "--select", "compose/network-mode-host") == 0
    capsys.readouterr()
    assert not leftover.exists()
    assert (root / "deploy" / "compose.yaml").read_text() == HOST


def _large_project(root: Path, services: int, padding: int) -> tuple[bytes, bytes]:
    """A large compose file of many services to fix (``padding`` bytes of comment make
    a write that takes a while), and what it becomes once fixed."""
    service = "  s{i}:\n    image: nginx:1.27\n    network_mode: bridge\n"
    before = "services:\n" + "".join(service.format(i=i) for i in range(services))
    before += "# " + "padding " * (padding // 8) + "\n"
    (root / "compose.yaml").write_text(before)
    return before.encode(), before.replace("network_mode: bridge", "network_mode: host").encode()


def _fix(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [console_script(), "check", "--fix", "--select", "compose/network-mode-host"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _others(root: Path) -> list[str]:
    return sorted(
        p.name for p in root.iterdir() if p.name not in ("compose.yaml", ".git", ".aixcl-lint.yaml")
    )


KILLS = 30


@pytest.mark.slow
def test_kill_9_at_random_moments_during_fix_leaves_the_old_or_the_fixed_file(
    repo: Repo,
) -> None:
    root = repo({".aixcl-lint.yaml": "max-file-size: 64000000\n"})
    before, after = _large_project(root, 300, 8 << 20)  # 8 MB: over the default size bound
    started = time.monotonic()
    assert _fix(root).wait() == 0
    duration = time.monotonic() - started  # only to spread the kills over a whole run
    assert (root / "compose.yaml").read_bytes() == after
    chooser = random.Random(15)
    outcomes: Counter[str] = Counter()
    for i in range(KILLS):
        (root / "compose.yaml").write_bytes(before)
        proc = _fix(root)
        # Half anywhere in the run, half in its last third, where the write is.
        low, high = (0.05, 1.2) if i % 2 else (0.65, 1.1)
        time.sleep(chooser.uniform(low, high) * duration)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        content = (root / "compose.yaml").read_bytes()
        assert content in (before, after), f"kill {i}: a partial file of {len(content):,} bytes"
        outcomes["killed" if code == -signal.SIGKILL else "finished"] += 1
        outcomes["fixed" if content == after else "old"] += 1
        # O_TMPFILE: the new content has no name until the instant between link and
        # rename; a kill there leaves the one temporary name, which the next fix removes.
        left = _others(root)
        assert left in ([], [temporary_name("compose.yaml")]), f"kill {i}: {left}"
        outcomes["temporary left"] += len(left)
        if left:
            (root / "compose.yaml").write_bytes(before)
            assert _fix(root).wait() == 0
            assert _others(root) == []
    assert outcomes["killed"] > KILLS // 4, outcomes  # the kills did land inside runs
    assert outcomes["old"] > 0, outcomes
    assert _others(root) == []
