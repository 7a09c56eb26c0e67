"""Spans read from a document's nodes when asked: the same answer as the whole index."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aixcl_lint.core import Pointer
from aixcl_lint.documents import yamltree
from aixcl_lint.documents.yamlindex import NodeIndex

TRICKY = {
    "duplicates": "a: {x: 1, y: 2}\na: {x: 3}\n",
    "merges": "a: &a {x: 1, y: {z: 2}}\nb:\n  <<: *a\n  y: 3\nc:\n  <<: [*a, {q: 1, x: 9}]\n",
    "duplicates in a merged mapping": "a: &a {x: 1, x: {k: 2}, x: 3}\nb: {<<: *a}\n",
    "merges of merges": "a: &a {x: {k: 1}}\nb: &b {<<: *a, y: 1}\nc: {<<: [*b, *a], z: 1}\n",
    "merges of other nodes": "a: &a [1, 2]\nb: {<<: *a}\nc: {<<: 3}\n",
    "quoted merge key": "'<<': {a: 1}\nb: {'<<': 2, <<: {c: 3}}\n",
    "keys that are collections": "? [1, 2]\n: x\n? {a: 1}\n: y\nz: 1\n",
    "shared nodes": "a: &a\n  b: &b\n    c: 1\n  d: *b\ne: {<<: *a, f: *b}\n",
    "explicit merge tag": "a: !!merge {x: 1}\nb: &q {y: 1}\nc: {!!merge x: *q}\n",
    "sequences": "a: [x, [y, {z: 1}], 2]\n",
}


def _near(ptrs: list[Pointer]) -> list[Pointer]:
    """Each pointer and some that name nothing (a key or index too many, a neighbour)."""
    out = list(ptrs)
    for ptr in ptrs:
        out += [(*ptr, "zz"), (*ptr, 0), (*ptr, 7), (*ptr, -1)]
        if ptr:
            out += [(*ptr[:-1], "nope"), (*ptr[:-1], 1)]
    return out


def _agree(text: str) -> int:
    """Look up every pointer in a fresh parse, then compare with the whole index."""
    lazy = yamltree.parse("f.yaml", text).documents
    full = yamltree.parse("f.yaml", text).documents
    compared = 0
    for asked, listed in zip(lazy, full, strict=True):
        everything = dict(listed.spans)
        for ptr in _near(list(everything)):
            assert asked.spans.get(ptr) == everything.get(ptr), ptr
            assert (ptr in asked.spans) == (ptr in everything), ptr
            compared += 1
    return compared


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_lookups_agree_with_the_whole_index(text: str) -> None:
    assert _agree(text) > 0


def _where(text: str, *ptr: str | int) -> tuple[int, int] | None:
    spans = yamltree.parse("f.yaml", text).documents[0].spans.get(ptr)
    return None if spans is None else (spans.value.start.line, spans.value.start.column)


def test_a_later_duplicate_wins_and_an_earlier_one_keeps_its_other_keys() -> None:
    text = TRICKY["duplicates"]
    assert _where(text, "a", "x") == (2, 8)
    assert _where(text, "a", "y") == (1, 14)  # the first value's key: as the index has it


def test_own_keys_win_over_merged_ones_and_the_first_merged_mapping_wins() -> None:
    text = TRICKY["merges"]
    assert _where(text, "b", "y") == (4, 6)
    assert _where(text, "b", "x") == (1, 11)  # written in the anchor
    assert _where(text, "c", "x") == (1, 11)  # *a comes before {q, x}
    assert _where(text, "c", "q") == (6, 16)
    assert _where(text, "b", "y", "z") is None
    assert _where(text, "c", "y", "z") == (1, 21)


def test_a_merge_key_is_not_a_key_but_a_quoted_one_is() -> None:
    text = TRICKY["quoted merge key"]
    assert _where(text, "<<", "a") == (1, 11)
    assert _where(text, "b", "<<") == (2, 11)
    assert _where(text, "b", "c") == (2, 22)


def test_the_index_maps_each_pointer_once_and_raises_for_others() -> None:
    doc = yamltree.parse("f.yaml", TRICKY["sequences"]).documents[0]
    assert isinstance(doc.spans, NodeIndex)
    assert doc.spans[("a", 1, 1, "z")].value.start.column == 16
    with pytest.raises(KeyError):
        doc.spans[("a", 3)]
    assert len(doc.spans) == len(set(doc.spans)) == 8


_SCALARS = st.sampled_from(["x", "1", "true", "null", "'s'", "2.5", "<<", '"q"'])
_KEYS = st.sampled_from(["a", "b", "c", "<<", "<<", "'<<'", "1"])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """Flow YAML with anchors, aliases to them, merge keys and duplicate keys."""
    anchors: list[str] = []

    def node(depth: int) -> str:
        kind = draw(st.integers(0, 9))
        if depth > 3 or kind < 3:
            if anchors and draw(st.booleans()):
                return "*" + draw(st.sampled_from(anchors))
            return draw(_SCALARS)
        if kind < 6:
            body = "[" + ", ".join(node(depth + 1) for _ in range(draw(st.integers(0, 3)))) + "]"
        else:
            count = draw(st.integers(0, 4))
            body = "{" + ", ".join(f"{draw(_KEYS)}: {node(depth + 1)}" for _ in range(count)) + "}"
        if draw(st.booleans()):
            anchors.append(f"n{len(anchors)}")
            return f"&{anchors[-1]} {body}"
        return body

    return "\n".join(f"r{i}: {node(0)}" for i in range(draw(st.integers(1, 4)))) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_lookups_agree_on_generated_documents(text: str) -> None:
    _agree(text)


def test_many_lookups_build_the_index_once_instead_of_walking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A walk scans a mapping's keys: a fix asking about each of 20,000 services took
    minutes (quadratic). Past WALKS lookups the whole index answers; the answers stay
    the walk's."""
    from aixcl_lint.documents import yamlindex

    count = 2_000
    text = "services:\n" + "".join(f"  s{i}:\n    image: x\n" for i in range(count))
    spans = yamltree.parse("f.yaml", text).documents[0].spans
    expected = {i: 2 * i + 2 for i in range(count)}  # each service's key line
    walks = 0
    walk = yamlindex._find

    def counted(*args: object) -> object:
        nonlocal walks
        walks += 1
        return walk(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlindex, "_find", counted)
    for i in range(count):
        key = spans[("services", f"s{i}")].key
        assert key is not None
        assert key.start.line == expected[i]
    assert 0 < walks <= 4 * yamlindex.WALKS  # a walk recurses a few levels per lookup
