"""Suppression reads again only the files a unit's step saw holding a directive's
marker, and the files no step read (files no rule reads) that the cache look-up does
not know either (it knows a kept result's files)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint.kinds.base import Unit
from aixcl_lint.run import parallel, projectreads
from aixcl_lint.run.load import Loader
from aixcl_lint.run.scans import MARKED, READ, UNREAD, Scans, marks
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]
PORTS = (
    "services:\n  web{i}:\n    image: nginx:1.{i}\n    network_mode: host\n    ports: ['80:80']\n"
)
IGNORED = PORTS.replace(
    "ports: ['80:80']", "ports: ['80:80']  # aixcl-lint: ignore[compose/no-port-mappings] ok"
)


def test_a_step_says_what_it_read_of_its_files() -> None:
    assert marks(("a", "b"), {"a": False, "b": False, "other": True}) is None
    assert marks(("a", "b", "c"), {"a": True, "c": False}) == (MARKED, UNREAD, READ)
    scans = Scans()
    scans.add(Unit("compose", ("a/compose.yaml", "a/compose.prod.yaml")), None)
    scans.add(Unit("compose", ("b/compose.yaml", "a/compose.yaml")), (MARKED, UNREAD))
    scans.add(Unit("markdown", ("c.md",)), (UNREAD,))
    assert scans.mentions("a/compose.yaml") is False  # read by the first step
    assert scans.mentions("b/compose.yaml") is True
    assert scans.mentions("c.md") is None  # no step read it: suppression will
    assert scans.mentions("a/compose.prod.yaml") is False


@pytest.fixture
def reread(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files this process reads again to look for the marker (any run of two units
    or more has workers)."""
    asked: list[str] = []
    mentions = Loader.mentions

    def counting(self: Loader, rel: str, marker: str) -> bool:
        asked.append(rel)
        return mentions(self, rel, marker)

    monkeypatch.setattr(Loader, "mentions", counting)
    monkeypatch.setattr(parallel, "MIN_BYTES_PER_JOB", 1)
    return asked


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_directives_are_found_without_reading_every_file_again(
    aixcl_repo: Repo, reread: list[str], jobs: str, tmp_path: Path
) -> None:
    files: dict[str, str | bytes] = {f"s{i}/compose.yaml": PORTS.format(i=i) for i in range(6)}
    files["s3/compose.yaml"] = IGNORED.format(i=3)
    files["README.md"] = "# Readme\n\n<!-- aixcl-lint: ignore[docs/relative-links] moved -->\n"
    root = aixcl_repo(files)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    cold = run_cli("check", "--format", "json", "--jobs", jobs, cwd=root, env=env)
    assert cold.code == 1, cold.err
    paths = {(rule, path) for rule, path, *_ in cold.findings()}
    assert ("compose/no-port-mappings", "s2/compose.yaml") in paths
    assert ("compose/no-port-mappings", "s3/compose.yaml") not in paths  # suppressed
    assert ("suppress/unused", "README.md") in paths  # its directive was read, unused
    assert reread == []
    # A warm run replays kept results: no step reads the files, and the cache look-up
    # that checked their bytes (or stamps) knows which hold the marker.
    warm = run_cli("check", "--format", "json", "--jobs", jobs, cwd=root, env=env)
    assert warm.out == cold.out
    assert reread == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_document_parsed_for_a_link_before_its_turn_is_not_read_again(
    aixcl_repo: Repo, reread: list[str], jobs: str
) -> None:
    """A document an earlier one links to is parsed then and kept for its own unit,
    whose step does not read it again: its step still says whether it holds the marker
    (before, suppression read each such document again, 440 of medium's 1,000)."""
    files: dict[str, str | bytes] = {
        "a.md": "# A\n\n[b](b.md#b)\n",
        "b.md": "# B\n\n<!-- aixcl-lint: ignore[docs/relative-links] gone -->\n[x](gone.md)\n",
        "c.md": "# C\n\n[b](b.md#b) [a](a.md)\n",
    }
    cold = run_cli("check", "--format", "json", "--no-cache", "--jobs", jobs, cwd=aixcl_repo(files))
    assert cold.code == 0, cold.out  # b.md's broken link suppressed: its directive was read
    assert reread == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_projects_extend_are_counted_from_what_the_steps_parsed(
    aixcl_repo: Repo, reread: list[str], jobs: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary counts a file projects extend as the steps parsed it: no compose
    file is read again for ``extends`` (before, every one was, beside the workers)."""
    asked: list[str] = []
    mentions = projectreads._mentions

    def counting(loader: Loader, path: str) -> bool:
        asked.append(path)
        return mentions(loader, path)

    monkeypatch.setattr(projectreads, "_mentions", counting)
    files: dict[str, str | bytes] = {f"s{i}/compose.yaml": PORTS.format(i=i) for i in range(6)}
    files["s4/compose.yaml"] = (
        "services:\n  web4:\n    extends: {file: ../common/base.yml, service: base}\n"
        "    network_mode: host\n"
    )
    files["common/base.yml"] = "services:\n  base:\n    image: base:latest\n"
    root = aixcl_repo(files)
    found = run_cli("check", "--format", "json", "--no-cache", "--jobs", jobs, cwd=root)
    assert found.json()["summary"]["files"] == 6 + 1  # common/base.yml too
    assert ("compose/image-pinned[latest]", "common/base.yml") in {
        (rule, path) for rule, path, *_ in found.findings()
    }
    assert asked == []
    listed = run_cli("check", "--show-files", "--no-cache", cwd=root)
    assert "common/base.yml" in listed.out.split()
