"""A mapping document converts in one walk, to what the general conversion gives."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint.core import Finding
from aixcl_lint.documents import yamlconvert, yamlload, yamlplain, yamltree

CASES = {
    "plain": "services:\n  a: {image: x, ports: ['80:80', 8080], healthcheck: {retries: 3}}\n",
    "scalars": "a: [~, null, '', true, False, 1, -2, +3, 1.5, .5, 1e3, 0x1f, '7', \"8\"]\n",
    "explicit tags": "a: !!str 1\nb: ! 12\nc: !!int 07\nd: !!binary aGk=\ne: !!float 1\n",
    "own tags": "a: !reset []\nb: !override {c: 1}\nc: [!custom x, !!map {k: v}]\n",
    "unsafe tag": "a: !!python/name:os.system x\nb: [!!python/object:x {}]\n",
    "duplicates": "a: {x: 1, y: 2}\na: {x: 3}\nb: {c: 1, c: 2}\n",
    "keys that are collections": "? [1, 2]\n: x\n? {a: 1}\n: y\nz: 1\n",
    "null and number keys": "~: a\n1: b\ntrue: c\n1.5: d\n",
    "too large a number": "a: " + "9" * 1200 + "\nb: [" + "1" * 1001 + "]\n",
    "anchors without aliases": "a: &x {b: 1}\nc: &y [1]\n",
    "empty values": "a:\nb: []\nc: {}\nd: [[], {}]\n",
    "aliases": "a: &x {b: [1, !t 2]}\nc: *x\nd: [*x, &y 3, *y]\n",
    "merge keys": "x: &x {a: 1, b: !t {c: 2}}\ns: {<<: *x, a: 3}\nt: {<<: *x}\n",
    "merge lists": "x: &x {a: 1}\ny: &y {a: 2, b: 3}\ns: {c: 4, <<: [*x, *y]}\n",
    "nested merges": "x: &x {a: 1}\ny: &y {<<: *x, b: 2}\ns: {<<: *y, b: 5}\nt: [{<<: *y}]\n",
    "merged duplicates": "x: &x {a: {p: 1}, a: {q: 2}}\ns: {<<: *x}\nt: {<<: *x}\n",
    "repeated merge keys": "x: &x {a: 1}\ns: &s {<<: *x, <<: {b: 2}}\nt: [*s, *s]\n",
    "not mergeable": "x: &x [1]\ns: {<<: *x}\nt: {<<: [*x, 3, {a: 1}]}\nu: {<<: 4}\n",
    "an explicit merge tag": "x: &x {a: 1}\ns: {!!merge k: *x}\n",
    "merge key at the root": "x: &x {a: 1, b: [2]}\n<<: *x\nb: 3\n",
    "problems in merged mappings": "x: &x {a: 1, a: 2, ? [k] : v, n: !!python/name:x y}\n"
    "s: {<<: *x}\nt: {<<: *x}\nu: [*x, *x]\n",
}


Converted = tuple[object, dict[object, str], list[Finding], tuple[object, ...]]


def _general(text: str) -> list[Converted]:
    out: list[Converted] = []
    for node in yamlload.compose_all(text):
        problems: list[Finding] = []
        data, tags, repeated = yamlconvert.convert("f.yaml", node, problems, len(text))
        out.append((data, tags, problems, repeated))
    return out


def _walked(text: str) -> list[Converted | None]:
    return [yamlplain.convert("f.yaml", node, len(text)) for node in yamlload.compose_all(text)]


def _shared(value: object) -> list[int]:
    """Which containers of a value are one object, by order of first appearance."""
    seen: dict[int, int] = {}
    out: list[int] = []

    def walk(item: object) -> None:
        if isinstance(item, dict | list):
            out.append(seen.setdefault(id(item), len(seen)))
            for inner in item.values() if isinstance(item, dict) else item:
                walk(inner)

    walk(value)
    return out


def _same(text: str) -> None:
    walked, general = _walked(text), _general(text)
    assert all(w is not None for w in walked)
    # repr tells 1 from True and 1.0, which == does not
    assert repr(walked) == repr(general)
    assert [_shared(w[0]) for w in walked if w] == [_shared(g[0]) for g in general]


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_the_walk_gives_what_the_general_conversion_gives(text: str) -> None:
    _same(text)


_SCALARS = st.sampled_from(["a", "1", "~", "true", "'q'", "1.5", "!!str 2", "!t x", "''", "<x"])
_KEYS = st.sampled_from(["a", "b", "1", "~", "'c'", "[k]"])


def _yaml(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return _SCALARS
    inner = _yaml(depth - 1)
    pairs = st.lists(st.tuples(_KEYS, inner), max_size=4)
    return st.one_of(
        _SCALARS,
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        pairs.map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_KEYS, _yaml(3)), min_size=1, max_size=5))
def test_generated_documents_convert_the_same(pairs: list[tuple[str, str]]) -> None:
    _same("".join(f"{k}: {v}\n" for k, v in pairs))


@pytest.mark.parametrize(
    "text",
    [
        "a: &x {b: {<<: *x}}\n",  # a merged mapping that merges itself
        "a: &x {<<: {c: *x}}\n",
        "a: &x [1, *x]\n",  # a recursive alias
        "a: " + "[" * 199 + "]" * 199 + "\n",  # near the depth bound
        "- a\n",  # not a mapping
        "!custom {a: 1}\n",
    ],
)
def test_what_the_walk_leaves_to_the_general_conversion(text: str) -> None:
    assert _walked(text) == [None]


def test_a_document_past_the_node_bound_is_left_to_the_general_conversion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "a: [1, 2, 3]\n"
    assert _walked(text) != [None]
    monkeypatch.setattr(yamlplain, "MAX_EXPANSION", 4 - len(text))  # 5 nodes, 4 allowed
    assert _walked(text) == [None]
    monkeypatch.setattr(yamlplain, "MAX_EXPANSION", 5 - len(text))
    assert _walked(text) != [None]


_ANCHORS = "x-m: &m {k: 1, j: [1, !t 2]}\nx-n: &n {k: 3, <<: *m}\nx-s: &s [a, b]\nx-v: &v ~\n"
_ALIASES = st.sampled_from(["*m", "*n", "*s", "*v"])
_MERGES = st.sampled_from(["*m", "*n", "*s", "*v", "[*m, *n]", "[*n, *s]", "{k: 5}", "[]"])


def _with_aliases(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return st.one_of(_SCALARS, _ALIASES)
    inner = _with_aliases(depth - 1)
    pairs = st.lists(st.one_of(st.tuples(_KEYS, inner), st.tuples(st.just("<<"), _MERGES)))
    return st.one_of(
        _SCALARS,
        _ALIASES,
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        pairs.map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv[:4]) + "}"),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(_KEYS, st.just("<<")), _with_aliases(3)), max_size=5))
def test_generated_documents_with_aliases_and_merge_keys_convert_the_same(
    pairs: list[tuple[str, str]],
) -> None:
    _same(_ANCHORS + "".join(f"{k}: {v}\n" for k, v in pairs))


def test_an_alias_bomb_stops_the_walk_early_and_is_refused_as_before() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)
    ]
    text = "\n".join(lines) + "\n"
    assert _walked(text) == [None]
    parsed = yamltree.parse("f.yaml", text)
    assert [p.rule for p in parsed.problems] == ["yaml/alias-bomb"]


def test_parse_converts_aliases_and_merge_keys() -> None:
    text = "a: &x {b: 1}\nc: *x\nd: {<<: *x}\n"
    parsed = yamltree.parse("f.yaml", text)
    assert [d.data for d in parsed.documents] == [{"a": {"b": 1}, "c": {"b": 1}, "d": {"b": 1}}]
    deep = "a: " + "[" * 205 + "]" * 205 + "\n"
    assert [p.rule for p in yamltree.parse("f.yaml", deep).problems] == ["yaml/too-deep"]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a", yamlload.STR),
        ("", yamlload.NULL),
        ("~", yamlload.NULL),
        ("Null", yamlload.NULL),
        ("nul", yamlload.STR),
        ("TRUE", yamlload.BOOL),
        ("tRUE", yamlload.STR),
        ("-12", yamlload.INT),
        ("+.5e3", yamlload.FLOAT),
        (".", yamlload.STR),
        ("1.2.3", yamlload.STR),
        ("<<", yamlload.MERGE),
        ("<", yamlload.STR),
        ("0x1f", yamlload.STR),
        ("'1'", yamlload.STR),
    ],
)
def test_the_resolver_tags_plain_scalars_by_their_text(text: str, tag: str) -> None:
    (root,) = yamlload.compose_all(f"k: {text}\n" if text else "k:\n")
    ((key, value),) = root.value
    assert (key.tag, value.tag) == (yamlload.STR, tag)


def test_our_composer_builds_slotted_nodes_and_leaves_pyyamls_loader_alone() -> None:
    (root,) = yamlload.compose_all("a: [1, {b: c}]\n")
    ((key, items),) = root.value
    assert type(root) is yamlload.MappingNode
    assert type(key) is yamlload.ScalarNode
    assert type(items) is yamlload.SequenceNode
    assert not vars(key)  # the slots hold every field
    assert isinstance(key, yaml.ScalarNode)
    assert isinstance(root, yaml.MappingNode)
    with pytest.raises(yaml.YAMLError):
        yamlload.compose_all("a: [\n")  # the classes are put back after a failure too
    node = yaml.compose("a: [1]\n", Loader=yaml.CSafeLoader)
    assert type(node) is yaml.MappingNode
    assert type(node.value[0][0]) is yaml.ScalarNode
    assert yaml.load("a: [1]\n", Loader=yaml.CSafeLoader) == {"a": [1]}
