"""The Markdown model: headings, tables, links, anchors, lists, code and prose, with spans."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import pyromark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aixcl_lint.core import Pointer, Position, Span
from aixcl_lint.documents import markdown, mdanchors, mdsource
from aixcl_lint.documents.lineindex import LineIndex
from conftest import SEED_POLICY

SEED = SEED_POLICY


def at(doc: markdown.MarkdownDocument, *ptr: str | int) -> tuple[int, int, int, int]:
    """(line, column, end line, end column) of the span at ``ptr``."""
    span = doc.spans[ptr].value
    return span.start.line, span.start.column, span.end.line, span.end.column


def lines_of(text: str) -> list[str]:
    return re.split(r"\r\n|\r|\n", text)


def assert_spans_inside(doc: markdown.MarkdownDocument, text: str) -> None:
    """Every span lies inside the text and starts no later than it ends."""
    lines = lines_of(text.removeprefix("\ufeff"))
    for ptr, spans in doc.spans.items():
        for span in (spans.value, spans.key):
            if span is None:
                continue
            assert span.start <= span.end, ptr
            for pos in (span.start, span.end):
                assert 1 <= pos.line <= len(lines), (ptr, pos)
                assert 1 <= pos.column <= len(lines[pos.line - 1]) + 1, (ptr, pos)


def element_pointers(data: dict[str, Any]) -> list[Pointer]:
    """Pointers of every list element of the model, which must each have a span."""
    found: list[Pointer] = []
    for key in ("headings", "links", "anchors", "code_blocks", "text", "mentions"):
        found += [(key, i) for i in range(len(data[key]))]
    for i, table in enumerate(data["tables"]):
        found += [("tables", i), ("tables", i, "header")]
        found += [("tables", i, "header", j) for j in range(len(table["header"]))]
        for r, row in enumerate(table["rows"]):
            found += [("tables", i, "rows", r)]
            found += [("tables", i, "rows", r, c) for c in range(len(row))]
    for i, lst in enumerate(data["lists"]):
        found += [("lists", i)] + [("lists", i, "items", j) for j in range(len(lst["items"]))]
    return found


# -- pyromark itself -----------------------------------------------------------------


def test_pyromark_ranges_are_utf8_byte_offsets() -> None:
    text = "é€ [x](y)"
    events: list[tuple[Any, Any]] = list(pyromark.events_with_range(text))
    link = next(r for e, r in events if isinstance(e, dict) and "Link" in e.get("Start", {}))
    assert (link["start"], link["end"]) == (6, 12)  # 'é' is 2 bytes, '€' 3: characters would be 3
    assert text.encode()[link["start"] : link["end"]] == b"[x](y)"


# -- headings ------------------------------------------------------------------------

HEADINGS = """\
# Title

Intro.

## 1. First

### 1.1 Sub `code` *em*

text

## 2 Second
Setext
------

