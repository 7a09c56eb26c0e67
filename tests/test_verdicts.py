"""Verdicts answer exactly what their evaluator's ``Outcome.ok`` is, and a run builds an
``Outcome`` only for a check that fails (``policy.verdicts``)."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aixcl_lint import engine
from aixcl_lint.core import Location, Pointer, Span
from aixcl_lint.policy import model, patterns, verdicts
from aixcl_lint.policy.checks import compile_condition
from aixcl_lint.policy.model import Evaluator, Subject, Verdict
from aixcl_lint.policy.plain import literal_search, required
from aixcl_lint.policy.verdicts import memo, offered, verdict
from aixcl_lint.run import cases
from conftest import REPO, main_in

Answer = tuple[str, Any]
"""What a call gave: ``("ok", value)`` or ``("raise", exception type)``."""


def _called(call: Callable[[], Any]) -> Answer:
    try:
        return ("ok", call())
    except Exception as exc:  # both paths must fail alike on what they cannot read
        return ("raise", type(exc))


def _same(outcome: Answer, answer: Answer) -> bool:
    if outcome[0] == "ok" and answer[0] == "ok":
        found = outcome[1].ok
        return type(found) is type(answer[1]) and found == answer[1]
    return outcome == answer


def _items(subject: Subject) -> Iterator[Subject]:
    """The subject, and each mapping item of its list fields (what ``every``, ``some``,
    ``count`` and taken values put their conditions to)."""
    yield subject
    if isinstance(subject.value, dict):
        for key, found in subject.value.items():
            if isinstance(found, list):
                for i, item in enumerate(found):
                    if isinstance(item, dict | str):
                        pointer = (*subject.pointer, key, i)
                        yield Subject(subject.tree, pointer, subject.variables, item)


class Recorder:
    """Every evaluator offering a verdict in the pack being tested, compared with its
    verdict on every subject (and item) the engine selects."""

    def __init__(self) -> None:
        self.pairs: list[tuple[Evaluator, Verdict]] = []
        self.seen: dict[Any, int] = {}
        self.wrong: list[str] = []

    def offered(self, evaluator: Evaluator, answer: Verdict) -> None:
        self.pairs.append((evaluator, answer))

    def compare(self, subject: Subject, options: Mapping[str, Any]) -> None:
        for evaluator, answer in self.pairs:
            outcome = _called(functools.partial(evaluator, subject, options))
            given = _called(functools.partial(answer, subject, options))
            key = given[1] if given[0] == "ok" else "raise"
            self.seen[key] = self.seen.get(key, 0) + 1
            if not _same(outcome, given):
                self.wrong.append(f"{subject.pointer} {subject.value!r}: {outcome} vs {given}")


class Offers(weakref.WeakKeyDictionary[Evaluator, Verdict]):
    """The registry of verdicts, telling the recorder of each verdict offered."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__(verdicts._VERDICTS)
        self.recorder = recorder

    def __setitem__(self, evaluator: Evaluator, answer: Verdict) -> None:
        self.recorder.offered(evaluator, answer)
        super().__setitem__(evaluator, answer)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    found = Recorder()
    monkeypatch.setattr(verdicts, "_VERDICTS", Offers(found))
    load = cases.load_policies

    def load_policies(*args: Any, **kwargs: Any) -> Any:
        found.pairs.clear()  # one case's policy at a time
        return load(*args, **kwargs)

    monkeypatch.setattr(cases, "load_policies", load_policies)
    violations = engine._violations

    def checked(planned: Any, doc: Any, subjects: dict[str, list[Subject]]) -> Any:
        for group in planned.groups:
            for subject in group.pick(doc.tree):
                for item in _items(subject):
                    found.compare(item, planned.options)
        return violations(planned, doc, subjects)

    monkeypatch.setattr(engine, "_violations", checked)
    return found


@pytest.mark.parametrize("where", [(), ("docs/examples",)], ids=["built-in pack", "examples"])
def test_verdicts_agree_with_outcomes_on_the_policy_cases(
    recorder: Recorder, where: tuple[str, ...]
) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main_in(REPO, "test", *where)
    assert code == 0, out.getvalue()[-2000:]
    assert recorder.wrong == []
    # Not vacuous: every kind of answer was compared, many times.
    assert all(recorder.seen.get(k, 0) > 50 for k in (True, False, None)), recorder.seen


