"""Reading figures out of cells. Normalisation is for reading only; the cell keeps its text."""

from __future__ import annotations

import re
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
    if text is None:
        return ""
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
    for suffix in ("%", "万元", "万", "元", "分"):
        if text.endswith(suffix) and (suffix != "%" or percent):
            text = text[: -len(suffix)]
            break
    if text in _NOTHING:
        return None
    if _NUMBER.match(text):
        return Decimal(text)
    if _GROUPED.match(text):
        return Decimal(text.replace(",", ""))
    repaired = re.sub(r"\.{2,}", ".", text)
    if repaired != text and _NUMBER.match(repaired):
        notices.append(
            Notice.at(
                "malformed-number", "warning", cell.where,
                f"“{clean(cell.text)}”不是规范的数字，按 {repaired} 读取，请核对", clean(cell.text),
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
