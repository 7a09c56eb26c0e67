"""``cli.fast`` reads a ``check`` command line exactly as click does, or leaves it to click."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest

from aixcl_lint.cli import fast
from aixcl_lint.cli.check_command import check
from conftest import run_cli

READ = [
    ["check"],
    ["check", "a.yaml", "docs/b.md"],
    ["check", "--force-exclude", "compose.yaml", "README.md"],
    ["check", "--profile", "aixcl", "x.yaml", "--format", "json"],
    ["check", "--profile=general", "--format=sarif", "--fail-on", "warning"],
    ["check", "--select", "compose,docs", "--select", "security", "--ignore=docs/anchors"],
    ["check", "--select="],
    ["check", "-j", "2", "--jobs", "007"],
    ["check", "--color", "--no-color", "-q", "--quiet", "--concise", "--statistics"],
    ["check", "--no-builtin", "--no-config", "--fix", "--diff", "--exit-zero", "--no-cache"],
    ["check", "--show-files", "--format", "text", "--format", "github"],
    ["check", "", "missing/file.yaml", "."],
]
"""Command lines the fast path reads."""

LEFT = [
    [],
    ["rules"],
    ["--version"],
    ["check", "--help"],
    ["check", "-h"],
    ["check", "-"],
    ["check", "--", "a.yaml"],
    ["check", "-qj2"],
    ["check", "-j2"],
    ["check", "-j=2"],
    ["check", "-j", "-1"],
    ["check", "-j", "two"],
    ["check", "--jobs", "²"],
    ["check", "--format", "jsn"],
    ["check", "--format"],
    ["check", "--profile", "strict"],
    ["check", "--fail-on", "fatal"],
    ["check", "--select", "-q"],
    ["check", "--fix=yes"],
    ["check", "--output", "out.json"],
    ["check", "-o", "out.json"],
    ["check", "--config", "c.yaml"],
    ["check", "--policy", "p.yaml"],
    ["check", "--baseline", "b.json"],
    ["check", "--write-baseline", "b.json"],
    ["check", "--today", "2024-01-01"],
    ["check", "--stdin-filename", "x.md", "-"],
    ["check", "--unknown"],
    ["check", "--prof", "aixcl"],
    ["check", "nul\0byte"],
]
"""Command lines left to click: help, other commands, values click converts or refuses."""


def _clicks(argv: list[str]) -> tuple[tuple[Path, ...], dict[str, Any]]:
    params = dict(check.make_context("check", list(argv[1:])).params)
    return params.pop("paths"), params


@pytest.mark.parametrize("argv", READ, ids=" ".join)
def test_the_fast_path_reads_what_click_reads(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert fast.parse(argv) == _clicks(argv)


@pytest.mark.parametrize("argv", LEFT, ids=repr)
def test_the_rest_is_left_to_click(argv: list[str]) -> None:
    assert fast.parse(argv) is None


def test_an_unreadable_path_is_left_to_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text("services: {}\n", encoding="utf-8")
    monkeypatch.setattr(fast.os, "access", lambda path, mode: False)
    assert fast.parse(["check", "a.yaml"]) is None
    with pytest.raises(click.BadParameter, match="is not readable"):
        check.make_context("check", ["a.yaml"])


def test_shell_completion_is_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fast.COMPLETE, "bash_complete")
    assert fast.parse(["check"]) is None


def test_the_tables_are_check_s_own_options() -> None:
    options = {o: p for p in check.params for o in (*p.opts, *p.secondary_opts)}
    for flag, (name, value) in fast.FLAGS.items():
        assert options[flag].name == name
        assert getattr(options[flag], "is_flag", False)
        assert value == (flag in options[flag].opts)  # --color True, --no-color False
    for option, name in fast.VALUES.items():
        assert options[option].name == name
        assert options[option].multiple == (name in fast.MULTIPLE)
    assert fast.parse(["check"]) == _clicks(["check"])  # every default, as click's


def test_the_fast_path_and_click_print_the_same(repo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo({"compose.yaml": "services:\n  web:\n    image: nginx:latest\n"})
    fast_run = run_cli("check", "--no-cache", "compose.yaml", cwd=root)
    monkeypatch.setattr(fast, "parse", lambda argv: None)
    click_run = run_cli("check", "--no-cache", "compose.yaml", cwd=root)
    assert fast_run.code == click_run.code == 1
    assert "compose/image-pinned" in fast_run.out
    assert (fast_run.out, fast_run.err) == (click_run.out, click_run.err)


@pytest.mark.parametrize(
    "raised", [KeyboardInterrupt(), EOFError(), OSError(32, "Broken pipe")], ids=repr
)
def test_an_interrupt_or_a_closed_pipe_ends_as_click_ends_it(
    raised: BaseException, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aixcl_lint.cli import check as checking

    def interrupted(paths: Any, given: Any) -> None:
        raise raised

    monkeypatch.setattr(checking, "run", interrupted)
    fast_run = run_cli("check", cwd=tmp_path)
    monkeypatch.setattr(fast, "parse", lambda argv: None)
    click_run = run_cli("check", cwd=tmp_path)
    assert (fast_run.code, fast_run.out, fast_run.err) == (
        click_run.code,
        click_run.out,
        click_run.err,
    )
    assert fast_run.code == (1 if isinstance(raised, OSError) else 2)
