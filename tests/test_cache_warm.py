"""What a warm run still reads (``run/cache.py``, ``run/recorder.py``): a kept compose
project is not built again to learn which files it extends, a file whose stamp is
unchanged is not read, and every change that matters is still seen."""

from __future__ import annotations

import collections
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint import fsio
from aixcl_lint.documents import yamltree
from aixcl_lint.inputs import hexdigest
from aixcl_lint.run import recorder
from conftest import Ran, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

EXTENDING = {
    "compose.yaml": (
        "services:\n  web:\n    extends: {file: common/base.yaml, service: base}\n"
        "    network_mode: host\n"
    ),
    "common/base.yaml": "services:\n  base:\n    image: nginx:1.27\n",
}
DOCS = {
    "a.md": "# A\n\nSee [b](b.md#one).\n",
    "b.md": "# B\n\n## One\n\nText.\n",
    "d.md": "# D\n\n<!-- aixcl-lint: ignore[docs/relative-links] moving -->\n[gone](missing.md)\n",
    "e.md": "# E\n\n[gone](missing.md)\n",
}
DAY_NS = 86_400 * 10**9


def check(root: Path, cache: Path, *args: str) -> Ran:
    return run_cli(
        "check", "--format", "json", "--jobs", "1", *args,
        cwd=root, env={"AIXCL_LINT_CACHE_DIR": str(cache)},
    )  # fmt: skip


