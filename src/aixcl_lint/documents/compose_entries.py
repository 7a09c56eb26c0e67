"""Long-form list entries Docker Compose refuses although its schema allows them.

Compose keys the entries of some service lists before it applies its schema (see
``compose_unicity``) and refuses an entry it cannot key: a volume or device without a
``target``, a port without a ``target``, an ``expose`` number that is not an integer.
After loading, it refuses a secret or config without a ``source`` (it names none of the
project's) and a port whose ``host_ip`` is no IP address. Each problem is (pointer to
the entry, sub-id, message), worded as close to Compose's as the house style allows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.compose_values import Problem, Text, ip_ok

_TARGETS = (
    ("volumes", "service volume", "mount-target", "a mount target"),
    ("devices", "service device", "mount-target", "a mount target"),
    ("ports", "service port", "port-target", "a target port"),
)
"""Lists whose long-form entries Compose keys by ``target``: field, what an entry is,
sub-id, what it misses."""
_SOURCES = (("secrets", "secret"), ("configs", "config"))


def _dotted(ptr: Pointer) -> str:
    return ".".join(str(part) for part in ptr)


def _entries(service: Mapping[str, Any], field: str) -> Iterator[tuple[int, Any]]:
    found = service.get(field)
    return enumerate(found) if isinstance(found, list) else iter(())


def service_entries(name: str, service: Mapping[str, Any], text: Text) -> Iterator[Problem]:
    """The entries of one service's lists that Compose refuses (``text``: a value's text
    once interpolated, None when it cannot be known)."""
    base: Pointer = ("services", name)
    for field, what, sub, missing in _TARGETS:
        for i, entry in _entries(service, field):
            if isinstance(entry, dict) and "target" not in entry:
                ptr = (*base, field, i)
                yield ptr, sub, f"{_dotted(ptr)}: {what} is missing {missing}"
    for field, what in _SOURCES:
        for i, entry in _entries(service, field):
            if isinstance(entry, dict) and "source" not in entry:
                ptr = (*base, field, i)
                message = f"{_dotted(ptr)}: {what} is missing a source (a declared {what})"
                yield ptr, "no-source", message
    for i, entry in _entries(service, "expose"):
        if isinstance(entry, float):
            ptr = (*base, "expose", i)
            yield ptr, "expose", f"{_dotted(ptr)}: unsupported expose value {entry!r}"
    for i, entry in _entries(service, "ports"):
        ip = entry.get("host_ip") if isinstance(entry, dict) else None
        found = text(ip) if isinstance(ip, str) else None
        if found is not None and not ip_ok(found):
            ptr = (*base, "ports", i)
            yield ptr, "host-ip", f"{_dotted(ptr)}: invalid ip address: {found}"
