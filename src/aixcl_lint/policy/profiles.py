"""Profiles of the built-in pack: which of its rules and sub-ids a run uses.

``general`` suits any repository: image pinning, Markdown integrity, a security policy
that exists and names a private reporting channel, what it states held true, and file
problems. ``aixcl`` adds the AIXCL platform's invariants (host networking, no port
mappings, no custom networks) and the parts AIXCL asks of its security policy (supported
versions, an answer within 72 hours, disclosure 7 days after a fix, the scope, a
README link): real policies of other projects leave them out on purpose. A profile
includes the one it extends. Rules of other packs (the repository's own policies)
belong to every profile.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the names alone are read before a pack loads (``cli.fast``)
    from aixcl_lint.policy.model import Pack, Rule

DEFAULT = "general"


class Profile(NamedTuple):
    """A named set of built-in rule ids (or sub-ids) on top of the profile it extends."""

    name: str
    description: str
    ids: tuple[str, ...] = ()
    extends: str | None = None


PROFILES: dict[str, Profile] = {
    "general": Profile(
        "general",
        "rules for any repository: image pinning, Markdown links, anchors and headings, "
        "a security policy with a private reporting channel, file problems",
    ),
    "aixcl": Profile(
        "aixcl",
        "general, plus the AIXCL platform's invariants: host networking, no port "
        "mappings, no custom networks, and every part of AIXCL's security policy",
        ids=(
            "compose/network-mode-host",
            "compose/no-port-mappings",
            "compose/no-custom-networks",
            "security/policy-present[readme-link]",
            "security/policy-present[readme-not-markdown]",
            "security/supported-versions[section]",
            "security/supported-versions[notes]",
            "security/reporting[response-time]",
            "security/reporting[subject]",
            "security/disclosure",
            "security/scope",
        ),
        extends="general",
    ),
}
"""Profiles by name; each id names a built-in rule (all its sub-ids) or one sub-id."""


def chain(name: str) -> tuple[str, ...]:
    """The profile and those it extends, itself first."""
    names: list[str] = []
    current: str | None = name
    while current is not None and current not in names:
        names.append(current)
        current = PROFILES[current].extends
    return tuple(names)


def profile_of(rule_id: str) -> str:
    """The profile that brings in a built-in rule id or sub-id (``general`` if none)."""
    base = rule_id.split("[", 1)[0]
    for profile in PROFILES.values():
        if rule_id in profile.ids or base in profile.ids:
            return profile.name
    return DEFAULT


def elsewhere(rule_id: str, name: str) -> bool:
    """Whether a built-in rule id or sub-id belongs to a profile ``name`` does not use."""
    return profile_of(rule_id) not in chain(name)


def is_builtin(rule: Rule) -> bool:
    """Whether a rule comes from the built-in pack (the only one profiles sort)."""
    return rule.source.startswith("<builtin>")


def rule_profile(rule: Rule) -> str:
    """A rule's profile: its own, or ``general`` when some of its checks are general."""
    if not is_builtin(rule):
        return DEFAULT
    names = {profile_of(rule.full_id(check)) for check in rule.checks} | {profile_of(rule.id)}
    return next(name for name in PROFILES if name in names)  # the most general one


def restrict(pack: Pack, name: str, named: Iterable[str] = ()) -> Pack:
    """The rules and checks of ``pack`` that profile ``name`` uses, and those ``named``
    by their exact id or sub-id (``--select compose/network-mode-host`` runs that rule
    whatever the profile; a prefix such as ``compose`` selects within the profile)."""
    from aixcl_lint.policy.model import Pack
    from aixcl_lint.records import replace

    active, wanted = set(chain(name)), set(named)
    rules = []
    for rule in pack.rules:
        if not is_builtin(rule):
            rules.append(rule)
            continue
        checks = tuple(
            c
            for c in rule.checks
            if profile_of(rule.full_id(c)) in active or {rule.id, rule.full_id(c)} & wanted
        )
        if checks:
            rules.append(rule if checks == rule.checks else replace(rule, checks=checks))
    return Pack(tuple(rules))
