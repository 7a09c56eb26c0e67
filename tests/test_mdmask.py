"""Table rows the scan never reads are folded before parsing (``documents.mdmask``), and
the scan of a folded text is the scan of the text as written."""

from __future__ import annotations

import re

import pytest

from aixcl_lint.documents import markdown, mdmask
from aixcl_lint.documents.markdown import parse

TABLE = "# T\n\n| a | b |\n|---|:-:|\n| c | d |\n| e | `f` |\n| [g](h.md) | i |\n| j | k |\n"


def _scan(text: str, *, fold: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    monkeypatch.setattr(markdown, "FOLD_BELOW", markdown.FOLD_BELOW if fold else 0)
    doc = parse("x.md", text, full=False)
    return doc.data, {p: s.value for p, s in doc.spans.items()}, doc.problems


def test_runs_of_unread_rows_become_one_row_of_the_same_length() -> None:
    data = TABLE.encode()
    folded, starts = mdmask.fold(data)
    assert len(folded) == len(data)
    assert starts == [data.index(b"| a")]
    assert folded.decode().splitlines() == [
        "# T",
        "",
        "| a | b |",
        "|---|:-:|",
        "||" + " " * (len("| c | d |\n| e | `f` |") - 2),
        "| [g](h.md) | i |",
        " " * len("| j | k |"),  # the last rows, the text's end after them: blank
    ]


@pytest.mark.parametrize(
    "text",
    [
        "| a |\n|---|\n|  \n| b |\n",  # "|" and white space ends the table: not a row
        "x\n\n|---|\n| a |\n",  # no header starting with "|"
        "| a |\n|---|\n| <b>x</b> |\n| y > z |\n| &amp; |\n| ] |\n",  # every row is read
        "| a |\n|---|\n| b |\r| c |\n",  # a lone CR ends a line
    ],
)
def test_rows_that_may_matter_are_not_folded(text: str) -> None:
    data = text.encode()
    folded, _ = mdmask.fold(data)
    assert folded.split(b"\n")[2:4] == data.split(b"\n")[2:4]


def test_crlf_rows_keep_their_last_line_break() -> None:
    data = b"| a |\r\n|---|\r\n| b |\r\n| c |\r\nafter\r\n"
    folded, _ = mdmask.fold(data)
    assert folded == b"| a |\r\n|---|\r\n||" + b" " * 10 + b"\r\nafter\r\n"


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("| a |\n|---|\n| b |\n| c |\n\nafter\n", True),
        ("| a |\r\n|---|\r\n| b |\r\n \t\r\nafter\r\n", True),
        ("| a |\n|---|\n| b |\n| c |", True),
        ("| a |\n|---|\n| b |\nlazy row\n", False),  # a row of the table too
        ("| a |\n|---|\n| b |\n| [c](d.md) |\n\n", False),  # the last row is read
        ("| a |\n|---|\n| b |\n|  \n\n", False),
    ],
)
def test_the_last_rows_become_blank_lines_only_before_a_blank_line(text: str, blank: bool) -> None:
    data = text.encode()
    folded, starts = mdmask.fold(data)
    assert starts == [0]
    assert len(folded) == len(data)
    rows = data.index(b"| b")
    is_blank = folded[rows:].split(b"\n")[0].strip() == b""
    assert is_blank == blank
    assert [m.start() for m in re.finditer(rb"\r?\n", folded)] == [
        m.start() for m in re.finditer(rb"\r?\n", data)
    ] or not blank


LINK_ACROSS_ROWS = "| a | b |\n|---|\n| [link |\n| x |\n| y |\n| text](t.md) |\n"
"""No table (the delimiter row has one cell, the header two): one paragraph, whose link's
text holds the lines that look like rows."""

SAMPLES = [
    TABLE,
    LINK_ACROSS_ROWS,
    "```\n| a |\n|---|\n| b |\n| c |\n```\n\n" + TABLE,  # in a code block: no table
    "<!--\n\n| a |\n|---|\n| b |\n| c |\n\n-->\n" + TABLE,  # in an HTML block
    "- item\n\n  | a |\n  |---|\n  | b |\n\n| a |\n|---|\n| b |\n| c |\n",
    "> | a |\n> |---|\n> | b |\n\n" + TABLE,
    "para\n| a |\n|---|\n| b |\n| c |\n",  # a table interrupting a paragraph, or not
    "---\ntitle: x\n---\n" + TABLE,
    TABLE.replace("\n", "\r\n"),
    "| a |\n|---|\n| b |\n| c |",  # no line break at the end
    "| a | b |\n|---|---|\n| see docs/x.md section 2 | c |\n| d | e |\n\nsee section 1\n",
    "| a |\n|---|\n| b |\nlazy [x](y.md)\n\n[z](w.md)\n",  # a lazy row after the rows
    "- item\n| a |\n|---|\n| b |\n\n- [x](y.md)\n",  # the rows after an item
    "> quote\n| a |\n|---|\n| b |\n\n> [x](y.md)\n",
    "<div>\n| a |\n|---|\n| b |\n\n[x](y.md)\n",  # in an HTML block
    "| a | b |\n|---|\n| b |\n\n[x](y.md)\n",  # no table
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_scan_of_a_folded_text_is_the_scan_of_the_text(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _scan(text, fold=True, monkeypatch=monkeypatch) == _scan(
        text, fold=False, monkeypatch=monkeypatch
    )


def test_a_fold_where_no_table_begins_is_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    folded, starts = mdmask.fold(LINK_ACROSS_ROWS.encode())
    assert starts  # folded, though it is no table: only the parser can tell
    as_folded = parse("x.md", folded.decode(), full=False).data["links"]
    as_written = _scan(LINK_ACROSS_ROWS, fold=True, monkeypatch=monkeypatch)[0]
    assert as_folded[0]["text"] != "link | | x | | y | | text"
    assert as_written["links"][0]["text"] == "link | | x | | y | | text"  # type: ignore[index]
