"""``per-file-ignores``: rule ids never reported in the files a glob matches, as ruff
has it (``{glob: [rule ids or prefixes]}``).

A glob is gitignore-style, from the repository root, like the config's other globs; one
starting with ``!`` matches the files its rest does not (ruff's negation). An id covers
as an ``ignore`` entry does (a rule with its sub-ids, one sub-id, a prefix). Like ruff,
an entry that matches no file or no finding is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aixcl_lint import globs
from aixcl_lint.config import ConfigError, Settings
from aixcl_lint.core import Finding, did_you_mean, matchable
from aixcl_lint.policy import profiles
from aixcl_lint.suppress.selection import covers, unknown

KEY = "per-file-ignores"


class PerFileIgnores:
    """The entries compiled, each file's ignored ids worked out once."""

    def __init__(self, entries: Sequence[tuple[str, tuple[str, ...]]]) -> None:
        """Compile the globs; ``globs.PatternError`` names the first invalid one by its
        index in ``entries``."""
        self._entries: list[tuple[globs.Spec, bool, tuple[str, ...]]] = []
        for index, (glob, ids) in enumerate(entries):
            negated = glob.startswith("!")
            try:
                spec = globs.spec([glob[1:] if negated else glob])
            except globs.PatternError:
                raise globs.PatternError(index, glob) from None
            self._entries.append((spec, negated, ids))
        self._on: dict[str, tuple[str, ...]] = {}

    def ids_on(self, path: str) -> tuple[str, ...]:
        """The ids ignored in ``path`` (a repository-relative file)."""
        found = self._on.get(path)
        if found is None:
            shown = matchable(path)
            found = tuple(
                rule
                for spec, negated, ids in self._entries
                if spec.match_file(shown) != negated
                for rule in ids
            )
            self._on[path] = found
        return found

    def ignores(self, finding: Finding) -> bool:
        """Whether an entry for the finding's file covers its rule."""
        return any(covers(entry, finding.rule) for entry in self.ids_on(finding.path))

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings no entry ignores."""
        return [f for f in findings if not self.ignores(f)]


def compiled(settings: Settings, ids: Sequence[str]) -> PerFileIgnores | None:
    """The settings' ``per-file-ignores`` checked against the pack's ``ids``: an unknown
    id (with the closest known one) or an invalid glob is a ConfigError at its entry."""
    entries = settings.per_file_ignores
    if not entries:
        return None
    for glob, rules in entries:
        for entry in unknown(rules, ids):
            if profiles.elsewhere(entry, settings.profile):
                continue  # a rule the profile leaves out, as `ignore` allows
            every = [*ids, *(i for p in profiles.PROFILES.values() for i in p.ids)]
            path, line = settings.where(f"{KEY}.{glob}")
            raise ConfigError(
                path, line, f"{KEY}: {glob}: unknown rule id {entry!r}{did_you_mean(entry, every)}"
            )
    try:
        return PerFileIgnores(entries)
    except globs.PatternError as exc:
        path, line = settings.where(f"{KEY}.{exc.pattern}")
        raise ConfigError(path, line, f"{KEY}: {exc}") from None
