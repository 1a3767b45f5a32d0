"""Edits to the document by path (``projects.2.indicators.5.actual``), typed by the model:
what a form input posts, checked against the model before anything is saved."""

from __future__ import annotations

import re
import typing
import unicodedata
from decimal import Decimal, InvalidOperation
from types import NoneType, UnionType

from pydantic import BaseModel, ValidationError

from ..messages import error_text
from ..model import Evaluation as Document

MAX_TEXT = 5000
# The unit and the year belong to the evaluation record, not to the form.
FIXED = ("unit", "fiscal_year", "schema_version")


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


def _field(path: str) -> tuple[list[str | int], type, str]:
    """The path's steps, the leaf's type and its title; refuses paths the model lacks."""
    model: type[BaseModel] = Document
    steps: list[str | int] = []
    parts = path.split(".")
    annotation: typing.Any = None
    title = ""
    i = 0
    while i < len(parts):
        name = parts[i]
        info = model.model_fields.get(name) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            raise EditError(f"没有这一项：{path}")
        steps.append(name)
        title = info.title or name
        annotation = _unwrap(info.annotation)
        if typing.get_origin(annotation) is list:
            annotation = _unwrap(typing.get_args(annotation)[0])
            if i + 1 < len(parts):
                if not parts[i + 1].isdigit():
                    raise EditError(f"没有这一项：{path}")
                steps.append(int(parts[i + 1]))
                i += 1
        model = annotation
        i += 1
    return steps, annotation, title


def describe(doc: Document, path: str) -> str:
    """A path as the forms name it: 项目“村级运转经费” › 预算执行率 › 执行率（填报，%）."""
    model: typing.Any = Document
    node: typing.Any = doc
    bits: list[str] = []
    for part in path.split("."):
        if part.isdigit() and isinstance(node, list):
            node = node[int(part)] if int(part) < len(node) else None
            name = getattr(node, "name", None) or getattr(node, "heading", None)
            bits[-1] = f"{bits[-1]}“{name}”" if name else f"{bits[-1]}第 {int(part) + 1} 行"
            continue
        info = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if info is None:
            return path
        bits.append(info.title or part)
        model = _unwrap(info.annotation)
        if typing.get_origin(model) is list:
            model = _unwrap(typing.get_args(model)[0])
        node = getattr(node, part, None)
    return " › ".join(bits)


def _nullable(path: str) -> bool:
    parent_path, _, name = path.rpartition(".")
    model: typing.Any = Document
    for part in parent_path.split(".") if parent_path else []:
        if part.isdigit():
            continue
        model = _unwrap(model.model_fields[part].annotation)
        if typing.get_origin(model) is list:
            model = _unwrap(typing.get_args(model)[0])
    return NoneType in typing.get_args(model.model_fields[name].annotation)


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
    steps, annotation, title = _field(path)
    item = isinstance(steps[-1], int) and annotation is bool  # one checklist item
    if steps[0] in FIXED or (isinstance(steps[-1], int) and not item) or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        raise EditError(f"没有这一项：{path}")
    value = _parse(raw, annotation, title)
    data = doc.model_dump(mode="python")
    if item:
        return _set_item(data, steps, value, title)
    parent = _container(data, steps[:-1])
    old = parent.get(steps[-1])
    if value is None and steps[-1] in ("name", "heading"):
        raise EditError(f"{title}不能为空")
    if value is None and annotation is str and not _nullable(path):
        value = ""  # a text that is never None (a report section's body): cleared, not removed
    parent[steps[-1]] = value
    try:
        changed = _validated(data)
    except EditError as exc:
        raise EditError(f"{title}：{exc}") from None
    return changed, "" if old is None else str(old), "" if value is None else str(value)


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


def _is_table(path: str, steps: list[str | int], annotation) -> bool:
    """A list of rows (models): projects, indicators, goals… — not a field, not a checklist."""
    if not steps or isinstance(steps[-1], int) or steps[0] in FIXED:
        return False
    if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
        return False
    parent: typing.Any = Document
    for step in steps[:-1]:
        if isinstance(step, str):
            parent = _unwrap(parent.model_fields[step].annotation)
            if typing.get_origin(parent) is list:
                parent = _unwrap(typing.get_args(parent)[0])
    return typing.get_origin(_unwrap(parent.model_fields[steps[-1]].annotation)) is list


def add_row(doc: Document, path: str, name: str) -> Document:
    """A new row at the end of a list (an indicator, a project) named ``name``."""
    steps, annotation, title = _field(path)
    if not _is_table(path, steps, annotation):
        raise EditError(f"不能在此添加行：{path}")
    name = plain(name).strip()
    if not name:
        raise EditError(f"{title}：请填写名称")
    data = doc.model_dump(mode="python")
    parent = _container(data, steps[:-1])
    rows = parent.setdefault(steps[-1], [])
    # the row's identifying text: a name, a section heading, or a goal's expected outcome
    key = next(k for k in ("name", "heading", "expected") if k in annotation.model_fields)
    rows.append({key: name[:200]})
    return _validated(data)


def remove_row(doc: Document, path: str) -> tuple[Document, str]:
    steps, annotation, _ = _field(path)
    if not isinstance(steps[-1], int) or not _is_table(path.rsplit(".", 1)[0], steps[:-1], annotation):
        raise EditError(f"不能删除：{path}")
    data = doc.model_dump(mode="python")
    rows = _container(data, steps[:-2])[steps[-2]]
    if steps[-1] >= len(rows):
        raise EditError("这一行已不存在，请刷新页面")
    removed = rows.pop(steps[-1])
    return _validated(data), str(removed.get("name") or removed.get("heading") or removed.get("expected") or "")
