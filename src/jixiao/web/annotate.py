"""The forms as a page shows them: the rows of sheets(), with last year's figures beside this
year's where both packages have the row — a base-data row's 本年决算数 of last year (which this
year's 上年决算数 must equal), and a continuing project's indicator as last year stated it."""

from __future__ import annotations

import re

from ..audit.registry import amount
from ..labels import normalize_label
from ..model import Evaluation as Document
from .sheets import Cell, Sheet, sheets

_NAMED = re.compile(r"^base_data\.(projects|basic_expenditure_items|public_funds_items|other_rows)\.(\d+)$")
_INDICATOR = re.compile(r"^projects\.(\d+)\.indicators\.(\d+)$")


def _first_path(row) -> str | None:
    cell = next((c for c in row.cells if isinstance(c, Cell)), None)
    return cell.path.rsplit(".", 1)[0] if cell else None


def _by_name(rows) -> dict:
    found: dict = {}
    for row in rows:
        found.setdefault(normalize_label(row.name), row)
    return found


def page_sheets(analysis, part: int = 1) -> list[Sheet]:
    shown = sheets(analysis, part)
    _last_year_beside(shown, analysis.document, analysis.previous)
    return shown


def _last_year_beside(shown: list[Sheet], doc: Document, previous: Document | None) -> None:
    if previous is None:
        return
    named = {field: _by_name(getattr(previous.base_data, field)) for field in ("projects", "basic_expenditure_items", "public_funds_items", "other_rows")}
    tables = _by_name(previous.projects)
    for sheet in shown:
        for row in sheet.rows:
            path = _first_path(row)
            if path is None:
                continue
            if m := _NAMED.match(path):
                old = named[m[1]].get(normalize_label(getattr(doc.base_data, m[1])[int(m[2])].name))
                row.last_year = None if old is None or old.final is None else f"上年材料本年决算数 {amount(old.final)}"
            elif path.startswith("base_data.") and path.count(".") in (1, 2) and path.split(".")[1] not in named:
                old = previous
                for step in path.split("."):
                    old = getattr(old, step, None)
                final = getattr(old, "final", None)
                row.last_year = None if final is None else f"上年材料本年决算数 {amount(final)}"
            elif m := _INDICATOR.match(path):
                table = tables.get(normalize_label(doc.projects[int(m[1])].name))
                indicator = doc.projects[int(m[1])].indicators[int(m[2])]
                old = None if table is None else _by_name(table.indicators).get(normalize_label(indicator.name))
                if old is not None:
                    said = [f"目标 {old.target}" if old.target else "", f"完成 {old.actual}" if old.actual else "",
                            f"得分 {amount(old.score)}" if old.score is not None else ""]
                    row.last_year = "上年：" + "；".join(s for s in said if s) if any(said) else None
