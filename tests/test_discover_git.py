"""Inside a git work tree the files linted are git's files; outside, a walk."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from aixcl_lint import discover
from aixcl_lint.kinds import classify
from conftest import main_in, write_tree

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}
LATEST = "services:\n  web:\n    image: nginx:latest\n    network_mode: host\n"


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity and no user config."""
    proc = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def git_repo(root: Path, files: dict[str, str | bytes]) -> Path:
    """A real git repository holding ``files``, all committed."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_tree(root, files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "files")
    return root


def linted(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The paths with findings of an in-process run in ``root``."""
    code = main_in(root, "check", "--format", "json", "--no-config", "--select", "compose", *args)
    assert code in (0, 1), capsys.readouterr().err
    return {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}


def test_tracked_files_are_linted_even_where_gitignore_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(tmp_path / "r", {"docker-compose.yml": LATEST})
    (root / ".gitignore").write_text("docker-compose.yml\n")
    assert linted(root, capsys=capsys) == {"docker-compose.yml"}


def test_untracked_files_are_linted_unless_an_ignore_source_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_repo(tmp_path / "r", {"README.md": "# r\n", "sub/.gitignore": "compose.yaml\n"})
    write_tree(
        root,
        {
            "new/compose.yaml": LATEST,  # untracked, not ignored: linted
            "sub/compose.yaml": LATEST,  # a .gitignore below the root names it
            "local/compose.yaml": LATEST,  # .git/info/exclude names it
            "mine/compose.yaml": LATEST,  # core.excludesFile names it
        },
    )
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("local/\n")
    (tmp_path / "global-ignore").write_text("mine/\n")
    git(root, "config", "core.excludesFile", str(tmp_path / "global-ignore"))
    assert linted(root, capsys=capsys) == {"new/compose.yaml"}


def test_deleted_but_tracked_files_and_submodules_are_not_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inner = git_repo(tmp_path / "inner", {"compose.yaml": LATEST})
    root = git_repo(tmp_path / "r", {"gone/compose.yaml": LATEST, "kept/compose.yaml": LATEST})
    git(root, "submodule", "add", "-q", str(inner), "vendored")
    git(root, "commit", "-q", "-m", "submodule")
    (root / "gone" / "compose.yaml").unlink()
    assert (root / "vendored" / "compose.yaml").is_file()
    assert linted(root, capsys=capsys) == {"kept/compose.yaml"}
    assert linted(root, "vendored", capsys=capsys) == set()


def test_named_paths_follow_gits_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = git_repo(tmp_path / "r", {".gitignore": "ignored/\n", "ok/compose.yaml": LATEST})
    write_tree(root, {"ignored/compose.yaml": LATEST})
    assert linted(root, "ok/compose.yaml", "ignored/compose.yaml", capsys=capsys) == {
        "ok/compose.yaml"
    }
    assert main_in(root, "check", "--no-config", "ignored/compose.yaml") == 0
    err = capsys.readouterr().err
    assert "ignored/compose.yaml: not one of git's files (ignored or untracked); not checked" in err


def test_any_byte_in_a_file_name_is_listed(tmp_path: Path) -> None:
    weird = "we\tird\nname \\ é"
    root = git_repo(tmp_path / "r", {f"{weird}/compose.yaml": LATEST, "a.md": "# a\n"})
    raw = os.fsencode(root) + b"/bad-\xff"
    os.mkdir(raw)
    with open(raw + b"/compose.yaml", "w", encoding="utf-8") as handle:
        handle.write(LATEST)
    found = [f.path for f in discover.walk(discover.Files(root), "", classify)]
    assert found == ["a.md", os.fsdecode(b"bad-\xff/compose.yaml"), f"{weird}/compose.yaml"]


def test_the_listing_knows_each_files_size_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = git_repo(tmp_path / "r", {"a.md": "# a\n", "b/compose.yaml": LATEST})
    write_tree(root, {"untracked.md": "x" * 300})
    files = discover.Files(root)
    assert files.git == ("a.md", "b/compose.yaml", "untracked.md")
    (root / "a.md").write_text("# grown\n" * 10)  # as listed: the size it had then
    assert [files.size(p) for p in files.git] == [4, len(LATEST), 300]
    assert files.size("b") is None
    assert files.size("missing.md") is None
    outside = tmp_path / "plain"
    write_tree(outside, {"a.md": "# a\n"})
    assert discover.Files(outside).size("a.md") is None  # walked: not known


def test_outside_a_work_tree_the_walk_honours_gitignore(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "plain",
        {".gitignore": "skip/\n", "skip/compose.yaml": LATEST, "keep/compose.yaml": LATEST},
    )
    files = discover.Files(root)
    assert files.git is None
    assert [f.path for f in discover.walk(files, "", classify)] == ["keep/compose.yaml"]


def test_a_fake_git_folder_is_not_mistaken_for_a_parent_repository(tmp_path: Path) -> None:
    outer = git_repo(tmp_path / "outer", {"README.md": "# outer\n"})
    inner = write_tree(outer / "inner", {"compose.yaml": LATEST})
    (inner / ".git").mkdir()  # not a repository: the walk, never the outer repository's list
    assert discover.Files(inner).git is None
    assert [f.path for f in discover.walk(discover.Files(inner), "", classify)] == ["compose.yaml"]


@pytest.mark.parametrize(
    "config",
    [
        {},  # built-in rules with target.files globs
        {"exclude": ("vendor/",)},
        {"include": ("**",)},
    ],
)
def test_a_file_name_that_is_not_utf8_is_matched_against_globs(
    tmp_path: Path, config: dict[str, tuple[str, ...]]
) -> None:
    # Git lists such names as they are; RE2 (pathspec's backend) refuses the lone
    # surrogates os.fsdecode makes of them, which was an internal error.
    from aixcl_lint.config import Settings
    from aixcl_lint.run import lint, load_policies

    root = git_repo(tmp_path / "r", {"README.md": "# r\n"})
    folder = os.path.join(os.fsencode(root), b"caf\xff")
    os.mkdir(folder)
    with open(os.path.join(folder, b"compose.yaml"), "w", encoding="utf-8") as handle:
        handle.write(LATEST)
    with open(os.path.join(folder, b"notes.md"), "w", encoding="utf-8") as handle:
        handle.write("# Notes\n\n[gone](missing.md)\n")
    settings = Settings(root=root, jobs=1, **config)  # type: ignore[arg-type]
    result = lint(settings, [], load_policies(settings))
    paths = {f.path for f in result.findings}
    assert os.fsdecode(b"caf\xff/compose.yaml") in paths
    assert os.fsdecode(b"caf\xff/notes.md") in paths


def test_git_failing_in_a_work_tree_is_said_not_silently_walked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Git refuses a repository another user owns ("dubious ownership", common in CI
    # containers) or with a broken index. The walk that replaces its list skips tracked
    # files a .gitignore names, so the run must say so rather than print "All clear".
    root = git_repo(tmp_path / "r", {"docker-compose.yml": LATEST, ".gitignore": "x\n"})
    (root / ".git" / "index").write_bytes(b"garbage\n")
    assert linted(root, capsys=capsys) == {"docker-compose.yml"}
    code = main_in(root, "check", "--no-config", "--select", "compose")
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("aixcl-lint: warning: git ls-files failed (fatal: .git/index: ")
    assert "the folders were walked instead" in err
