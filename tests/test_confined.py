"""A run's path confinement (``fsio.Confined``: each folder resolved once) answers as
``realpath`` of every path does, through symlinked files and folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aixcl_lint import fsio


def _tree(tmp_path: Path) -> Path:
    root, outside = tmp_path / "repo", tmp_path / "outside"
    (root / "docs" / "deep").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text("x")
    (root / "docs" / "deep" / "a.md").write_text("a")
    (root / "docs" / "to-a.md").symlink_to("deep/a.md")
    (root / "docs" / "to-secret.md").symlink_to(outside / "secret.md")
    (root / "inner").symlink_to("docs/deep")  # a folder symlink inside
    (root / "outer").symlink_to(outside)  # a folder symlink outside
    (root / "dangling.md").symlink_to("nowhere.md")
    (root / "loop.md").symlink_to("loop.md")
    return root


PATHS = [
    "docs/deep/a.md",
    "docs/to-a.md",
    "docs/to-secret.md",
    "inner/a.md",
    "outer/secret.md",
    "outer",
    "inner",
    "docs",
    "docs/deep",
    "",
    "dangling.md",
    "loop.md",
    "missing.md",
    "docs/deep/a.md/x",
    "docs/../docs/deep/a.md",
    "outer/../docs/to-a.md",
]


@pytest.mark.parametrize("rel", PATHS)
def test_confined_answers_as_realpath(tmp_path: Path, rel: str) -> None:
    root = _tree(tmp_path)
    confined = fsio.Confined(root)
    for _ in range(2):  # the second answer comes from the folders already resolved
        path = os.path.join(root, rel)
        assert confined.inside(path) == fsio.inside(root, Path(path)), rel


def test_outside_paths_are_refused_as_before(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    confined = fsio.Confined(root)
    assert not confined.inside(root / "outer" / "secret.md")
    assert confined.inside(root / "inner" / "a.md")
    with pytest.raises(fsio.Refused) as refused:
        fsio.read_regular(root / "docs" / "to-secret.md", 100, confined=confined)
    assert refused.value.kind == "outside"
    with pytest.raises(fsio.Refused) as dangling:
        fsio.read_regular(root / "dangling.md", 100, confined=confined)
    assert dangling.value.message == "no such file (or a dangling symlink)"
    assert fsio.read_regular(root / "docs" / "to-a.md", 100, confined=confined) == b"a"