TEXT = st.sampled_from(
    ["", "host", "x", "$V", "a$V", "1", "true", "latest", "nginx:latest", "caf\udcff"]
)
SCALAR = st.one_of(TEXT, st.integers(-2, 2), st.booleans(), st.none(), st.floats(0, 2))
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=2), st.dictionaries(TEXT, SCALAR, max_size=2))
SUBJECT_VALUE = st.dictionaries(st.sampled_from(["a", "b", "c"]), VALUE, max_size=3)
FIELD = st.sampled_from(["a", "b", "a.b", "a.0", "@name", "."])
ARGUMENT = st.one_of(
    SCALAR, st.just({"field": "b"}), st.just({"option": "flag"}), st.just("{name}")
)
PATTERN = st.sampled_from(["^h", "st$", "^$", r"\d", ":latest$", "{name}", r"^\w+.$", "f.$"])


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    raw = st.booleans()
    return st.one_of(
        st.builds(lambda f, a, r: {"field": f, "equals": a, "raw": r}, FIELD, ARGUMENT, raw),
        st.builds(
            lambda f, a: {"field": f, "one-of": a}, FIELD, st.lists(SCALAR, min_size=1, max_size=3)
        ),
        st.builds(lambda f, p, r: {"field": f, "matches": p, "raw": r}, FIELD, PATTERN, raw),
        st.builds(lambda f, p: {"field": f, "not-matches": p}, FIELD, PATTERN),
        st.builds(lambda f, b: {"field": f, "present": b}, FIELD, st.booleans()),
        st.builds(lambda f, b: {"field": f, "absent": b}, FIELD, st.booleans()),
        st.builds(lambda f: {"field": f, "not-placeholder": True}, FIELD),
        st.just({"option": "flag"}),
    )


CONDITION = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.builds(lambda c: {"all": c}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"any": c}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=6,
)


class Tree:
    """A document whose variable ``$V`` interpolates to ``host``."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def location(self, ptr: Pointer, *, value: bool = False) -> Location:
        return Location("x.yaml", Span.at(1))

    def locations(self, ptr: Pointer) -> list[Location]:
        return [self.location(ptr)]

    def interpolate(self, value: Any) -> str:
        return str(value).replace("$V", "host")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONDITION, SUBJECT_VALUE, st.booleans(), st.booleans(), TEXT)
def test_verdicts_agree_with_outcomes_on_generated_subjects(
    spec: dict[str, Any], value: dict[str, Any], at_hand: bool, flag: bool, name: str
) -> None:
    options = {"flag": flag}
    evaluator = compile_condition(spec, ("checks", 0), options, frozenset({"name"}))
    tree = Tree({"items": [value]})
    subject = Subject(tree, ("items", 0), {"name": name}, value if at_hand else None)
    answer = _called(lambda: verdict(evaluator)(subject, options))
    assert _same(_called(lambda: evaluator(subject, options)), answer)
    if verdicts.pure(evaluator):  # asked in any order, or not at all: it never raises
        assert answer[0] == "ok"


def test_every_basic_operator_offers_its_verdict() -> None:
    for spec in (
        {"field": "a", "equals": "x"},
        {"field": "a", "one-of": ["x"]},
        {"field": "a", "matches": "x"},
        {"field": "a", "not-matches": "x"},
        {"field": "a", "present": True},
        {"field": "a", "not-placeholder": True},
        {"option": "flag"},
        {"all": [{"option": "flag"}]},
        {"any": [{"option": "flag"}]},
        {"not": {"option": "flag"}},
    ):
        assert offered(compile_condition(spec, (), {"flag": True})), spec
    # An operator without a verdict of its own answers through its evaluator.
    ordered = compile_condition({"ordered": {"in": "items"}}, (), {})
    assert not offered(ordered)
    subject = Subject(Tree({}), (), {}, {"items": ["b", "a"]})
    assert verdict(ordered)(subject, {}) is False


@pytest.mark.parametrize("op", ["matches", "not-matches"])
def test_a_fixed_pattern_is_pure_and_searches_text_re2_cannot_encode(op: str) -> None:
    # A file name's bytes that are not UTF-8 come as lone surrogates, which RE2
    # refuses: searched as U+FFFD (``.`` matches it), the check answers, never raises,
    # so the engine may ask it before its conditions.
    evaluator = compile_condition({"field": "a", op: r"^caf.$"}, (), {})
    assert verdicts.pure(evaluator)
    subject = Subject(Tree({}), (), {}, {"a": "caf\udcff"})
    expected = op == "matches"
    assert verdict(evaluator)(subject, {}) is expected
    assert evaluator(subject, {}).ok is expected
    # A templated pattern is compiled per text put in, which RE2 may refuse: not pure.
    templated = compile_condition({"field": "a", op: "^{name}$"}, (), {}, frozenset({"name"}))
    assert not verdicts.pure(templated)


SEARCHED = st.sampled_from(
    [r"^(?:[^/]+/)*[^/:@]+$", r"\w+$", r"^.{3}$", r"\bé", r"[^a-z]", r"^$", r"ü.", r"\d{2,}"]
)


@settings(max_examples=300, deadline=None)
@given(SEARCHED, st.text(st.characters(blacklist_categories=("Cs",)), max_size=8))
def test_a_fixed_pattern_searched_as_bytes_answers_as_its_text_search(
    source: str, text: str
) -> None:
    # Matches of a text's UTF-8 bytes are the text's: multi-byte characters, classes
    # and word boundaries included.
    from aixcl_lint.policy.checks import _searcher

    compiled = patterns.pattern(source)
    assert _searcher(compiled)(text) is (compiled.search(text) is not None)


def test_memo_answers_as_the_test_does_and_stays_bounded() -> None:
    asked: list[str] = []

    def test(text: str) -> bool:
        asked.append(text)
        return text.startswith("a")

    remembered = memo(test)
    assert [remembered(t) for t in ("ab", "b", "ab", "b")] == [True, False, True, False]
    assert asked == ["ab", "b"]  # each short text asked once
    long = "a" * 1000
    assert remembered(long)
    assert remembered(long)
    assert asked.count(long) == 2  # long texts are not kept
    for i in range(5000):
        remembered(f"x{i}")
    assert remembered("ab") is True


DOC = """\
# Guide

