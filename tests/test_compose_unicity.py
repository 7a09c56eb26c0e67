"""Repeated list entries Compose collapses before it validates: not schema problems,
and what the schema still finds is placed at the entry as written."""

from __future__ import annotations

import copy
from typing import Any

from aixcl_lint.documents import compose_schema
from aixcl_lint.documents.compose_unicity import collapse, written


def _web(**fields: Any) -> dict[str, Any]:
    return {"services": {"web": {"image": "nginx:1.27", **fields}}}


def test_the_last_definition_is_kept_at_the_first_ones_place() -> None:
    data = _web(environment=["A=1", "B=2", "A=3"], ports=["80:80", "81:81", "80:80"])
    before = copy.deepcopy(data)
    kept, origins = collapse(data)
    assert kept["services"]["web"]["environment"] == ["A=3", "B=2"]
    assert origins[("services", "web", "environment")] == [2, 1]
    assert kept["services"]["web"]["ports"] == ["80:80", "81:81"]
    assert data == before  # the model as written is not changed


def test_nothing_repeated_is_nothing_collapsed() -> None:
    data = _web(ports=["80:80", {"target": 80, "published": "81"}], security_opt=["a", "a"])
    kept, origins = collapse(data)
    assert (kept, origins) == (data, {})  # security_opt is not a list Compose collapses


def test_long_form_ports_are_keyed_by_address_published_target_protocol() -> None:
    same = {"target": 80, "published": "8080"}
    other = {"target": 80, "published": "8080", "protocol": "udp"}
    kept, _ = collapse(_web(ports=[same, dict(same), other]))
    assert kept["services"]["web"]["ports"] == [same, other]


def test_network_aliases_and_ipam_options_collapse_too() -> None:
    data = {
        "services": {"web": {"image": "x", "networks": {"n": {"aliases": ["a", "a"]}}}},
        "networks": {"n": {"labels": ["k=1", "k=2"], "ipam": {"options": ["o=1", "o=1"]}}},
    }
    kept, origins = collapse(data)
    assert kept["services"]["web"]["networks"]["n"]["aliases"] == ["a"]
    assert kept["networks"]["n"]["labels"] == ["k=2"]
    assert set(origins) == {
        ("services", "web", "networks", "n", "aliases"),
        ("networks", "n", "labels"),
        ("networks", "n", "ipam", "options"),
    }


def test_a_pointer_into_the_collapsed_list_leads_to_the_entry_as_written() -> None:
    origins = {("services", "web", "ports"): [0, 3]}
    assert written(("services", "web", "ports", 1, "target"), origins) == (
        "services",
        "web",
        "ports",
        3,
        "target",
    )
    assert written(("services", "web", "image"), origins) == ("services", "web", "image")


def test_repeats_compose_collapses_are_valid_and_others_are_not() -> None:
    assert compose_schema.problems(_web(ports=["80:80", "80:80"], cap_add=["X", "X"])) == []
    problems = compose_schema.problems(_web(security_opt=["a", "a"]))
    assert [ptr for ptr, _ in problems] == [("services", "web", "security_opt")]


def test_a_problem_after_a_repeat_points_at_the_entry_as_written() -> None:
    data = _web(ports=["80:80", "80:80", {"target": 80, "bogus": 1}])
    problems = compose_schema.problems(data)
    assert [ptr for ptr, _ in problems] == [("services", "web", "ports", 2)]
