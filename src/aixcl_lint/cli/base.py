"""Shared pieces of the command line: settings, errors, output.

The command group and the click types are in ``cli.group``."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from aixcl_lint.config import Settings
    from aixcl_lint.inputs import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("auto", "text", "json", "sarif", "github", "junit")
SEVERITIES = ("error", "warning", "info")


def echo(text: str, *, nl: bool = True, err: bool = False, colour: bool | None = None) -> None:
    """``click.echo``, imported when first written with (the commands import click)."""
    import click

    click.echo(text, nl=nl, err=err, color=colour)


def _fail(message: str) -> NoReturn:
    from aixcl_lint.core import visible

    echo(f"aixcl-lint: error: {visible(message)}", err=True)
    sys.exit(EXIT_ERROR)


def _fail_input(exc: InputError) -> NoReturn:
    """An unusable input file: labelled by what it is (config, waivers, baseline...);
    one that cannot be read at all says so in its own words."""
    _fail(f"invalid {exc.what}: {exc}" if exc.line else str(exc))


def _root_for(paths: tuple[Path, ...]) -> Path:
    """The repository around the current folder, or around the named paths when they
    lie in another one. A named symlink counts where it stands, never where it leads:
    following it would move the root (and the "inside the repository" checks) to its
    target."""
    from aixcl_lint.discover import find_root, standing

    root = find_root(Path.cwd())
    places = [standing(p) for p in paths]  # as written: no symlink followed but for `..`
    outside = [(p, w) for p, w in zip(paths, places, strict=True) if not w.is_relative_to(root)]
    if not outside:
        return root
    first, where = outside[0]

    def folder(place: Path) -> Path:
        return place if place.is_dir() and not place.is_symlink() else place.parent

    root = find_root(folder(where))
    if root == Path(root.anchor) and not (root / ".git").exists():
        # A path that leads to the filesystem's root (`link/..` where link -> /) would
        # make the whole filesystem the repository: refuse, as git would find none.
        _fail(f"{first}: outside any repository (it is the filesystem root {root})")
    stray = [p for p, w in zip(paths, places, strict=True) if find_root(folder(w)) != root]
    if stray:
        _fail(f"{stray[0]}: not in the same repository as {first} ({root})")
    return root


def _use_colour(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return os.environ.get("TERM") != "dumb" and sys.stdout.isatty()


def _config_start(paths: tuple[Path, ...]) -> Path:
    """Where the config search starts: the folder holding every named path (the
    config nearest to the files, as ruff finds it), else the current folder."""
    if not paths:
        return Path.cwd()
    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in paths]
    return Path(os.path.commonpath(folders))


def _settings(paths: tuple[Path, ...], config: Path | None, no_config: bool) -> Settings:
    """Defaults, then the config file (found, or named with ``--config``)."""
    from aixcl_lint import fsio
    from aixcl_lint.config import ConfigError, Settings, find_config, load
    from aixcl_lint.discover import location

    root = _root_for(paths)
    settings = Settings(root=root)
    try:
        found = None if no_config else (config or find_config(_config_start(paths), root))
    except ConfigError as exc:
        _fail_input(exc)
    if found is None:
        return settings
    if not os.path.lexists(found):
        _fail(f"{found}: no such config file")
    # A config named on the command line from outside the repository is the user's own:
    # it may name paths outside the repository. One inside it is the repository's.
    trusted = config is not None and not location(config).is_relative_to(root)
    if not trusted and not Path(os.path.realpath(found)).is_relative_to(root):
        # The repository's own config, leading elsewhere: never read (its errors
        # would quote a file outside the repository).
        shown = os.path.relpath(location(found), root)
        _fail(f"{shown}: {fsio.OUTSIDE}")
    try:
        return load(found, settings, trusted=trusted)
    except ConfigError as exc:
        _fail_input(exc)


def _entries(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(e.strip() for v in values for e in v.split(",") if e.strip())


WRITE_CHARS = 1 << 16
"""Output pieces are written once this much text has gathered."""


def _write(text: str | Iterable[str], output: Path | None, colour: bool) -> None:
    """Write ``text`` (or its pieces, as they come) to ``output`` or standard output."""
    pieces = (text,) if isinstance(text, str) else text
    if output is None:
        for chunk in _gathered(pieces):
            echo(chunk, nl=False, colour=colour)
        return
    try:
        with output.open("w", encoding="utf-8") as handle:
            handle.writelines(pieces)
    except OSError as exc:
        _fail(f"cannot write {output}: {exc.strerror or exc}")


def _gathered(pieces: Iterable[str]) -> Iterator[str]:
    """``pieces`` joined into runs of about ``WRITE_CHARS`` characters."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size >= WRITE_CHARS:
            yield "".join(held)
            held, size = [], 0
    if held:
        yield "".join(held)


def _pack_for_listing(policies: tuple[Path, ...], no_builtin: bool) -> Any:
    from aixcl_lint.policy.model import PolicyError
    from aixcl_lint.run import load_policies

    settings = _settings((), None, False)
    settings = settings._replace(
        policy_paths=(*settings.policy_paths, *policies),
        builtin=settings.builtin and not no_builtin,
    )
    try:
        return load_policies(settings, every_profile=True)
    except PolicyError as exc:
        _fail(f"invalid policy: {exc}")
