"""``compose``: a compose project, a base file and its overrides merged as Compose
merges them (``documents.compose``), interpolated with the project's ``.env``."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.kinds.base import (
    BOOLEAN,
    Document,
    Field,
    KindSpec,
    Planned,
    Reader,
    SelectorSpec,
    Subject,
    Tree,
    Unit,
    repository_of,
)
from aixcl_lint.records import replace

if TYPE_CHECKING:
    from aixcl_lint.documents.compose import ComposeProject

NAME = "compose"


def _of(tree: Tree) -> ComposeProject:
    """The project a selector is given (the builder's module is imported by a run that
    builds a project: one whose projects' results are all kept never does)."""
    from aixcl_lint.documents.compose import ComposeProject

    assert isinstance(tree, ComposeProject)
    return tree


Group = tuple[str, ...]


def _project(tree: Tree, _: str) -> Iterator[Subject]:
    project = _of(tree)
    yield Subject(project, (), {"project": project.name}, project.data)


def _project_keys() -> frozenset[str]:
    from aixcl_lint.documents import schema_keys

    return schema_keys.keys()


def _service_keys() -> frozenset[str]:
    from aixcl_lint.documents import schema_keys

    return schema_keys.keys("service")


def _services(tree: Tree, _: str) -> Iterator[Subject]:
    project = _of(tree)
    for name, service in project.services():
        variables = {"project": project.name, "service": name}
        yield Subject(project, ("services", name), variables, service)


def _mounts(tree: Tree, _: str) -> Iterator[Subject]:
    project = _of(tree)
    for name, index, facts in project.bind_mounts():
        variables = {"project": project.name, "service": name, "source": facts["source"]}
        yield Subject(project, ("services", name, "volumes", index), variables, facts)


def env_projects(folders: Iterable[str], env_text: Callable[[str], str | None]) -> dict[str, Group]:
    """The project each folder's ``.env`` names in ``COMPOSE_FILE`` (split at
    ``COMPOSE_PATH_SEPARATOR``, else ``:``), as ``docker compose`` run in that folder
    reads it: paths relative to the folder, none leading outside the repository."""
    found: dict[str, Group] = {}
    for folder in sorted(set(folders)):
        env_path = f"{folder}/.env" if folder else ".env"
        text = env_text(env_path)
        if text is None or "COMPOSE_FILE" not in text:
            continue
        from aixcl_lint.documents.envfile import parse

        values = parse(env_path, text).values
        separator = values.get("COMPOSE_PATH_SEPARATOR") or ":"
        named = []
        for name in values.get("COMPOSE_FILE", "").split(separator):
            joined = posixpath.normpath(posixpath.join(folder, name))
            if name and not name.startswith("/") and joined != ".." and joined[:3] != "../":
                named.append(joined)
        if named:
            found[folder] = tuple(dict.fromkeys(named))
    return found


def groups(
    paths: Sequence[str],
    configured: Sequence[Group] = (),
    is_file: Callable[[str], bool] = lambda path: True,
    env_text: Callable[[str], str | None] = lambda path: None,
) -> list[Group]:
    """The projects of ``plan``, fragments or not."""
    return [group for group, _fragment in plan(paths, configured, is_file, env_text)]


def plan(
    paths: Sequence[str],
    configured: Sequence[Group] = (),
    is_file: Callable[[str], bool] = lambda path: True,
    env_text: Callable[[str], str | None] = lambda path: None,
) -> list[tuple[Group, bool]]:
    """Projects from the config's ``compose-projects``, then those a folder's ``.env``
    names in ``COMPOSE_FILE`` (in a folder no configured project is based in), then the
    automatic grouping of the rest (``_left``), each with whether it is a fragment (a
    file of a folder without a base file: ``discover.compose_units``). A project named
    in config or ``COMPOSE_FILE`` is whole."""
    present = set(paths)
    explicit = [g for g in configured if any(p in present for p in g)]
    bases = {g[0].rpartition("/")[0] for g in explicit}
    folders = {p.rpartition("/")[0] for p in paths} - bases
    taken = {p for group in explicit for p in group}
    for folder, group in env_projects(folders, env_text).items():
        if taken.isdisjoint(group) and not present.isdisjoint(group):
            explicit.append(group)
            taken.update(group)
            bases.add(folder)
    automatic = discover.compose_units(_left(paths, taken, bases))
    existing = [tuple(p for p in g if is_file(p)) for g in explicit]
    return [(g, False) for g in existing if g] + automatic


def _left(paths: Sequence[str], claimed: set[str], explicit: set[str]) -> list[str]:
    """The files no explicit project claims, less the override files of a folder an
    explicit project is based in: Compose run there never loads them, so they are no
    project (unless the folder holds a base file the project leaves out, which they
    join, as Compose would with ``-f`` that base)."""
    left = [p for p in paths if p not in claimed]
    with_base = {
        p.rpartition("/")[0] for p in left if not discover.is_override(p.rpartition("/")[2])
    }
    return [
        p
        for p in left
        if p.rpartition("/")[0] not in explicit - with_base
        or not discover.is_override(p.rpartition("/")[2])
    ]


def _configured(settings: Settings) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The config's ``compose-files`` globs, and every file ``compose-projects`` names."""
    return settings.compose_files, tuple(p for group in settings.compose_projects for p in group)


def _units(planned: Planned) -> list[Unit]:
    paths = planned.of(NAME, with_context=True)
    found = plan(paths, planned.compose_projects, planned.root_files, planned.env_text)
    return [
        Unit(NAME, group, group[0].rpartition("/")[0], fragment=fragment)
        for group, fragment in found
    ]


def build(reader: Reader, group: Group, *, fragment: bool = False) -> ComposeProject | None:
    """One compose project, from the reader's files, as ``docker compose config`` builds
    it (``documents.compose.build``): the same for ``check`` and ``--fix``."""
    for rel in group:  # discovered files: parsed without asking whether they exist
        reader.yaml_file(rel)
    from aixcl_lint.documents.compose import build as build_project

    project, problems = build_project(group, reader, whole=not fragment)
    reader.problems.extend(problems)
    if project is None:
        return None
    return replace(project, exists=reader.exists, repo=repository_of(reader))


def _load(reader: Reader, units: Sequence[Unit]) -> Iterator[Document]:
    """Each compose project in turn; a file's parse is dropped after its last project."""
    last_use = {path: i for i, unit in enumerate(units) for path in unit.paths}
    for i, unit in enumerate(units):
        project = build(reader, unit.paths, fragment=unit.fragment)
        for rel in unit.paths:
            if last_use[rel] == i:
                reader.forget(rel)
        if project is not None:
            yield Document(NAME, project.files, project)


SPEC = KindSpec(
    name=NAME,
    summary=(
        "A compose *project*: a base file and its overrides, merged (merge keys, `extends`, "
        "`!reset`, `!override`), values interpolated on access with the project's `.env` "
        "and inline defaults (never the process environment)."
    ),
    globs=(
        *discover.COMPOSE_BASE_NAMES,
        "compose.*.yaml",
        "compose.*.yml",
        "docker-compose.*.yaml",
        "docker-compose.*.yml",
    ),
    selectors={
        "project": SelectorSpec(
            "each compose project",
            ("project",),
            _project,
            fields_doc="the compose file's top-level keys (`services`, `networks`, ...)",
            keys=_project_keys,
        ),
        "services": SelectorSpec(
            "each effective service",
            ("project", "service"),
            _services,
            fields_doc="the service's compose keys: `network_mode`, `ports` (in Compose's "
            "long form: `target`, `published`, `host_ip`, `protocol`, `mode`), "
            "`deploy.resources.limits`, ...",
            keys=_service_keys,
        ),
        "mounts": SelectorSpec(
            "each bind mount of each service (short `./src:/dst` or long `type: bind` syntax)",
            ("project", "service", "source"),
            _mounts,
            fields=(
                Field("source", "as written"),
                Field(
                    "resolved", "repository path, from the project's folder; absent for host paths"
                ),
                Field("exists", "whether `resolved` exists", values=BOOLEAN),
            ),
        ),
    },
    units=_units,
    load=_load,
    configured=_configured,
    capabilities=frozenset({"exists", "repository"}),
    context=True,
    fixable=frozenset({"project", "services"}),
)
