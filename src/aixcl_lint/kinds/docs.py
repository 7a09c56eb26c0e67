"""The docs tables of each kind's selectors, rendered from the registry:
``docs/policy-language.md`` holds exactly these (``tests/test_kinds.py``)."""

from __future__ import annotations

import textwrap

from aixcl_lint.kinds.base import Field, KindSpec, SelectorSpec


def _field(field: Field) -> str:
    return f"`{field.name}` ({field.doc})" if field.doc else f"`{field.name}`"


def _fields(spec: SelectorSpec) -> str:
    if spec.fields is None:
        return spec.fields_doc
    return ", ".join(_field(f) for f in spec.fields)


def _name(name: str, spec: SelectorSpec) -> str:
    if not spec.parameter:
        return f"`{name}`"
    shown = f"`{{{name}: {spec.parameter.upper().replace(' ', '-')}}}`"
    return shown if spec.required else f"`{name}`, {shown}"


def table(kind: KindSpec) -> str:
    """The Markdown table of a kind's selectors: subjects, fields, message variables."""
    lines = [
        "| selector | subjects | fields | message variables |",
        "| --- | --- | --- | --- |",
    ]
    for name, spec in kind.selectors.items():
        variables = ", ".join(f"`{{{v}}}`" for v in spec.variables)
        lines.append(f"| {_name(name, spec)} | {spec.subjects} | {_fields(spec)} | {variables} |")
    return "\n".join(lines) + "\n"


def section(kind: KindSpec) -> str:
    """A kind's docs section: heading, summary and table."""
    summary = textwrap.fill(kind.summary, 88, break_long_words=False, break_on_hyphens=False)
    return f"### `{kind.name}`\n\n{summary}\n\n{table(kind)}"
