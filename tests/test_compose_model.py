"""The effective compose model: merges, overrides, extends, interpolation, provenance."""

from __future__ import annotations

import copy
import textwrap

import pytest

from aixcl_lint.core import Location, Position
from aixcl_lint.discover import compose_projects
from aixcl_lint.documents import compose, envfile, yamltree
from aixcl_lint.documents.interpolate import expand
from aixcl_lint.documents.merge import copied


def _project(*files: tuple[str, str], env: dict[str, str] | None = None) -> compose.ComposeProject:
    parsed = [yamltree.parse(path, textwrap.dedent(text)) for path, text in files]
    project, problems = compose.build_project(parsed, env)
    assert project is not None
    # These models leave out images: only what Compose would refuse besides that counts.
    assert [p for p in problems if p.rule != "compose/invalid[no-image]"] == []
    return project


def _at(location: Location | None) -> tuple[str, int, int]:
    assert location is not None
    return location.path, location.span.start.line, location.span.start.column


def test_merge_key_list_earlier_anchor_wins_and_explicit_keys_win() -> None:
    project = _project(
        (
            "compose.yaml",
            """\
        x-a: &a {network_mode: host, restart: always}
        x-b: &b {network_mode: bridge, user: root}
        services:
          web:
            <<: [*a, *b]
            restart: "no"
        """,
        )
    )
    web = project.data["services"]["web"]
    assert web == {"restart": "no", "network_mode": "host", "user": "root"}
    assert _at(project.location(("services", "web", "network_mode"), value=True)) == (
        "compose.yaml",
        1,
        24,
    )
    assert _at(project.location(("services", "web", "restart"))) == ("compose.yaml", 6, 5)


def test_override_merges_mappings_appends_ports_replaces_command() -> None:
    project = _project(
        (
            "compose.yaml",
            """\
            services:
              web:
                image: nginx:1.27
                command: [a, b]
                ports: ["80:80"]
                environment: [A=1, B=2]
            """,
        ),
        (
            "compose.override.yaml",
            """\
            services:
              web:
                command: [c]
                ports: ["80:80", "443:443"]
                environment: {B: "3", C: "4"}
            """,
        ),
    )
    web = project.data["services"]["web"]
    assert web["command"] == ["c"]
    # Appended without the duplicate, then in Compose's long form (compose_ports).
    assert [(p["published"], p["target"]) for p in web["ports"]] == [("80", 80), ("443", 443)]
    assert web["environment"] == {"A": "1", "B": "3", "C": "4"}
    assert _at(project.location(("services", "web", "ports", 1), value=True)) == (
        "compose.override.yaml",
        4,
        22,
    )
    assert _at(project.location(("services", "web", "environment", "A"), value=True)) == (
        "compose.yaml",
        6,
        19,
    )
    assert _at(project.location(("services", "web", "image"))) == ("compose.yaml", 3, 5)


def test_reset_and_override_tags() -> None:
    project = _project(
        (
            "compose.yaml",
            """\
            services:
              web:
                ports: ["80:80"]
                labels: {a: "1", b: "2"}
            """,
        ),
        (
            "compose.override.yaml",
            """\
            services:
              web:
                ports: !reset []
                labels: !override {c: "3"}
            """,
        ),
    )
    assert project.data["services"]["web"] == {"labels": {"c": "3"}}
    assert project.location(("services", "web", "labels", "a")) is None


def test_extends_within_the_project_keeps_the_base_positions() -> None:
    project = _project(
        (
            "compose.yaml",
            """\
        services:
          base:
            image: nginx:1.27
            network_mode: host
          web:
            extends: {service: base}
            image: nginx:1.28
        """,
        )
    )
    web = project.data["services"]["web"]
    assert web["network_mode"] == "host"
    assert web["image"] == "nginx:1.28"
    assert _at(project.location(("services", "web", "network_mode"))) == ("compose.yaml", 4, 5)
    assert _at(project.location(("services", "web"))) == ("compose.yaml", 5, 3)


def test_extends_cycle_is_reported_not_looped() -> None:
    parsed = [
        yamltree.parse(
            "compose.yaml",
            textwrap.dedent("""\
        services:
          a: {extends: b}
          b: {extends: a}
        """),
        )
    ]
    project, problems = compose.build_project(parsed)
    assert project is not None
    cycles = [(p.rule, p.line, p.message) for p in problems if "cycle" in p.rule]
    assert cycles == [
        ("compose/invalid[extends-cycle]", 2, "service 'a' extends itself through a -> b -> a")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${A}", "a"),
        ("$A/x", "a/x"),
        ("${B:-def}", "def"),
        ("${E:-d}", "d"),
        ("${E-d}", ""),
        ("${B-d}", "d"),
        ("$$A", "$A"),
        ("${B:-${A:-z}}/y", "a/y"),
        ("${A:+alt}", "alt"),
        ("${B:+alt}", ""),
        ("${B:?must be set}", ""),
        ("x:${IMAGE_TAG}", "x:"),
        ("${REGISTRY:-ghcr.io/x}/s:${V:-1.2}", "ghcr.io/x/s:1.2"),
        ("$", "$"),
        ("a${", "a${"),
        ("no variables", "no variables"),
    ],
)
def test_interpolation(text: str, expected: str) -> None:
    assert expand(text, {"A": "a", "E": ""}) == expected


