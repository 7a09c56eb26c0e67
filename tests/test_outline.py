"""The light outline read agrees with the full Markdown model on anchors and numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint.documents.markdown import parse
from aixcl_lint.documents.mdanchors import FLAVOURS
from aixcl_lint.documents.outline import outline
from conftest import SEED_POLICY, repository_pages

SAMPLES = [*repository_pages(".md"), SEED_POLICY]


def _from_model(text: str, flavour: str = "github") -> tuple[frozenset[str], frozenset[str]]:
    data = parse("x.md", text, flavour).data
    names = [h["slug"] for h in data["headings"]] + [a["name"] for a in data["anchors"]]
    numbers = [h["number"] for h in data["headings"] if h["number"]]
    return frozenset(n.lower() for n in names), frozenset(numbers)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.name))
def test_outline_matches_the_model_on_real_documents(path: Path, flavour: str) -> None:
    text = path.read_text(encoding="utf-8")
    found = outline(text, flavour)
    assert (found.anchors, found.numbers) == _from_model(text, flavour)


PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "### ",
        "7. ",
        "7.1 ",
        "Title",
        "Title",
        "`code`",
        "**bold**",
        "![img](a.png)",
        "[link](x.md)",
        '<a name="here"></a>',
        '<div id="box">',
        "\n",
        "\n\n",
        "```\n# not\n```\n",
        "Setext\n===\n",
        "- item\n",
        "> quote\n",
        "é",
        "🚀",
        "x|y\n|-|\n",
        "<!-- c -->",
        "#",
        " {#custom}",
        " {: #attr .wide }",
        "C++ & C#",
        # read from the HTML unless raw HTML, a footnote or a numeric entity is there
        "[^1]",
        "\n[^1]: a note\n",
        "&#10;",
        "&#x0A;x",
        "&NewLine;",
        "&amp; &lt;b&gt; &copy;",
        "<h2>raw</h2>",
        "</span>",
        "a < b > c \"q\" 'q'",
        "line  \nnext",
        "end\\\nnext",
        "<https://example.com/a>b>",
        "<me@example.com>",
        '[**x** `y<z`](a.md "t>")',
        '![alt > *x*](i.png "t")',
        "~~gone~~",
        "\t- [ ] task\n",
    ]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(PIECES, max_size=30).map("".join), st.sampled_from(FLAVOURS))
def test_outline_matches_the_model_on_generated_documents(text: str, flavour: str) -> None:
    found = outline(text, flavour)
    assert (found.anchors, found.numbers) == _from_model(text, flavour)


@pytest.mark.parametrize(
    "text",
    [
        '# A *b* `c<` [l](x>y "t>") ![i>m](s.png) &amp; x\n\nSetext\nline two  \nthree\n===\n',
        "# 7. Scope & [rules](r.md)\n## 7.1 `a<b`\n",
        "# Note[^1]\n\n[^1]: the note\n",
        "# Line&#10;break\n",
        '# Title\n\n<a name="top"></a>\n',
    ],
)
def test_outline_from_html_or_events_matches_the_model(text: str) -> None:
    for flavour in FLAVOURS:
        found = outline(text, flavour)
        assert (found.anchors, found.numbers) == _from_model(text, flavour)
    assert _from_model(text)[0]  # every sample has an anchor: the test compares something
