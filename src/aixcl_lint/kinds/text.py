"""``text``: any file by glob as lines, with raw facts (line endings, final newline,
trailing whitespace, tabs, a byte order mark). A rule without ``target.files`` reads
every file another kind claims."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from aixcl_lint import fsio
from aixcl_lint.core import matchable
from aixcl_lint.kinds.base import (
    BOOLEAN,
    SCALAR,
    Document,
    Field,
    KindSpec,
    Planned,
    Reader,
    SelectorSpec,
    Subject,
    Tree,
    Unit,
    single_units,
)

if TYPE_CHECKING:
    from aixcl_lint.documents.textlines import TextTree

NAME = "text"

LINE = (
    Field("text", "the line without its ending"),
    Field("number", "1-based"),
    Field(
        "ending",
        "`lf`, `crlf`, `cr` for a lone carriage return, `none` for a last line without one",
        values=("lf", "crlf", "cr", "none"),
    ),
    Field("trailing_whitespace", "true when the line ends in spaces or tabs", values=BOOLEAN),
    Field("tabs", "true when the line holds a tab", values=BOOLEAN),
)
FILE = (
    Field("bom", "true when the file starts with a UTF-8 byte order mark", values=BOOLEAN),
    Field("empty", values=BOOLEAN),
    Field("final_newline", "false when the last line has no line ending", values=BOOLEAN),
    Field("endings", "the line endings used: `crlf`, `cr`, `lf`", items=SCALAR),
    Field("crlf", "how many lines end in CRLF"),
    Field("lone_cr", "how many lines end in a lone CR"),
    Field("trailing_whitespace", "how many lines end in whitespace"),
    Field("tabs", "how many lines hold a tab"),
    Field("line_count"),
)


def _of(tree: Tree) -> TextTree:
    """A text document (its module is imported by runs that read text, not by one
    whose results are all kept)."""
    from aixcl_lint.documents.textlines import TextTree

    assert isinstance(tree, TextTree)
    return tree


def _lines(tree: Tree, _: str) -> Iterator[Subject]:
    tree = _of(tree)
    for i, line in enumerate(tree.data["lines"]):
        yield Subject(tree, ("lines", i), {"path": tree.path, "line": line["text"]}, line)


def _file(tree: Tree, _: str) -> Iterator[Subject]:
    tree = _of(tree)
    yield Subject(tree, ("file",), {"path": tree.path}, tree.data["file"])


def _references(tree: Tree, _: str) -> Iterator[Subject]:
    tree = _of(tree)
    for i, ref in enumerate(tree.data["references"]):
        variables = {
            "path": tree.path,
            "target": ref["path"],
            "number": ref["number"],
            "resolved": ref.get("resolved") or "",
        }
        yield Subject(tree, ("references", i), variables, ref)


REFERENCE = (
    Field("path"),
    Field("number"),
    Field("resolved"),
    Field("target_exists", values=BOOLEAN),
    Field("section_exists", "only when the file exists", values=BOOLEAN),
    Field("line"),
    Field("column"),
    Field("end"),
)


_LINELESS = frozenset({"references"})
"""Selectors answered without each line's record and the file's facts."""


def _units(planned: Planned) -> list[Unit]:
    """One unit per file; a file only rules on references read is not split into line
    records (most of a file's cost), whatever other files' rules read."""
    paths = planned.matching()
    if not planned.reads:
        return single_units(NAME, paths)
    lined = [globs for globs, reads in planned.reads if not _lineless(reads)]
    if not lined:
        read = frozenset[str]().union(*(reads for _, reads in planned.reads))
        return [Unit(NAME, (path,), path, reads=read) for path in paths]
    if any(not globs for globs in lined):  # a lines rule on every claimed file
        return single_units(NAME, paths)
    from aixcl_lint import globs as patterns

    spec = patterns.spec([g for globs in lined for g in globs])
    read = frozenset[str]().union(*(r for _, r in planned.reads if _lineless(r)))
    return [
        Unit(NAME, (path,), path)
        if spec.match_file(matchable(path))
        else Unit(NAME, (path,), path, reads=read)
        for path in paths
    ]


def _lineless(reads: frozenset[str]) -> bool:
    """Whether a rule reading ``reads`` needs no line records."""
    return {r.partition(".")[0] for r in reads} <= _LINELESS


_NOT_TEXT = frozenset({"file/binary", "file/not-utf8"})
"""Problems of a file that a scan of its comments skips without a word."""


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    from aixcl_lint.documents.textlines import parse

    for unit in units:
        rel = unit.paths[0]
        known = len(reader.problems)
        source = reader.read(rel)
        if source is None and unit.reads is not None:
            # Read only for references in comments (the general pack's wide globs:
            # test fixtures, Latin-1 Python): not text, or a symlink to nothing (a
            # tracked `.env -> mailcow.conf` whose target setup makes), is nothing to
            # scan, as for grep. A rule reading its lines or facts chose the file and
            # hears of it.
            reader.problems[known:] = [
                p
                for p in reader.problems[known:]
                if p.rule not in _NOT_TEXT and p.message != fsio.MISSING
            ]
        if source is not None:
            repository = reader.repository()
            tree = parse(rel, source.text, repository, bom=source.bom, lines=unit.reads is None)
            yield Document(NAME, (rel,), tree)


SPEC = KindSpec(
    name=NAME,
    summary=(
        "Any file as lines, for patterns the structured models do not see (shell scripts, "
        "Dockerfiles, HCL, comments in a compose file), and the raw facts of its text. "
        "Give `target.files` to choose the files; without it a rule reads every file "
        "another kind claims. A binary or non-UTF-8 file is reported (`file/binary`, "
        "`file/not-utf8`) only when a text rule reading its `lines` or `file` selects it; "
        "one read only for `references` in comments is skipped silently."
    ),
    globs=(),
    selectors={
        "lines": SelectorSpec("each line", ("path", "line"), _lines, LINE),
        "file": SelectorSpec("the file", ("path",), _file, FILE),
        "references": SelectorSpec(
            'each prose reference in a comment ("see docs/x.md section 7"), the comments '
            "as the file's language has them",
            ("path", "target", "number", "resolved"),
            _references,
            REFERENCE,
        ),
    },
    units=_units,
    load=_load,
    exclusive=False,
    capabilities=frozenset({"lines", "repository"}),
    file_variables=frozenset({"path"}),
)
