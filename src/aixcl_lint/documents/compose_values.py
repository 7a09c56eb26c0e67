"""Values Docker Compose converts after its schema accepts them, and refuses when they
do not convert: ports in the short syntax (``"8080:80"``), durations (``10s``), byte
sizes (``512m``) and typed fields written as text (``replicas: "3"``, cast after
interpolation). Each problem is (pointer, sub-id, message), as Compose v2 words it.

A value whose variables are not all set in the project's ``.env`` is not judged: the
shell may set them (this check never reads the process environment).
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from aixcl_lint import deferred
from aixcl_lint.core import Pointer

Problem = tuple[Pointer, str, str]
Check = Callable[[str], "str | None"]
"""A value's text to the reason Compose refuses it (None: accepted)."""
Text = Callable[[str], "str | None"]
"""A value's text once interpolated (None when it cannot be known)."""

_INT = deferred.pattern(r"[+-]?[0-9]+\Z")
_FLOAT = deferred.pattern(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)\Z", re.I
)
_BOOLEANS = frozenset({"true", "false", "y", "yes", "on", "n", "no", "off"})
_VARIABLE = deferred.pattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
_remembered = functools.lru_cache(maxsize=4096)
"""The same few texts recur in every file (``10s``, ``512m``): each is judged once."""


@_remembered
def _integer(text: str) -> str | None:
    ok = _INT.match(text) and -(2**63) <= int(text) < 2**63
    return None if ok else f"failed to cast {text!r} to an integer"


@_remembered
def _number(text: str) -> str | None:
    return None if _FLOAT.match(text) else f"failed to cast {text!r} to a number"


@_remembered
def _boolean(text: str) -> str | None:
    return None if text.lower() in _BOOLEANS else f"failed to cast {text!r} to a boolean"


_UNITS = frozenset({"ns", "us", "µs", "μs", "ms", "s", "m", "h", "d", "w"})
_NUMBER_PART = deferred.pattern(r"([0-9]*)(\.[0-9]*)?")
_UNIT_PART = deferred.pattern(r"[^0-9.]*")


@_remembered
def _duration(text: str) -> str | None:
    """Go's ``time.ParseDuration``, with days and weeks (compose-go's str2duration)."""
    rest = text[1:] if text[:1] in ("+", "-") else text
    if rest == "0":
        return None
    if not rest:
        return f"invalid duration {text!r}"
    while rest:
        number = _NUMBER_PART.match(rest)
        assert number is not None  # both groups may be empty
        if not number.group(1) and len(number.group(2) or "") <= 1:
            return f"invalid duration {text!r}"
        rest = rest[number.end() :]
        unit = _UNIT_PART.match(rest)
        assert unit is not None
        rest = rest[unit.end() :]
        if not unit.group():
            return f"missing unit in duration {text!r}"
        if unit.group() not in _UNITS:
            return f"unknown unit {unit.group()!r} in duration {text!r}"
    return None


_SIZE_UNITS = frozenset("kmgtp")


@_remembered
def _size(text: str) -> str | None:
    """docker/go-units' ``RAMInBytes``: a number, then ``b``, ``k``/``kb``/``kib``, ..."""
    cut = max(text.rfind(c) for c in "0123456789. ")
    if cut < 0:
        return f"invalid size: {text!r}"
    number, suffix = (
        (text[:cut], text[cut + 1 :]) if text[cut] == " " else (text[: cut + 1], text[cut + 1 :])
    )
    if not _FLOAT.match(number):
        return f"invalid number {number!r} in size {text!r}"
    if float(number) < 0:
        return f"invalid size: {text!r}"
    low = suffix.lower()
    good = not low or low == "b" or (low[0] in _SIZE_UNITS and low[1:] in ("", "b", "ib"))
    return None if good else f"invalid suffix: {suffix!r}"


_PROTOCOLS = frozenset({"tcp", "udp", "sctp"})


def _port_range(text: str) -> tuple[int, int] | None:
    start, dash, end = text.partition("-")
    end = end.split("-", 1)[0] if dash else start
    if not (start.isdigit() and end.isdigit() and start.isascii() and end.isascii()):
        return None
    low, high = int(start), int(end)
    return (low, high) if low <= high <= 65535 else None


def ip_ok(ip: str) -> bool:
    """Whether Go's ``net.ParseIP`` reads ``ip``: IPv4 or IPv6, without a zone."""
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return False
    return "%" not in ip


def _ip_ok(ip: str) -> bool:
    if ip.startswith("["):
        return ip.endswith("]") and ip_ok(ip[1:-1])
    return ip_ok(ip)


@_remembered
def port(text: str) -> str | None:
    """A short-syntax port, as go-connections' ``nat.ParsePortSpec`` reads it:
    ``[IP:][HOST:]CONTAINER[/PROTOCOL]``, each port or range within 0-65535."""
    parts = text.split(":")
    container, host = parts[-1], parts[-2] if len(parts) > 1 else ""
    ip = ":".join(parts[:-2])
    numbers, _, protocol = container.partition("/")
    protocol = (protocol.split("/", 1)[0] or "tcp") if numbers else ""
    if protocol.lower() not in _PROTOCOLS:
        return f"invalid proto: {protocol}"
    if ip and not _ip_ok(ip):
        return f"invalid IP address: {ip}"
    inner = _port_range(numbers)
    if inner is None:
        return f"invalid containerPort: {numbers}"
    outer = _port_range(host) if host else inner
    if outer is None:
        return f"invalid hostPort: {host}"
    if host and inner[0] != inner[1] and inner[1] - inner[0] != outer[1] - outer[0]:
        return f"invalid ranges specified for container and host Ports: {numbers} and {host}"
    return None


