"""The ``check`` command as click declares it: its options, its help, its errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aixcl_lint.cli import check as checking
from aixcl_lint.cli.check_options import check_options
from aixcl_lint.cli.group import cli


@cli.command()
@check_options
def check(paths: tuple[Path, ...], **given: Any) -> None:
    """Lint PATHS (files or folders, or - for standard input), or the whole repository
    around the current folder."""
    checking.run(paths, given)
