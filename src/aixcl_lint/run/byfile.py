"""What reporters may ask about a run's findings, worked out one file at a time and only
when asked: the text of the lines findings start on (code frames) and fingerprints
(SARIF, baselines).

A run with ``--format json`` asks for neither, so it reads no file again; the formats
that do ask go through the findings in order, so one file's answers are held at a time
(on a large repository, the lines and fingerprints of every finding at once were tens
of megabytes).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from aixcl_lint.core import Finding
from aixcl_lint.run.load import Loader, found_lines
from aixcl_lint.suppress.fingerprints import fingerprints

Key = TypeVar("Key")


def _path(finding: Finding) -> str:
    return finding.path


class ByFile(Mapping[Key, str]):
    """A mapping over findings sorted by path whose values for one file are worked out
    together, when one of them is first asked for; the last file's are kept."""

    def __init__(
        self,
        findings: Sequence[Finding],
        path_of: Callable[[Key], str],
        work_out: Callable[[Sequence[Finding]], dict[Key, str]],
    ) -> None:
        self._findings, self._path_of, self._work_out = findings, path_of, work_out
        self._held: tuple[str, dict[Key, str]] | None = None

    def _of(self, path: str) -> dict[Key, str]:
        if self._held is None or self._held[0] != path:
            lo = bisect_left(self._findings, path, key=_path)
            hi = bisect_right(self._findings, path, lo, key=_path)
            self._held = (path, self._work_out(self._findings[lo:hi]))
        return self._held[1]

    def __getitem__(self, key: Key) -> str:
        return self._of(self._path_of(key))[key]

    def _paths(self) -> Iterator[str]:
        previous = None
        for finding in self._findings:
            if finding.path != previous:
                previous = finding.path
                yield previous

    def __iter__(self) -> Iterator[Key]:
        for path in self._paths():
            yield from list(self._of(path))

    def __len__(self) -> int:
        return sum(len(self._of(path)) for path in self._paths())


def lines(loader: Loader, findings: Sequence[Finding]) -> Mapping[tuple[str, int], str]:
    """The text of the line each finding starts on, by path and line (``findings``
    sorted by ``finding_key``)."""
    return ByFile(findings, lambda where: where[0], lambda group: found_lines(loader, group))


def prints(loader: Loader, findings: Sequence[Finding]) -> Mapping[Finding, str]:
    """Each finding's fingerprint (``findings`` sorted by ``finding_key``): a file's
    fingerprints depend on that file's findings only."""
    return ByFile(findings, _path, lambda group: fingerprints(group, loader.line_text))