# Other
"""


def test_headings_levels_text_parents_sections_and_spans() -> None:
    doc = markdown.parse("a.md", HEADINGS)
    got = [
        (h["level"], h["text"], h["number"], h["parent"], h["end_line"])
        for h in doc.data["headings"]
    ]
    assert got == [
        (1, "Title", None, None, 14),
        (2, "1. First", "1", 0, 10),
        (3, "1.1 Sub code em", "1.1", 1, 10),
        (2, "2 Second", "2", 0, 11),
        (2, "Setext", None, 0, 14),
        (1, "Other", None, None, 15),
    ]
    assert at(doc, "headings", 0) == (1, 1, 1, 8)
    assert at(doc, "headings", 2) == (7, 1, 7, 24)
    assert at(doc, "headings", 4) == (12, 1, 13, 7)  # a setext heading spans its underline


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("7. Network", "7"),
        ("7.1 Title", "7.1"),
        ("7 Title", "7"),
        ("2.3.4 Deep", "2.3.4"),
        ("1.2.3. Trailing dot", "1.2.3"),
        ("7.1  is Intentional", "7.1"),
        ("10", "10"),
        ("Title 7", None),
        ("7th floor", None),
        ("v1.2 release", None),
        ("2024 plans", None),
    ],
)
def test_section_numbers(heading: str, number: str | None) -> None:
    doc = markdown.parse("a.md", f"## {heading}\n")
    assert doc.data["headings"][0]["number"] == number


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Security Policy for aixcl", "security-policy-for-aixcl"),
        ("7.1 network_mode: host is Intentional", "71-network_mode-host-is-intentional"),
        ("7.1  is Intentional", "71--is-intentional"),
        ("What's new? (2024)", "whats-new-2024"),
        ("Über Café", "über-café"),
        ("A -- B", "a----b"),
        ("!!!", ""),
        ("😀 Emoji", "-emoji"),
    ],
)
def test_slugify_like_github(text: str, slug: str) -> None:
    assert mdsource.slugify(text) == slug


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x2200), max_size=20))
def test_slugify_keeps_letters_marks_and_numbers_ascii_or_not(text: str) -> None:
    # ASCII headings take a translation table; every heading gets GitHub's rule.
    kept = (c for c in text.lower() if c in " -_" or unicodedata.category(c)[0] in "LMN")
    assert mdsource.slugify(text) == "".join(kept).replace(" ", "-")


def test_duplicate_slugs_are_numbered_in_document_order() -> None:
    doc = markdown.parse("a.md", "# A\n## A\n### A-1\n# A\n## ?!\n## ...\n## \n")
    assert [h["slug"] for h in doc.data["headings"]] == ["a", "a-1", "a-1-1", "a-2", "", "-1", "-2"]
    assert doc.data["headings"][6]["text"] == ""


# -- tables --------------------------------------------------------------------------


def test_table_cells_text_alignment_and_positions() -> None:
    text = "| Name | a\\|b | `c\\|d` |\n|:--|:-:|--:|\n| **x** é | [l](y.md) | `z` |\n| short |\n"
    doc = markdown.parse("a.md", text)
    (table,) = doc.data["tables"]
    assert table["header"] == ["Name", "a|b", "c|d"]
    assert table["align"] == ["left", "center", "right"]
    assert table["rows"] == [["x é", "l", "z"], ["short", "", ""]]
    assert at(doc, "tables", 0) == (1, 1, 4, 10)
    assert at(doc, "tables", 0, "header", 1) == (1, 10, 1, 14)
    assert at(doc, "tables", 0, "header", 2) == (1, 17, 1, 23)
    assert at(doc, "tables", 0, "rows", 0, 0) == (3, 3, 3, 10)  # "é" is one column
    assert at(doc, "tables", 0, "rows", 0, 1) == (3, 13, 3, 22)
    assert at(doc, "tables", 0, "rows", 1, 2) == (4, 10, 4, 10)  # added by the parser
    assert doc.data["links"][0]["path"] == "y.md"
    assert doc.data["text"] == []  # cells are not prose


# -- links ---------------------------------------------------------------------------

LINKS = """\
# Links

