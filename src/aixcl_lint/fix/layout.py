"""Edits that keep a YAML file's layout: add an entry, remove one, replace a scalar.

Each function returns edits at node spans, or the reason they cannot be made.
Everything outside an edit (comments, quoting, key order, blank lines, anchors, line
breaks) stays as it was; an added line uses the file's line break and the indentation
of the mapping it joins.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from aixcl_lint.documents.scalars import scalar_text
from aixcl_lint.documents.yamlload import NULL, STR, compose_all
from aixcl_lint.fix.nodes import Entry, FileNodes
from aixcl_lint.fix.text import Edit, skip_blank
from aixcl_lint.yamllib import yaml

_PLAIN = re.compile(r"[A-Za-z_./][A-Za-z0-9_./@+-]*")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off"})
_ALIAS_END = re.compile(r"[\s,\[\]{}]")
_DIRECTIVE = re.compile(r"#\s*aixcl-lint:")


def render(value: Any, style: str | None = None) -> str:
    """``value`` as a YAML scalar: in ``style`` (a quote), else plain when that reads back
    as the same string, else double-quoted."""
    text = value if isinstance(value, str) else scalar_text(value)
    if style == '"':
        return json.dumps(text, ensure_ascii=False)
    if style == "'":
        return "'" + text.replace("'", "''") + "'"
    if not isinstance(value, str) or _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=False)


@functools.lru_cache(maxsize=1024)
def _reads_back(text: str) -> bool:
    if not _PLAIN.fullmatch(text) or text.lower() in _YAML11_WORDS:
        return False
    nodes = compose_all(f"{text}\n")
    return len(nodes) == 1 and nodes[0].tag == STR and nodes[0].value == text


def _extent(nodes: FileNodes, mapping: yaml.MappingNode, index: int) -> tuple[int, int]:
    """Where the value of ``mapping``'s entry ``index`` is written, as offsets."""
    key, value = mapping.value[index]
    if (id(mapping), index) not in nodes.aliased:
        return nodes.lines.mark(value.start_mark), nodes.lines.mark(value.end_mark)
    text = nodes.text
    star = text.find("*", nodes.lines.mark(key.end_mark))
    if star < 0:
        return nodes.lines.mark(value.start_mark), nodes.lines.mark(value.end_mark)
    match = _ALIAS_END.search(text, star + 1)
    return star, match.start() if match else len(text)


def _last_line(nodes: FileNodes, node: yaml.Node) -> int | None:
    """The last line holding text of a node written at its own marks (None: unknown)."""
    lines = nodes.lines
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            return None
        last = len(node.value) - 1
        if isinstance(node, yaml.MappingNode):
            if (id(node), last) in nodes.aliased:
                return lines.line_of(_extent(nodes, node, last)[1] - 1)
            return _last_line(nodes, node.value[last][1])
        if (id(node), last) in nodes.aliased:
            return None
        return _last_line(nodes, node.value[last])
    start, end = lines.mark(node.start_mark), lines.mark(node.end_mark)
    line = lines.line_of(end - 1 if end > start else start)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        first = lines.line_of(start)
        if "+" not in lines.content(first)[node.start_mark.column :].split("#")[0]:
            while line > first and lines.blank(line):
                line -= 1
    return line


def _entry_end_line(nodes: FileNodes, mapping: yaml.MappingNode, index: int) -> int | None:
    if (id(mapping), index) in nodes.aliased:
        return nodes.lines.line_of(_extent(nodes, mapping, index)[1] - 1)
    return _last_line(nodes, mapping.value[index][1])


