"""What changed between two versions of an evaluation, in the forms' own words: tables and rows
added or removed (once, not cell by cell), and each figure or text changed, old beside new.

Rows of a list are matched by their name (a project table by its project, an indicator by its
name) so that inserting a row does not read as every later row changed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

from .evaluation import Evaluation

Kind = Literal["added", "removed", "changed"]
_KEYS = ("name", "heading")


@dataclass(frozen=True)
class Change:
    kind: Kind
    where: str
    old: str | None = None
    new: str | None = None

    def describe(self) -> str:
        if self.kind == "added":
            return f"新增 {self.where}"
        if self.kind == "removed":
            return f"删除 {self.where}"
        return f"{self.where}：{self.old or '（空）'} → {self.new or '（空）'}"


def _shown(value: object) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _key(item: object, index: int) -> str:
    for key in _KEYS:
        value = getattr(item, key, None)
        if value:
            return f"“{value}”"
    return f"第 {index + 1} 行"


def _walk(old: object, new: object, where: str, out: list[Change]) -> None:
    if isinstance(old, BaseModel) or isinstance(new, BaseModel):
        model = type(old if old is not None else new)
        if old is None or new is None:
            out.append(Change("added" if old is None else "removed", where))
            return
        for name, info in model.model_fields.items():
            label = info.title or name
            _walk(getattr(old, name), getattr(new, name), f"{where} › {label}" if where else label, out)
        return
    if isinstance(old, list) and isinstance(new, list) and (old + new) and isinstance((old + new)[0], BaseModel):
        before = {_key(item, i): item for i, item in enumerate(old)}
        after = {_key(item, i): item for i, item in enumerate(new)}
        for key, item in before.items():
            if key not in after:
                out.append(Change("removed", f"{where}{key}"))
            else:
                _walk(item, after[key], f"{where}{key}", out)
        out.extend(Change("added", f"{where}{key}") for key in after if key not in before)
        return
    a, b = _shown(old), _shown(new)
    if a != b:
        out.append(Change("changed", where, a, b))


def changes(old: Evaluation, new: Evaluation) -> list[Change]:
    out: list[Change] = []
    _walk(old, new, "", out)
    return out


def summary(found: list[Change]) -> str:
    counts = {kind: sum(1 for c in found if c.kind == kind) for kind in ("added", "removed", "changed")}
    return f"新增 {counts['added']} 处、删除 {counts['removed']} 处、修改 {counts['changed']} 处"
