"""What ``init`` learns about a repository before writing its config."""

from __future__ import annotations

from dataclasses import dataclass

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.documents import compose
from aixcl_lint.run.load import Loader, compose_documents, compose_groups

INVARIANTS_DOCUMENTS = (
    "docs/architecture/governance/00_invariants.md",
    "docs/governance/00_invariants.md",
    "docs/invariants.md",
    "INVARIANTS.md",
)
"""Where an AIXCL-style repository writes down its platform invariants."""


@dataclass(frozen=True)
class Survey:
    """The compose services found, how many use host networking, the invariants file."""

    services: int
    host_networked: int
    invariants: str | None

    @property
    def aixcl_style(self) -> bool:
        """Whether the repository looks like an AIXCL platform: it writes invariants
        down, or most of its services already use host networking."""
        return self.invariants is not None or (
            self.services > 0 and self.host_networked * 2 > self.services
        )


def survey(settings: Settings) -> Survey:
    """Count the effective compose services of the repository and their network modes."""
    files = list(discover.walk(discover.Files(settings.root)))
    loader = Loader(settings)
    services = host = 0
    for document in compose_documents(loader, compose_groups(settings, files)):
        project = document.tree
        if isinstance(project, compose.ComposeProject):
            for _name, service in project.services():
                services += 1
                host += project.interpolate(service.get("network_mode", "")) == "host"
    invariants = next((p for p in INVARIANTS_DOCUMENTS if (settings.root / p).is_file()), None)
    return Survey(services, host, invariants)
