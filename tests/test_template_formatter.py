"""A message template made ready once (``template.formatter``) fills as ``render`` does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aixcl_lint.policy.template import formatter, render

VARIABLES = {"service": "web", "value": "nginx:latest", "empty": "", "braced": "{value}"}


@pytest.mark.parametrize(
    "template",
    [
        "",
        "no placeholders",
        "service '{service}' uses '{value}'",
        "{service}{value}",
        "literal {{service}} and {service}",
        "compose ${service} is a variable, {service} is not",
        "unknown {missing} stays; {empty} is empty",
        r"a pattern \d{4} and {\"a\": 1}",
        "{braced} is put in as it is, not filled again",
        "{service",
        "}{service}{",
    ],
)
def test_formatter_fills_as_render_does(template: str) -> None:
    assert formatter(template)(VARIABLES) == render(template, VARIABLES)
    assert formatter(template) is formatter(template)  # made once per template


PIECE = st.sampled_from(
    ["{service}", "{value}", "{missing}", "{{value}}", "${value}", "{", "}", "$", "x", " ", "-"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECE, max_size=12).map("".join))
def test_formatter_agrees_with_render_on_generated_templates(template: str) -> None:
    assert formatter(template)(VARIABLES) == render(template, VARIABLES)
