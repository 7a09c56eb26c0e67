"""jsonschema-rs's "valid" on generated compose models is jsonschema's "valid": the fast
path must never pass a model jsonschema would report (a finding would be lost)."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aixcl_lint.documents import compose_schema

KEYS = ["a", "x-a", "x-", "host", "9", "", "a\n", "bind", "web", "source", "target"]
TEXTS = [*KEYS, "private", "service_started", "1", "80:80", "always", "$X", "1.5", "\u0661"]
FIELDS = [
    "network_mode", "ports", "networks", "environment", "volumes", "depends_on",
    "healthcheck", "deploy", "command", "labels", "x-own", "restart", "build", "dns",
    "cpu_count", "ulimits", "extra_hosts", "pull_policy",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-2, 3)
    | st.floats(allow_nan=True, allow_infinity=True, width=16)
    | st.sampled_from(TEXTS)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner),
    max_leaves=12,
)


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(compose_schema.schema_text()))


@given(
    fields=st.dictionaries(st.sampled_from(FIELDS), values, max_size=4),
    top=st.dictionaries(st.sampled_from(["networks", "volumes", "x-top", "name"]), values),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_models_accepted_only_where_jsonschema_accepts(
    fields: dict[str, Any], top: dict[str, Any]
) -> None:
    for data in (
        {"services": {"web": {"image": "nginx:1.25", **fields}}},
        {"services": {"web": {"image": "nginx:1.25"}}, **top},
    ):
        if compose_schema.accepted(data):
            assert _validator().is_valid(data), data


def test_a_key_ending_in_a_newline_is_for_jsonschema() -> None:
    # Python's $ matches before a final newline, Rust's does not: jsonschema checks this
    # network's value (and rejects it), jsonschema-rs ignores the key.
    data = {"services": {"web": {"image": "nginx:1.25"}}, "networks": {"a\n": False}}
    assert not _validator().is_valid(data)
    assert not compose_schema.accepted(data)
    assert compose_schema.accepted({**data, "networks": {"a": None}})


def test_a_nested_key_ending_in_a_newline_is_for_jsonschema() -> None:
    # Found in the model's JSON text, in a list too; a key ending in a backslash and an
    # "n" reads alike there and only costs jsonschema's answer, which stands.
    nested = {"services": {"web": {"image": "nginx:1.25", "x-list": [{"b\n": 1}]}}}
    assert not compose_schema.accepted(nested)
    assert compose_schema.accepted({"services": {"web": {"image": "nginx:1.25", "x-list": [1]}}})
    backslash = {"services": {"web": {"image": "nginx:1.25"}}, "networks": {"a\\n": None}}
    assert not compose_schema.accepted(backslash)
    assert _validator().is_valid(backslash)
    assert compose_schema.problems(backslash) == []  # jsonschema's answer stands
