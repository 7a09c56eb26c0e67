"""What a run keeps between units is packed small and answers as the plain values did."""

from __future__ import annotations

import pytest

from aixcl_lint.run.outlines import Outlines


@pytest.mark.parametrize(
    ("anchors", "numbers"),
    [
        ({"intro", "über-uns", "a b", ""}, {"1", "7.1"}),
        (set(), set()),
        ({""}, set()),
        ({"x"}, {"2"}),
    ],
)
def test_an_outline_kept_packed_answers_its_anchors_and_numbers(
    anchors: set[str], numbers: set[str]
) -> None:
    kept = Outlines()
    kept.keep("doc.md", sorted(anchors), sorted(numbers))
    found = kept.get("doc.md")
    assert found is not None
    assert (found.anchors, found.numbers) == (frozenset(anchors), frozenset(numbers))
    assert "doc.md" in kept
    assert kept.get("doc.md") is found  # the last one asked for is not unpacked again


def test_outlines_know_files_without_one_and_replace_what_they_kept() -> None:
    from aixcl_lint.documents.outline import Outline

    kept = Outlines()
    kept.keep_outline("gone.md", None)
    assert "gone.md" in kept
    assert kept.get("gone.md") is None
    assert "other.md" not in kept
    assert kept.get("other.md") is None
    kept.keep("a.md", ["old"], [])
    assert kept.get("a.md") == Outline(frozenset({"old"}), frozenset())
    kept.keep_outline("a.md", Outline(frozenset({"new"}), frozenset({"3"})))
    assert kept.get("a.md") == Outline(frozenset({"new"}), frozenset({"3"}))
