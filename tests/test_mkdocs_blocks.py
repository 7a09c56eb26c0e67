"""MkDocs admonitions, details and content tabs hold Markdown in the MkDocs flavours
(their links and headings are read, at the file's own lines and columns), and indented
code elsewhere, as GitHub renders them."""

from __future__ import annotations

from pathlib import Path

import pytest

from aixcl_lint.documents import mdblocks
from conftest import run_cli
from test_discover_git import git_repo

PAGE = """\
# Page

!!! note "Read this"

    See [the guide](missing-guide.md) and [ok](other.md).

    ## Inside

???+ tip

    [tip link](missing-tip.md)

=== "Tab 1"

    [tab link](other.md#nowhere)

    ```markdown
    [code](not-a-link.md)
    ```

[inside](#inside)
"""
FILES = {"docs/page.md": PAGE, "docs/other.md": "# Other\n"}


def _findings(root: Path) -> list[tuple[str, str, int, int]]:
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code in (0, 1), ran.err
    return sorted(f for f in ran.findings() if f[0].startswith("docs/"))


def test_an_mkdocs_sites_blocks_are_read_as_markdown(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo", {**FILES, "mkdocs.yml": "site_name: x\n"})
    assert _findings(root) == [
        ("docs/anchors", "docs/page.md", 15, 5),  # other.md has no "#nowhere"
        ("docs/relative-links", "docs/page.md", 5, 9),
        ("docs/relative-links", "docs/page.md", 11, 5),
    ]


@pytest.mark.parametrize("flavour", ["github", "mkdocs+attr_list"])
def test_the_flavour_setting_decides(tmp_path: Path, flavour: str) -> None:
    config = {".aixcl-lint.yaml": f"markdown-flavour: {flavour}\n"}
    found = _findings(git_repo(tmp_path / "repo", {**FILES, **config}))
    if flavour == "github":  # indented code: no links, and "#inside" names no heading
        assert found == [("docs/anchors", "docs/page.md", 21, 1)]
    else:
        assert len(found) == 3
        assert ("docs/anchors", "docs/page.md", 21, 1) not in found


def test_a_page_outside_the_sites_docs_dir_is_read_as_github_reads_it(tmp_path: Path) -> None:
    files = {"README.md": PAGE.replace("other.md", "docs/other.md"), **FILES}
    root = git_repo(tmp_path / "repo", {**files, "mkdocs.yml": "site_name: x\n"})
    assert ("docs/anchors", "README.md", 21, 1) in _findings(root)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('!!! note "T"\n', '-   note "T"\n'),
        ("  ??? tip\n", "  -   tip\n"),
        ("???+ tip\n", "-   +tip\n"),
        ('===+  "A"\n', '-   ++"A"\n'),
        ("!!!note\n", "!!!note\n"),  # no space: not a marker
        ("text !!! note\n", "text !!! note\n"),
        ("```md\n!!! note\n```\n!!! tip\n", "```md\n!!! note\n```\n-   tip\n"),  # code
        ("~~~~\n??? x\n~~~\n", "~~~~\n??? x\n~~~\n"),  # a shorter fence closes nothing
    ],
)
def test_markers_keep_their_length(text: str, written: str) -> None:
    assert mdblocks.as_items(text) == written
    assert len(written) == len(text)
