"""Reading figures out of cells. Normalisation is for reading only; the cell keeps its text."""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from decimal import Decimal, InvalidOperation

from .document import Cell
from .notices import Notice

_PAD = " \t\r\n\u3000\u00a0"
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_NOTHING = {"", "—", "－", "-", "/", "／", "无", "——"}


def clean(text: str | None) -> str:
    """A short grid value: padding gone, a label broken over lines joined again."""
    if not text:
        return ""
    return _clean(text)


@lru_cache(maxsize=65536)  # the recognisers ask of the same cells' texts many times over
def _clean(text: str) -> str:
    return "".join(line.strip(_PAD) for line in text.split("\n"))


def prose(text: str | None) -> str:
    """A long text cell: each line trimmed, empty lines dropped, line breaks kept."""
    if text is None:
        return ""
    return "\n".join(line.strip(_PAD) for line in text.split("\n") if line.strip(_PAD))


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", clean(text)).replace(" ", "")


def read_number(cell: Cell | None, notices: list[Notice], percent: bool = False) -> Decimal | None:
    """The figure in ``cell`` (万元, points or a percent figure); None when blank.

    A malformed figure such as ``31..5`` is read as its one plausible value *and* reported,
    so nothing is dropped and nothing is guessed silently; text that holds no figure is
    reported and left blank.
    """
    if cell is None:
        return None
    text = _normal(cell.text)
    suffix = next((s for s in ("%", "万元", "万", "元", "分") if text.endswith(s) and (s != "%" or percent)), "")
    text = text[: len(text) - len(suffix)]
    if text in _NOTHING:
        return None
    value = Decimal(text) if _NUMBER.match(text) else Decimal(text.replace(",", "")) if _GROUPED.match(text) else None
    if value is not None and suffix == "元":
        converted = value / 10000
        notices.append(Notice.at("unit-converted", "warning", cell.where, f"“{clean(cell.text)}”以元为单位，按 {format(converted, 'f')} 万元读取，请核对", clean(cell.text), converted))
        return converted
    if value is not None and percent and suffix != "%" and 0 < value <= Decimal("1.5") and "." in text:
        # a rate written as a share (0.6), as spreadsheets store 60%
        notices.append(Notice.at("unit-converted", "info", cell.where, f"比率“{clean(cell.text)}”按 {format(value * 100, 'f')}% 读取", clean(cell.text), value * 100))
        return value * 100
    if value is not None:
        return value
    repaired = re.sub(r"\.{2,}", ".", text)
    if repaired != text and _NUMBER.match(repaired):
        notices.append(
            Notice.at(
                "malformed-number", "warning", cell.where,
                f"“{clean(cell.text)}”不是规范的数字，按 {repaired} 读取，请核对", clean(cell.text), Decimal(repaired),
            )
        )
        return Decimal(repaired)
    notices.append(
        Notice.at("not-a-number", "warning", cell.where, f"此处应为数字，实际为“{clean(cell.text)}”，未读取", clean(cell.text))
    )
    return None


def number_in(text: str) -> Decimal | None:
    """The single figure inside a labelled text such as ``资金总额：2677.71``."""
    found = re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text))
    if len(found) != 1:
        return None
    try:
        return Decimal(found[0])
    except InvalidOperation:  # pragma: no cover - the pattern only matches valid decimals
        return None
