"""A run on named files (pre-commit's) asks git about their folders, never walks the
whole work tree; its answers are the whole list's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from aixcl_lint import listing
from conftest import main_in, write_tree
from test_discover_git import LATEST, git, git_repo

FILES = {
    "compose.yaml": LATEST,
    "README.md": "# Readme\n",
    "app/compose.yaml": "services:\n  web:\n    image: nginx:latest\n",
    "app/compose.override.yaml": "services:\n  web:\n    network_mode: host\n",
    "app/.env": "TAG=1\n",
    "app/notes.md": "# Notes\n",
    "app/ignored.md": "# Ignored\n",
    "app/gone.md": "# Gone\n",
    "app/sub/deep.md": "# Deep\n",
    "other/compose.yaml": LATEST,
    ".gitignore": "ignored.md\n",
}


def _repository(tmp_path: Path) -> Path:
    root = git_repo(tmp_path / "r", FILES)
    write_tree(root, {"app/untracked.md": "# New\n", "app/ignored.md": "# Still ignored\n"})
    git(root, "add", "-f", "app/ignored.md")  # tracked, though .gitignore names it
    (root / "app" / "gone.md").unlink()  # deleted, still in the index
    os.symlink("notes.md", root / "app" / "link.md")
    return root


@pytest.mark.parametrize("folder", ["", "app", "app/sub", "other", "missing"])
def test_a_folder_asked_of_git_alone_lists_what_the_whole_list_does(
    tmp_path: Path, folder: str
) -> None:
    root = _repository(tmp_path)
    scoped, whole = listing.Files(root), listing.Files(root)
    scoped.scope([folder])
    assert whole.git is not None
    assert scoped.folder(folder) == whole.folder(folder)
    names = [*whole.folder(folder), f"{folder}/gone.md", f"{folder}/untracked-not-there.md"]
    assert [scoped.listed(n) for n in names] == [whole.listed(n) for n in names]
    assert not scoped._asked  # the whole list was never needed


def test_a_run_on_named_files_never_lists_the_whole_work_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repository(tmp_path)
    asked: list[tuple[str, ...]] = []
    real = listing._ls_files

    def recorded(where: Path, *options: str) -> list[str] | None:
        asked.append(options)
        return real(where, *options)

    monkeypatch.setattr(listing, "_ls_files", recorded)
    named = ("app/compose.yaml", "README.md")
    code = main_in(root, "check", "--format", "json", "--no-cache", "--profile", "aixcl", *named)
    assert code == 1, capsys.readouterr().err
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert ("compose/image-pinned[latest]", "app/compose.yaml") in {
        (f["rule"], f["path"]) for f in findings
    }
    # The override beside the named base file is read as its context: host networking.
    assert not [f for f in findings if f["rule"] == "compose/network-mode-host"]
    assert {f["path"] for f in findings} <= set(named)
    assert asked, "git was not asked at all"
    assert all("--" in options for options in asked), asked  # only named folders' files
    literal = {o for options in asked for o in options if o.startswith(":(literal)")}
    assert ":(literal)other/compose.yaml" not in literal
    assert ":(literal)app/compose.override.yaml" in literal


@pytest.mark.parametrize("named", [(), ("README.md",)])
def test_a_link_to_a_file_git_ignores_is_broken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], named: tuple[str, ...]
) -> None:
    """A clone (CI, GitHub) has no untracked file that .gitignore names: a link to one is
    broken, whether git's whole list is known or only the named files' folders are. A
    tracked file the .gitignore names, an untracked one it does not, and a folder stay."""
    root = git_repo(
        tmp_path / "r",
        {
            ".gitignore": "local.txt\nbuild/\nkept.txt\n",
            "kept.txt": "tracked, though ignored\n",
            "docs/guide.md": "# Guide\n",
            "README.md": "[a](local.txt) [b](build/out.md) [c](kept.txt) [d](new.md)"
            " [e](docs) [f](docs/guide.md)\n",
        },
    )
    git(root, "add", "-f", "kept.txt")
    git(root, "commit", "-q", "-m", "kept")
    write_tree(root, {"local.txt": "mine\n", "build/out.md": "# Out\n", "new.md": "# New\n"})
    capsys.readouterr()
    code = main_in(root, "check", "--format", "json", "--select", "docs/relative-links", *named)
    found = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["line"], f["column"]) for f in found] == [(1, 1), (1, 16)]


def test_a_kept_result_is_not_reused_once_its_link_target_is_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The result cache's existence answer is the run's: a target that git stops
    tracking and starts ignoring breaks the link on the next run, warm or not."""
    monkeypatch.setenv("AIXCL_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = git_repo(tmp_path / "r", {"README.md": "[a](local.txt)\n", "local.txt": "x\n"})
    args = ("check", "--format", "json", "--select", "docs/relative-links", "--jobs", "1")
    assert main_in(root, *args) == 0
    git(root, "rm", "-q", "--cached", "local.txt")
    (root / ".gitignore").write_text("local.txt\n")
    capsys.readouterr()
    assert main_in(root, *args) == 1
    assert [f["line"] for f in json.loads(capsys.readouterr().out)["findings"]] == [1]
