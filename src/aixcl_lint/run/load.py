"""Reading and parsing each file once, and building compose projects from them."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

from aixcl_lint import discover, fsio, globs
from aixcl_lint.config import Settings
from aixcl_lint.core import Finding, Kind, matchable
from aixcl_lint.documents import source
from aixcl_lint.kinds.base import Document, Unit
from aixcl_lint.kinds.markdown import NAME as MARKDOWN
from aixcl_lint.run import gitfiles, sources
from aixcl_lint.run.composereads import ComposeReads
from aixcl_lint.run.outlines import Outlines
from aixcl_lint.run.plan import kinds
from aixcl_lint.suppress.directives import MARKER

if TYPE_CHECKING:  # pyromark is imported only by runs that read Markdown, YAML
    # modules by runs that read YAML files
    from aixcl_lint.documents import mdtree, mkdocs, yamltree
    from aixcl_lint.documents.markdown import MarkdownDocument
    from aixcl_lint.documents.outline import Outline


KEEP_CHARS = 2_000_000
"""Most characters of Markdown a loader keeps parsed for units still to come (their
parses take about five times as many bytes). On the medium corpus this leaves 386 of
826 linked files read twice with one job (4 MB: 108; nothing kept: all 826)."""


class Loader(ComposeReads):
    """Reads and parses each file at most once; collects the problems found doing so."""

    def __init__(self, settings: Settings, files: discover.Files | None = None) -> None:
        self.settings = settings
        self.classify = kinds(settings)
        self.problems: list[Finding] = []
        self.scanned: dict[str, bool] = {}
        """Files read since the last step ended (``run.scans``), and whether each holds
        an inline directive's marker."""
        self.yaml: dict[str, yamltree.YamlFile] = {}
        self.parsed: dict[str, yamltree.YamlFile] = {}
        """The last ``composereads.KEEP_PARSES`` files forgotten, by path: one read again with the
        same text (the same digest) is not parsed again."""
        self.composed: set[str] = set()
        """YAML files parsed or asked for (a compose project's files, those it extends
        or includes) since the last step ended: ``run.projectreads``."""
        self.env: dict[str, dict[str, str]] = {}
        self.env_texts: dict[str, str | None] = {}
        self._lines: tuple[str, list[str]] | None = None
        """The lines of the file last asked for (code frames and fingerprints read the
        files with findings one after another; no file's text is kept longer)."""
        self.present: dict[str, bool] = {}
        self.outlines = Outlines()
        self.expected: dict[str, bool] = {}
        """Markdown files units still to come will load, with whether in full."""
        self.kept: dict[str, tuple[MarkdownDocument, int, bool]] = {}
        """Those parsed already for a link's outline, their length in characters and
        whether each holds an inline directive's marker (its unit's step does not read
        it again, yet says so: suppression need not read it again either)."""
        self.kept_chars = 0
        self.documents: dict[tuple[Kind, str], Document | None] = {}
        """Other files loaded as documents (``run.sources``)."""
        self._files = files
        """The repository's files, shared with the plan (git is asked once a run)."""
        self.sites: dict[str, mkdocs.Site | None] = {}
        self._root = str(settings.root)
        self.confined = fsio.Confined(settings.root)
        """Where paths lead: each folder resolved once a run."""
        self._templates: globs.Spec | None = None
        self._generated: globs.Spec | None = None
        self._labels: dict[str, dict[str, str]] = {}
        """Each Sphinx project's explicit targets, by its source folder."""

    def read(self, rel: str) -> source.Source | None:
        """A file's text, or None (with a finding) if it cannot be scanned."""
        loaded = self._source(rel)
        if isinstance(loaded, Finding):
            self.problems.append(loaded)
            return None
        self.scanned[rel] = MARKER in loaded.text
        return loaded

    def _source(self, rel: str) -> source.Source | Finding:
        """Read a file of the repository: never a FIFO or device, never outside it; the
        file named for standard input is read from there."""
        stdin = self.settings.stdin
        if stdin is not None and stdin[0] == rel:
            return source.decode(rel, stdin[1], self.settings.max_file_bytes)
        full = os.path.join(self._root, rel)  # (pathlib's joins cost more than reading)
        try:
            data = self._bytes(rel, full)
        except fsio.Refused as refused:
            return source.refusal(rel, refused)
        return source.decode(rel, data, self.settings.max_file_bytes)

    def _bytes(self, rel: str, full: str) -> bytes:
        """The bytes of the repository's file ``rel`` (at ``full``), as a unit reads them
        (a recorder keeps their digest)."""
        return fsio.read_regular(full, self.settings.max_file_bytes, confined=self.confined)

    def mentions(self, rel: str, marker: str) -> bool:
        """Whether a file's bytes hold ``marker`` (read raw: no decoding, no lines)."""
        if self._lines is not None and self._lines[0] == rel:
            return any(marker in line for line in self._lines[1])
        if self.settings.stdin is not None and self.settings.stdin[0] == rel:
            return marker.encode() in self.settings.stdin[1]
        try:
            return marker.encode() in fsio.read_regular(
                os.path.join(self._root, rel), self.settings.max_file_bytes, confined=self.confined
            )
        except fsio.Refused:
            return False

    def _lines_of(self, rel: str) -> list[str]:
        """A file's lines, without reporting a file that cannot be read again (read now
        unless it is the file last asked for)."""
        if self._lines is None or self._lines[0] != rel:
            loaded = self._source(rel)
            found = loaded.text.splitlines() if isinstance(loaded, source.Source) else []
            self._lines = (rel, found)
        return self._lines[1]

    def text(self, rel: str) -> str | None:
        """A file's whole text, without reporting a file that cannot be read again."""
        return "\n".join(self._lines_of(rel))

    def line_text(self, rel: str, line: int) -> str:
        """One line of a file."""
        lines = self._lines_of(rel)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def repository(self) -> mdtree.Repository:
        """This loader answers documents' questions about other files."""
        return self

    def inventory(self) -> list[dict[str, Any]]:
        """The run's files and every tracked file, with size and git's view of each."""
        return gitfiles.inventory(self.settings.root, self.files)

    def expect(self, units: Iterable[Unit]) -> None:
        """The units this loader will load, in order: a Markdown file one of them reads,
        linked before its turn, is parsed then (as its unit reads it) and kept for it."""
        self.expected = {u.paths[0]: u.reads is None for u in units if u.kind == MARKDOWN}

    def markdown(self, rel: str, *, full: bool = True) -> MarkdownDocument | None:
        """A Markdown file, parsed (None if it cannot be read; without ``full``, only
        what every file needs: ``documents.mdscan``). Not kept, unless parsed for its
        outline before its own unit's turn (then until that turn): its outline is."""
        self.expected.pop(rel, None)
        kept = self.kept.pop(rel, None)
        if kept is not None and kept[0].full == full:
            self.kept_chars -= kept[1]
            self.scanned[rel] = kept[2]
            self.flavour(rel)  # what its parse read (a recording loader notes it)
            self.problems.extend(kept[0].problems)
            return kept[0]
        text = self.read(rel)
        if text is None:
            return None
        doc = self._parse(rel, text.text, full=full)
        self.problems.extend(doc.problems)
        return doc

    def _parse(self, rel: str, text: str, *, full: bool) -> MarkdownDocument:
        """Parse a Markdown text and note its outline."""
        from aixcl_lint.documents.markdown import parse as parse_markdown

        doc = parse_markdown(rel, text, self.flavour(rel), full=full)
        data = doc.data
        names = [h["slug"] for h in data["headings"]] + [a["name"] for a in data["anchors"]]
        numbers = [h["number"] for h in data["headings"] if h["number"]]
        self.outlines.keep(rel, (n.lower() for n in names), numbers)
        return doc

    @property
    def files(self) -> discover.Files:
        """The repository's files (git is asked once, when first needed)."""
        return self._listing()

    def _listing(self) -> discover.Files:
        # (Not the property: a result cache records a question about the whole list
        # there, and an existence answer depends on the one path's standing alone.)
        if self._files is None:
            self._files = discover.Files(self.settings.root)
        return self._files

    # The Repository protocol, for Markdown documents' questions about other files.

    def exists(self, path: str) -> bool:
        """Whether ``path`` is a file or folder inside the repository."""
        if self.settings.stdin is not None and self.settings.stdin[0] == path:
            return True
        found = self.present.get(path)
        if found is None:
            if self.settings.generated and self._built(path):
                found = self.present[path] = True  # there once the site is built
                return found
            inside = self.confined.inside(os.path.join(self._root, path))
            found = self.present[path] = inside and not self.ignored(path)
        return found

    def _built(self, path: str) -> bool:
        """Whether a build makes the file at ``path`` (the ``generated`` setting)."""
        if self._generated is None:
            self._generated = globs.spec(list(self.settings.generated))
        return self._generated.match_file(matchable(path))

    def ignored(self, path: str, is_dir: bool | None = None) -> bool:
        """Whether what stands at ``path`` is a file git ignores and does not track: a
        clone, CI and GitHub do not have it, so a link to it is broken there too. Once
        git's whole list is known it answers; before (a run on named files), git is asked
        only about a file a ``.gitignore`` names."""
        files = self._listing()
        held = files.holds(path)
        if held is None:
            held = not files.ignores.ignored(path, is_dir=False) or files.listed(path)
        if held:
            return False
        return not (os.path.isdir(os.path.join(self._root, path)) if is_dir is None else is_dir)

    def anchors(self, path: str) -> AbstractSet[str] | None:
        """Heading slugs and HTML anchors of a Markdown file."""
        found = self._outline(path)
        return found.anchors if found else None

    def numbers(self, path: str) -> AbstractSet[str] | None:
        """Section numbers of a Markdown file's headings."""
        found = self._outline(path)
        return found.numbers if found else None

    def _outline(self, path: str) -> Outline | None:
        """A linked Markdown file's outline: kept when this run parsed it, else read
        lightly from its headings."""
        if not path.endswith((".md", ".markdown")) or not self.exists(path):
            return None
        if self.settings.generated and self._built(path):
            return None  # its headings are the build's: not known before it
        if path not in self.outlines:
            from aixcl_lint.documents.outline import outline

            text = self.read(path)
            if text is None:
                self.outlines.keep_outline(path, None)
            elif path in self.expected and self.kept_chars + len(text.text) <= KEEP_CHARS:
                # its own unit comes later: parsed once, for both
                doc = self._parse(path, text.text, full=self.expected[path])
                self.kept[path] = (doc, len(text.text), MARKER in text.text)
                self.kept_chars += len(text.text)
            else:
                self.outlines.keep_outline(path, outline(text.text, self.flavour(path)))
        return self.outlines.get(path)

    def flavour(self, rel: str) -> str:
        """The flavour a Markdown file is read in: the configured one, or (``auto``) the
        MkDocs site's (or MyST Sphinx project's, or Hugo site's) whose pages hold it, or
        GitHub's."""
        if self.settings.markdown_flavour != "auto":
            return self.settings.markdown_flavour
        folder = rel.rpartition("/")[0]
        while True:
            found = self._site(folder)
            if found is not None:
                return found.flavour if found.holds(rel) else "github"
            if not folder:
                return "github"
            folder = folder.rpartition("/")[0]

    def _site(self, folder: str) -> mkdocs.Site | None:
        """The MkDocs site whose ``mkdocs.yml`` is in ``folder``, or else the Sphinx
        project whose ``conf.py`` there enables MyST, or else the Hugo site configured
        there, if there is one."""
        if folder not in self.sites:
            from aixcl_lint.documents import mkdocs

            self.sites[folder] = None
            for name in mkdocs.NAMES:
                rel = f"{folder}/{name}" if folder else name
                if os.path.isfile(os.path.join(self._root, rel)):
                    found = mkdocs.site(rel, self.text(rel) or "", self._existing_text)
                    if found.problem is not None:
                        self.problems.append(found.problem)
                    self.sites[folder] = found
                    break
            else:
                self.sites[folder] = self._sphinx(folder) or self._hugo(folder)
        return self.sites[folder]

    def _hugo(self, folder: str) -> mkdocs.Site | None:
        """The Hugo site whose configuration is in ``folder``, if any (only a folder
        holding ``content/``, its pages, is looked at: one question, not nine)."""

        def here(name: str) -> str:
            return f"{folder}/{name}" if folder else name

        if not os.path.isdir(os.path.join(self._root, here("content"))):
            return None
        from aixcl_lint.documents import hugo

        def is_folder(name: str) -> bool:
            return os.path.isdir(os.path.join(self._root, here(name)))

        return hugo.site(folder, lambda name: self._existing_text(here(name)), is_folder)

    def _sphinx(self, folder: str) -> mkdocs.Site | None:
        """The Sphinx project whose ``conf.py`` in ``folder`` enables MyST, if any."""
        rel = f"{folder}/conf.py" if folder else "conf.py"
        if not os.path.isfile(os.path.join(self._root, rel)):
            return None
        from aixcl_lint.documents import sphinx

        return sphinx.project(folder, self.text(rel) or "")

    def project(self, path: str) -> str | None:
        """The source folder of the Sphinx project whose MyST pages hold ``path`` (the
        root when the flavour is set to ``myst``), or the ``content`` folder of the Hugo
        site whose pages hold it; None if there is none."""
        setting = self.settings.markdown_flavour
        if setting not in ("auto", "hugo"):
            return "" if setting == "myst" else None
        folder = path.rpartition("/")[0]
        while (found := self._site(folder)) is None and folder:
            folder = folder.rpartition("/")[0]
        if found is None or found.flavour not in ("myst", "hugo"):
            return None
        return found.docs_dir if setting in ("auto", found.flavour) else None

    def labels(self, folder: str) -> Mapping[str, str]:
        """The explicit targets of the Sphinx project in ``folder``, each with the file
        that defines it (``sphinx.labels``)."""
        if folder not in self._labels:
            from aixcl_lint.documents import sphinx

            def read(rel: str) -> str | None:  # (one it cannot read: its unit's finding)
                found = self._source(rel)
                return found.text if isinstance(found, source.Source) else None

            self._labels[folder] = sphinx.project_labels(self._listing().under(folder), read)
        return self._labels[folder]

    def _existing_text(self, rel: str) -> str | None:
        """A repository file's text; None if there is no such file."""
        return self.text(rel) if os.path.isfile(os.path.join(self._root, rel)) else None

    def is_template(self, rel: str) -> bool:
        """Whether a document is a template GitHub renders elsewhere (an issue form)."""
        if self._templates is None:  # compiled on first use: only a run on Markdown asks
            self._templates = globs.spec([glob.lower() for glob in self.settings.templates])
        return self._templates.match_file(matchable(rel.lower()))

    def document(self, kind: Kind, path: str) -> Document | None:
        """Another file as a document of ``kind``, loaded once (``run.sources``)."""
        return sources.document(self, kind, path)

    def file_bytes(self, rel: str) -> bytes | None:
        """A repository file's bytes (``run.sources``)."""
        return sources.file_bytes(self, rel)


def found_lines(loader: Loader, findings: Iterable[Finding]) -> dict[tuple[str, int], str]:
    """The text of the line each finding starts on, by path and line: each file is read
    once (through ``line_text``), and only these lines are kept."""
    wanted = sorted({(f.path, f.line) for f in findings})
    return {(rel, line): loader.line_text(rel, line) for rel, line in wanted}
