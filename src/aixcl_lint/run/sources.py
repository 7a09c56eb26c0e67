"""Other files as documents, for checks that relate a document to another file (a
relation's other side, a mirrored file): loaded through the kinds registry, as a run
loads its own files, and each at most once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aixcl_lint import discover, fsio
from aixcl_lint.core import Kind
from aixcl_lint.kinds import KINDS
from aixcl_lint.kinds.base import Document, Planned
from aixcl_lint.run.units import env_reader

if TYPE_CHECKING:
    from aixcl_lint.run.load import Loader


def repository_path(path: str) -> str | None:
    """``path`` as a repository path, or None when a policy's template made it anything
    else (absolute, leaving the root, a control character)."""
    path = path.removeprefix("./")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or ".." in path.split("/")
        or any(ord(c) < 32 or ord(c) == 127 for c in path)
    ):
        return None
    return path


def document(loader: Loader, kind: Kind, path: str) -> Document | None:
    """The document of ``kind`` that ``path`` is (a compose file: the project it belongs
    to, its overrides merged); None when it is no such file."""
    clean = repository_path(path) if path != "." else path
    if clean is None:
        return None
    key = (kind, clean)
    if key not in loader.documents:
        loader.documents[key] = _load(loader, kind, clean)
    return loader.documents[key]


def _load(loader: Loader, kind: Kind, path: str) -> Document | None:
    spec = KINDS.get(kind)
    root = loader.settings.root
    if spec is None or not loader.exists(path):
        return None
    if spec.repository_wide:  # the tree: the repository, whatever the path
        units = spec.units(Planned({}, {}))
    else:
        if not (root / path).is_file():
            return None
        context: dict[str, Kind | None] = {}
        if spec.context:
            folder = path.rpartition("/")[0]
            near = discover.siblings(loader.files, [folder], loader.classify, (kind,))
            context = {f.path: f.kind for f in near if f.path != path}
        planned = Planned(
            {path: kind},
            context,
            globs=("/" + path,),
            compose_projects=loader.settings.compose_projects,
            root_files=lambda rel: (root / rel).is_file(),
            env_text=env_reader(loader.settings),
        )
        units = [unit for unit in spec.units(planned) if path in unit.paths]
    for found in spec.load(loader, units[:1]):
        return found
    return None


def file_bytes(loader: Loader, rel: str) -> bytes | None:
    """A repository file's bytes, read as every file is (regular files inside the root,
    bounded); None if it cannot be read."""
    root, clean = loader.settings.root, repository_path(rel)
    if clean is None:
        return None
    try:
        return fsio.read_regular(root / clean, loader.settings.max_file_bytes, root)
    except (fsio.Refused, OSError):
        return None
