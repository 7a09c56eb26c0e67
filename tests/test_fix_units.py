"""The fix layer's parts: edits, layout, the fixer registry, safe writes, the pass loop."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from aixcl_lint.config import Settings
from aixcl_lint.core import Finding
from aixcl_lint.fix import FIXERS, MAX_PASSES, FixRequest, fix, repair
from aixcl_lint.fix.files import read, write
from aixcl_lint.fix.layout import render
from aixcl_lint.fix.text import Edit, Lines, apply, apply_checked
from aixcl_lint.policy import fixers as policy_fixers
from aixcl_lint.policy.loader import load_pack, schema_text
from aixcl_lint.policy.model import Pack
from aixcl_lint.run import lint

POLICIES = Path(__file__).parents[1] / "policies"


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (Edit(0, 5, ""), Edit(3, 8, ""), True),  # overlapping
        (Edit(4, 4, "x"), Edit(2, 6, ""), True),  # an insertion inside a removal
        (Edit(6, 6, "x"), Edit(2, 6, ""), False),  # touching ends
        (Edit(2, 2, "x"), Edit(2, 6, ""), False),
        (Edit(2, 2, "x"), Edit(2, 2, "y"), False),  # two insertions at one place
        (Edit(1, 3, "x"), Edit(1, 3, "x"), False),  # the same edit twice
    ],
)
def test_edit_conflicts(a: Edit, b: Edit, conflict: bool) -> None:
    assert a.conflicts(b) is conflict
    assert b.conflicts(a) is conflict


def test_edits_apply_back_to_front_keeping_insertion_order() -> None:
    text = "abcdef"
    edits = [Edit(1, 3, ""), Edit(3, 3, "X"), Edit(3, 3, "Y"), Edit(5, 6, "Z")]
    assert apply(text, edits) == "aXYdeZ"


def test_apply_checked_skips_conflicts_and_invalid_results() -> None:
    edits = {Edit(0, 1, "A"): ["first"], Edit(0, 2, "B"): ["second"], Edit(3, 4, "!"): ["bad"]}
    after, rejected = apply_checked("abcd", edits, lambda text: "!" not in text)
    assert after == "Abcd"
    assert rejected == {
        "second": "conflicts with another fix in the same place",
        "bad": "the result would not be valid YAML",
    }


def test_lines_count_breaks_as_libyaml_does() -> None:
    lines = Lines("a\r\nb\x85c\nd")
    assert lines.starts == [0, 3, 5, 7]
    assert lines.eol(0) == "\r\n"
    assert lines.end(0) == 1
    assert lines.offset(2, 0) == 5
    assert not lines.has_break(3)
    assert lines.after(3) == 8


@pytest.mark.parametrize(
    ("value", "style", "written"),
    [
        ("host", None, "host"),
        ("yes", None, '"yes"'),
        ("8080:80", None, '"8080:80"'),
        ("1.5", None, '"1.5"'),
        ("a b", None, '"a b"'),
        (True, None, "true"),
        (3, None, "3"),
        ("host", '"', '"host"'),
        ("it's", "'", "'it''s'"),
    ],
)
def test_values_are_written_so_they_read_back(
    value: object, style: str | None, written: str
) -> None:
    assert render(value, style) == written


def test_the_schema_and_both_registries_name_the_same_fixers() -> None:
    schema = json.loads(schema_text())
    assert schema["$defs"]["fix"]["properties"]["fixer"]["enum"] == list(policy_fixers.FIXERS)
    assert set(FIXERS) == set(policy_fixers.FIXERS)


def _reported(root: Path, pack: Pack) -> list[Finding]:
    """What ``check`` reports as fixable in ``root`` with ``pack``."""
    (root / ".git").mkdir(exist_ok=True)
    return [f for f in lint(Settings(root=root, builtin=False), [], pack).findings if f.fixable]


def test_write_keeps_permissions_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    target.write_text("a: 1\n")
    target.chmod(0o640)
    original = read(tmp_path, "compose.yaml", 1000)
    assert not isinstance(original, str)
    assert write(tmp_path, original, "a: 2\n") is None
    assert target.read_text() == "a: 2\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["compose.yaml"]


def test_write_refuses_read_only_and_changed_files(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    target.write_text("a: 1\n")
    original = read(tmp_path, "compose.yaml", 1000)
    assert not isinstance(original, str)
    target.write_text("a: 3\n")  # someone else saved it meanwhile
    assert write(tmp_path, original, "a: 2\n") == "changed on disk during the run; not overwritten"
    assert target.read_text() == "a: 3\n"
    target.write_text("a: 1\n")
    target.chmod(0o444)
    assert write(tmp_path, original, "a: 2\n") == "is read-only; not written"
    assert target.read_text() == "a: 1\n"


def test_a_symlink_is_never_read_for_fixing_nor_written_through(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("a: 1\n")
    (tmp_path / "compose.yaml").symlink_to("real.yaml")
    assert read(tmp_path, "compose.yaml", 1000) == ("is a symlink; fixes never write through one")
    original = read(tmp_path, "real.yaml", 1000)
    assert not isinstance(original, str)
    # Swapped for a symlink between reading and writing: still not written through.
    (tmp_path / "real.yaml").rename(tmp_path / "moved.yaml")
    (tmp_path / "real.yaml").symlink_to("moved.yaml")
    assert write(tmp_path, original, "a: 2\n") == "is a symlink; fixes never write through one"
    assert (tmp_path / "moved.yaml").read_text() == "a: 1\n"


FIGHTING = """\
version: 1
rules:
  - id: team/host
    title: host
    severity: error
    target: {kind: compose}
    select: services
    fix: {fixer: set-value, with: {value: host}}
    checks:
      - {field: network_mode, equals: host, message: "wants host"}
  - id: team/none
    title: none
    severity: error
    target: {kind: compose}
    select: services
    fix: {fixer: set-value, with: {value: none}}
    checks:
      - {field: network_mode, equals: none, message: "wants none"}
"""


def test_fixes_that_undo_each_other_stop_after_the_pass_limit(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(FIGHTING)
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    network_mode: bridge\n")
    pack = load_pack([(tmp_path / "policy.yaml", "policy.yaml")])
    reported = _reported(tmp_path, pack)
    assert len(reported) == 2
    request = FixRequest(tmp_path, pack, [("compose.yaml",)], reported, {"compose.yaml"})
    result = fix(request)
    assert result.passes == MAX_PASSES
    assert [reason for _, reason in result.unfixed] == [f"still changing after {MAX_PASSES} passes"]
    # In memory only: fix() writes nothing.
    written = (tmp_path / "compose.yaml").read_text()
    assert written == "services:\n  web:\n    network_mode: bridge\n"


def test_a_file_that_cannot_be_written_keeps_its_findings(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    ports: ['80:80']\n    image: a:1\n"
    )
    os.chmod(tmp_path / "compose.yaml", 0o444)
    pack = load_pack([(POLICIES / "compose-no-port-mappings.yaml", "p")])
    reported = _reported(tmp_path, pack)
    request = FixRequest(tmp_path, pack, [("compose.yaml",)], reported, {"compose.yaml"})
    result = repair(request)
    assert result.fixed == []
    assert result.changes == {}
    assert result.unfixed == [(reported[0], "compose.yaml is read-only; not written")]


def test_nothing_reported_means_nothing_fixed(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    ports: ['80:80']\n")
    pack = Pack(())
    result = fix(FixRequest(tmp_path, pack, [("compose.yaml",)], [], {"compose.yaml"}))
    assert (result.changes, result.fixed, result.unfixed) == ({}, [], [])
