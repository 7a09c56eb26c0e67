"""``compose_precheck`` against both validators: where it says a model is valid (or
invalid) for certain, jsonschema-rs and jsonschema say so too, on every compose file of
the test fixtures and examples (the compose corpus checked against Docker Compose among
them) and on generated models; and it does decide the common cases."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest

from aixcl_lint.cli import main
from aixcl_lint.documents import compose_precheck, compose_schema
from conftest import compose_models


@functools.cache
def _schema() -> Any:
    return json.loads(compose_schema.schema_text())


@functools.cache
def _python() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(_schema())


@functools.cache
def _rust() -> Any:
    return jsonschema_rs.Draft7Validator(_schema(), validate_formats=False)


def _agrees(data: Any) -> bool | None:
    """The precheck's verdict, once held to both validators' (which must agree there)."""
    verdict = compose_precheck.certain(data, _schema())
    if verdict is not None:
        assert _python().is_valid(data) is verdict, data
        assert _rust().is_valid(data) is verdict, data
    return verdict


def test_the_corpus_verdicts_are_the_validators() -> None:
    models = compose_models()
    verdicts = [_agrees(data) for data in models]
    assert len(models) > 100
    assert verdicts.count(True) > 50  # 95 of 103: the shortcut is taken
    assert verdicts.count(False) > 3


KEYS = [
    "image", "network_mode", "container_name", "restart", "hostname", "user", "command",
    "entrypoint", "environment", "labels", "ports", "expose", "volumes", "depends_on",
    "networks", "cpu_count", "cpus", "mem_limit", "init", "tty", "privileged", "pid",
    "dns", "cap_add", "profiles", "cgroup", "pull_policy", "x-own", "colour", "scale",
    "healthcheck", "logging", "deploy", "build", "extends", "oom_score_adj", "use_api_socket",
]  # fmt: skip
TEXTS = ["nginx:1.27", "host", "", "a", "a\n", "x-a", "$X", "1", "80:80", "host", "always",
         "private", "\u0661", "web", "a b", "service_started"]  # fmt: skip
NAMES = ["web", "db", "x-web", "a.b_c-d", "", "we b", "web\n", "\u00e9"]


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(12 if depth < 2 else 8)
    if pick < 3:
        return rng.choice(TEXTS)
    if pick == 3:
        return rng.choice([0, 1, -1, 2000, 2**63, -(2**63) - 1, 101])
    if pick == 4:
        return rng.choice([1.0, 1.5, float("nan"), float("inf"), -0.0])
    if pick == 5:
        return rng.choice([True, False])
    if pick == 6:
        return None
    if pick == 7:
        return [rng.choice(TEXTS) for _ in range(rng.randrange(4))]
    if pick < 10:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    keys = [*TEXTS, "source", "target", "condition", "driver", "test", "1"]
    return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randrange(3))}


def _model(rng: random.Random) -> Any:
    services = {
        rng.choice(NAMES): {rng.choice(KEYS): _value(rng) for _ in range(rng.randrange(4))}
        for _ in range(rng.randrange(1, 3))
    }
    model: dict[Any, Any] = {"services": services}
    for key in rng.sample(["name", "version", "networks", "volumes", "x-top", "colour"], 2):
        if rng.random() < 0.3:
            model[key] = _value(rng)
    if rng.random() < 0.03:
        model[1] = "a key that is not text"
    return model


def test_generated_verdicts_are_the_validators() -> None:
    rng = random.Random(14)
    verdicts = [_agrees(_model(rng)) for _ in range(3000)]
    assert verdicts.count(True) > 100  # 183 with this seed
    assert verdicts.count(False) > 1000


@pytest.mark.parametrize(
    ("data", "verdict"),
    [
        ({"services": {"web": {"image": "nginx:1.27", "network_mode": "host"}}}, True),
        ({"services": {"web": {"image": 1}}}, False),
        ({"services": {"web": {"image": "a", "colour": "red"}}}, False),
        ({"services": {"web": {"image": "a", "x-colour": {"any": [1]}}}}, True),
        ({"services": {"web\n": {"image": "a"}}}, None),  # Python's $ and Rust's differ
        ({"services": {"web": {"cpu_count": 1.0}}}, None),  # an integer in Draft 7?
        ({"services": {"web": {"container_name": "web"}}}, None),  # a pattern
        ({"services": {"web": {"environment": {"A": "1", "B": 2}}}}, True),  # oneOf
        ({"services": {"web": {"dns": ["1.1.1.1", "1.1.1.1"]}}}, False),  # uniqueItems
        ({"services": {"web": {"x-n": float("nan")}}}, None),  # not JSON
        ({"services": {"web": {"oom_score_adj": 1001}}}, False),  # maximum
        ({"services": {"web": {"cgroup": "hosted"}}}, False),  # enum
    ],
)
def test_verdicts(data: Any, verdict: bool | None) -> None:
    assert _agrees(data) is verdict


def test_an_invalid_file_still_gets_the_validators_message_and_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: 1\n", encoding="utf-8")
    assert main(["check", "--no-cache", "--format", "json", str(tmp_path)]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    schema = [f for f in found if f["rule"] == "compose/invalid[schema]"]
    assert [(f["line"], f["column"], f["message"]) for f in schema] == [
        (3, 5, "services.web.image: 1 is not of type 'string'")
    ]


def test_a_large_model_is_for_the_validators() -> None:
    # Reading costs about ten times jsonschema-rs's once that is loaded: small models only.
    services = {f"s{i}": {"image": "a"} for i in range(compose_precheck.MAX_VALUES // 2)}
    assert _agrees({"services": services}) is None
    assert _agrees({"services": dict(list(services.items())[:3])}) is True


def test_once_jsonschema_rs_is_loaded_it_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Any] = []
    monkeypatch.setattr(compose_precheck, "certain", lambda data, _: asked.append(data))
    compose_schema._accepting()
    assert compose_schema.accepted({"services": {"web": {"image": "a"}}})
    assert asked == []
