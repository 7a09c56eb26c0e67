"""What a large run holds is bounded: findings packed past a count, answers that only
save time forgotten past a count; the output stays the same."""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from aixcl_lint import fsio
from aixcl_lint.core import Finding, Severity, finding_key
from aixcl_lint.run import found, parallel, steps
from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _findings(count: int, seed: int = 3) -> list[Finding]:
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        line, column = rng.randint(1, 400), rng.randint(1, 3)
        made.append(
            Finding.at(
                rng.choice(["a.yaml", "b/c.md", "d/\udcff.md", "e.env"]),
                (line, column, line + rng.randint(0, 1), column + 2),
                rng.choice(["r/one", "r/two[sub]"]),
                rng.choice(list(Severity)),
                rng.choice(["m", "service 'x' \u202e", ""]) or "n",
                fixable=rng.random() < 0.5,
            )
        )
    return made


def test_findings_packed_come_back_in_order_with_every_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(found, "PACK_AT", 3)
    made = _findings(11)
    store = found.Found()
    store.extend(made[:2])
    store.extend(iter(made[2:10]))  # a stream is packed as it comes, not held whole
    assert len(store._packed) == 3
    assert len(store) == 10
    store.extend(made[10:])
    back = list(store.drain())
    assert back == made
    assert [(f.path, f.severity, f.fixable) for f in back] == [
        (f.path, f.severity, f.fixable) for f in made
    ]
    assert len(store) == 0
    assert list(store.drain()) == []


def test_findings_are_ordered_and_made_unique_as_sorting_a_set_of_them_did() -> None:
    made = _findings(400)
    made += [f.but(severity=Severity.INFO, fixable=not f.fixable) for f in made[::3]]
    random.Random(5).shuffle(made)
    first = dict.fromkeys(made)  # the first of equal findings, as the set kept it
    expected = sorted(first, key=finding_key)
    got = found.ordered(made, unique=True)
    assert got == expected
    assert len(got) < len(made)
    assert [(f.severity, f.fixable) for f in got] == [(f.severity, f.fixable) for f in expected]
    assert found.ordered(made) == sorted(made, key=finding_key)


def test_a_folder_bound_does_not_change_where_paths_lead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fsio, "FOLDERS_KEPT", 2)
    root = tmp_path / "root"
    for folder in ("a/b/c", "d/e", "f"):
        (root / folder).mkdir(parents=True)
        (root / folder / "x.md").write_text("x\n")
    (root / "link").symlink_to(root / "a" / "b")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "x.md").write_text("x\n")
    (root / "out").symlink_to(tmp_path)
    confined = fsio.Confined(root)
    paths = [
        "a/b/c/x.md",
        "d/e/x.md",
        "link/c/x.md",
        "f/x.md",
        "out/secret/x.md",
        "out/root/f/x.md",
    ]
    for rel in paths * 2:
        full = os.path.join(root, rel)
        assert confined.real(full) == os.path.realpath(full)
        assert confined.inside(full) is not rel.startswith("out/secret")
    assert len(confined._folders) <= 2


COMPOSE = "services:\n  web{i}:\n    image: nginx:{tag}\n    ports: ['80:80']\n"
DOC = "# Doc {i}\n\n## Part\n\nSee [next](../d{j}/doc.md#part) and [gone](../d{j}/doc.md#nope).\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_past_every_bound_reports_what_it_reports_within_them(
    aixcl_repo: Repo, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    files: dict[str, str | bytes] = {}
    for i in range(8):
        files[f"s{i}/compose.yaml"] = COMPOSE.format(i=i, tag="latest" if i % 2 else "1.2")
        files[f"d{i}/doc.md"] = DOC.format(i=i, j=(i + 3) % 8)
    root = aixcl_repo(files)
    monkeypatch.setattr(parallel, "MIN_BYTES_PER_JOB", 1)  # two units or more: workers
    argv = ("check", "--format", "json", "--jobs", jobs)
    env = {"AIXCL_LINT_NO_CACHE": "1"}
    within = run_cli(*argv, cwd=root, env=env)
    monkeypatch.setattr(found, "PACK_AT", 2)
    monkeypatch.setattr(steps, "ANSWERS_KEPT", 1)
    monkeypatch.setattr(fsio, "FOLDERS_KEPT", 1)
    past = run_cli(*argv, cwd=root, env=env)
    assert within.code == past.code == 1
    assert '"rule": "docs/anchors"' in within.out
    assert '"compose/no-port-mappings"' in within.out
    assert past.out == within.out


def test_findings_are_packed_in_batches_and_equal_messages_come_back_as_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(found, "PACK_AT", 4)
    monkeypatch.setattr(found, "BATCH", 2)
    made = [
        Finding.at("a.yaml", (i + 1, 1, i + 1, 1), "r/one", Severity.ERROR, "".join(["m", "x"]))
        for i in range(9)
    ]
    assert made[0].message is not made[1].message
    store = found.Found()
    store.extend(made)
    assert len(store._packed) == 4  # two packs of two batches; one finding held
    back = list(store.drain())
    assert back == made
    assert back[0].message is back[1].message
