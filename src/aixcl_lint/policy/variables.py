"""``variables-set``: whether the variables a compose value reads are set, as Compose
tells them apart: ``V=`` in ``.env`` sets ``V`` to the empty string (Compose substitutes
it without a warning), while a variable set nowhere draws "The V variable is not set"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aixcl_lint import deferred
from aixcl_lint.core import Pointer
from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.policy.access import MISSING, NOT_APPLICABLE, CheckError, Context, resolve
from aixcl_lint.policy.model import Evaluator, Outcome, Subject
from aixcl_lint.policy.verdicts import offer

_VARIABLE = deferred.pattern(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def unset(text: str, env: Mapping[str, str]) -> list[str]:
    """The variables ``text`` reads (``$$`` is a literal ``$``) that ``env`` does not set."""
    names = dict.fromkeys(m.group(1) for m in _VARIABLE.finditer(text.replace("$$", "")))
    return [name for name in names if name not in env]


def variables_set(ctx: Context, arg: Any) -> Evaluator:
    """Every variable the field's value reads is set (``true``), empty or not; with
    ``false``, some is not. It does not apply to a document without variables."""
    ctx.need_field()
    if not isinstance(arg, bool):
        raise CheckError((*ctx.at, ctx.op), "'variables-set' is true or false")
    rel, label = ctx.field, ".".join(map(str, ctx.field)) or "."
    wanted = "every variable set" if arg else "a variable that is not set"

    def read(subject: Subject) -> tuple[Pointer, str, list[str]] | None:
        """The field's pointer, its text and the variables it reads that are unset."""
        env = getattr(subject.tree, "env", None)
        if env is None:
            return None
        ptr, value = resolve(subject, rel)
        if value is MISSING or isinstance(value, dict | list):
            return None
        written = value if value.__class__ is str else scalar_text(value)
        return ptr, written, unset(written, env) if "$" in written else []

    def evaluate(subject: Subject, options: Mapping[str, Any]) -> Outcome:
        found = read(subject)
        if found is None:
            return NOT_APPLICABLE
        ptr, written, missing = found
        shown = ", ".join(missing)
        return Outcome((not missing) == arg, ptr, True, False, label, shown, written, wanted)

    def answer(subject: Subject, options: Mapping[str, Any]) -> bool | None:
        found = read(subject)
        return None if found is None else (not found[2]) == arg

    # It reads only the subject and never raises: the engine may ask it after the check.
    return offer(evaluate, answer, pure=True)
