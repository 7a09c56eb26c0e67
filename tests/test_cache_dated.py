"""The result cache's test for a policy that compares dates reads as its regex did."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from aixcl_lint.run.cache import _dated

WORD_BOUNDED = re.compile(r"""\bdate["']?\s*:""")
"""What ``_dated`` answers, as one regex (slow to search: it opens with ``\\b``)."""


@given(st.lists(st.sampled_from(["date", "x", "_", " ", ":", "'", '"', "é", "1", "\n", "\t"])))
def test_dated_is_the_word_bounded_regex(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert _dated(text) == bool(WORD_BOUNDED.search(text))


def test_dated_examples() -> None:
    assert _dated("- field: x\n  date: {before: today}\n")
    assert _dated("date:")
    assert _dated("checks: [{'date' : 1}]")
    assert not _dated("update: 1\n_date: 2\nnot a date\n")