See [the guide](docs/guide.md#setup "Title") and [ref][r], [Collapsed][] or [r].
Autolinks: <https://example.com/a?b=1> and <me@example.org>.

## Section two

![image](pic.png) [![badge](b.svg)](https://ci.example) [mail](mailto:x@y.z)

[r]: ../README.md
[collapsed]: /root/file.md#Top
"""


def test_links_inline_reference_autolink_with_positions() -> None:
    doc = markdown.parse("a.md", LINKS)
    got = [(link["text"], link["target"], link["kind"]) for link in doc.data["links"]]
    assert got == [
        ("the guide", "docs/guide.md#setup", "file"),
        ("ref", "../README.md", "file"),
        ("Collapsed", "/root/file.md#Top", "root"),
        ("r", "../README.md", "file"),
        ("https://example.com/a?b=1", "https://example.com/a?b=1", "url"),
        ("me@example.org", "me@example.org", "mailto"),
        ("", "pic.png", "file"),  # an image is a link to its file, where it begins
        ("", "b.svg", "file"),  # ... also inside a link, which ends after it
        ("badge", "https://ci.example", "url"),
        ("mail", "mailto:x@y.z", "mailto"),
    ]
    assert [i for i, link in enumerate(doc.data["links"]) if link.get("image")] == [6, 7]
    assert at(doc, "links", 0) == (3, 5, 3, 45)
    assert at(doc, "links", 1) == (3, 50, 3, 58)
    assert at(doc, "links", 2) == (3, 60, 3, 73)
    assert at(doc, "links", 3) == (3, 77, 3, 80)
    assert at(doc, "links", 4) == (4, 12, 4, 39)
    assert at(doc, "links", 5) == (4, 44, 4, 60)
    assert at(doc, "links", 6) == (8, 1, 8, 18)
    assert [link["section"] for link in doc.data["links"]] == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1]
    first, collapsed = doc.data["links"][0], doc.data["links"][2]
    assert (first["path"], first["fragment"]) == ("docs/guide.md", "setup")
    assert (collapsed["path"], collapsed["fragment"]) == ("/root/file.md", "Top")


@pytest.mark.parametrize(
    ("target", "kind", "path", "fragment"),
    [
        ("docs/a.md", "file", "docs/a.md", None),
        ("./a.md?plain=1#L10", "file", "./a.md", "L10"),
        ("my%20file.md#caf%C3%A9", "file", "my file.md", "café"),
        ("/docs/a.md", "root", "/docs/a.md", None),
        ("#7-network-mode-design", "anchor", None, "7-network-mode-design"),
        ("https://x.org/a#b", "url", None, None),
        ("HTTP://X.ORG", "url", None, None),
        ("//cdn.example/x.js", "url", None, None),
        ("mailto:a@b.c", "mailto", None, None),
        ("tel:+100", "other", None, None),
        ("?query", "other", None, None),
    ],
)
def test_link_kinds(target: str, kind: str, path: str | None, fragment: str | None) -> None:
    (link,) = markdown.parse("a.md", f"[x]({target})\n").data["links"]
    assert (link["target"], link["kind"], link["path"], link["fragment"]) == (
        target,
        kind,
        path,
        fragment,
    )


def test_links_with_spaces_and_parentheses() -> None:
    doc = markdown.parse("a.md", "[a](<my file.md>) [b](x(1).md) [c](<a b.md#s t>) <a b.md>\n")
    got = [(link["path"], link["fragment"]) for link in doc.data["links"]]
    assert got == [("my file.md", None), ("x(1).md", None), ("a b.md", "s t")]
    assert at(doc, "links", 1) == (1, 19, 1, 31)


def test_empty_and_unresolved_links() -> None:
    """A reference with no definition is text, kept as a malformed link."""
    doc = markdown.parse("a.md", "[empty]() and [missing][nowhere] and [x](#)\n")
    assert [(ln["target"], ln["kind"]) for ln in doc.data["links"]] == [
        ("", "other"),
        ("[missing][nowhere]", "malformed"),
        ("#", "anchor"),
    ]
    assert doc.data["links"][2]["fragment"] == ""
    assert at(doc, "links", 1) == (1, 15, 1, 33)


@pytest.mark.parametrize(
    ("text", "stray"),
    [
        ("[x.md](.x.md)](y.md) and more", ["](y.md)"]),
        ("Read [the plan][plan].", ["[the plan][plan]"]),
        ("[plan]: roadmap.md <!-- note -->", ["[plan]:"]),
        ("An [unclosed](setup.md link", ["[unclosed](setup.md link"]),
        ("- [ ] a task, `a[0](1)` in code, [ok](ok.md) and [^1]\n\n[^1]: a note", []),
    ],
)
def test_link_syntax_left_in_the_text_is_a_malformed_link(text: str, stray: list[str]) -> None:
    doc = markdown.parse("a.md", text + "\n")
    assert [ln["stray"] for ln in doc.data["links"] if ln["kind"] == "malformed"] == stray


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("C++ & C# / F#", "c-c-f"),
        ("Ünïcode Überblick 日本語", "unicode-uberblick"),
        ("snake_case -- and  spaces", "snake_case-and-spaces"),
        ("- leading hyphen", "-leading-hyphen"),
        ("Install `aixcl` (v2.0)", "install-aixcl-v20"),
    ],
)
def test_mkdocs_slugs_are_python_markdown_toc_slugs(heading: str, slug: str) -> None:
    assert mdanchors.mkdocs_slug(heading) == slug


def test_mkdocs_attr_list_ids_replace_the_slug_and_repeats_get_underscores() -> None:
    text = "## Setup {#install}\n## Notes\n## Notes\n## Plain {: .wide }\n"
    doc = markdown.parse("a.md", text, mdanchors.MKDOCS_ATTR_LIST)
    headings = doc.data["headings"]
    assert [(h["text"], h["slug"]) for h in headings] == [
        ("Setup", "install"),
        ("Notes", "notes"),
        ("Notes", "notes_1"),
        ("Plain", "plain"),
    ]
    assert {a["name"] for a in doc.data["anchors"]} == {"setup", "notes-1"}
    github = markdown.parse("a.md", text).data["headings"]
    assert [h["slug"] for h in github] == ["setup-install", "notes", "notes-1", "plain--wide-"]


def test_code_never_produces_links_and_inline_code_is_not_prose() -> None:
    text = (
        "```md\n[a](a.md) <https://a.b>\n```\n\n"
        "    [b](b.md)\n\n"
        "Use `[c](c.md)` here.\n\n"
        "~~~\n[d](d.md) never closed\n"
    )
    doc = markdown.parse("a.md", text)
    assert doc.data["links"] == []
    assert doc.data["text"] == [{"text": "Use  here.", "section": None}]
    assert doc.data["code_blocks"] == [
        {"lang": "md", "text": "[a](a.md) <https://a.b>\n", "section": None},
        {"lang": "", "text": "[b](b.md)\n", "section": None},
        {"lang": "", "text": "[d](d.md) never closed\n", "section": None},
    ]
    assert at(doc, "code_blocks", 0) == (1, 1, 3, 4)
    assert at(doc, "code_blocks", 1) == (5, 5, 5, 14)
    assert at(doc, "code_blocks", 2) == (9, 1, 10, 23)


# -- anchors, lists, prose, front matter ---------------------------------------------


def test_anchors_from_inline_and_block_html() -> None:
    text = (
        '<div id="top" class="x">\n<a name="legacy"></a>\n</div>\n\n'
        "Text <a id='inline'>x</a> <input name=\"nope\"> <span ID=bare>y</span>\n"
        '\n```html\n<a name="in-code"></a>\n```\n'
    )
    doc = markdown.parse("a.md", text)
    assert [a["name"] for a in doc.data["anchors"]] == ["top", "legacy", "inline", "bare"]
    assert at(doc, "anchors", 0) == (1, 10, 1, 13)
    assert at(doc, "anchors", 1) == (2, 10, 2, 16)
    assert at(doc, "anchors", 2) == (5, 13, 5, 19)
    assert at(doc, "anchors", 3) == (5, 56, 5, 60)


def test_lists_items_nesting_and_tight_items_as_prose() -> None:
    text = (
        "# S\n\n"
        "- one `code`\n- [ ] task\n  - nested *a*\n  - nested b\n- three\n\n"
        "1. first\n\n   second para\n2. next\n"
    )
    doc = markdown.parse("a.md", text)
    lists = doc.data["lists"]
    assert lists == [
        {"ordered": False, "items": ["one code", "task", "three"], "section": 0},
        {"ordered": False, "items": ["nested a", "nested b"], "section": 0},
        {"ordered": True, "items": ["first second para", "next"], "section": 0},
    ]
    assert at(doc, "lists", 1) == (5, 3, 6, 13)
    assert at(doc, "lists", 0, "items", 1) == (4, 1, 6, 13)
    assert [t["text"] for t in doc.data["text"]] == [
        "one",
        "task",
        "nested a",
        "nested b",
        "three",
        "first",
        "second para",
        "next",
    ]
    assert at(doc, "text", 0) == (3, 3, 3, 13)


def test_tight_items_starting_with_markup_span_the_whole_line() -> None:
    doc = markdown.parse("a.md", "- [x](y.md) z\n- **b** c\n")
    assert [t["text"] for t in doc.data["text"]] == ["x z", "b c"]
    assert at(doc, "text", 0) == (1, 3, 1, 14)
    assert at(doc, "text", 1) == (2, 3, 2, 10)


def test_heading_attributes_are_plain_text_and_footnotes_are_not_links() -> None:
    doc = markdown.parse("a.md", "## Title {#custom}\n\nText[^1] ~~old~~.\n\n[^1]: A note.\n")
    assert doc.data["headings"][0]["slug"] == "title-custom"
    assert doc.data["links"] == []
    assert [t["text"] for t in doc.data["text"]] == ["Text old.", "A note."]


def test_prose_by_section_skips_headings_tables_html_and_code() -> None:
    text = "Lead.\n\n## 2. Part\n\nOne\nline two.\n\n> Quoted.\n\n<div>html</div>\n\n"
    text += "| a |\n|---|\n| b |\n"
    doc = markdown.parse("a.md", text)
    assert doc.data["text"] == [
        {"text": "Lead.", "section": None},
        {"text": "One line two.", "section": 0},
        {"text": "Quoted.", "section": 0},
    ]
    assert at(doc, "text", 1) == (5, 1, 6, 10)


def test_front_matter_data_spans_and_problems() -> None:
    doc = markdown.parse("a.md", "---\ntitle: Hello\ntags: [a, b]\n---\n# H\n")
    assert doc.data["front_matter"] == {"title": "Hello", "tags": ["a", "b"]}
    assert doc.spans["front_matter", "title"].value == Span(Position(2, 8), Position(2, 13))
    assert doc.spans["front_matter", "tags", 1].value.start == Position(3, 11)
    assert doc.data["headings"][0]["text"] == "H"
    assert doc.problems == ()

    bad = markdown.parse("a.md", "---\ntitle: x\ntitle: [\n---\n# H\n")
    assert bad.data["front_matter"] is None
    assert [(p.rule, p.line) for p in bad.problems] == [("yaml/parse-error", 4)]

    dup = markdown.parse("a.md", "---\na: 1\na: 2\n---\n")
    assert [(p.rule, p.line, p.column) for p in dup.problems] == [("yaml/duplicate-key", 3, 1)]

    listy = markdown.parse("a.md", "---\n- a\n---\n")
    assert [p.rule for p in listy.problems] == ["markdown/front-matter"]


def test_metadata_block_later_in_the_file_is_not_front_matter() -> None:
    doc = markdown.parse("a.md", "Para.\n\n---\na: 1\n---\n")
    assert doc.data["front_matter"] is None


# -- positions: CRLF, non-ASCII, BOM -------------------------------------------------


def test_crlf_gives_the_same_positions_as_lf() -> None:
    text = HEADINGS + LINKS + "| a | b |\n|---|---|\n| c | d |\n"
    lf, crlf = markdown.parse("a.md", text), markdown.parse("a.md", text.replace("\n", "\r\n"))
    assert lf.data == crlf.data
    assert dict(lf.spans) == dict(crlf.spans)


def test_non_ascii_columns_count_characters() -> None:
    text = '# Überschrift 😀\n\nçé€😀 [link](a.md) <a id="ü">\n\n'
    text += "| \U0001d538 | b |\n|---|---|\n| ü | [x](y) |\n"  # outside the BMP: one column
    doc = markdown.parse("a.md", text)
    assert at(doc, "headings", 0) == (1, 1, 1, 16)
    assert at(doc, "links", 0) == (3, 6, 3, 18)
    assert doc.data["anchors"] == [{"name": "ü"}]
    assert at(doc, "anchors", 0) == (3, 26, 3, 27)
    assert at(doc, "tables", 0, "header", 0) == (5, 3, 5, 4)
    assert at(doc, "tables", 0, "rows", 0, 1) == (7, 7, 7, 13)
    assert at(doc, "links", 1) == (7, 7, 7, 13)


def test_bom_is_not_a_column() -> None:
    text = "# Title [x](a.md)\n\n[y](b.md)\n"
    plain, bom = markdown.parse("a.md", text), markdown.parse("a.md", "\ufeff" + text)
    assert bom.data == plain.data
    assert dict(bom.spans) == dict(plain.spans)
    assert at(bom, "links", 0) == (1, 9, 1, 18)
    index = LineIndex("\ufeffab\ncd")
    assert index.byte_position(3) == Position(1, 1)  # just after the BOM
    assert index.byte_position(4) == Position(1, 2)
    assert index.position(2) == Position(1, 2)
    assert index.byte_position(7) == Position(2, 2)


def test_line_index_line_endings_and_last_line() -> None:
    index = LineIndex("a\r\nbé\rc\n\n")
    assert [index.byte_position(i) for i in (0, 1, 3, 6, 7, 8, 9, 10)] == [
        Position(1, 1),
        Position(1, 2),
        Position(2, 1),
        Position(2, 3),  # after 'é' (two bytes)
        Position(3, 1),  # a lone CR ends a line
        Position(3, 2),
        Position(4, 1),
        Position(5, 1),
    ]
    assert index.last_line == 4
    assert LineIndex("").last_line == 1
    assert LineIndex("x").last_line == 1
    assert LineIndex("x\ny").last_line == 2
    long = LineIndex("é" * 10_000)
    assert long.byte_position(20_000) == Position(1, 10_001)
    assert long.byte_position(8_192) == Position(1, 4_097)  # at a checkpoint
    assert long.byte_position(12_290) == Position(1, 6_146)


# -- the seed document ---------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[markdown.MarkdownDocument, list[str]]:
    text = SEED.read_text(encoding="utf-8")
    return markdown.parse("docs/reference/security.md", text), text.splitlines()


def test_seed_headings(seed: tuple[markdown.MarkdownDocument, list[str]]) -> None:
    doc, _ = seed
    got = [(h["level"], h["number"], h["text"]) for h in doc.data["headings"]]
    assert got == [
        (1, None, "Security Policy for aixcl"),
        (2, "1", "1. Supported versions"),
        (2, "2", "2. How to report a vulnerability"),
        (3, None, "What not to include"),
        (2, "3", "3. Responsible disclosure policy"),
        (2, "4", "4. Scope"),
        (2, "5", "5. Acknowledgements"),
        (2, "7", "7. Network Mode Design"),
        (3, "7.1", "7.1  is Intentional"),  # its inline code was lost
        (3, "7.2", "7.2 Rationale"),
        (2, "7", "7. Network Mode Design"),
        (3, "7.1", "7.1 network_mode: host is Intentional"),
        (3, "7.2", "7.2 Rationale"),
        (3, "7.3", "7.3 Security Context"),
        (3, "7.4", "7.4 Architecture Reference"),
    ]
    numbers = [h["number"] for h in doc.data["headings"] if h["level"] == 2]
    assert "6" not in numbers
    assert numbers.count("7") == 2
    slugs = [h["slug"] for h in doc.data["headings"]]
    assert slugs[7] == "7-network-mode-design"
    assert slugs[10] == "7-network-mode-design-1"
    assert slugs[12] == "72-rationale-1"
    assert [h["parent"] for h in doc.data["headings"][7:]] == [0, 7, 7, 0, 10, 10, 10, 10]
    assert [h["end_line"] for h in doc.data["headings"][6:11]] == [60, 81, 66, 81, 113]
    assert at(doc, "headings", 10) == (82, 1, 82, 26)


def test_seed_supported_versions_table(seed: tuple[markdown.MarkdownDocument, list[str]]) -> None:
    doc, lines = seed
    table = doc.data["tables"][0]
    assert table["header"] == ["Version", "Supported?", "Notes"]
    assert [row[:2] for row in table["rows"]] == [
        ["main branch / latest release", "Yes"],
        ["Previous minor versions", "Yes"],
        ["Older versions", "No"],
    ]
    column = lines[4].index("Supported?") + 1
    assert at(doc, "tables", 0, "header", 1) == (5, column, 5, column + 10)
    assert at(doc, "tables", 0, "rows", 2, 1) == (9, 36, 9, 38)
    # The damaged first copy of section 7.2 has an empty cell where its code was.
    assert doc.data["tables"][1]["rows"][0] == ["Networking", ""]
    assert doc.data["tables"][2]["rows"][0] == ["Networking", "network_mode: host"]


def test_seed_links_and_prose(seed: tuple[markdown.MarkdownDocument, list[str]]) -> None:
    doc, lines = seed
    (link,) = doc.data["links"]
    assert link["kind"] == "mailto"
    assert link["target"] == "mailto:security@yourdomain.com"
    assert link["text"] == "security@yourdomain.com"
    assert doc.data["headings"][link["section"]]["number"] == "2"
    column = lines[14].index("[security@") + 1
    assert at(doc, "links", 0) == (15, column, 15, column + 57)
    last = doc.data["text"][-1]
    assert last["text"].startswith("See docs/architecture/governance/00_invariants.md section 7")
    assert doc.data["headings"][last["section"]]["number"] == "7.4"
    assert at(doc, "text", len(doc.data["text"]) - 1)[:2] == (113, 1)
    prose = [t["text"] for t in doc.data["text"]]
    assert "Public disclosure will be coordinated, typically after 7 days of the fix release." in (
        prose
    )
    assert any("respond within 72 hours" in t for t in prose)
    assert doc.problems == ()


def test_seed_every_element_has_a_span_and_data_is_plain(
    seed: tuple[markdown.MarkdownDocument, list[str]],
) -> None:
    doc, lines = seed
    for ptr in element_pointers(doc.data):
        assert ptr in doc.spans, ptr
    assert_spans_inside(doc, "\n".join(lines) + "\n")
    json.dumps(doc.data)


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "```\nunterminated\n# not a heading\n",
        "<div>\n<p>raw *html* block\n\n</div>\n<script>alert(1)</script>\n",
        "- " * 5_000 + "deep\n",
        "".join("  " * i + "- item\n" for i in range(500)),
        "> " * 5_000 + "quote\n",
        "[" * 20_000 + "x" + "](y)" * 20_000 + "\n",
        "*a" * 20_000 + "\n",
        "<" * 50_000 + "a id='x'\n",
        "| a |\n|---|\n" + "| b | c | d |\n" * 1_000,
        "a\x00b [x](\x00)\n",
        "lone \ud800 surrogate [x](y)\n",
        "\r\r\n\n\r",
        "",
        "---\n",
        "---\na: &a [*a]\n---\n",
        "#\n##\n###### x ######\n####### seven\n",
    ],
    ids=lambda text: repr(text[:16]),
)
def test_bad_input_never_raises(text: str) -> None:
    doc = markdown.parse("a.md", text)
    for ptr in element_pointers(doc.data):
        assert ptr in doc.spans, ptr
    assert_spans_inside(doc, text.replace("\ud800", "?"))


def test_deeply_nested_lists_are_all_recorded() -> None:
    text = "".join("  " * i + f"- item {i}\n" for i in range(500))
    doc = markdown.parse("a.md", text)
    assert len(doc.data["lists"]) >= 2
    assert all(lst["items"] for lst in doc.data["lists"])


@pytest.mark.slow
def test_ten_megabytes_parse_whole() -> None:
    # Speed belongs in bench/; this holds that a large document is read to its end.
    text = SEED.read_text(encoding="utf-8")
    big = text * (10_000_000 // len(text) + 1)
    doc = markdown.parse("big.md", big)
    assert len(doc.data["headings"]) == 15 * (10_000_000 // len(text) + 1)
    assert doc.spans["headings", len(doc.data["headings"]) - 1].value.start.line > 100_000


PIECES = [*"#-*_`~[]()<>!|:\\/.=\"' \t\n\r", "\r\n", "é", "😀", "\ufeff", "a", "1", "x.md"]
PIECES += ["<a id='x'>", "](", "```", "---\n", "| a |", "\n|---|\n", "> ", "1. ", "    "]
PIECES += ["{#id}", "{: #x }", "][", "]: ", "a@b.co", "@", "<!--", "-->", "2.6.1"]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=200).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWNISH, st.sampled_from(mdanchors.FLAVOURS))
def test_fuzz_parse_never_raises_and_spans_stay_inside(text: str, flavour: str) -> None:
    doc = markdown.parse("a.md", text, flavour)
    for ptr in element_pointers(doc.data):
        assert ptr in doc.spans, ptr
    assert_spans_inside(doc, text)
    json.dumps(doc.data)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_any_text(text: str) -> None:
    doc = markdown.parse("a.md", text)
    clean = text.encode("utf-8", "replace").decode("utf-8")
    assert_spans_inside(doc, clean)


@pytest.mark.parametrize(
    ("text", "addresses"),
    [
        ("Mail security@lumenstack.io.", ["security@lumenstack.io"]),
        ("`psirt@x.org`, a@b, @handle, me@host.", ["psirt@x.org"]),
        ("<!-- old@x.org --> new@x.org", ["new@x.org"]),
        ("a@b.c@d.e", ["a@b.c"]),
        ("| Security | security@company.com |", ["security@company.com"]),
    ],
)
def test_email_addresses_are_found_in_the_raw_text(text: str, addresses: list[str]) -> None:
    data = text.encode()
    assert [data[a:b].decode() for a, b in mdsource.emails(data, 0, len(data))] == addresses
