"""Plain-name patterns are matched without pathspec, exactly as pathspec matches them."""

from __future__ import annotations

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint import globs

_PART = st.sampled_from(["a", "b", "x.md", "*.md", "*", "a*", "*b*", "*a*b*", ".github", "c.d-e_f"])
_NAME = st.sampled_from(
    ["a", "b", "x.md", "README.md", ".github", "ab", "bb", ".md", "a.mdx", "a\n", "", "."]
)
_PATTERN = st.builds(
    lambda lead, parts, trail: lead + "/".join(parts) + trail,
    st.sampled_from(["", "/"]),
    st.lists(_PART, min_size=1, max_size=3),
    st.sampled_from(["", "/"]),
)
_PATH = st.builds(
    lambda lead, parts, folder: lead + "/".join(parts) + folder,
    st.sampled_from(["", "/", "./", "//"]),
    st.lists(_NAME, min_size=1, max_size=4),
    st.sampled_from(["", "/", "\n"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PATTERN, min_size=1, max_size=3), st.lists(_PATH, min_size=1, max_size=8))
def test_plain_patterns_match_as_pathspec_matches_them(
    patterns: list[str], paths: list[str]
) -> None:
    patterns = [p for p in patterns if p.rstrip("/") != "*"] or ["a"]  # pathspec: its own
    ours = globs.spec(patterns)
    assert isinstance(ours, globs.Simple)  # not pathspec itself
    theirs = pathspec.GitIgnoreSpec.from_lines(patterns)
    # By hand for the first BY_HAND paths, then by the compiled expression: both.
    every = paths * (globs.BY_HAND // len(paths) + 2)
    assert [ours.match_file(p) for p in every] == [theirs.match_file(p) for p in every]
    # Past MAX_RE2_PATTERNS, pathspec's pure-Python backend (its `$` before a newline).
    many = patterns * (globs.MAX_RE2_PATTERNS // len(patterns) + 1)
    ours, theirs = globs.spec(many), pathspec.GitIgnoreSpec.from_lines(many, backend="simple")
    assert [ours.match_file(p) for p in paths] == [theirs.match_file(p) for p in paths]


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("x.md", "//x.md"),  # one slash removed: an empty folder name before it
        ("x.md", "///x.md"),
        ("*a*b*", "bab"),  # the pieces found in order, not overlapping
        ("*a*b*", "ab"),
        ("*ab*b*", "abb"),
        ("*ab*b*", "ab"),
        ("docs/", "docs"),
        ("docs/", "docs/"),
        ("/a/*", "a/"),
        ("a.*", "a."),
    ],
)
def test_a_path_is_matched_by_hand_as_pathspec_matches_it(pattern: str, path: str) -> None:
    ours = globs.spec([pattern])
    assert isinstance(ours, globs.Simple)
    assert ours.match_file(path) == pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(path)


def test_other_patterns_are_pathspec_s() -> None:
    for pattern in ("**/x", "!a", "a?b", "[ab]", "a\\*", "a b", "./a", "a/../b", "/", "*", "*/"):
        assert not isinstance(globs.spec([pattern, "a"]), globs.Simple), pattern
    assert not globs.spec([]).match_file("a")
    assert globs.spec(["/README.md"]).match_file("README.md")
    assert not globs.spec(["/README.md"]).match_file("docs/README.md")


def test_an_invalid_pattern_is_still_named() -> None:
    with pytest.raises(globs.PatternError) as raised:
        globs.spec(["a", "!", "c"])
    assert (raised.value.index, raised.value.pattern) == (1, "!")
