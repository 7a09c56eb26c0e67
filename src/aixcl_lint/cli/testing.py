"""``aixcl-lint test``: run policies' own test cases."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from aixcl_lint.cli.base import EXIT_FINDINGS, EXIT_OK, _fail, _settings
from aixcl_lint.cli.group import cli


@cli.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The date date checks compare with (a case's own `today:` wins).",
)
def test_command(paths: tuple[Path, ...], today: datetime.datetime | None) -> None:
    """Run the test cases beside policy files (NAME.cases.yaml next to NAME.yaml).

    PATHS are policy files, cases files or folders; by default the policies a check
    loads here (the built-in pack, the policy folder, the config's policies). Exit 1 when
    a case fails.
    """
    from aixcl_lint.fsio import what_stands
    from aixcl_lint.policy.loader import builtin_files
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.run.cases import render, run_all, uncovered

    targets = list(paths)
    if not targets:  # the policies a check here loads, as the config names them
        settings = _settings((), None, False)
        targets = [builtin_files()[0].parent] if settings.builtin else []
        own = settings.root / settings.policy_folder
        if own.is_dir():
            targets.append(own)
        elif os.path.lexists(own):  # a FIFO there: say so, never test without it
            _fail(f"{own}: {what_stands(own)}")
        targets += [settings.root / p for p in settings.policy_paths]
    try:
        outcomes = list(run_all(targets, today.date() if today else None))
        missing = uncovered(outcomes, targets)
    except PolicyError as exc:
        _fail(f"invalid policy or cases: {exc}")
    if not outcomes:
        _fail("no test cases found (NAME.cases.yaml beside NAME.yaml)")
    click.echo(render(outcomes, missing), nl=False)
    sys.exit(EXIT_OK if all(o.passed for o in outcomes) else EXIT_FINDINGS)
