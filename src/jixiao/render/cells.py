"""The cells a form is made of, how figures are shown in them, and the signature line.

A form is rows of cells in column order. A cell may span columns; a cell under a vertical
merge is present with ``merged=True`` (the same shape the importer reads back, so that an
exported file imports to the evaluation it came from). Each cell knows which finding
location it shows, so that computed values and audit findings can be marked on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..decimals import rounded
from ..model import Signatures

# The blank line of the template, printed when the unit has signed nothing.
BLANK_FOOTER = "填表人：　　　　填报日期：　　　　联系电话：　　　　单位负责人签字："
SIGNATURES = (
    ("project_lead", "项目负责人"),
    ("finance_lead", "财务负责人"),
    ("filler", "填表人"),
    ("phone", "联系电话"),
    ("date", "填报日期"),
    ("head", "单位负责人签字"),
)
# The template's own slots stay on the line, blank, when the unit filled only some of them.
TEMPLATE_SLOTS = {"filler", "phone", "date", "head"}


@dataclass
class FormCell:
    text: str = ""
    span: int = 1
    merged: bool = False  # continues the vertical merge of the cell above
    number: Decimal | None = None  # the figure, for spreadsheets
    percent: bool = False  # number is a percent figure (60 → 60%)
    money: bool = False  # number is an amount in 万元 (formatted to 2 or 4 places)
    header: bool = False
    key: tuple[str, str | None, str | None, str | None] | None = None  # (part, project, row/indicator, column)
    note: str | None = None  # what the computation says, where it differs


@dataclass
class Form:
    title: str
    sheet: str
    width: int
    rows: list[list[FormCell]]
    lines: list[str] = field(default_factory=list)  # 填报单位：…　单位：万元
    annex: str = ""  # 附件2
    widths: list[float] = field(default_factory=list)  # relative column widths
    # The column-header row repeated at the top of each printed page the table runs onto, and
    # the row after the last one it heads (None: the form's last row). Rows past it print
    # under no repeated header: a header over rows of another block misleads the reader.
    repeat: int = 0
    repeat_until: int | None = None
    footer: str = BLANK_FOOTER


def places(value: Decimal) -> int:
    """万元 to 2 places, or as many as the figure carries (38.1692 keeps 4)."""
    exponent = value.as_tuple().exponent
    return max(2, -exponent) if isinstance(exponent, int) else 2


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10))


def clean_text(value: str | None) -> str:
    """Text as a form can hold it: control characters pasted from Word (\x0b…) removed."""
    return (value or "").translate(_CONTROL)


def shown(value: Decimal | None, percent: bool = False, money: bool = True) -> str:
    if value is None:
        return ""
    if percent:
        text = format(value, "f")
        return f"{text}%"
    if money:
        return format(rounded(value, places(value)), "f")
    return format(value, "f")


def figure(value: Decimal | None, key=None, money: bool = True) -> FormCell:
    return FormCell(shown(value, money=money), number=value, key=key, money=money)


def rate(value: Decimal | None, key=None) -> FormCell:
    return FormCell(shown(value, percent=True), number=value, percent=True, key=key)


def text(value: str | None, span: int = 1, key=None) -> FormCell:
    return FormCell(clean_text(value), span=span, key=key)


def head(value: str, span: int = 1) -> FormCell:
    return FormCell(value, span=span, header=True)


def filled(part) -> bool:
    """The model part holds something (a fund row, a goal's field set) worth printing."""
    return any(value is not None for value in part.model_dump().values())


def signature_line(signatures: Signatures) -> str:
    """What the unit wrote under the form, each beside its label; the blank template line
    when it wrote nothing, so that an unsigned form prints as it always has."""
    values = {name: clean_text(getattr(signatures, name)).strip() for name, _ in SIGNATURES}
    if not any(values.values()):
        return BLANK_FOOTER
    parts = []
    for name, label in SIGNATURES:
        value = values[name]
        if value:
            parts.append(f"{label}：{value}")
        elif name in TEMPLATE_SLOTS:
            parts.append(f"{label}：　　　")
    return "　".join(parts).rstrip("　")
