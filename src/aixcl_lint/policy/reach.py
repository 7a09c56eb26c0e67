"""Whether a rule's ``target.files`` globs can select any file its kind reads: a rule
for ``*.sh`` on the YAML kind would load and never run."""

from __future__ import annotations

from aixcl_lint import deferred, globs
from aixcl_lint.kinds.base import KindSpec

_NEVER_READ = (".git/", ".hg/", ".svn/")
"""Folders no run ever reads."""
_CLASS = deferred.pattern(r"\[!?([^\]]*)\]")


def _sample(glob: str) -> str:
    """A path the glob matches: each wildcard replaced by a plain character."""
    text = glob.lstrip("/").rstrip("/")
    text = _CLASS.sub(lambda m: (m.group(1) or "x")[0], text)
    return text.replace("**", "x").replace("*", "x").replace("?", "x") or "x"


def _inside_never_read(glob: str) -> bool:
    text = glob.lstrip("/")
    while text.startswith("**/"):
        text = text[3:]
    return text.startswith(_NEVER_READ) or text in (".git", ".hg", ".svn")


def _reachable(glob: str, readable: tuple[str, ...] | None) -> bool:
    if _inside_never_read(glob):
        return False
    if readable is None:
        return True
    rule = globs.spec([glob])
    names = globs.spec(readable)
    folder, _, name = _sample(glob).rpartition("/")
    for candidate in (name, *(_sample(r) for r in readable)):
        path = f"{folder}/{candidate}" if folder else candidate
        if rule.match_file(path) and names.match_file(path):
            return True
    return False


def unreachable(kind: KindSpec, globs: tuple[str, ...]) -> str | None:
    """Why no file ``kind`` reads can match ``globs`` (None if some can)."""
    positive = [g for g in globs if not g.startswith("!")]
    if not positive or any(_reachable(g, kind.readable) for g in positive):
        return None
    if kind.readable is None or all(_inside_never_read(g) for g in positive):
        return f"{', '.join(positive)} can match no file: a run never reads inside .git/"
    return (
        f"{', '.join(positive)} can match no file the {kind.name} kind reads "
        f"(it reads {', '.join(kind.readable)}; kind text reads any file)"
    )
