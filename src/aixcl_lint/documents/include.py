"""``include:``, as Compose reads it: other compose projects imported into a file.

Each entry names one or more files (an included project of their own, with its own
``include`` and ``extends``), its project folder (default: the first file's folder)
and its env files (default: that folder's ``.env``). The included project's values are
interpolated with the including project's variables first, then its own env files';
its services, networks, volumes, secrets and configs join the including file, where
a name it already has must be defined identically. Values keep where they were written.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, NamedTuple

from aixcl_lint.core import Finding, Pointer
from aixcl_lint.documents import envfile
from aixcl_lint.documents.extends import FileModel, Loader, invalid
from aixcl_lint.documents.interpolate import expand
from aixcl_lint.documents.merge import move
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.yamltree import YamlFile
from aixcl_lint.records import record

if TYPE_CHECKING:
    from aixcl_lint.documents.compose import ComposeProject

RESOURCES = ("services", "networks", "volumes", "secrets", "configs")
"""The top-level sections an included project brings in."""

MAX_DEPTH = 8
"""Deepest chain of includes followed."""
MAX_INCLUDES = 200
"""Included projects one project may build in all (a fan-out of includes is bounded)."""

EnvText = Callable[[str], str | None]
"""The text of an env file by repository path (None if there is none)."""
SetAt = Mapping[str, tuple[str, int]]
"""Where each variable was set: its env file and line."""
Cited = dict[tuple[str, Any], str]
"""Where the variables of an included value were set, as a message says it
(`` (TAG set in inc/.env:1)``), by the value's file and start: an included value is
interpolated when it is imported, so its text no longer names them."""


@record
class Context:
    """What resolving an include needs: readers, the project folder and its variables."""

    folder: str
    env: Mapping[str, str]
    load: Loader | None
    env_text: EnvText | None
    chain: tuple[str, ...] = ()
    """The files including this one (include cycles stop there)."""
    budget: list[int] = field(default_factory=lambda: [MAX_INCLUDES])
    """Included projects still allowed, shared by every level of one project."""
    set_at: SetAt = field(default_factory=dict)
    """Where each variable of ``env`` was set."""
    cited: Cited = field(default_factory=dict)
    """The citations of included values, shared by every level of one project."""


Build = Callable[
    [list[YamlFile], Mapping[str, str], "Context"], "tuple[ComposeProject | None, list[Finding]]"
]


class Resolver(NamedTuple):
    """How a project reads other files and builds the projects it includes."""

    load: Loader | None
    build: Build


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [] if value is None else [value]
    return [scalar_text(item) for item in items]


def _join(folder: str, path: str) -> str | None:
    """A repository path from a project folder; None if it leaves the repository."""
    if path.startswith(("/", "~")):
        return None
    joined = posixpath.normpath(posixpath.join(folder, path))
    return None if joined == ".." or joined.startswith("../") else joined.removeprefix("./")


def _interpolated(value: Any, env: Mapping[str, str]) -> Any:
    """A copy of ``value`` with its variables expanded now (and ``$`` kept literal after)."""
    if isinstance(value, str):
        return expand(value, env).replace("$", "$$") if "$" in value else value
    if isinstance(value, dict):
        return {key: _interpolated(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolated(item, env) for item in value]
    return value


def _env(
    entry: Mapping[str, Any], folder: str, ctx: Context
) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """The included project's variables: the including project's, then its env files';
    and where each was set."""
    named = [_join(ctx.folder, expand(f, ctx.env)) for f in _strings(entry.get("env_file"))]
    files = [f for f in named if f] or [f"{folder}/.env" if folder else ".env"]
    own: dict[str, str] = {}
    set_at: dict[str, tuple[str, int]] = {}
    for path in files:
        text = ctx.env_text(path) if ctx.env_text is not None else None
        if text is not None:
            parsed = envfile.parse(path, text, ctx.env)
            own.update(parsed.values)
            set_at.update((name, (path, line)) for name, line in parsed.lines.items())
    return {**own, **ctx.env}, {**set_at, **ctx.set_at}


def apply(model: FileModel, ctx: Context, build: Build, problems: list[Finding]) -> None:
    """Import every project ``model``'s ``include:`` names into it."""
    data, origins = model.merger.data, model.merger.origins
    if "include" not in data:
        return
    entries = data.pop("include")
    if not isinstance(entries, list):
        message = "include: must be a list of files or of mappings with a path"
        problems.append(invalid(model.path, origins.get(("include",)), "schema", message))
        return
    for i, written in enumerate(entries):
        spans = origins.get(("include", i))
        entry = written if isinstance(written, dict) else {"path": written}
        if not _strings(entry.get("path")):
            message = "an include entry needs a path"
            problems.append(invalid(model.path, spans, "schema", message))
            continue
        paths = [_join(ctx.folder, expand(p, ctx.env)) for p in _strings(entry.get("path"))]
        files: list[YamlFile] = []
        ctx.budget[0] -= 1
        for shown, path in zip(_strings(entry.get("path")), paths, strict=True):
            parsed = ctx.load(path) if path is not None and ctx.load is not None else None
            too_many = len(ctx.chain) >= MAX_DEPTH or ctx.budget[0] < 0
            if parsed is None or path in ctx.chain or too_many:
                why = (
                    "includes itself"
                    if path in ctx.chain
                    else "is past the include limit"
                    if too_many
                    else "cannot be read"
                )
                message = f"included file {shown!r} {why}"
                problems.append(invalid(model.path, spans, "include", message))
                files = []
                break
            files.append(parsed)
        if not files:
            continue
        first = paths[0] or ""
        directory = entry.get("project_directory")
        folder = (
            _join(ctx.folder, expand(scalar_text(directory), ctx.env)) or ctx.folder
            if directory is not None
            else posixpath.dirname(first)
        )
        env, set_at = _env(entry, folder, ctx)
        chain = (*ctx.chain, model.path)
        inner = Context(folder, env, ctx.load, ctx.env_text, chain, ctx.budget, set_at, ctx.cited)
        project, found = build(files, inner.env, inner)
        problems.extend(found)
        if project is not None:
            _import(model, project, inner, problems, spans)


