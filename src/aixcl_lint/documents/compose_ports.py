"""Ports in Compose's long form, as ``docker compose config`` shows them.

A short-syntax port (``"127.0.0.1:8082:80"``, ``"3000-3002"``, ``"53:53/udp"``) becomes
one mapping per container port: ``target``, ``published`` and ``host_ip`` when given,
``protocol``, ``mode``, as compose-go's ``ParsePortConfig`` makes them (a container
range is one entry per port; a host range for one container port stays a range).
Long-syntax entries get the same defaults, and entries equal once converted are kept
once, as Compose keeps them. Each converted entry is reported where its short string
was written (``Moved``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aixcl_lint.core import Pointer
from aixcl_lint.documents.compose_values import port
from aixcl_lint.documents.scalars import scalar_text

Moved = dict[Pointer, Pointer]
"""A long-form entry's pointer -> the pointer of the entry it was written as."""


def _numbers(text: str) -> tuple[int, int]:
    start, dash, end = text.partition("-")
    return int(start), int(end.split("-", 1)[0] if dash else start)


def short(text: str) -> list[dict[str, Any]] | None:
    """A short-syntax port's long-form entries; None if Compose cannot read it."""
    if port(text) is not None:
        return None
    parts = text.split(":")
    container, host = parts[-1], parts[-2] if len(parts) > 1 else ""
    ip = ":".join(parts[:-2])
    if ip.startswith("[") and ip.endswith("]"):
        ip = ip[1:-1]
    numbers, _, protocol = container.partition("/")
    protocol = (protocol.split("/", 1)[0] or "tcp").lower()
    low, high = _numbers(numbers)
    outer = _numbers(host) if host else None
    entries = []
    for i in range(high - low + 1):
        entry: dict[str, Any] = {"target": low + i}
        if outer is not None:
            published = str(outer[0] + i)
            if low == high and outer[0] != outer[1]:  # one container port, a host range
                published = f"{outer[0]}-{outer[1]}"
            entry["published"] = published
        if ip:
            entry["host_ip"] = ip
        entry["protocol"] = protocol
        entry["mode"] = "ingress"
        entries.append(entry)
    return entries


def _long(item: dict[str, Any]) -> dict[str, Any]:
    """A long-syntax entry with Compose's defaults (``protocol: tcp``, ``mode: ingress``)."""
    published = item.get("published")
    if "protocol" in item and "mode" in item and not isinstance(published, int):
        return item
    found = {**item, "protocol": item.get("protocol", "tcp"), "mode": item.get("mode", "ingress")}
    if isinstance(published, int) and not isinstance(published, bool):
        found["published"] = str(published)  # Compose's published port is text
    return found


def _key(entry: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), scalar_text(v)) for k, v in entry.items()))


def _service_ports(
    ports: list[Any], ptr: Pointer, text: Callable[[str], str], moved: Moved
) -> list[Any]:
    """One service's ports in long form; ``moved`` learns where each entry was written."""
    found: list[Any] = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    for i, item in enumerate(ports):
        if isinstance(item, dict):
            entries: list[Any] | None = [_long(item)]
        elif isinstance(item, str) or (isinstance(item, int) and not isinstance(item, bool)):
            entries = short(text(item) if isinstance(item, str) else str(item))
        else:
            entries = None
        for entry in entries if entries is not None else [item]:
            key = _key(entry) if isinstance(entry, dict) else None
            if key is not None and key in seen:
                continue
            if key is not None:
                seen.add(key)
            moved[(*ptr, len(found))] = (*ptr, i)
            found.append(entry)
    return found


def long_form(data: dict[str, Any], text: Callable[[str], str]) -> tuple[dict[str, Any], Moved]:
    """``data`` with every service's ports in long form (``text``: a value interpolated),
    and where each entry was written; shared parsed data is copied, never changed."""
    services = data.get("services")
    if not isinstance(services, dict):
        return data, {}
    moved: Moved = {}
    changed = {}
    for name, service in services.items():
        ports = service.get("ports") if isinstance(service, dict) else None
        if isinstance(ports, list) and ports:
            long = _service_ports(ports, ("services", name, "ports"), text, moved)
            changed[name] = {**service, "ports": long}
    if not changed:
        return data, {}
    return {**data, "services": {**services, **changed}}, moved


def located(origins: Mapping[Pointer, Any], moved: Moved, ptr: Pointer) -> Any:
    """The spans of ``ptr`` in a model whose ports were converted: a long-form entry's
    field where it was written, else the entry it was written as."""
    item = moved.get(ptr[:4]) if len(ptr) > 3 else None
    if item is None:
        return origins.get(ptr)
    return origins.get((*item, *ptr[4:])) or origins.get(item)
