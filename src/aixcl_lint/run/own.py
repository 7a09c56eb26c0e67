"""The run's own inputs beside the repository's files: which named files are its config
and policies, policies left where none are loaded, and rule ids the tool keeps for itself."""

from __future__ import annotations

from aixcl_lint import discover
from aixcl_lint.config import Settings
from aixcl_lint.documents.problems import PROBLEMS
from aixcl_lint.policy.model import Pack, PolicyError
from aixcl_lint.suppress import SUPPRESS_PROBLEMS, WAIVERS_FILE


def own_input(settings: Settings, rel: str) -> bool:
    """Whether a named file is one the run reads for itself (its config, a policy): a
    pre-commit hook passes them when they change, and loading them is their check."""
    own = [settings.policy_folder, WAIVERS_FILE, settings.config_file or ""]
    own += [discover.relative(settings.root, p) or "" for p in settings.policy_paths]
    return any(o and (rel == o or rel.startswith(o.rstrip("/") + "/")) for o in own)


def stray_policies(settings: Settings) -> tuple[str, ...]:
    """A warning when the policy folder is missing but the folder it would be in holds
    YAML files (``.aixcl-lint/policy/team.yaml``): policies nobody loads."""
    own = settings.root / settings.policy_folder
    parent = own.parent
    if own.is_dir() or parent == settings.root or not parent.is_dir():
        return ()
    stray = sorted(p for p in parent.rglob("*") if p.suffix in (".yaml", ".yml"))
    if not stray:
        return ()
    shown = discover.relative(settings.root, stray[0]) or str(stray[0])
    more = f" and {len(stray) - 1} more" if len(stray) > 1 else ""
    return (
        f"{shown}{more}: not loaded; policies are read from {settings.policy_folder}/ "
        "(or the config's policy-folder), which does not exist",
    )


def missing_projects(settings: Settings) -> tuple[str, ...]:
    """A warning for each file the config's ``compose-projects`` names that is not a file
    (the docs' example pasted into a repository without ``deploy/base.yaml``): the
    project is checked without it, or not at all."""
    if not settings.compose_projects:
        return ()
    where, line = settings.where("compose-projects")
    at = f"{where}:{line}" if line else where
    named = dict.fromkeys(p for group in settings.compose_projects for p in group)
    return tuple(
        f"{at}: compose-projects names {path}, which is not a file; its project is checked "
        "without it"
        for path in named
        if not (settings.root / path).is_file()
    )


def not_own_ids(pack: Pack) -> None:
    """A rule may not take an id aixcl-lint itself reports (``yaml/parse-error``): its
    findings would be mixed with the tool's, and ``--ignore`` would hide both."""
    own = {rule.split("[", 1)[0] for rule in (*PROBLEMS, *SUPPRESS_PROBLEMS)}
    for rule in pack.rules:
        if rule.id in own:
            message = f"rule id {rule.id!r} is one aixcl-lint itself reports; choose another"
            raise PolicyError(rule.source, rule.line, message)