## Start

See [the end](#end), [the other file](other.md) and [its part](other.md#part).

## End

Back to [the start](#start).
"""
OTHER = "# Other\n\n## Part\n\nText with [a link](README.md).\n"


@pytest.fixture
def outcomes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Every ``Outcome`` built while the test runs."""
    built: list[tuple[Any, ...]] = []
    new = model.Outcome.__new__

    def counted(cls: type, *args: Any, **kwargs: Any) -> Any:
        built.append(args)
        return new(cls, *args, **kwargs)

    monkeypatch.setattr(model.Outcome, "__new__", staticmethod(counted))
    return built


def test_a_run_that_finds_nothing_builds_no_outcome(
    repo: Callable[[Mapping[str, str]], Path], outcomes: list[tuple[Any, ...]]
) -> None:
    root = repo({"README.md": DOC, "other.md": OTHER})
    with contextlib.redirect_stdout(io.StringIO()):
        code = main_in(root, "check", "--no-cache", "--select", "docs")
    assert code == 0
    assert outcomes == []


def test_a_failing_check_builds_its_outcome_once(
    repo: Callable[[Mapping[str, str]], Path], outcomes: list[tuple[Any, ...]]
) -> None:
    root = repo({"README.md": DOC.replace("#end", "#gone"), "other.md": OTHER})
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main_in(root, "check", "--no-cache", "--select", "docs/anchors")
    assert code == 1
    assert "'#gone' leads to no heading" in out.getvalue()
    assert len(outcomes) == 1


PIECE = st.sampled_from(["a", "b", "/", ":", "-", " ", "#", r"\.", r"\$", r"\\", r"\^", ".", "*"])


@settings(max_examples=400, deadline=None)
@given(
    st.booleans(),
    st.lists(PIECE, max_size=4),
    st.booleans(),
    st.text(alphabet="ab/:.- #$\\^\n", max_size=8),
)
def test_plain_patterns_search_as_re2_does(
    start: bool, pieces: list[str], end: bool, text: str
) -> None:
    source = ("^" if start else "") + "".join(pieces) + ("$" if end else "")
    fast = literal_search(source)
    plain = not any(p in (".", "*") for p in pieces)
    assert (fast is not None) is plain, source
    if fast is not None:
        assert fast(text) is (patterns.pattern(source).search(text) is not None), (source, text)


@pytest.mark.parametrize(
    ("source", "text", "found"),
    [
        ("^localhost/", "localhost/app", True),
        ("^localhost/", "my-localhost/app", False),
        (":$", "nginx:", True),
        (":$", "nginx:\n", False),  # RE2's $ is the end of the text
        (r"\.md$", "a.md", True),
        ("^$", "", True),
    ],
)
def test_plain_patterns(source: str, text: str, found: bool) -> None:
    fast = literal_search(source)
    assert fast is not None
    assert fast(text) is found
    assert (patterns.pattern(source).search(text) is not None) is found


ASKING_POLICY = """\
version: 1
rules:
  - id: team/links
    title: Links
    severity: error
    target: {kind: markdown}
    select: links
    where: {field: kind, one-of: [file, anchor]}
    checks:
      - field: target_exists
        equals: true
        unless: {field: text, equals: skipped}
        message: "missing {target}"
      - id: named
        field: target
        matches: 'PATTERN'
        where: {field: text, equals: plain}
        message: "odd {target}"
"""

FIXED, TEMPLATED = "^[a-z]+[.]md$", "^[a-z]+[.]md$|^{text}$"


@pytest.mark.parametrize(
    ("pattern", "where", "plain", "searched"),
    [
        # A fixed pattern is pure: asked first, and the rule's where only of the two
        # links the first check fails on (gone.md, and the URL, which the where leaves
        # out before the pattern is asked of it).
        (FIXED, 2, 0, 4),
        # A templated one is not (RE2 may refuse the text put in): the rule's where is
        # asked before it (once per link in all), and its own where of the four the
        # rule's where admits.
        (TEMPLATED, 5, 4, 1),
    ],
    ids=["fixed pattern", "templated pattern"],
)
def test_conditions_of_a_pure_check_are_asked_only_where_it_fails(
    repo: Callable[[Mapping[str, str]], Path],
    monkeypatch: pytest.MonkeyPatch,
    pattern: str,
    where: int,
    plain: int,
    searched: int,
) -> None:
    from aixcl_lint.policy import rules

    asked: dict[str, int] = {}
    compile_one = rules.compile_condition

    def counting(spec: Mapping[str, Any], *args: Any) -> Evaluator:
        evaluator = compile_one(spec, *args)
        answer, name = verdict(evaluator), json.dumps(spec, sort_keys=True)

        def counted(subject: Subject, options: Mapping[str, Any]) -> bool | None:
            asked[name] = asked.get(name, 0) + 1
            return answer(subject, options)

        return verdicts.offer(evaluator, counted, pure=verdicts.pure(evaluator))

    monkeypatch.setattr(rules, "compile_condition", counting)
    links = "[a](a.md) [b](b.md) [c](gone.md) [plain](a.md) [d](https://example.org)\n"
    policy = ASKING_POLICY.replace("PATTERN", pattern)
    root = repo({"README.md": links, "a.md": "# A\n", "b.md": "# B\n", "team.yaml": policy})
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main_in(root, "check", "--no-cache", "--no-builtin", "--policy", "team.yaml")
    assert code == 1
    assert "missing gone.md" in out.getvalue()
    assert "missing https://example.org" not in out.getvalue()

    def count(spec: dict[str, Any]) -> int:
        return asked.get(json.dumps(spec, sort_keys=True), 0)

    # Five links; the first check (pure) is asked of each, and its unless only of
    # gone.md: the other link it fails on, the URL, is left out by the rule's where,
    # asked once it fails.
    assert count({"field": "target_exists", "equals": True}) == 5
    assert count({"field": "text", "equals": "skipped"}) == 1
    assert "odd" not in out.getvalue()
    assert count({"field": "kind", "one-of": ["file", "anchor"]}) == where
    assert count({"field": "text", "equals": "plain"}) == plain
    assert count({"field": "target", "matches": pattern}) == searched


ATOM = st.sampled_from(
    [
        *("a", "b", ":", "/", "-", "#", "=", r"\.", r"\d", r"\w", r"\b", ".", "^", "$"),
        *("[ab]", "[^/]", "[]a]", "[[:alpha:]]", "(?:ab|c)", "(a)", "(?P<n>b)", "{"),
        *("a{1,2}", r"\pL", "(?i)a"),
    ]
)
QUANTIFIER = st.sampled_from(["", "", "", "*", "+", "?", "{2}", "{1,}", "*?"])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(ATOM, QUANTIFIER), max_size=6),
    st.booleans(),
    st.lists(st.text(alphabet="ab:/-#=.x1 ", max_size=10), min_size=1, max_size=4),
    st.data(),
)
def test_what_every_match_holds(
    parts: list[tuple[str, str]], alternative: bool, texts: list[str], data: st.DataObject
) -> None:
    source = "".join(atom + quantifier for atom, quantifier in parts)
    if alternative:
        source += "|x"
    try:
        compiled = patterns.pattern(source)
    except patterns.Invalid:
        return
    with contextlib.suppress(Exception):  # texts Python's re would match, as candidates
        texts.append(data.draw(st.from_regex(source.replace("[[:alpha:]]", "[a-z]"))))
    need = required(source)
    for text in [*texts, "".join(need)]:
        if compiled.search(text) is not None:
            assert all(part in text for part in need), (source, text, need)


@pytest.mark.parametrize(
    ("source", "texts"),
    [
        (r"[?&]plain=1(?:&[^#]*)?#L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$", ("plain=1", "#L")),
        (r"^(?:[^/]+/)*[^/:@]+:latest$", (":latest",)),
        (r"^(?:[^/]+/)*[^/:@]+$", ()),
        (r"ab+c", ("a", "c")),
        (r"(?i)latest", ()),
        (r"a|b", ()),
        (r"\pLatest", ()),
        (r"ab{2}c", ("a", "c")),
        (r"ab{2,}cd", ("a", "cd")),
        # A brace that is no repetition is text to RE2: what follows it is read (here
        # an alternative, which no text is required by), never skipped.
        (r"aa{|x", ()),
        (r"a{|x}", ()),
        (r"a{,2}", ()),
    ],
)
def test_required_texts(source: str, texts: tuple[str, ...]) -> None:
    assert required(source) == texts
