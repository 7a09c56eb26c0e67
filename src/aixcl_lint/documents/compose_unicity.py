"""Docker Compose's collapse of repeated list entries, before it validates a model.

Compose merges a project's files, then keeps one entry per key in the lists below (the
last definition, at the first one's place) and only then applies the schema, so
``ports: ["8080:80", "8080:80"]`` is valid to it although the schema says
``uniqueItems``. Lists not named here keep the schema's rule (``security_opt``,
``group_add``: Compose refuses their repeats). The keys are Compose's own
(compose-go's ``override.EnforceUnicity``); an entry it could not key is left as it is,
for the schema to judge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aixcl_lint.core import Pointer

Key = Callable[[Any], str | None]
"""An entry's key, or None when Compose could not key it."""


def _key_value(entry: Any) -> str | None:
    return entry.split("=", 1)[0] if isinstance(entry, str) else None


def _volume_target(entry: Any) -> str | None:
    if isinstance(entry, dict):
        target = entry.get("target")
        return target if isinstance(target, str) else None
    if isinstance(entry, str):  # source:target[:mode], or an anonymous volume's target
        parts = entry.split(":")
        if len(parts) > 1 and len(parts[0]) == 1 and parts[1].startswith("\\"):
            parts = [f"{parts[0]}:{parts[1]}", *parts[2:]]  # a Windows drive letter
        return parts[1] if len(parts) > 1 else parts[0]
    return None


def _device_target(entry: Any) -> str | None:
    if isinstance(entry, dict):
        target = entry.get("target")
        return target if isinstance(target, str) else None
    if isinstance(entry, str):
        parts = entry.split(":")
        return parts[0] if len(parts) == 1 else parts[1]
    return None


def _expose(entry: Any) -> str | None:
    if isinstance(entry, bool):
        return None
    return str(entry) if isinstance(entry, str | int) else None


def _mount(default: str) -> Key:
    def key(entry: Any) -> str | None:
        if isinstance(entry, str):
            return f"{default}/{entry}"
        if isinstance(entry, dict):
            target = entry.get("target")
            if target is not None:
                return target if isinstance(target, str) else None
            return f"{default}/{entry.get('source')}"
        return None

    return key


def _port(entry: Any) -> str | None:
    if isinstance(entry, bool):
        return None
    if isinstance(entry, int | str):
        return str(entry)
    if isinstance(entry, dict):
        if "target" not in entry:
            return None
        host = entry.get("host_ip", "0.0.0.0")
        protocol = entry.get("protocol", "tcp")
        return f"{host}:{entry.get('published')}:{entry['target']}/{protocol}"
    return None


def _env_file(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        path = entry.get("path")
        return path if isinstance(path, str) else None
    return None


_SERVICE: dict[tuple[str, ...], Key] = {
    ("annotations",): _key_value,
    ("build", "args"): _key_value,
    ("build", "additional_contexts"): _key_value,
    ("build", "platform"): _key_value,
    ("build", "tags"): _key_value,
    ("build", "labels"): _key_value,
    ("cap_add",): _key_value,
    ("cap_drop",): _key_value,
    ("configs",): _mount(""),
    ("deploy", "labels"): _key_value,
    ("devices",): _device_target,
    ("dns",): _key_value,
    ("dns_opt",): _key_value,
    ("dns_search",): _key_value,
    ("environment",): _key_value,
    ("env_file",): _env_file,
    ("expose",): _expose,
    ("labels",): _key_value,
    ("links",): _key_value,
    ("ports",): _port,
    ("profiles",): _key_value,
    ("secrets",): _mount("/run/secrets"),
    ("sysctls",): _key_value,
    ("tmpfs",): _key_value,
    ("volumes",): _volume_target,
}
"""Per service: the lists Compose collapses, and how it keys their entries."""
_ALIASES = {"aliases": _key_value, "link_local_ips": _key_value}
"""Per network a service joins."""


def _lists(data: dict[str, Any]) -> Iterator[tuple[Pointer, list[Any], Key]]:
    """Each list Compose collapses: where it is, the list, its key."""
    services = data.get("services")
    for name, service in services.items() if isinstance(services, dict) else ():
        if not isinstance(service, dict):
            continue
        for path, key in _SERVICE.items():
            value: Any = service
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, list):
                yield ("services", name, *path), value, key
        joined = service.get("networks")
        for network, how in joined.items() if isinstance(joined, dict) else ():
            for field, key in _ALIASES.items() if isinstance(how, dict) else ():
                if isinstance(how.get(field), list):
                    yield ("services", name, "networks", network, field), how[field], key
    networks = data.get("networks")
    for name, network in networks.items() if isinstance(networks, dict) else ():
        if not isinstance(network, dict):
            continue
        ipam = network.get("ipam")
        for ptr, value in (
            (("networks", name, "labels"), network.get("labels")),
            (
                ("networks", name, "ipam", "options"),
                ipam.get("options") if isinstance(ipam, dict) else None,
            ),
        ):
            if isinstance(value, list):
                yield ptr, value, _key_value


def _collapsed(entries: list[Any], key: Key) -> tuple[list[Any], list[int]] | None:
    """The list as Compose keeps it and, for each entry kept, the index of the
    definition it holds; None when nothing repeats."""
    kept: list[Any] = []
    origin: list[int] = []
    at: dict[str, int] = {}
    for i, entry in enumerate(entries):
        k = key(entry)
        if k is not None and k in at:
            kept[at[k]] = entry
            origin[at[k]] = i
            continue
        if k is not None:
            at[k] = len(kept)
        kept.append(entry)
        origin.append(i)
    return (kept, origin) if len(kept) < len(entries) else None


def _replace(data: Any, ptr: Pointer, value: Any) -> Any:
    """``data`` with ``value`` at ``ptr``, copying only the mappings on the way."""
    if not ptr:
        return value
    copy = dict(data)
    copy[ptr[0]] = _replace(data[ptr[0]], ptr[1:], value)
    return copy


Origins = dict[Pointer, list[int]]
"""For each collapsed list, the original index of each entry kept."""


def collapse(data: dict[str, Any]) -> tuple[dict[str, Any], Origins]:
    """``data`` as Compose validates it (``data`` itself is not changed)."""
    origins: Origins = {}
    result = data
    for ptr, entries, key in list(_lists(data)):
        found = _collapsed(entries, key)
        if found is not None:
            result = _replace(result, ptr, found[0])
            origins[ptr] = found[1]
    return result, origins


def written(ptr: Pointer, origins: Origins) -> Pointer:
    """A pointer into the collapsed model, as a pointer into the model as written."""
    for depth in range(len(ptr) - 1, 0, -1):
        back = origins.get(ptr[:depth])
        index = ptr[depth]
        if back is not None and isinstance(index, int) and index < len(back):
            return (*ptr[:depth], back[index], *ptr[depth + 1 :])
    return ptr