def add_entry(nodes: FileNodes, target: yaml.Node, key: str, value: Any) -> Edit | str:
    """Add ``key: value`` to a mapping (or to an empty value, making it a mapping)."""
    lines, text = nodes.lines, nodes.text
    pair = f"{render(key)}: {render(value)}"
    if isinstance(target, yaml.ScalarNode) and target.tag == NULL:
        start, end = lines.mark(target.start_mark), lines.mark(target.end_mark)
        if start == end:
            space = "" if start > 0 and text[start - 1] in " \t" else " "
            return Edit(start, start, f"{space}{{{pair}}}")
        if text[start:end] in ("null", "Null", "NULL", "~"):
            return Edit(start, end, f"{{{pair}}}")
        return "the value is a tagged null"
    if not isinstance(target, yaml.MappingNode):
        return "the value is not a mapping"
    if target.flow_style:
        if not target.value:
            brace = text.find("{", lines.mark(target.start_mark))
            return Edit(brace + 1, brace + 1, pair)
        end = _extent(nodes, target, len(target.value) - 1)[1]
        return Edit(end, end, f", {pair}")
    first_key = target.value[0][0]
    indent = " " * first_key.start_mark.column
    last = _entry_end_line(nodes, target, len(target.value) - 1)
    if last is None:
        return "the mapping ends with a list item written as an alias"
    if lines.has_break(last):
        return Edit(lines.after(last), lines.after(last), f"{indent}{pair}{lines.eol(last)}")
    return Edit(len(text), len(text), f"{lines.eol()}{indent}{pair}")


def _directives(nodes: FileNodes, first: int, last: int) -> str:
    """The suppression comments on lines ``first`` to ``last``, each kept on a line of
    its own where it was: a directive there may govern the line after the removed text."""
    lines, kept = nodes.lines, []
    for line in range(first, last + 1):
        content = lines.content(line)
        found = _DIRECTIVE.search(content)
        if found is not None:
            indent = content[: len(content) - len(content.lstrip(" "))]
            kept.append(f"{indent}{content[found.start() :]}{lines.eol(line) or lines.eol()}")
    return "".join(kept)


def remove_entry(nodes: FileNodes, entry: Entry) -> list[Edit] | str:
    """Remove an entry, key and value, from its mapping."""
    mapping, lines = entry.mapping, nodes.lines
    key_start = lines.mark(entry.key.start_mark)
    if mapping.flow_style:
        return _remove_flow(nodes, entry)
    if not lines.only_space_before(key_start):
        return f"'{entry.name}' shares its line with other text"
    last = _entry_end_line(nodes, mapping, entry.index)
    if last is None:
        return f"'{entry.name}' ends with a list item written as an alias"
    if len(mapping.value) == 1:
        emptied = _emptied(nodes, entry, last)
        kept = _directives(nodes, lines.line_of(key_start), last)
        if kept:  # after the emptied value, on lines of their own
            eol = lines.eol(last) or lines.eol()
            emptied = Edit(
                emptied.start, emptied.end, emptied.replacement + eol + kept.removesuffix(eol)
            )
        return [emptied]
    first = lines.line_of(key_start)
    # A block set off by blank lines leaves one blank line between its neighbours, not two.
    if first > 0 and lines.blank(first - 1):
        if last + 1 < len(lines.starts) and lines.blank(last + 1) and lines.has_break(last + 1):
            last += 1
        elif lines.after(last) == len(lines.text):
            first -= 1
    start = lines.start(first)
    kept = _directives(nodes, lines.line_of(key_start), last)
    if first > 0 and not lines.has_break(last) and not kept:
        start = lines.end(first - 1)  # the file still ends without a line break
    return [Edit(start, lines.after(last), kept)]


def _after_properties(text: str, start: int) -> int:
    """Past a node's anchor (``&name``) and tag (``!name``), and the spaces after them."""
    while start < len(text) and text[start] in "&!":
        while start < len(text) and text[start] not in " \t\r\n":
            start += 1
        while start < len(text) and text[start] in " \t":
            start += 1
    return start


