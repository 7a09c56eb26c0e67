"""Links in the pages of a Hugo site (``hugo.toml``, a ``config.toml`` with Hugo's keys,
``config/_default/``) mean what Hugo makes of them: a ``ref``/``relref`` shortcode
names a page, a root-relative path is served from ``static/`` or ``content/``, and a
heading's ``{#id}`` is its anchor. Elsewhere, or with another flavour set, the same
links are what GitHub reads (the shortcodes link syntax left in the text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from test_discover_git import git_repo
from test_myst_links import _findings  # (docs/ rules' findings, sorted)

PAGE = """\
# A

See [Overview]({{% relref "overview" %}}) and [B]({{< ref "b.md" >}}).

![d](/images/x.png) [s](/sec/) [p](/overview/)

[Sec]({{< ref "/sec#deep" >}}) [Own](#custom) [Tab]({{< tab "x" >}}) [**B**]({{< relref "b#b" >}})
[c]({{% relref "sec/child" %}}#two) [v](https://e.example/{{< version >}}/x) [l]({{< ref "lang" >}})

[Gone]({{< ref "gone" >}}) and [no heading]({{< ref "b#nowhere" >}}) and [![i](/images/no.png)](#a)

## Title {#custom}
"""
PAGES = {
    "site/content/a.md": PAGE,
    "site/content/overview.md": "# Overview\n",
    "site/content/b.md": "# B\n",
    "site/content/sec/_index.md": "# S\n\n## Deep\n",
    "site/content/sec/child.md": "# Child\n\n## Two\n",
    "site/content/lang/_index.en.md": "# Lang\n",
    "site/static/images/x.png": "",
}
BROKEN = [
    ("docs/anchors", "site/content/a.md", 10, 32),
    ("docs/relative-links", "site/content/a.md", 10, 1),
    ("docs/relative-links", "site/content/a.md", 10, 75),
]


@pytest.mark.parametrize(
    "config",
    [
        {"site/hugo.toml": 'baseURL = "/"\n'},
        {"site/hugo.yaml": "title: x\n"},
        {"site/config.toml": "baseURL = 'https://e.example/'\ntheme = 'x'\n"},
        {"site/config/_default/params.toml": "x = 1\n"},
    ],
)
def test_a_hugo_sites_links_resolve_as_hugo_resolves_them(
    tmp_path: Path, config: dict[str, str]
) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, **config})
    assert _findings(root) == BROKEN


def test_a_missing_refs_message_names_the_shortcode_and_the_page_looked_for(
    tmp_path: Path,
) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, "site/hugo.toml": ""})
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    messages = [f["message"] for f in ran.json()["findings"] if f["line"] == 10]
    assert any("'{{< ref \"gone\" >}}'" in m and "site/content/gone.md" in m for m in messages)


@pytest.mark.parametrize(
    "config",
    [
        {},  # no Hugo configuration
        {"site/config.toml": "[tool]\nname = 'not hugo'\n"},  # no Hugo key
        {"site/hugo.toml": "", ".aixcl-lint.yaml": "markdown-flavour: github\n"},
    ],
)
def test_outside_a_hugo_site_shortcode_links_are_link_syntax_left_in_the_text(
    tmp_path: Path, config: dict[str, str]
) -> None:
    root = git_repo(tmp_path / "repo", {**PAGES, **config})
    found = _findings(root)
    malformed = [f for f in found if f[0] == "docs/relative-links[malformed]"]
    assert len(malformed) >= 8
    assert ("docs/anchors", "site/content/a.md", 7, 32) in found  # {#custom} is text


def test_the_hugo_flavour_set_for_every_file_reads_shortcodes_as_links(tmp_path: Path) -> None:
    root = git_repo(
        tmp_path / "repo", {"README.md": PAGE, ".aixcl-lint.yaml": "markdown-flavour: hugo\n"}
    )
    found = _findings(root)
    assert not [f for f in found if f[0] == "docs/relative-links[malformed]"]
    assert ("docs/anchors", "README.md", 7, 32) not in found
