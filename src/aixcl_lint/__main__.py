"""``python -m aixcl_lint``."""

from aixcl_lint.cli import console

console()
