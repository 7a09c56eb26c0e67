"""What ``init`` learns about a repository before writing its config."""

from __future__ import annotations

from aixcl_lint.config import Settings
from aixcl_lint.documents import compose
from aixcl_lint.kinds import compose as compose_kind
from aixcl_lint.kinds.base import Planned
from aixcl_lint.records import record
from aixcl_lint.run import lookalikes
from aixcl_lint.run.load import Loader
from aixcl_lint.run.plan import configured, plan
from aixcl_lint.run.projectreads import read_by_projects
from aixcl_lint.run.units import env_reader

INVARIANTS_DOCUMENTS = (
    "docs/architecture/governance/00_invariants.md",
    "docs/governance/00_invariants.md",
    "docs/invariants.md",
    "INVARIANTS.md",
)
"""Where an AIXCL-style repository writes down its platform invariants."""
VENDORED = frozenset(
    {
        "vendor",
        "vendors",
        "node_modules",
        "bower_components",
        "jspm_packages",
        "third_party",
        "third-party",
        "thirdparty",
        "3rdparty",
    }
)
"""Folder names that hold other projects' code (Composer, Go, npm, Bazel's habit)."""


@record
class Survey:
    """The compose services found, how many use host networking, the invariants file."""

    services: int
    host_networked: int
    invariants: str | None
    vendored: tuple[tuple[str, int], ...] = ()
    """Vendored folders (``data/lib/vendor/``) and how many files to lint each holds."""
    lookalikes: tuple[str, ...] = ()
    """YAML files that look like Compose files but no compose project reads
    (``stack.yml``): what ``compose-files`` should name."""

    @property
    def aixcl_style(self) -> bool:
        """Whether the repository looks like an AIXCL platform: it writes invariants
        down, or most of its services already use host networking."""
        return self.invariants is not None or (
            self.services > 0 and self.host_networked * 2 > self.services
        )


def survey(settings: Settings) -> Survey:
    """Count the effective compose services of the repository and their network modes."""
    planned = plan(settings, [])
    kind = compose_kind.SPEC
    facts = Planned(
        {f.path: f.kind for f in planned.files},
        {},
        compose_projects=settings.compose_projects,
        root_files=lambda rel: (settings.root / rel).is_file(),
        env_text=env_reader(settings),
    )
    loader = Loader(settings, planned.listing)
    services = host = 0
    units = kind.units(facts)
    read = read_by_projects(settings, units, planned.listing, configured(settings))
    for document in kind.load(loader, units):
        project = document.tree
        if isinstance(project, compose.ComposeProject):
            for _name, service in project.services():
                services += 1
                host += project.interpolate(service.get("network_mode", "")) == "host"
    invariants = next((p for p in INVARIANTS_DOCUMENTS if (settings.root / p).is_file()), None)
    return Survey(
        services,
        host,
        invariants,
        vendored([f.path for f in planned.files]),
        tuple(lookalikes.found(settings.root, planned.others, read)),
    )


def vendored(paths: list[str]) -> tuple[tuple[str, int], ...]:
    """The outermost vendored folders holding some of ``paths``, with their counts."""
    counts: dict[str, int] = {}
    for path in paths:
        parts = path.split("/")[:-1]
        at = next((i for i, part in enumerate(parts) if part.lower() in VENDORED), None)
        if at is not None:
            folder = "/".join(parts[: at + 1]) + "/"
            counts[folder] = counts.get(folder, 0) + 1
    return tuple(sorted(counts.items()))
