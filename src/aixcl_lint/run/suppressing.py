"""A run's suppressions: inline directives (read again only where a step saw their
marker), per-file ignores and waivers, then the selection's select / ignore / severity."""

from __future__ import annotations

import datetime
import os

from aixcl_lint import fsio
from aixcl_lint.config import ConfigError, Settings
from aixcl_lint.core import Finding
from aixcl_lint.discover import SourceFile
from aixcl_lint.kinds import KINDS
from aixcl_lint.policy import profiles
from aixcl_lint.run.load import Loader
from aixcl_lint.run.plan import Plan
from aixcl_lint.run.scans import Scans
from aixcl_lint.suppress import SUPPRESS_PROBLEMS, WAIVERS_FILE, directives
from aixcl_lint.suppress.selection import Selection


def _directives(
    loader: Loader, scans: Scans, targets: list[SourceFile]
) -> list[directives.Directive]:
    """The inline directives of the targets: read again only where a unit's step saw the
    marker, or where no step read the file."""
    found = []
    for f in targets:
        mentions = scans.mentions(f.path)
        if mentions is None:
            mentions = loader.mentions(f.path, directives.MARKER)
        text = loader.text(f.path) if mentions else None
        if text is None:
            continue
        spec = KINDS.get(f.kind)
        if spec is None or spec.comments is None:
            found += directives.parse(f.path, text)
        else:
            found += directives.from_comments(f.path, spec.comments(loader, f.path))
    return found


def suppressed(
    settings: Settings,
    rule_ids: list[str],
    chosen: Selection,
    loader: Loader,
    planned: Plan,
    targets: list[SourceFile],
    found: list[Finding],
    scans: Scans,
) -> list[Finding]:
    """``found`` less what inline directives, waivers and per-file ignores suppress,
    then select / ignore / severity applied; ``rule_ids``: the ids of the run's rules."""
    complete = planned.complete

    # Rules another profile brings in are known, and their suppressions not called unused.
    def elsewhere(rule_id: str) -> bool:
        return profiles.elsewhere(rule_id, settings.profile)

    def active(rule_id: str) -> bool:
        return chosen.keeps(rule_id) and not elsewhere(rule_id)

    if chosen.per_file is not None:  # before directives: one for an ignored id is unused
        found = chosen.per_file.apply(found)
    found_directives = _directives(loader, scans, targets)
    other = [r for d in found_directives for r in d.rules if elsewhere(r)]
    known = [*rule_ids, *SUPPRESS_PROBLEMS, *other]
    kept = directives.apply(found, found_directives, known, active)
    waivers_path = settings.root / WAIVERS_FILE
    if os.path.lexists(waivers_path):  # a FIFO there is an error, never silently skipped
        from aixcl_lint.suppress import waivers  # only a repository with waivers

        try:
            fsio.check_inside(settings.root, waivers_path)  # its errors would quote it
        except fsio.Refused as refused:
            raise ConfigError(WAIVERS_FILE, 0, refused.message, "waivers") from None
        loaded = waivers.load(waivers_path, WAIVERS_FILE)
        # A whole-repository run reaches every file; a run on named files, theirs.
        reached = set() if complete else waivers.reaching(loaded, [f.path for f in targets])

        def reach(waiver: waivers.Waiver) -> bool:
            return active(waiver.rule) and (complete or id(waiver) in reached)

        today = settings.today or datetime.date.today()
        kept = waivers.apply(kept, loaded, WAIVERS_FILE, today, reach, known)
    return chosen.apply(kept)
