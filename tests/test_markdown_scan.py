"""The scan of a Markdown file (``mdscan``) agrees with the full model (``mdbuild``) on
everything both read, and a run scans only the files no rule reads more of."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint.documents.markdown import parse
from aixcl_lint.documents.mdanchors import FLAVOURS
from aixcl_lint.documents.mdfacts import FACTS
from aixcl_lint.kinds.markdown import needs_model
from aixcl_lint.policy.fields import reads
from conftest import SEED_POLICY, repository_pages, run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]

SAMPLES = [*repository_pages(".md"), SEED_POLICY]


def _same(text: str, flavour: str = "github") -> None:
    full, scanned = parse("x.md", text, flavour), parse("x.md", text, flavour, full=False)
    assert not scanned.full
    assert set(scanned.data) == {*FACTS, "front_matter"}
    for key in scanned.data:
        assert scanned.data[key] == full.data[key], key
    assert {p: full.spans[p].value for p in scanned.spans} == {
        p: s.value for p, s in scanned.spans.items()
    }
    assert scanned.problems == full.problems


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.name))
def test_scan_matches_the_model_on_real_documents(path: Path, flavour: str) -> None:
    _same(path.read_text(encoding="utf-8"), flavour)


PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "7. ",
        "Title",
        "`code`",
        "`a@b.io`",
        "**bold [in](b.md)**",
        "![img](a.png)",
        "[![img](a.png) and `c`](x.md#frag)",
        "[link](x.md)",
        "[x](a.md)](b.md)",
        "[text][nowhere]",
        "[label]: target",
        "[ref][]",
        "\n[ref]: r.md\n",
        "<https://example.com>",
        "<mail@example.com>",
        '<a name="here"></a>',
        '<div id="box">',
        "<!-- aixcl-lint: disable docs/anchors -->",
        "see docs/x.md section 7 ",
        "\n",
        "\n\n",
        "  \n",
        "```\n# not [a](b.md)\n```\n",
        "---\ntitle: x\n---\n",
        "Setext\n===\n",
        "- item ",
        "1. item ",
        "\n  - nested ",
        "> quote ",
        "x|[y](y.md)\n|-|-|\n|a|b|\n",
        "| a | b |\n|---|---|\n| c |\n",
        "é",
        "\t",
        " {#custom}",
        # paragraphs and tables are read by loops of their own
        "[^1]",
        "\n[^1]: note [x](y.md)\n",
        "| [a]: b | `c` |\n|-|-|\n| ![i](j) [k](l.md) | x](y) |\n",
        "- a\n  > b [c](d.md)\n",
        "- | x |\n  |---|\n  | y |\n",
        "<span>[s](t.md)</span>",
        # table rows without a link are passed over; headings and tight items have loops
        "| a | b |\n|---|---|\n| c | d |\n| [e](f.md) | g] |\n| h | i |\n",
        "| x |\n|---|\n| *em* [y](z.md) |\n| `q` |\n",
        "- [first](x.md) then\n",
        "- <b>x</b> see docs/x.md section 2\n",
        "- [ ] task\n",
        "- ***\n",
        "# H ![i](j.png) [l](m.md) `c` x](y)\n",
        "## *a* <a id='b'></a>\n",
        "see section 3 of docs/y.md ",
        "- x.md \u00a74 ",
        "\n---\nk: v\n---\n",
        # a paragraph's rest without a link is passed over
        "**[s](t.md)** tail `code` \u00e9 ",
        # MyST roles naming a document or a label (links on a MyST page only)
        "{doc}`intro`",
        "{ref}`the text <a-label>`",
        "| {download}`f.zip` | x |\n|-|-|\n| {numref}`n` | y |\n",
        "\\{doc}`not`",
        "`x]` [a](b.md) *e* ",
        # runs of table rows without a link are folded before parsing (mdmask)
        "\n| p | q |\n|---|---|\n| r | s |\n| t | `u` |\n",
        "```\n| a |\n|-|\n| b |\n```\n",
        "| [a\n|-|\n| b |\n| c](d.md) |\n",
        # images and HTML links are links; MkDocs' blocks hold Markdown in its flavours
        '<img src="p.png"> <a href="q.md#r">s</a> <!-- <img src="t.png"> -->',
        "- ![i](j.png) <a href='k.md'>l</a>\n",
        '\n!!! note "T"\n\n    [a](b.md) ![c](d.png)\n\n    ## In\n',
        '\n=== "Tab"\n    - [e](f.md)\n',
        "\n???+ tip\n",
    ]
)


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(PIECES, max_size=30).map("".join), st.sampled_from(FLAVOURS))
def test_scan_matches_the_model_on_generated_documents(text: str, flavour: str) -> None:
    _same(text, flavour)


def test_what_a_rule_reads() -> None:
    rule = {
        "select": "headings",
        "where": {"field": "level", "equals": 2},
        "checks": [
            {"field": "duplicate", "equals": False, "unless": {"field": "@path", "matches": "x"}},
            {"select": "document", "some": {"in": "tables", "where": {"field": "text"}}},
            {"select": {"links": ""}, "field": ["target_exists"], "equals": {"field": "fragment"}},
            {"relation": {"values": "addresses", "list": ["a@b.io"]}},
            {"relation": {"values": {"in": "targets", "take": "."}, "list": []}},
        ],
    }
    assert reads(rule) == {
        "headings",
        "headings.level",
        "headings.duplicate",
        "document",
        "document.tables",
        "document.text",
        "links",
        "links.target_exists",
        "links.fragment",
        "headings.addresses",
        "headings.targets",
    }
    assert not needs_model(frozenset({"links", "links.resolved", "headings.duplicate"}))
    assert needs_model(frozenset({"headings", "headings.body"}))
    assert needs_model(frozenset({"rows", "rows.cells"}))
    assert needs_model(frozenset({"document"}))


BODY_POLICY = """\
version: 1
rules:
  - id: team/no-todo
    title: No TODO in a section
    severity: error
    target: {kind: markdown, files: ["docs/**"]}
    select: headings
    checks:
      - field: body
        not-matches: TODO
        message: "'{heading}' has a TODO"
