"""What each file is to a run: a target some exclusive kind claims, one of the run's
files, a file a kind that reads files by glob read."""

from __future__ import annotations

from collections.abc import Iterable

from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Unit
from aixcl_lint.run.plan import Plan

CLAIMED, LISTED, READ = 1, 2, 4
"""What a file is to a run (``roles_of``): claimed by an exclusive kind (a target), one of
the run's files, read by a kind that reads files by glob (not claimed)."""


def roles_of(planned: Plan, units: Iterable[Unit]) -> dict[str, int]:
    """Each file of the run with its roles, as bits. One dict, not a set per role: below
    50,000 entries a set's table is four times its size, so the three sets of a large
    run's 20,000 files held 6 MB; this dict about 0.6 MB."""
    roles = dict.fromkeys((f.path for f in planned.files), CLAIMED | LISTED)
    for path in planned.others:
        roles[path] = roles.get(path, 0) | LISTED
    # Files a kind read by glob are checked too: their findings and directives count.
    # (Exclusive kinds' units also hold context files, which are not reported on.)
    for unit in units:
        if not KINDS[unit.kind].exclusive:
            for path in unit.paths:
                role = roles.get(path, 0)
                if not role & CLAIMED:
                    roles[path] = role | READ
    return roles
