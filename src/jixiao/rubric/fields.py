"""The catalogue of evaluation fields a rubric formula may name, derived from the model."""

from __future__ import annotations

import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any

from pydantic import BaseModel

from .formula import Type


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_list) for ``X``, ``X | None``, ``list[X]`` and ``Annotated[X, …]``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else (annotation, False)
    if origin is list:
        inner, _ = _unwrap(typing.get_args(annotation)[0])
        return inner, True
    return annotation, False


@cache
def numeric_fields(model: type[BaseModel]) -> dict[str, Type]:
    """Dotted paths of every number in ``model``; paths that cross a list are list-valued."""
    found: dict[str, Type] = {}

    def walk(cls: type[BaseModel], prefix: str, in_list: bool) -> None:
        for name, info in cls.model_fields.items():
            inner, is_list = _unwrap(info.annotation)
            path = f"{prefix}{name}"
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                walk(inner, path + ".", in_list or is_list)
            elif inner in (Decimal, int) and not isinstance(inner, bool):
                found[path] = "list" if in_list or is_list else "number"

    walk(model, "", False)
    return found


def resolve(obj: BaseModel | None, path: str) -> Decimal | list[Decimal | None] | None:
    """The value at ``path``; a blank anywhere on the way is None, never zero."""
    current: Any = obj
    for i, part in enumerate(path.split(".")):
        if current is None:
            return None
        if isinstance(current, list):
            rest = ".".join(path.split(".")[i:])
            return [_single(resolve(item, rest)) for item in current]
        current = getattr(current, part)
    if isinstance(current, list):
        return [_single(v) for v in current]
    return None if current is None else Decimal(current)


def _single(value: Any) -> Decimal | None:
    if isinstance(value, list):  # nested lists do not occur in the model; be explicit if they do
        raise TypeError("nested list fields are not supported in formulas")
    return value


def title_of(model: type[BaseModel], path: str) -> str:
    """The form's own name for ``path`` (预算执行情况·本年追加（万元）), for messages."""
    titles: list[str] = []
    cls: Any = model
    for part in path.split("."):
        info = cls.model_fields.get(part) if isinstance(cls, type) and issubclass(cls, BaseModel) else None
        if info is None:
            return path
        titles.append(info.title or part)
        cls, _ = _unwrap(info.annotation)
    return "·".join(titles[-2:])