class _Node(NamedTuple):
    """A step of the paths below a service: the checks of the value there, and the
    next steps by key (``*`` any key, ``[]`` any item)."""

    checks: list[tuple[str, Check]]
    below: dict[str, _Node]


_SERVICE = _Node([], {})
"""Every checked path below a service, as a tree walked once per service."""


def _add(sub: str, check: Check, *paths: str) -> None:
    for path in paths:
        node = _SERVICE
        for step in path.split("."):
            node = node.below.setdefault(step, _Node([], {}))
        node.checks.append((sub, check))


_add(
    "duration",
    _duration,
    "healthcheck.interval",
    "healthcheck.timeout",
    "healthcheck.start_period",
    "healthcheck.start_interval",
    "stop_grace_period",
    "deploy.update_config.delay",
    "deploy.update_config.monitor",
    "deploy.rollback_config.delay",
    "deploy.rollback_config.monitor",
    "deploy.restart_policy.delay",
    "deploy.restart_policy.window",
)
_add(
    "size",
    _size,
    "mem_limit",
    "mem_reservation",
    "memswap_limit",
    "shm_size",
    "build.shm_size",
    "deploy.resources.limits.memory",
    "deploy.resources.reservations.memory",
    "volumes.[].tmpfs.size",
)
# compose-go's interpolateTypeCastMapping: text at these paths is cast after interpolation.
_add(
    "cast",
    _integer,
    "cpu_count",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpu_shares",
    "deploy.replicas",
    "deploy.update_config.parallelism",
    "deploy.rollback_config.parallelism",
    "deploy.restart_policy.max_attempts",
    "deploy.placement.max_replicas_per_node",
    "healthcheck.retries",
    "oom_score_adj",
    "pids_limit",
    "ports.[].target",
    "scale",
    "ulimits.*",
    "ulimits.*.hard",
    "ulimits.*.soft",
)
_add(
    "cast",
    _number,
    "cpu_percent",
    "cpus",
    "deploy.update_config.max_failure_ratio",
    "deploy.rollback_config.max_failure_ratio",
)
_add(
    "cast",
    _boolean,
    "init",
    "depends_on.*.required",
    "depends_on.*.restart",
    "healthcheck.disable",
    "oom_kill_disable",
    "privileged",
    "read_only",
    "stdin_open",
    "tty",
    "volumes.[].read_only",
    "volumes.[].volume.nocopy",
)


def _walk(value: Any, node: _Node, ptr: Pointer, text: Text, out: list[Problem]) -> None:
    """Add the problems of ``value`` (at ``ptr``) and of what is below it to ``out``, as
    ``node`` says (plain calls, no generators: this runs for every service)."""
    if value.__class__ is str:
        found = text(value) if node.checks else None
        if found is not None:
            for sub, check in node.checks:
                why = check(found)
                if why is not None:
                    out.append((ptr, sub, f"{_dotted(ptr)}: {why}"))
        return
    below = node.below
    if not below:
        return
    if value.__class__ is dict:
        every = below.get("*")
        for key, item in value.items():
            step = below.get(key)
            if step is not None:
                _walk(item, step, (*ptr, key), text, out)
            if every is not None:
                _walk(item, every, (*ptr, key), text, out)
    elif value.__class__ is list and "[]" in below:
        step = below["[]"]
        for i, item in enumerate(value):
            if item.__class__ is not str or step.checks:
                _walk(item, step, (*ptr, i), text, out)


def _dotted(ptr: Pointer) -> str:
    return ".".join(str(part) for part in ptr)


def service_values(name: str, service: Mapping[str, Any], text: Text) -> Iterator[Problem]:
    """The values of one service that Compose cannot convert (``text``: a value's text
    once interpolated, None when it cannot be known)."""
    base: Pointer = ("services", name)
    below, found_values = _SERVICE.below, list[Problem]()
    for key, value in service.items():
        step = below.get(key)
        if step is not None:
            _walk(value, step, (*base, key), text, found_values)
    yield from found_values
    ports = service.get("ports")
    for i, item in enumerate(ports if isinstance(ports, list) else ()):
        ptr = (*base, "ports", i)
        if isinstance(item, float):
            yield ptr, "port", f"{_dotted(ptr)}: {item!r} is no port (a number or a text)"
            continue
        found = str(item) if isinstance(item, int) and not isinstance(item, bool) else None
        found = text(item) if isinstance(item, str) else found
        why = port(found) if found is not None else None
        if why is not None:
            yield ptr, "port", f"{_dotted(ptr)}: port {found!r}: {why}"


def interpolated(env: Mapping[str, str], expand: Callable[[str], str]) -> Text:
    """A value's text once interpolated with ``env``; None when a variable it reads is
    not set there."""

    def text(value: str) -> str | None:
        if "$" not in value:
            return value
        names = _VARIABLE.findall(value.replace("$$", ""))
        return expand(value) if all(n in env for n in names) else None

    return text
