"""jsonschema-rs answers "is this compose model valid?" before jsonschema is imported:
what it accepts must be what jsonschema accepts, or a finding would be lost."""

from __future__ import annotations

import functools
import json
from typing import Any

import jsonschema
import pytest

from aixcl_lint.documents import compose_schema
from conftest import compose_models

EDGES: list[Any] = [
    {"services": {"web": {"image": "a:1", "network_mode": "host"}}},
    {"services": {"web": {"image": "a:1", "ports": ["80:80"], "restart": "always"}}},
    {"services": {"web": {"image": 1}}},
    {"services": {"web": {"image": "a", "colour": "red"}}},
    {"services": {"web": {"image": "a", "x-extra\n": 1}}},
    {"services": {"web\n": {"image": "a"}}},
    {"services": {"web": {"image": "a", "cpu_count": 1.0}}},
    {"services": {"web": {"image": "a", "cpu_count": True}}},
    {"services": {"web": {"image": "a", "cpu_count": 2**70}}},
    {"services": {"web": {"image": "a", "pull_policy": "every_1d"}}},
    {"services": {"web": {"image": "a", "pull_policy": "\u0661"}}},
    {"services": {"web": {"image": "a", "dns": ["1.1.1.1", "1.1.1.1"]}}},
    {"services": {"web": {"image": "a", "labels": {1: "x"}}}},
    {"services": {"web": None}},
    {"services": []},
    {"networks": {"n": {"external": "yes"}}},
    ["not", "a", "mapping"],
    "text",
    None,
]


@functools.cache
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads(compose_schema.schema_text()))


def _jsonschema_errors(data: Any) -> list[str]:
    return [error.message for error in _validator().iter_errors(data)]


def _models() -> list[Any]:
    return compose_models()


@pytest.mark.parametrize("data", [*_models(), *EDGES])
def test_what_jsonschema_rs_accepts_jsonschema_accepts(data: Any) -> None:
    if compose_schema.accepted(data):
        assert _jsonschema_errors(data) == []


def test_the_fast_path_answers_for_valid_models() -> None:
    # Otherwise every model would import jsonschema, and the test above could not fail.
    valid = [d for d in _models() if not _jsonschema_errors(d)]
    assert len(valid) > 20
    assert all(compose_schema.accepted(d) for d in valid)
    assert not compose_schema.accepted(EDGES[2])  # image: 1


ONCE = {"services": {"dumped-once": {"image": "a:1"}}}  # (models no other test validates)


@pytest.mark.parametrize(
    ("model", "valid"),
    [(ONCE, True), ({**ONCE, "networks": {"dumped-once\n": False}}, False)],
)
def test_a_model_without_its_texts_is_dumped_once(
    model: Any, valid: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cache key and the newline-key check read one JSON text of the model (the
    # second model's key ends in a newline: jsonschema-rs accepts it, jsonschema not).
    real = compose_schema._dumped
    dumped: list[Any] = []

    def dumps(data: Any) -> str:
        dumped.append(data)
        return real(data)

    monkeypatch.setattr(compose_schema, "_dumped", dumps)
    assert (compose_schema.problems(model) == []) is valid
    assert dumped == [model]