"""

DOCS = {
    "docs/guide.md": "# Guide\n\nTODO: write it, see [x](missing.md).\n\n| a |\n|---|\n| TODO |\n",
    "notes.md": "# Notes\n\nTODO too, [y](gone.md)\n",
}


def test_a_rule_reading_prose_gets_the_model_where_it_applies(repo: Repo) -> None:
    root = repo({**DOCS, "team.yaml": BODY_POLICY})
    ran = run_cli("check", "--format", "json", "--policy", "team.yaml", cwd=root)
    found = sorted((f["rule"], f["path"]) for f in json.loads(ran.out)["findings"])
    assert found == [
        ("docs/relative-links", "docs/guide.md"),
        ("docs/relative-links", "notes.md"),
        ("team/no-todo", "docs/guide.md"),
    ]


def test_a_file_is_modelled_only_where_a_rule_reading_the_model_admits_it() -> None:
    from aixcl_lint.kinds import markdown
    from aixcl_lint.kinds.base import Planned

    targets = {"README.md": "markdown", "docs/a.md": "markdown", "x.yaml": None}
    links = ((), frozenset({"links", "links.resolved"}))
    readme = (("/README.md",), frozenset({"document", "document.prose"}))

    def modelled(*reads: tuple[tuple[str, ...], frozenset[str]]) -> dict[str, bool]:
        units = markdown.SPEC.units(Planned(targets, {}, reads=reads))
        return {unit.paths[0]: unit.reads is None for unit in units}

    assert modelled(links, readme) == {"README.md": True, "docs/a.md": False}
    assert modelled(links) == {"README.md": False, "docs/a.md": False}
    assert modelled(links, ((), readme[1])) == {"README.md": True, "docs/a.md": True}
    assert modelled() == {"README.md": True, "docs/a.md": True}  # nothing known: the model


CITING = st.sampled_from(
    [
        *("docs/x.md", "x.md", " ", "\n", "\t", "\v", "section", "SECTION", "SeCtIoN", "sect"),
        *("\u00a7", "\u29c0", "7", "7.1", " of ", " in ", "`", "<!--", "-->", "x", ",", ":"),
    ]
)


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(CITING, max_size=24).map("".join))
def test_a_text_that_cannot_cite_a_section_holds_no_reference(text: str) -> None:
    # mdsource.may_cite decides for a whole document whether its paragraphs are searched
    from aixcl_lint.documents import mdsource

    data = text.encode("utf-8")
    if list(mdsource.references(data, 0, len(data))):
        assert mdsource.may_cite(data)
    if not mdsource.may_cite(data):
        assert parse("x.md", text, full=False).data["references"] == []


def test_references_are_found_in_a_document_that_cites_late() -> None:
    text = "# A\n\nSee [b](b.md).\n\n" + "Words.\n\n" * 50 + "- see docs/b.md section 2\n"
    found = parse("x.md", text, full=False).data["references"]
    assert [(r["path"], r["number"]) for r in found] == [("docs/b.md", "2")]


def test_a_tight_item_text_goes_on_after_an_html_block_in_it() -> None:
    # pulldown-cmark writes the tab before the block as text inside it, and the item's
    # text continues after the block's end: the reference is in that text's range
    text = "- task\n\t<!-- x -->see docs/x.md section 7\n  more\n"
    _same(text)
    found = parse("x.md", text, full=False).data["references"]
    assert [(r["path"], r["number"]) for r in found] == [("docs/x.md", "7")]


class _Nowhere:
    """A repository without files."""

    def exists(self, path: str) -> bool:
        return False

    def anchors(self, path: str) -> frozenset[str] | None:
        return None

    def numbers(self, path: str) -> frozenset[str] | None:
        return None

    def project(self, path: str) -> str | None:
        return None

    def labels(self, folder: str) -> dict[str, str]:
        return {}


HEADED = st.sampled_from(
    ["# A\n", "## B\n", "### C\n", "## D\n", "[x](x.md)\n", "[y](#y)\n", "t\n"]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(HEADED, max_size=30).map("\n".join))
def test_each_heading_knows_its_trail_and_the_targets_below_it(text: str) -> None:
    from aixcl_lint.documents.mdtree import enrich

    headings = enrich(parse("x.md", text, full=False), _Nowhere()).data["headings"]
    links = parse("x.md", text, full=False).data["links"]
    for i, heading in enumerate(headings):
        trail, parent = [], heading["parent"]
        while parent is not None:
            trail.insert(0, headings[parent]["text"])
            parent = headings[parent]["parent"]
        below = [i, *(j for j in range(i + 1, len(headings)) if i in _above(headings, j))]
        assert heading["parents"] == "\n".join(trail)
        assert heading["targets"] == " ".join(x["target"] for x in links if x["section"] in below)


def _above(headings: list[dict[str, Any]], j: int) -> set[int]:
    found, parent = set(), headings[j]["parent"]
    while parent is not None:
        found.add(parent)
        parent = headings[parent]["parent"]
    return found