def aged(root: Path) -> Path:
    """Every file of ``root`` last modified a day ago."""
    then = time.time_ns() - DAY_NS
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(os.path.join(folder, name), ns=(then, then))
    return root


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by the test count as settled at once (their change time, which
    ``os.utime`` sets to now, is not a day old; the wait would be ``SETTLED_NS``)."""
    monkeypatch.setattr(recorder, "SETTLED_NS", 0)


def documents(reads: list[str], root: Path) -> list[str]:
    """The Markdown files of ``root`` among the paths read."""
    return sorted({os.path.relpath(p, root) for p in reads if p.startswith(str(root))} & set(DOCS))


@pytest.fixture
def yaml_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = yamltree.parse

    def spy(rel: str, *args: object, **kwargs: object) -> object:
        if rel != "policy.yaml":
            seen.append(rel)
        return real(rel, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(yamltree, "parse", spy)
    return seen


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths ``fsio.read_regular`` is asked for (a file's bytes, wherever read)."""
    seen: list[str] = []
    real = fsio.read_regular

    def spy(path: Path | str, *args: object, **kwargs: object) -> bytes:
        seen.append(os.fspath(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio, "read_regular", spy)
    return seen


def test_a_kept_project_is_not_built_again_to_find_what_it_extends(
    repo: Repo, tmp_path: Path, yaml_parses: list[str]
) -> None:
    root, cache = repo(EXTENDING), tmp_path / "cache"
    cold = check(root, cache)
    assert cold.json()["summary"]["files"] == 2  # the extended file is checked too
    yaml_parses.clear()
    warm = check(root, cache)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert yaml_parses == []


def test_an_edited_extended_file_rechecks_the_project_extending_it(
    repo: Repo, tmp_path: Path, yaml_parses: list[str]
) -> None:
    root, cache = repo(EXTENDING), tmp_path / "cache"
    assert check(root, cache).json()["findings"] == []
    yaml_parses.clear()
    (root / "common/base.yaml").write_text("services:\n  base:\n    image: nginx:latest\n")
    warm = check(root, cache).json()
    assert sorted(set(yaml_parses)) == ["common/base.yaml", "compose.yaml"]
    assert [(f["rule"], f["path"], f["line"]) for f in warm["findings"]] == [
        ("compose/image-pinned[latest]", "common/base.yaml", 3)
    ]
    assert warm["summary"]["files"] == 2


@pytest.mark.usefixtures("settled")
def test_an_unchanged_rerun_reads_only_the_files_holding_a_directive(
    repo: Repo, tmp_path: Path, reads: list[str]
) -> None:
    root, cache = aged(repo(DOCS)), tmp_path / "cache"
    cold = check(root, cache)
    assert [f["path"] for f in cold.json()["findings"]] == ["e.md"]  # d.md's is disabled
    reads.clear()
    warm = check(root, cache)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert documents(reads, root) == ["d.md"]  # read again for its directive only


@pytest.mark.usefixtures("settled")
def test_a_cold_run_reads_each_file_once_to_record_it(
    repo: Repo, tmp_path: Path, reads: list[str]
) -> None:
    """Recording a unit's facts takes each file's digest from the bytes the unit read
    (it read them again before: twice the reads of a cold run)."""
    root, cache = aged(repo(DOCS)), tmp_path / "cache"
    cold = check(root, cache)
    read = collections.Counter(os.path.relpath(p, root) for p in reads)
    assert {name: read[name] for name in DOCS if name != "d.md"} == {
        "a.md": 1,
        "b.md": 1,
        "e.md": 1,
    }
    # (d.md is read again after its unit: suppression reads its directive)
    reads.clear()
    warm = check(root, cache)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert documents(reads, root) == ["d.md"]  # the recorded facts hold


@pytest.mark.usefixtures("settled")
def test_a_file_edited_while_it_is_recorded_is_recorded_as_it_is_now(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose stamp moved after the unit read it is read again for its fact (the
    unit's result is then not kept: its bytes are not the file's)."""
    root, cache = aged(repo(DOCS)), tmp_path / "cache"
    real = fsio.read_regular

    def edit_after(path: Path | str, *args: object, **kwargs: object) -> bytes:
        data = real(path, *args, **kwargs)  # type: ignore[arg-type]
        if os.fspath(path).endswith("e.md"):
            Path(path).write_text("# E\n\nNo link now.\n")
        return data

    monkeypatch.setattr(fsio, "read_regular", edit_after)
    cold = check(root, cache).json()["findings"]
    assert [f["path"] for f in cold] == ["e.md"]  # from the bytes the unit read
    monkeypatch.setattr(fsio, "read_regular", real)
    assert check(root, cache).json()["findings"] == []  # e.md's result was not kept


@pytest.mark.usefixtures("settled")
def test_an_edit_keeping_the_size_and_modification_time_is_seen(repo: Repo, tmp_path: Path) -> None:
    root, cache = aged(repo(DOCS)), tmp_path / "cache"
    assert [f["path"] for f in check(root, cache).json()["findings"]] == ["e.md"]
    target = root / "b.md"
    before = target.stat()
    target.write_text("# B\n\n## Two\n\nText.\n")  # the same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    found = check(root, cache).json()["findings"]
    assert [(f["path"], f["rule"]) for f in found] == [
        ("a.md", "docs/anchors"),
        ("e.md", "docs/relative-links"),
    ]


def test_a_file_written_just_before_it_is_read_keeps_no_stamp(
    repo: Repo, tmp_path: Path, reads: list[str]
) -> None:
    root, cache = aged(repo(DOCS)), tmp_path / "cache"  # changed now: within SETTLED_NS
    cold = check(root, cache)
    reads.clear()
    assert check(root, cache).out == cold.out
    assert documents(reads, root) == sorted(DOCS)  # read again: their digests decide


@pytest.mark.parametrize(
    "facts",
    [[["exists", ["a.md"], "1"]], [["file", "a.md", 7]], [["outline"]], "not a list", [None]],
    ids=["unhashable-path", "number", "short", "text", "none"],
)
def test_an_entry_with_facts_of_another_shape_is_a_miss(
    repo: Repo, tmp_path: Path, facts: object
) -> None:
    root, cache = repo(DOCS), tmp_path / "cache"
    cold = check(root, cache)
    for path in (cache / "results").rglob("*"):
        if path.is_file() and path.name[0] != ".":
            entry = json.loads(path.read_bytes().partition(b"\n")[2])
            body = json.dumps({**entry, "facts": facts}).encode()
            path.write_bytes(hexdigest(body).encode() + b"\n" + body)  # whole, checksummed
    warm = check(root, cache)
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)


@pytest.mark.usefixtures("settled")
def test_a_link_to_a_generated_file_keeps_its_result(
    repo: Repo, tmp_path: Path, reads: list[str]
) -> None:
    """A generated file is there to the loader and not on disk: the result of a page
    linking to it is still kept and replayed."""
    files = {
        "a.md": "# A\n\nSee [the settings](site/settings.md).\n",
        ".aixcl-lint.yaml": "generated: [site/settings.md]\n",
    }
    root, cache = aged(repo(files)), tmp_path / "cache"
    cold = check(root, cache)
    assert cold.json()["findings"] == []
    reads.clear()
    warm = check(root, cache)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert "a.md" not in [os.path.relpath(p, root) for p in reads]  # its result held
