"""Images and HTML links lead to files as Markdown links do (lychee checks them too):
``![alt](src)``, ``<img src>``, ``<a href>`` with its fragment; not inside code or an
HTML comment, and a picture is no reporting contact."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_discover_git import git_repo

PAGE = """\
# Page

![present](img/ok.png) and ![missing](img/missing.png)

[![badge](img/badge.png)](other.md)

<img src="img/ok.png" alt="x"> <img src='img/gone.png'>

<a href="other.md">ok</a> <a href="nowhere.md">broken</a> <a href="other.md#nope">frag</a>
<a href="#page">top</a> <a href="#absent">absent</a> <a href="a&amp;b.md">entity</a>

<!-- <img src="commented.png"> <a href="commented.md">x</a> -->

`![code](not-an-image.png)` and `<img src="code.png">`

![ref][logo]

[logo]: img/logo-missing.svg
"""
FILES = {
    "docs/page.md": PAGE,
    "docs/other.md": "# Other\n",
    "docs/a&b.md": "# A and B\n",
    "docs/img/ok.png": b"\x89PNG",
    "docs/img/badge.png": b"\x89PNG",
}


def test_images_and_html_links_are_checked_where_lychee_checks_them(tmp_path: Path) -> None:
    # lychee 0.24.2 (--offline --include-fragments) reports the same six at these places.
    root = git_repo(tmp_path / "repo", FILES)
    ran = run_cli("check", "--format", "json", cwd=root, env={"AIXCL_LINT_NO_CACHE": "1"})
    assert ran.code == 1, ran.err
    assert sorted(f for f in ran.findings() if f[0].startswith("docs/")) == [
        ("docs/anchors", "docs/page.md", 9, 68),  # other.md has no "#nope"
        ("docs/anchors", "docs/page.md", 10, 34),  # nor this page "#absent"
        ("docs/relative-links", "docs/page.md", 3, 28),
        ("docs/relative-links", "docs/page.md", 7, 42),
        ("docs/relative-links", "docs/page.md", 9, 36),
        ("docs/relative-links", "docs/page.md", 16, 1),
    ]
    messages = {f["line"]: f["message"] for f in ran.json()["findings"]}
    assert "'img/missing.png'" in messages[3]