def _cite(value: Any, ptr: Pointer, project: ComposeProject, ctx: Context) -> None:
    """Record where the variables of each text in ``value`` (at ``ptr``) were set."""
    if isinstance(value, str):
        spans = project.origins.get(ptr) if "$" in value else None
        cited = project.variables_set(value, ctx.set_at) if spans is not None else ""
        if spans is not None and cited:
            ctx.cited.setdefault((spans.path, spans.value.start), cited)
    elif isinstance(value, dict):
        for key, item in value.items():
            _cite(item, (*ptr, key), project, ctx)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _cite(item, (*ptr, index), project, ctx)


def _import(
    model: FileModel,
    project: ComposeProject,
    ctx: Context,
    problems: list[Finding],
    spans: Any,
) -> None:
    env = ctx.env
    data, origins = model.merger.data, model.merger.origins
    for section in RESOURCES:
        theirs = project.data.get(section)
        if not isinstance(theirs, dict):
            continue
        ours = data.get(section)
        if not isinstance(ours, dict):
            ours = data[section] = {}
            if (section,) not in origins and (section,) in project.origins:
                origins[(section,)] = project.origins[(section,)]
        for name, value in theirs.items():
            ptr = (section, name)
            copied = _interpolated(value, env)
            if name in ours:
                if ours[name] != copied and ours[name] != value:
                    message = f"{section}.{name} conflicts with the one {project.name} defines"
                    where = origins.get(ptr) or spans
                    problems.append(invalid(model.path, where, "include-conflict", message))
                continue
            ours[name] = copied
            _cite(value, ptr, project, ctx)
            move(value, ptr, ptr, project.origins, origins)
            n = len(ptr)
            for sub, also in project.also.items():
                if sub[:n] == ptr:
                    model.merger.also[sub] = list(also)
