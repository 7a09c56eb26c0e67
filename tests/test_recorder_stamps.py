"""What a cache recorder holds for each file it read until the run's units are done:
one number (its stamp), not a record of the file's ``stat``, since every file of a run
is read and its stamp held to the end (3.5 MB as tuples on 20,000 files)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from aixcl_lint.config import Settings
from aixcl_lint.run.recorder import Recorder
from conftest import write_tree


def _read_all(root: Path, names: list[str]) -> Recorder:
    recorder = Recorder(Settings(root=root))
    recorder.begin()
    for name in names:
        assert recorder.read(name) is not None
    return recorder


def test_a_recorder_holds_one_small_number_per_file_read(tmp_path: Path) -> None:
    names = [f"d{i}.md" for i in range(5)]
    root = write_tree(tmp_path / "r", {name: f"# {name}\n" for name in names})
    recorder = _read_all(root, names)
    assert sorted(recorder.stamps) == names
    for stamp in recorder.stamps.values():
        assert type(stamp) is int
        assert sys.getsizeof(stamp) <= sys.getsizeof(2**63)  # no tuple, no stat_result
    assert recorder.unchanged()


def test_a_file_changed_after_it_was_read_is_still_seen(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {"a.md": "# A\n", "b.md": "# B\n"})
    recorder = _read_all(root, ["a.md", "b.md"])
    before = os.stat(root / "a.md")
    (root / "a.md").write_text("# A, saved again\n")  # another size
    os.utime(root / "a.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not recorder.unchanged()


def test_a_file_gone_after_it_was_read_is_still_seen(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "r", {"a.md": "# A\n"})
    recorder = _read_all(root, ["a.md"])
    (root / "a.md").unlink()
    assert not recorder.unchanged()