def _emptied(nodes: FileNodes, entry: Entry, last: int) -> Edit:
    """Removing a mapping's only entry would leave its parent key empty (null): write
    ``{}``, beside the parent key when nothing else follows that key on its line."""
    lines, text = nodes.lines, nodes.text
    key_start = lines.mark(entry.key.start_mark)
    start = lines.mark(entry.mapping.start_mark)
    parent = next((p for p in nodes.places.get(id(entry.mapping), []) if p and not p.alias), None)
    if parent is not None:
        if lines.line_of(start) < lines.line_of(key_start):
            at = _after_properties(text, start)
        else:
            at = text.find(":", lines.mark(parent.key.end_mark)) + 1
        if at > 0 and not text[at : lines.end(lines.line_of(at))].strip():
            return Edit(at, lines.end(last), " {}")
    return Edit(key_start, lines.end(last), "{}")


def _rest_is_blank(nodes: FileNodes, offset: int) -> bool:
    """Whether only spaces or a comment follow ``offset`` on its line."""
    line = nodes.lines.line_of(offset)
    rest = nodes.text[offset : nodes.lines.end(line)].strip(" \t")
    return not rest or rest.startswith("#")


def _remove_flow(nodes: FileNodes, entry: Entry) -> list[Edit] | str:
    mapping, text, lines = entry.mapping, nodes.text, nodes.lines
    start = lines.mark(entry.key.start_mark)
    end = _extent(nodes, mapping, entry.index)[1]
    alone = lines.only_space_before(start)
    line = lines.line_of(start)
    after = skip_blank(text, end, len(text))
    comma_follows = text[after : after + 1] == ","
    trailing = comma_follows and text[skip_blank(text, after + 1, len(text)) :].startswith("}")
    if comma_follows and not (trailing and entry.index > 0):
        # A comma follows (the next entry's, or a trailing one): remove up to and
        # including it, and the spaces after it; the whole line if nothing else is on it.
        stop = after + 1
        while stop < len(text) and text[stop] in " \t":
            stop += 1
        if alone and lines.line_of(after) == line and _rest_is_blank(nodes, stop):
            return [Edit(lines.start(line), lines.after(line), _directives(nodes, line, line))]
        return [Edit(start, stop, "")]
    if len(mapping.value) == 1:
        return [Edit(start, end, "")]
    # The last entry: the comma after the previous value goes too (a trailing comma stays).
    previous_end = _extent(nodes, mapping, entry.index - 1)[1]
    comma = skip_blank(text, previous_end, start)
    if text[comma : comma + 1] != ",":
        return f"no comma before '{entry.name}'"
    if alone and lines.line_of(end) == line and _rest_is_blank(nodes, end):
        kept = _directives(nodes, line, line)
        return [Edit(comma, comma + 1, ""), Edit(lines.start(line), lines.after(line), kept)]
    return [Edit(comma, end, "")]


def replace_scalar(nodes: FileNodes, entry: Entry, value: Any) -> Edit | str:
    """Replace the scalar value of ``entry`` where it is written, keeping its quoting."""
    node = entry.value
    if not isinstance(node, yaml.ScalarNode) or node.style in ("|", ">"):
        return f"the value of '{entry.name}' is not a one-line scalar"
    text, lines = nodes.text, nodes.lines
    start, end = lines.mark(node.start_mark), lines.mark(node.end_mark)
    if lines.line_of(start) != lines.line_of(max(start, end - 1)):
        return f"the value of '{entry.name}' spans several lines"
    # Keep the node's anchor (aliases name it) but not its tag: a tag would change what
    # the new value means (``!!null host`` is still null, ``!reset`` drops it).
    properties = text[start : min(_after_properties(text, start), end)].split()
    anchor = next((p for p in properties if p.startswith("&")), None)
    new = render(value, node.style or None)
    new = f"{anchor} {new}" if anchor else new
    if start == end and start > 0 and text[start - 1] not in " \t":
        new = f" {new}"  # an empty value right after its colon: `key:` becomes `key: value`
    return Edit(start, end, new)
