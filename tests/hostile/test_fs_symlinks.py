"""Symlinks never lead a run, or a fix, outside the repository."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import main_in, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
BRIDGE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n"
SECRET = "[default]\naws_secret_access_key=wJalrXUtnFEMI-K7MDENG\n"


def run(root: Path, *args: str) -> int:
    return main_in(root, "check", *args)


def test_fix_never_writes_a_symlinked_file_outside(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(BRIDGE)
    root = repo({"README.md": "# r\n"})
    (root / "o").mkdir()
    (root / "o" / "compose.yaml").symlink_to(outside)
    assert run(root, "--fix", "o/compose.yaml") == 1
    assert outside.read_text() == BRIDGE
    assert "file/outside-repository" in capsys.readouterr().out


def test_fix_never_writes_into_a_symlinked_folder_outside(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "elsewhere").mkdir()
    outside = tmp_path / "elsewhere" / "compose.yaml"
    outside.write_text(BRIDGE)
    root = repo({"README.md": "# r\n"})
    (root / "o").symlink_to(tmp_path / "elsewhere")
    assert run(root, "--fix", "o/compose.yaml") == 2
    assert "outside the repository" in capsys.readouterr().err
    assert run(root, "--fix", "o") == 2
    assert run(root, "--fix") in (0, 1)  # the whole repository: the link is not followed
    assert outside.read_text() == BRIDGE
    capsys.readouterr()


def test_fix_does_not_write_through_a_symlink_inside_either(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo({"real/compose.yaml": BRIDGE})
    (root / "compose.yaml").symlink_to("real/compose.yaml")
    assert run(root, "--fix", "--select", "compose/network-mode-host", "compose.yaml") == 1
    captured = capsys.readouterr()
    assert "compose.yaml is a symlink; fixes never write through one" in captured.out
    assert (root / "real" / "compose.yaml").read_text() == BRIDGE
    assert (root / "compose.yaml").is_symlink()


def test_an_env_symlinked_to_credentials_is_never_read(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "credentials").write_text(SECRET)
    compose = (
        'services:\n  web:\n    image: "nginx:${aws_secret_access_key}"\n    network_mode: host\n'
    )
    root = repo({"compose.yaml": compose})
    (root / ".env").symlink_to(tmp_path / "credentials")
    for args in (["--format", "json"], ["--format", "github"], ["--format", "json", ".env"]):
        run(root, *args)
        out = capsys.readouterr().out
        assert "wJalrXUtnFEMI" not in out
        assert "file/outside-repository" in out
    run(root, "--format", "json", "compose.yaml")
    out = capsys.readouterr().out
    assert "wJalrXUtnFEMI" not in out
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert "compose/image-pinned[unset-variable]" in rules  # as if there were no .env


def test_a_named_symlink_does_not_move_the_root(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "compose.yaml").write_text(BRIDGE)
    root = repo({"README.md": "# r\n"})
    (root / "compose.yaml").symlink_to(other / "compose.yaml")
    assert run(root, "--fix", "--format", "json", "compose.yaml") == 1
    out = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in out["findings"]] == ["file/outside-repository"]
    assert (other / "compose.yaml").read_text() == BRIDGE


@pytest.mark.slow
def test_naming_a_symlink_to_the_filesystem_root_ends_at_once(repo: Repo) -> None:
    root = repo({"README.md": "# r\n"})
    (root / "slash").symlink_to("/")
    ran = run_cli("check", "slash", cwd=root, timeout=60)
    assert ran.code == 2
    assert ran.err == f"aixcl-lint: error: slash: outside the repository at {root}\n"
    ran = run_cli("check", "--fix", str(root / "slash"), cwd=root.parent, timeout=60)
    assert ran.code == 2
    # `slash/..` is the filesystem root's parent, the root itself: no repository.
    ran = run_cli("check", "slash/..", cwd=root, timeout=60)
    assert ran.code == 2
    assert ran.err == (
        "aixcl-lint: error: slash/..: outside any repository (it is the filesystem root /)\n"
    )


def test_fix_replaces_a_hard_link_and_leaves_the_other_name_alone(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(BRIDGE)
    root = repo({"README.md": "# r\n"})
    (root / "compose.yaml").hardlink_to(outside)
    assert run(root, "--profile", "aixcl", "--fix", "compose.yaml") in (0, 1)
    assert "network_mode: host" in (root / "compose.yaml").read_text()
    assert outside.read_text() == BRIDGE  # the new content got a new inode
    capsys.readouterr()


def test_a_folder_swapped_for_a_symlink_after_reading_is_not_written_through(
    tmp_path: Path, repo: Repo
) -> None:
    from aixcl_lint.fix import files

    (tmp_path / "elsewhere").mkdir()
    outside = tmp_path / "elsewhere" / "compose.yaml"
    outside.write_text(BRIDGE)
    root = repo({"sub/compose.yaml": BRIDGE})
    original = files.read(root, "sub/compose.yaml", 1 << 20)
    assert isinstance(original, files.Original)
    (root / "sub").rename(root / "moved")
    (root / "sub").symlink_to(tmp_path / "elsewhere")  # same bytes there: only the path stops it
    assert files.write(root, original, "services: {}\n") == (
        "is reached through a symlinked folder; not touched"
    )
    assert outside.read_text() == BRIDGE


LATEST = "services:\n  {name}:\n    image: nginx:latest\n    network_mode: host\n"


def _pinned(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[str, str]]:
    """(path, message) of the image-pinned findings of ``check ARGS`` run in ``root``."""
    assert run(root, "--format", "json", "--select", "compose/image-pinned", *args) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    return [(f["path"], f["message"].split("'")[1]) for f in found]


def test_dot_dot_after_a_symlinked_folder_is_the_filesystem_s(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo(
        {"compose.yaml": LATEST.format(name="top"), "a/compose.yaml": LATEST.format(name="a")}
    )
    (root / "a" / "b").mkdir()
    (root / "ab").symlink_to("a/b")
    # ab/.. is a/, as `cat ab/../compose.yaml` reads it; as text it would be the root.
    assert _pinned(root, capsys, "ab/../compose.yaml") == [("a/compose.yaml", "a")]
    assert _pinned(root, capsys, "ab/..") == [("a/compose.yaml", "a")]
    assert run(root, "--fix", "--select", "compose/image-pinned", "ab/../compose.yaml") == 1
    capsys.readouterr()
    assert (root / "compose.yaml").read_text() == LATEST.format(name="top")


def test_dot_dot_out_of_a_symlink_into_another_repository(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / "deep").mkdir()
    (other / "compose.yaml").write_text(LATEST.format(name="theirs"))
    (other / ".aixcl-lint.yaml").write_text("severity: {compose/image-pinned: warning}\n")
    root = repo({"compose.yaml": LATEST.format(name="ours")})
    (root / "link").symlink_to(other / "deep")
    # link/../compose.yaml is the other repository's file: linted there, with its config.
    assert run(root, "--format", "json", "link/../compose.yaml") == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["path"], f["severity"], "theirs" in f["message"]) for f in found] == [
        ("compose.yaml", "warning", True)
    ]


def test_dot_dot_out_of_a_symlink_from_outside_into_the_repository(
    tmp_path: Path, repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    root = repo(
        {"compose.yaml": LATEST.format(name="top"), "a/compose.yaml": LATEST.format(name="a")}
    )
    (root / "a" / "b").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "into").symlink_to(root / "a" / "b")
    (tmp_path / "elsewhere" / "compose.yaml").write_text(LATEST.format(name="elsewhere"))
    assert _pinned(tmp_path / "elsewhere", capsys, "into/../compose.yaml") == [
        ("a/compose.yaml", "a")
    ]
