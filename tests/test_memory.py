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


def test_a_packed_outline_answers_by_search_without_mixing_anchors_and_numbers() -> None:
    kept = Outlines()
    kept.keep("doc.md", ["intro", "7", "a-b"], ["7", "1.2"])
    found = kept.get("doc.md")
    assert found is not None
    anchors, numbers = found.anchors, found.numbers
    for name in ("intro", "a-b", "7"):
        assert name in anchors
    for name in ("1.2", "a", "", "intro\0a-b", "a-b\0"):  # a number is no anchor
        assert name not in anchors
    assert "7" in numbers
    assert "1.2" in numbers
    assert "intro" not in numbers
    assert (len(anchors), len(numbers)) == (3, 2)
    assert sorted(anchors) == ["7", "a-b", "intro"]


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


def test_a_finding_holds_its_span_as_numbers_and_orders_as_before() -> None:
    import pickle

    from aixcl_lint.core import Finding, Position, Severity, Span, finding_key

    span = Span(Position(3, 5), Position(4, 1))
    made = Finding("a.yaml", span, "r/one", Severity.ERROR, "m", fixable=True)
    assert made == Finding.at("a.yaml", (3, 5, 4, 1), "r/one", Severity.WARNING, "m")
    assert (made.line, made.column, made.end_line, made.end_column) == (3, 5, 4, 1)
    assert made.span == span
    assert pickle.loads(pickle.dumps(made)) == made
    assert made.but(fixable=False).fixable is False
    assert made.but(severity=Severity.INFO).severity is Severity.INFO
    assert made.but(span=Span.at(9)).span == Span.at(9)
    spans = [Span.at(2, 1), Span.at(1, 9), Span(Position(1, 9), Position(2, 1)), Span.at(1, 10)]
    findings = [Finding(p, s, r, Severity.ERROR, "x") for p in "ba" for s in spans for r in "zy"]
    expected = sorted(findings, key=lambda f: (f.path, f.span, f.rule, f.message))
    assert sorted(findings) == sorted(findings, key=finding_key) == expected
    assert len({*findings, *findings}) == len(findings)


@pytest.mark.parametrize(
    "where",
    [(0, 1, 1, 1), (1, 0, 1, 1), (2, 1, 1, 9), (1, 5, 1, 4)],
)
def test_a_finding_at_a_position_that_cannot_be_is_refused(
    where: tuple[int, int, int, int],
) -> None:
    from aixcl_lint.core import Finding, Severity

    with pytest.raises(ValueError, match=r"positions are 1-based|span ends before it starts"):
        Finding.at("a.yaml", where, "r/one", Severity.ERROR, "m")
    with pytest.raises(ValueError, match="relative POSIX"):
        Finding.at("/abs", (1, 1, 1, 1), "r/one", Severity.ERROR, "m")


@pytest.mark.parametrize(
    ("path", "rule", "reason"),
    [("/abs", "r/one", "relative POSIX"), ("", "r/one", "relative POSIX"), ("a", "", "rule id")],
)
def test_a_finding_made_from_a_span_still_checks_its_path_and_rule(
    path: str, rule: str, reason: str
) -> None:
    # Its span's positions were checked when the span was made; the rest is checked here.
    from aixcl_lint.core import Finding, Severity, Span

    with pytest.raises(ValueError, match=reason):
        Finding(path, Span.at(2, 3), rule, Severity.ERROR, "m")
    made = Finding("a/b.md", Span.at(2, 3), "r/one", Severity.INFO, "m", True)
    assert (made.path, made.line, made.column, made.end_line, made.end_column) == (
        "a/b.md",
        2,
        3,
        2,
        3,
    )
    assert (made.rule, made.severity, made.message, made.fixable) == (
        "r/one",
        Severity.INFO,
        "m",
        True,
    )