def test_values_stay_yaml_1_2_strings() -> None:
    project = _project(("compose.yaml", "services:\n  web: {tty: yes, ports: [22:22]}\n"))
    web = project.data["services"]["web"]
    assert web["tty"] == "yes"
    # "22:22" stays text (YAML 1.1 would read 1342), so it is port 22 on port 22.
    assert [(p["published"], p["target"]) for p in web["ports"]] == [("22", 22)]


def test_projects_group_base_overrides_and_named_variants() -> None:
    assert compose_projects(
        [
            "a/compose.yaml",
            "a/compose.override.yaml",
            "a/compose.prod.yaml",
            "b/docker-compose.dev.yml",
            "docker-compose.yml",
            "docker-compose.override.yml",
        ]
    ) == [
        ("docker-compose.yml", "docker-compose.override.yml"),
        ("a/compose.yaml", "a/compose.override.yaml"),
        ("a/compose.yaml", "a/compose.prod.yaml"),
        ("b/docker-compose.dev.yml",),
    ]


def test_positions_count_characters_not_bytes() -> None:
    parsed = yamltree.parse("c.yaml", "services:\n  é: {image: ü}\n")
    spans = parsed.documents[0].spans[("services", "é", "image")]
    assert spans.value.start == Position(2, 14)


def test_only_the_first_override_compose_looks_for_joins_the_default_project() -> None:
    assert compose_projects(
        [
            "docker-compose.yaml",
            "docker-compose.yml",
            "compose.override.yaml",
            "compose.override.yml",
            "docker-compose.dev.override.yml",
        ]
    ) == [
        ("docker-compose.yml", "compose.override.yml"),
        ("docker-compose.yml", "compose.override.yaml"),
        ("docker-compose.yml", "docker-compose.dev.override.yml"),
        ("docker-compose.yaml",),
    ]


def test_extends_is_resolved_in_each_file_before_overrides_merge() -> None:
    project = _project(
        (
            "compose.yaml",
            """\
            services:
              a: {image: "nginx:1.27", network_mode: bridge}
              b: {extends: a}
            """,
        ),
        ("compose.override.yaml", "services:\n  a: {network_mode: host}\n"),
    )
    services = project.data["services"]
    assert (services["a"]["network_mode"], services["b"]["network_mode"]) == ("host", "bridge")
    assert _at(project.location(("services", "b", "network_mode"), value=True)) == (
        "compose.yaml",
        2,
        42,
    )


class _Files:
    """compose.Sources over a mapping of files."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = {path: textwrap.dedent(text) for path, text in files.items()}

    def compose_file(self, path: str) -> yamltree.YamlFile | None:
        text = self.files.get(path)
        return yamltree.parse(path, text) if text is not None else None

    def env_text(self, path: str) -> str | None:
        return self.files.get(path)


def test_include_brings_services_with_their_env_file_and_positions() -> None:
    sources = _Files(
        {
            ".env": "OWN=1\n",
            "compose.yaml": "include:\n  - path: stack/api.yaml\n    env_file: stack/v.env\n",
            "stack/api.yaml": "services:\n  api:\n    image: api:${TAG}-${OWN}\n",
            "stack/v.env": "TAG=latest\nOWN=2\n",
        }
    )
    project, problems = compose.build(("compose.yaml",), sources)
    assert project is not None
    assert [p.rule for p in problems] == []
    # The including project's variables win over the included env file's, as in Compose.
    assert project.interpolate(project.data["services"]["api"]["image"]) == "api:latest-1"
    assert _at(project.location(("services", "api", "image"))) == ("stack/api.yaml", 3, 5)


def test_an_included_name_defined_differently_is_a_conflict() -> None:
    sources = _Files(
        {
            "compose.yaml": "include: [o.yaml]\nservices:\n  web: {image: a}\n",
            "o.yaml": "services:\n  web: {image: b}\n",
        }
    )
    _, problems = compose.build(("compose.yaml",), sources)
    assert [(p.rule, p.line) for p in problems] == [("compose/invalid[include-conflict]", 3)]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("A=1\nB=${A}-x\nC=${MISSING:-d}\n", {"A": "1", "B": "1-x", "C": "d"}),
        ("K: v\nexport E=2\n", {"K": "v", "E": "2"}),
        ('M="one\ntwo"\nN=after\n', {"M": "one\ntwo", "N": "after"}),
        ("J\nL=${J:-unset}\n", {"L": "unset"}),
        ("Q='${A}'\nA=1\nR=a #c\nS=a#b\n", {"Q": "${A}", "A": "1", "R": "a", "S": "a#b"}),
    ],
)
def test_env_files_are_read_as_compose_reads_them(text: str, values: dict[str, str]) -> None:
    parsed = envfile.parse(".env", text)
    assert parsed.problems == ()
    assert parsed.values == values


def test_env_lines_compose_cannot_read_are_reported() -> None:
    parsed = envfile.parse(".env", 'A=1\nnot an assignment\nB="open\n')
    assert [(p.rule, p.line) for p in parsed.problems] == [
        ("env/parse-error", 2),
        ("env/parse-error", 3),
    ]
    assert parsed.values == {"A": "1"}


def test_merged_data_is_copied_as_deepcopy_copies_it() -> None:
    shared = {"a": [1, {"b": 2}]}
    data = {"x": shared, "y": shared, "z": [shared["a"], "s", 1.5, None, True]}
    made = copied(data)
    assert made == copy.deepcopy(data)
    # a value reached twice (an alias) stays one value in the copy, as with deepcopy
    assert made["x"] is made["y"]
    assert made["z"][0] is made["x"]["a"]
    assert made["x"] is not shared
    assert made["z"] is not data["z"]
    assert copied("text") == "text"
