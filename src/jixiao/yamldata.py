"""YAML data files (rubrics, vocabularies) read into plain data with each value's line.

Floats become Decimal; anchors, aliases and unknown tags are refused, because a data file
has no use for them and they allow bombs. Problems are collected, not raised, so that one
reading reports every mistake of a file with its line.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

Loc = tuple[str | int, ...]


class DataFileError(ValueError):
    """A data file that cannot be used; ``problems`` are 'file:line: message' strings."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems

_MAX_DEPTH = 40


def plain(node: yaml.Node, loc: Loc, lines: dict[Loc, int], problems: list[tuple[Loc, str]], seen: set[int] | None = None) -> Any:
    """YAML nodes to plain data, remembering each value's line; floats are read as Decimal.
    Anchors and aliases are refused: a rubric has no use for them, and they allow bombs."""
    seen = set() if seen is None else seen
    lines.setdefault(loc, node.start_mark.line + 1)  # a mapping's entry keeps its key's line
    if id(node) in seen and isinstance(node, yaml.CollectionNode):
        problems.append((loc, "不支持 YAML 锚点/别名（& 与 *），请直接写出内容"))
        return None
    seen.add(id(node))
    if len(loc) > _MAX_DEPTH:
        problems.append((loc, f"嵌套超过 {_MAX_DEPTH} 层"))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            if key in out:
                problems.append((loc + (key,), f"键“{key}”重复"))
            out[key] = plain(value_node, loc + (key,), lines, problems, seen)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [plain(item, loc + (i,), lines, problems, seen) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:float":
        try:
            value = Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value.adjusted() > 12:  # abs() would overflow
            problems.append((loc, f"“{node.value}”不是合理范围内的数"))
        return value
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        try:
            return yaml.SafeLoader("").construct_object(node)
        except (ValueError, KeyError, yaml.YAMLError):
            problems.append((loc, f"“{node.value}”与其标记 {node.tag} 不符"))
            return None
    if node.tag != "tag:yaml.org,2002:str":
        problems.append((loc, f"不支持的 YAML 标记 {node.tag}"))
        return None
    return node.value


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)
