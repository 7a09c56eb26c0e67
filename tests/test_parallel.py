"""--jobs: worker processes give byte-identical output to a single process."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from conftest import run_cli

Repo = Callable[[Mapping[str, str | bytes]], Path]


def _corpus(projects: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for i in range(projects):
        mode = "host" if i % 3 else "bridge"
        files[f"stack{i:03}/compose.yaml"] = (
            "x-base: &base\n  restart: always\n"
            f"services:\n  app{i}:\n    <<: *base\n    image: app:{i}.0\n"
            f"    network_mode: {mode}\n"
        )
        if i % 4 == 0:
            files[f"stack{i:03}/compose.override.yaml"] = (
                f"services:\n  app{i}:\n    ports: ['{8000 + i}:80']\n"
            )
        if i % 5 == 0:
            files[f"stack{i:03}/compose.prod.yaml"] = (
                f"services:\n  extra{i}:\n    image: extra:latest\n"
            )
    return files


def test_jobs_give_the_same_report_as_one_process(repo: Repo) -> None:
    root = repo(_corpus(240))
    args = ("check", "--profile", "aixcl", "--format", "json")
    one = run_cli(*args, "--jobs", "1", cwd=root)
    two = run_cli(*args, "--jobs", "2", cwd=root)
    assert one.code == two.code == 1
    assert one.out == two.out
    rules = [f[0] for f in one.findings()]
    assert rules.count("compose/network-mode-host") == 80 + 48  # bridge + extras without mode
    assert rules.count("compose/no-port-mappings") == 60
    assert rules.count("compose/image-pinned[latest]") == 48
