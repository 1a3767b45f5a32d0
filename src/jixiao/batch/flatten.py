"""One evaluation as rows of the dataset's tables (column lists, cheap to pickle and to append)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..ingest.forms.narrative import narrative_amounts
from ..labels import normalize_label
from ..model import Evaluation, ProjectTable
from ..model.values import Value
from ..rubric.fields import resolve
from ..rubric.project import _LATE, _NONE, _ON_TIME
from .schema import DEPARTMENT_FIELDS, NotExact, list_fields, places, scaled, table_fields, unit_fields

Columns = dict[str, dict[str, list[Any]]]  # table → column → values
INDICATORS = "indicators"  # in ``projects.inexact``: a figure of one of the table's indicators


def eval_id(evaluation: Evaluation) -> str:
    """The key a package is replaced by: its unit (code, else name) and year."""
    unit = evaluation.unit.code or normalize_label(evaluation.unit.name)
    return hashlib.sha1(f"{unit}|{evaluation.fiscal_year}".encode()).hexdigest()[:16]


class _Rows:
    def __init__(self, eid: str, source: str):
        self.tables: Columns = defaultdict(lambda: defaultdict(list))
        self.eid, self.source = eid, source
        self.problems: list[str] = []

    def num(self, value: Decimal | int | None, where: str) -> int | None:
        try:
            return scaled(value)
        except NotExact as exc:
            self.problems.append(f"{where}：{exc}")
            return None

    def figs(self, figures: dict[str, Decimal | int | None], where: str) -> dict[str, int | None]:
        """Each figure in micro-units and, beside it, the decimals it was written with."""
        out: dict[str, int | None] = {}
        for name, value in figures.items():
            out[name] = self.num(value, where)
            try:
                out[f"{name}_places"] = places(value)
            except NotExact as exc:
                out[name], out[f"{name}_places"] = None, None
                self.problems.append(f"{where}：{exc}")
        return out

    def add(self, _table: str, **row: Any) -> None:
        cols = self.tables[_table]
        cols["eval_id"].append(self.eid)
        cols["source"].append(self.source)
        for k, v in row.items():
            cols[k].append(v)


_TRIPLES = ("basic_expenditure", "public_funds", "three_public.total", "three_public.vehicle",
            "three_public.vehicle_purchase", "three_public.vehicle_operation", "three_public.overseas",
            "three_public.reception", "project_expenditure", "procurement")
_TRIPLE_LISTS = ("basic_expenditure_items", "public_funds_items", "projects", "other_rows")


def _value(rows: _Rows, side: str, value: Value, where: str) -> dict[str, Any]:
    return {f"{side}_kind": value.kind, f"{side}_op": value.op,
            f"{side}_number": rows.num(value.number, where), f"{side}_upper": rows.num(value.upper, where),
            f"{side}_unit": value.unit, f"{side}_per": value.per, f"{side}_subject": value.subject,
            f"{side}_year": value.year}


def _table(rows: _Rows, table: ProjectTable, index: int, kind: str, year: int) -> None:
    stated = {f: resolve(table, f) for f in table_fields()}  # type: ignore[arg-type]
    figures: dict[str, int | None] = {}
    for f, v in stated.items():
        figures |= rows.figs({f: v}, f"{table.name}·{f}")
    # which figures scoring could not read: a compiled rubric reads a few of the table's figures
    # and every indicator's, so one it does not read sends no unit to the per-package engine
    inexact = [f for f, v in stated.items() if v is not None and figures[f] is None]
    # the department table's split of its budget (agreement.department-vs-base); blank on projects
    split = {f: getattr(table, f, None) for f in DEPARTMENT_FIELDS}
    figures |= rows.figs(split, f"{table.name}·年度预算申请")  # type: ignore[arg-type]
    before = len(rows.problems)
    for position, ind in enumerate(table.indicators):
        where = f"{table.name}·{ind.name}"
        actual = (ind.actual or "").strip()
        rows.add("indicators", table=index, layout=table.layout, fiscal_year=year, position=position,
                 level1=ind.level1, level2=ind.level2, name=ind.name,
                 **rows.figs({"points": ind.points, "coefficient": ind.coefficient, "score": ind.score}, where), kind=ind.kind, core=ind.core,
                 has_deviation=bool((ind.deviation or "").strip()), target=ind.target,
                 target_adjusted=ind.target_adjusted, actual=ind.actual,
                 **_value(rows, "target", ind.target_value, where), **_value(rows, "adjusted", ind.adjusted_value, where),
                 **_value(rows, "actual", ind.actual_value, where),
                 actual_none=actual in _NONE, actual_on_time=bool(_ON_TIME.search(actual)),
                 actual_late=bool(_LATE.search(actual)))
    if len(rows.problems) > before:
        inexact.append(INDICATORS)
    rows.add("projects", table=index, kind=kind, name=table.name, department=table.department,
             implementer=table.implementer, layout=table.layout, indicator_count=len(table.indicators),
             inexact=inexact, **figures)


def flatten(evaluation: Evaluation, source: str) -> tuple[str, Columns]:
    rows = _Rows(eval_id(evaluation), source)
    base = evaluation.base_data
    for section in _TRIPLES:
        triple = resolve_model(base, section)
        rows.add("base_rows", section=section, position=0, name=None, category=None,
                 **rows.figs({c: getattr(triple, c) for c in ("prior_final", "budget", "adjusted_budget", "final")}, f"基础数据表·{section}"))
    for section in _TRIPLE_LISTS:
        for position, item in enumerate(getattr(base, section)):
            rows.add("base_rows", section=section, position=position, name=item.name, category=getattr(item, "category", None),
                     **rows.figs({c: getattr(item, c) for c in ("prior_final", "budget", "adjusted_budget", "final")}, f"基础数据表·{item.name}"))
    for path in list_fields():
        for position, value in enumerate(resolve(evaluation, path) or []):  # type: ignore[arg-type]
            rows.add("lists", path=path, position=position, value=rows.num(value, path))
    for position, row in enumerate(evaluation.scorecard):
        answer = row.answer
        where = f"评分表·{row.name}"
        rows.add("scorecard", position=position, level1=row.level1, level2=row.level2, name=row.name,
                 label=normalize_label(row.name),
                 **rows.figs({"level1_points": row.level1_points, "level2_points": row.level2_points, "points": row.points, "score": row.score}, where),
                 criteria=row.criteria, description=row.description,
                 has_answer=answer is not None,
                 answer_value=rows.num(answer.value, where) if answer else None,
                 answer_out_of=rows.num(answer.out_of, where) if answer else None,
                 answer_level=answer.level if answer else None,
                 answer_items=answer.items if answer else None,
                 answer_score=rows.num(answer.score, where) if answer else None,
                 answer_justification=answer.justification if answer else None)
    if evaluation.department_evaluation is not None:
        _table(rows, evaluation.department_evaluation, -1, "department", evaluation.fiscal_year)
    for index, table in enumerate(evaluation.projects):
        _table(rows, table, index, "project", evaluation.fiscal_year)
    for index, section in enumerate(evaluation.narrative):
        for found in narrative_amounts(section.text):
            rows.add("narrative_amounts", section=index, heading=section.heading, label=found.label,
                     **rows.figs({"amount": found.amount}, f"自评报告·{section.heading}"), sentence=found.sentence[:200])
    figures: dict[str, int | None] = {}
    for f in unit_fields():
        if f != "fiscal_year":
            figures |= rows.figs({f: resolve(evaluation, f)}, f)  # type: ignore[dict-item]
    rows.add("units", unit_name=evaluation.unit.name, unit_code=evaluation.unit.code, supervisor=evaluation.unit.supervisor,
             fiscal_year=evaluation.fiscal_year, has_scorecard=bool(evaluation.scorecard),
             has_department_table=evaluation.department_evaluation is not None, project_count=len(evaluation.projects),
             exact=not rows.problems, inexact_reason="；".join(rows.problems[:3]) or None, **figures)
    return rows.eid, {t: dict(c) for t, c in rows.tables.items()}


def resolve_model(root: Any, path: str) -> Any:
    for part in path.split("."):
        root = getattr(root, part)
    return root
