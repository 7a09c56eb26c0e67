"""``aixcl-lint test``: run policies' own test cases."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from aixcl_lint.cli.base import EXIT_FINDINGS, EXIT_OK, _fail, cli


@cli.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date date checks compare with (a case's own `today:` wins).",
)
def test_command(paths: tuple[Path, ...], today: datetime.datetime | None) -> None:
    """Run the test cases beside policy files (NAME.cases.yaml next to NAME.yaml).

    PATHS are policy files, cases files or folders; by default the built-in pack and the
    repository's policy folder. Exit 1 when a case fails.
    """
    from aixcl_lint.config import Settings
    from aixcl_lint.discover import find_root
    from aixcl_lint.fsio import what_stands
    from aixcl_lint.policy.loader import builtin_files
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.run.cases import render, run_all, uncovered

    targets = list(paths)
    if not targets:
        targets = [builtin_files()[0].parent]
        own = find_root(Path.cwd()) / Settings(root=Path.cwd()).policy_folder
        if own.is_dir():
            targets.append(own)
        elif os.path.lexists(own):  # a FIFO there: say so, never test without it
            _fail(f"{own}: {what_stands(own)}")
    try:
        outcomes = list(run_all(targets, today.date() if today else None))
        missing = uncovered(outcomes)
    except PolicyError as exc:
        _fail(f"invalid policy or cases: {exc}")
    if not outcomes:
        _fail("no test cases found (NAME.cases.yaml beside NAME.yaml)")
    click.echo(render(outcomes, missing), nl=False)
    sys.exit(EXIT_OK if all(o.passed for o in outcomes) else EXIT_FINDINGS)
