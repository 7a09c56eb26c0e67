"""Whether Docker Compose would accept a project: its schema, then its own consistency.

Each problem is one ``compose/invalid[sub-id]`` finding at the offending key. A service
the schema rejects is reported as invalid only: rules are not given it, so a value
Compose would never run is not reported twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from aixcl_lint.core import Finding, Pointer, Severity
from aixcl_lint.documents import compose_entries, compose_schema, compose_values
from aixcl_lint.documents.extends import invalid
from aixcl_lint.documents.interpolate import expand
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.spans import NodeSpans
from aixcl_lint.records import record

_REFERENCES = (
    ("networks", "network", "undeclared-network"),
    ("volumes", "volume", "undeclared-volume"),
    ("secrets", "secret", "undeclared-secret"),
    ("configs", "config", "undeclared-config"),
)
"""Service fields naming top-level resources: section, what it is, sub-id."""
_SECTIONS = frozenset(section for section, _, _ in _REFERENCES)


@record
class Validity:
    """A project's problems, and what of it rules are not given."""

    problems: list[Finding]
    rejected: frozenset[str]
    """Services the schema rejects."""
    dropped: frozenset[Pointer]
    """Top-level resources (or sections) the schema rejects."""

    def kept(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` without the top-level resources the schema rejects."""
        if not self.dropped:
            return data
        kept = {k: v for k, v in data.items() if (k,) not in self.dropped}
        for ptr in self.dropped:
            section = str(ptr[0])
            if len(ptr) == 2 and isinstance(kept.get(section), dict):
                kept[section] = {k: v for k, v in kept[section].items() if k != ptr[1]}
        return kept


def _spans(origins: Mapping[Pointer, NodeSpans], ptr: Pointer) -> NodeSpans | None:
    """Where ``ptr`` (or its nearest ancestor that has a span) was written."""
    for depth in range(len(ptr), -1, -1):
        found = origins.get(ptr[:depth])
        if found is not None:
            return found
    return None


def _named(value: Any, ptr: Pointer) -> Iterator[tuple[str, Pointer]]:
    """The names a list (``[a, b]``, ``[{source: a}]``) or mapping field holds."""
    if isinstance(value, dict):
        for key in value:
            yield str(key), (*ptr, key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            name = item.get("source") if isinstance(item, dict) else item
            if name is not None:
                yield scalar_text(name), (*ptr, i)


def _volume_names(value: Any, ptr: Pointer) -> Iterator[tuple[str, Pointer]]:
    """Named volumes a service mounts (bind mounts and anonymous volumes are not)."""
    for i, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, dict):
            source = item.get("source")
            if item.get("type", "volume") != "volume" or source is None:
                continue
            name = scalar_text(source)
        else:
            text = scalar_text(item)
            name = text.split(":", 1)[0] if ":" in text else ""
        if name and not name.startswith((".", "/", "~", "$")):
            yield name, (*ptr, i)


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    found = data.get(name)
    return found if isinstance(found, dict) else {}


_FIELDS = frozenset({"networks", "volumes", "secrets", "configs", "depends_on"})
"""Service fields that name other parts of the project."""
WHOLE_ONLY = frozenset(
    {
        "no-image",
        "undeclared-network",
        "undeclared-volume",
        "undeclared-secret",
        "undeclared-config",
        "unknown-dependency",
    }
)
"""Sub-ids only a whole project can be held to: a fragment (an override file whose base
is in another folder) takes its image, resources and other services from that base."""


def _no_image(service: dict[str, Any], interpolate: Callable[[str], str]) -> bool:
    """Whether Compose finds neither an image nor a build: an image that is empty once
    interpolated (``image: ""``, ``image: "${UNSET}"``) counts as none, as in Compose."""
    if "build" in service:
        return False
    image = service.get("image")
    return image is None or (image.__class__ is str and interpolate(image) == "")


_AT_VALUE = frozenset({"port", "duration", "size", "cast"})
"""Sub-ids reported at the value Compose cannot convert, not at its key."""
_NOT_REQUIRED = frozenset({"false", "n", "no", "off"})


def _active(
    services: dict[str, Any], env: Mapping[str, str], text: Callable[[str], str]
) -> set[str]:
    """The services ``docker compose`` enables with no ``--profile``: those without
    profiles, and those with a profile the ``.env``'s ``COMPOSE_PROFILES`` names."""
    chosen = {p.strip() for p in env.get("COMPOSE_PROFILES", "").split(",")} - {""}
    active = set()
    for name, service in services.items():
        profiles = service.get("profiles") if isinstance(service, dict) else None
        named = {text(scalar_text(p)) for p in profiles} if isinstance(profiles, list) else set()
        if not named or "*" in chosen or not named.isdisjoint(chosen):
            active.add(name)
    return active


def _inactive(name: str, ref: str, service: dict[str, Any]) -> str:
    profiles = [scalar_text(p) for p in service.get("profiles") or ()]
    which = "profile" if len(profiles) == 1 else "profiles"
    listed = ", ".join(map(repr, profiles))
    return (
        f"service {name!r} depends on service {ref!r}, which only {which} {listed} "
        f"enable{'s' if len(profiles) == 1 else ''}; Compose refuses the project unless "
        f"{'it is' if len(profiles) == 1 else 'one is'} active (--profile, or "
        "COMPOSE_PROFILES in .env)"
    )


def _dependencies(
    name: str, service: dict[str, Any], services: dict[str, Any], active: Callable[[], set[str]]
) -> Iterator[tuple[Pointer, str, str]]:
    """Each ``depends_on`` Compose cannot meet: an unknown service, or (for an enabled
    service) a required one only a profile that is not active enables."""
    written = service.get("depends_on")
    for ref, where in _named(written, ("services", name, "depends_on")):
        if ref not in services:
            message = f"service {name!r} depends on unknown service {ref!r}"
            yield where, "unknown-dependency", message
            continue
        how = written.get(ref) if isinstance(written, dict) else None
        required = not isinstance(how, dict) or (
            str(how.get("required", True)).lower() not in _NOT_REQUIRED
        )
        if required and name in active() and ref not in active():
            yield where, "profile-dependency", _inactive(name, ref, services[ref])


def _consistency(
    data: dict[str, Any], variables: Mapping[str, str]
) -> Iterator[tuple[Pointer, str, str]]:
    """The engine's own checks after the schema: (where, sub-id, message)."""
    services = _section(data, "services")
    declared: dict[str, dict[str, Any]] = {}

    def interpolate(text: str) -> str:
        return expand(text, variables)

    text = compose_values.interpolated(variables, interpolate)
    found: list[set[str]] = []

    def active() -> set[str]:
        if not found:
            found.append(_active(services, variables, interpolate))
        return found[0]

    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        ptr = ("services", name)
        yield from compose_values.service_values(name, service, text)
        yield from compose_entries.service_entries(name, service, text)
        if _no_image(service, interpolate):
            where: Pointer = (*ptr, "image") if "image" in service else ptr
            yield where, "no-image", f"service {name!r} has neither an image nor a build context"
        if "network_mode" in service and "networks" in service:
            message = (
                f"service {name!r} sets both network_mode and networks, which exclude each other"
            )
            yield (*ptr, "networks"), "network-mode-and-networks", message
        if _FIELDS.isdisjoint(service):
            continue
        for section, what, sub in _REFERENCES:
            if section not in service:
                continue
            if section not in declared:
                declared[section] = _section(data, section)
            field = service[section]
            refs = (
                _volume_names(field, (*ptr, section))
                if section == "volumes"
                else _named(field, (*ptr, section))
            )
            for ref, where in refs:
                if ref not in declared[section] and not (
                    section == "networks" and ref == "default"
                ):
                    yield where, sub, f"service {name!r} uses {what} {ref!r}, which is not declared"
        yield from _dependencies(name, service, services, active)


def validate(
    data: dict[str, Any],
    origins: Mapping[Pointer, NodeSpans],
    path: str,
    key: str | None = None,
    env: Mapping[str, str] | None = None,
    *,
    whole: bool = True,
) -> Validity:
    """The schema's and the engine's problems with a merged project model (``key``: what
    identifies its content, if known, else the model itself; ``env``: the variables its
    values are interpolated with; ``whole``: False for a fragment, spared ``WHOLE_ONLY``)."""
    found: list[Finding] = []
    rejected: set[str] = set()
    dropped: set[Pointer] = set()
    for ptr, message in compose_schema.problems(data, key):
        found.append(invalid(path, _spans(origins, ptr), "schema", message))
        if len(ptr) >= 2 and ptr[0] == "services":
            rejected.add(str(ptr[1]))
        elif ptr and ptr[0] in _SECTIONS:
            dropped.add(ptr[:2])
    for ptr, sub, message in _consistency(data, env or {}):
        if not whole and sub in WHOLE_ONLY:
            continue
        if len(ptr) < 2 or ptr[1] not in rejected:
            at = origins.get(ptr) if sub in _AT_VALUE else None
            found.append(
                invalid(path, _spans(origins, ptr), sub, message)
                if at is None
                else Finding(at.path, at.value, f"compose/invalid[{sub}]", Severity.ERROR, message)
            )
    return Validity(found, frozenset(rejected), frozenset(dropped))
