"""Edits to the document by path (``projects.2.indicators.5.actual``), typed by the model:
what a form input posts, checked against the model before anything is saved."""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import NoneType, UnionType

from pydantic import BaseModel, ValidationError

from ..messages import error_text
from ..model import Evaluation as Document

MAX_TEXT = 5000
# The unit and the year belong to the evaluation record, not to the form.
FIXED = ("unit", "fiscal_year", "schema_version")
# What names a row: a name or a report section's heading; a new goal is named by its
# expected outcome, too long to name it in a change's description.
NAME_KEYS = ("name", "heading")
ROW_KEYS = (*NAME_KEYS, "expected")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(text: str) -> str:
    """Typed or pasted text without control characters (a NUL cannot even be stored)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class EditError(ValueError):
    """An edit the model refuses; the message names the field, in Chinese."""


def _unwrap(annotation):
    """The type inside Optional / Annotated."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, UnionType):
            args = [a for a in typing.get_args(annotation) if a is not NoneType]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _child(model: typing.Any, name: str) -> tuple[typing.Any, typing.Any, bool] | None:
    """A model's field by name: its info, its type (a list's item type) and whether it is a list."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or name not in model.model_fields:
        return None
    info = model.model_fields[name]
    annotation = _unwrap(info.annotation)
    listed = typing.get_origin(annotation) is list
    return info, _unwrap(typing.get_args(annotation)[0]) if listed else annotation, listed


@dataclass
class Target:
    """Where a path leads: its steps, the leaf's type and title, whether the leaf may be None,
    and whether its last named field is a list (of rows, or of checklist answers)."""

    steps: list[str | int]
    annotation: typing.Any
    title: str
    nullable: bool
    listed: bool

    @property
    def table(self) -> bool:
        """A list of rows (projects, indicators, goals…), not a field, not a checklist."""
        return (self.listed and not isinstance(self.steps[-1], int) and self.steps[0] not in FIXED
                and isinstance(self.annotation, type) and issubclass(self.annotation, BaseModel))


def _field(path: str) -> Target:
    """Refuses paths the model lacks."""
    model: typing.Any = Document
    steps: list[str | int] = []
    parts = path.split(".")
    target = Target(steps, None, "", False, False)
    i = 0
    while i < len(parts):
        child = _child(model, parts[i])
        if child is None:
            raise EditError(f"没有这一项：{path}")
        info, model, listed = child
        steps.append(parts[i])
        target = Target(steps, model, info.title or parts[i], NoneType in typing.get_args(info.annotation), listed)
        if listed and i + 1 < len(parts):
            if not parts[i + 1].isdigit():
                raise EditError(f"没有这一项：{path}")
            steps.append(int(parts[i + 1]))
            i += 1
        i += 1
    return target


def describe(doc: Document, path: str) -> str:
    """A path as the forms name it: 项目“村级运转经费” › 预算执行率 › 执行率（填报，%）."""
    model: typing.Any = Document
    node: typing.Any = doc
    bits: list[str] = []
    for part in path.split("."):
        if part.isdigit() and isinstance(node, list):
            node = node[int(part)] if int(part) < len(node) else None
            name = next((getattr(node, k) for k in NAME_KEYS if getattr(node, k, None)), None)
            bits[-1] = f"{bits[-1]}“{name}”" if name else f"{bits[-1]}第 {int(part) + 1} 行"
            continue
        child = _child(model, part)
        if child is None:
            return path
        info, model, _ = child
        bits.append(info.title or part)
        node = getattr(node, part, None)
    return " › ".join(bits)


def _number(raw: str, title: str) -> Decimal | None:
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "").replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    if not text:
        return None
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
        raise EditError(f"{title}：“{raw.strip()}”不是数字")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise EditError(f"{title}：“{raw.strip()}”不是数字") from None


def _parse(raw: str, annotation, title: str):
    if annotation is Decimal:
        return _number(raw, title)
    if annotation is int:
        number = _number(raw, title)
        if number is not None and number != number.to_integral_value():
            raise EditError(f"{title}：应为整数")
        return None if number is None else int(number)
    if annotation is bool:
        text = raw.strip()
        return None if not text else text in ("1", "true", "on", "是", "符合")
    text = plain(raw).strip()
    if len(text) > MAX_TEXT:
        raise EditError(f"{title}：文字过长（{len(text)} 字，上限 {MAX_TEXT} 字）")
    return text or None


def _validated(data: dict) -> Document:
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise EditError(error_text(err)) from None


def _container(data: dict, steps: list[str | int]) -> typing.Any:
    node: typing.Any = data
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise EditError("这一行已不存在，请刷新页面")
            node = node[step]
        else:
            if node.get(step) is None:
                node[step] = {}
            node = node[step]
    return node


def set_value(doc: Document, path: str, raw: str) -> tuple[Document, str, str]:
    """The document with one field changed, and the old and new values as shown."""
    target = _field(path)
    steps, annotation, title = target.steps, target.annotation, target.title
    item = isinstance(steps[-1], int) and annotation is bool  # one checklist item
    if steps[0] in FIXED or (isinstance(steps[-1], int) and not item) or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        raise EditError(f"没有这一项：{path}")
    value = _parse(raw, annotation, title)
    if item:
        return _set_item(doc.model_dump(mode="python"), steps, value, title)
    if value is None and steps[-1] in ("name", "heading"):
        raise EditError(f"{title}不能为空")
    if value is None and annotation is str and not target.nullable:
        value = ""  # a text that is never None (a report section's body): cleared, not removed
    try:
        changed, old = _assigned(doc, steps, value)
    except EditError as exc:
        raise EditError(f"{title}：{exc}") from None
    return changed, "" if old is None else str(old), "" if value is None else str(value)


def _assigned(doc: Document, steps: list[str | int], value) -> tuple[Document, typing.Any]:
    """The document with one field set, and the field's old value. Only the models and lists
    on the way to it are copied (the rest is shared with ``doc``, which is never changed) and
    only that field is validated (the model validates on assignment): validating the whole
    package again cost more than the rescoring of one table. A blank part on the way (a
    table's funds not yet filled in) is filled in by validating the whole package."""
    chain: list[typing.Any] = [doc]
    for step in steps[:-1]:
        node = chain[-1]
        if isinstance(step, int):
            if step >= len(node):
                raise EditError("这一行已不存在，请刷新页面")
            chain.append(node[step])
        else:
            chain.append(getattr(node, step))
        if chain[-1] is None:
            data = doc.model_dump(mode="python")
            parent = _container(data, steps[:-1])
            old = parent.get(steps[-1])
            parent[steps[-1]] = value
            return _validated(data), old
    holder = chain[-1].model_copy()
    old = getattr(holder, str(steps[-1]))
    try:
        setattr(holder, str(steps[-1]), value)
    except ValidationError as exc:
        raise EditError(error_text(exc.errors(include_url=False)[0])) from None
    built: typing.Any = holder
    for node, step in zip(reversed(chain[:-1]), reversed(steps[:-1])):
        if isinstance(step, int):
            built = [*node[:step], built, *node[step + 1:]]
        else:
            copied = node.model_copy()
            copied.__dict__[step] = built  # already valid: assigning it would validate the subtree again
            built = copied
    return built, old


def _set_item(data: dict, steps: list[str | int], value: bool | None, title: str) -> tuple[Document, str, str]:
    """One checklist answer; items not yet answered stay blank (未评), never 不符合."""
    index = steps[-1]
    assert isinstance(index, int)
    if index > 100:
        raise EditError(f"没有这一项：{title}")
    parent = _container(data, steps[:-2])
    items = list(parent.get(steps[-2]) or [])
    old = items[index] if index < len(items) else None
    items += [None] * (index + 1 - len(items))
    items[index] = value
    parent[steps[-2]] = items
    shown = {True: "符合", False: "不符合", None: "未评"}
    return _validated(data), shown[old], shown[value]


def add_row(doc: Document, path: str, name: str) -> Document:
    """A new row at the end of a list (an indicator, a project) named ``name``."""
    target = _field(path)
    if not target.table:
        raise EditError(f"不能在此添加行：{path}")
    steps, annotation, title = target.steps, target.annotation, target.title
    name = plain(name).strip()
    if not name:
        raise EditError(f"{title}：请填写名称")
    data = doc.model_dump(mode="python")
    parent = _container(data, steps[:-1])
    rows = parent.setdefault(steps[-1], [])
    key = next(k for k in ROW_KEYS if k in annotation.model_fields)
    rows.append({key: name[:200]})
    return _validated(data)


def remove_row(doc: Document, path: str) -> tuple[Document, str]:
    steps = _field(path).steps
    if not isinstance(steps[-1], int) or not _field(path.rsplit(".", 1)[0]).table:
        raise EditError(f"不能删除：{path}")
    data = doc.model_dump(mode="python")
    rows = _container(data, steps[:-2])[steps[-2]]
    if steps[-1] >= len(rows):
        raise EditError("这一行已不存在，请刷新页面")
    removed = rows.pop(steps[-1])
    return _validated(data), str(next((removed[k] for k in ROW_KEYS if removed.get(k)), ""))
