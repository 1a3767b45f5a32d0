"""``jixiao batch audit DIR``: the checks that are column arithmetic run as Polars expressions
over the whole dataset; every other check runs per package (``each``, on ``--jobs`` processes).

A vectorised check gives the per-package check's records — findings with the same code,
severity, location and message, and the same 未能检查 records — from the stored figures and the
decimals each was written with (differential.compare_audit holds them to that; the one message
it compares by a stated rule is listed in its MESSAGE_RULES)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from ..audit import CHECKS
from ..cli_batch import audit_file, each
from . import audit_agreement, audit_arithmetic, audit_base, audit_rules
from .audit_expr import FINDING_SCHEMA, NOT_CHECKED_SCHEMA
from .build import scan

Vectorised = Callable[[Path, pl.LazyFrame], tuple[list[pl.LazyFrame], list[pl.LazyFrame]]]

VECTORISED: dict[str, Vectorised] = {
    "arithmetic.funds-by-source": audit_arithmetic.funds_by_source,
    "arithmetic.three-public-parts": audit_base.three_public_parts,
    "arithmetic.items-exceed-total": audit_base.items_exceed_total,
    "arithmetic.projects-sum": audit_base.projects_sum,
    "arithmetic.score-total": audit_arithmetic.score_total,
    "arithmetic.points-total": audit_arithmetic.points_total,
    "agreement.department-vs-base": audit_agreement.department_vs_base,
    "rules.score-above-points": audit_rules.score_above_points,
    "rules.full-points-missed-target": audit_rules.full_points_missed_target,
    "rules.rate-base": audit_rules.rate_base,
    "rules.over-execution": audit_rules.over_execution,
    "rules.coefficient-times-weight": audit_rules.coefficient_times_weight,
}

# Why a check still runs per package: what the dataset does not hold, or what is not column arithmetic.
PER_PACKAGE = {
    "arithmetic.rate-vs-amounts": "楼堂馆所的名称与填报控制率不在数据集中",
    "arithmetic.narrative-breakdown": "需按句切分报告原文，数据集只存金额",
    "agreement.base-vs-project": "项目名称的模糊匹配（matching.py）不是列运算",
    "agreement.narrative-vs-base": "尚未改写：报告金额已在数据集中，还需按标签正则归类、每项只报一次未能检查",
    "agreement.headcount": "需报告原文的人数，数据集未存",
    "rules.score-not-given": "需逐项的评分依据文字（applied），批量评分不产生",
    "rules.level-weights": "需评分规则的一级指标权重核对结果，批量评分不产生",
    "rules.criteria-points": "尚未改写：评价标准中写的分数可有任意位小数，需另行精确比较",
    "rules.grade": "需报告原文中写明的等级，数据集未存",
}


def registry() -> list[tuple[str, str, bool, str]]:
    """Every check: code, title, whether batch audit runs it as column expressions, and why not."""
    other = "只向量化算术、一致性、规则三类检查"  # the other families read texts, notices, the year before
    return [(c.code, c.title, c.code in VECTORISED, "" if c.code in VECTORISED else PER_PACKAGE.get(c.code, other)) for c in CHECKS]


def vectorised_audit(directory: Path, scores: pl.LazyFrame | pl.DataFrame, codes: list[str] | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The vectorised checks' findings and 未能检查 records, for the whole dataset at once."""
    findings: list[pl.LazyFrame] = []
    skips: list[pl.LazyFrame] = []
    for code, run in VECTORISED.items():
        if codes is None or code in codes:
            f, s = run(directory, scores.lazy())
            findings += f
            skips += s
    # a unit with a figure the dataset could not hold is audited per package (per_package_findings)
    exact = scan(directory, "units").filter(pl.col("exact")).select("eval_id")
    found = pl.collect_all([f.join(exact, on="eval_id", how="semi") for f in (*findings, *skips)])
    out_f = pl.concat([pl.DataFrame(schema=FINDING_SCHEMA), *found[:len(findings)]]).select(list(FINDING_SCHEMA))
    out_s = pl.concat([pl.DataFrame(schema=NOT_CHECKED_SCHEMA), *found[len(findings):]]).select(list(NOT_CHECKED_SCHEMA))
    return out_f, out_s


def per_package_findings(sources: dict[str, str], inexact: set[str], department: str, project: str, jobs: int) -> tuple[pl.DataFrame, pl.DataFrame, list[tuple[str, str]]]:
    """Per package: the checks that are not vectorised on every unit, and every check on the
    ``inexact`` units (a figure the dataset could not hold). Findings, 未能检查 records, unreadable files."""
    rest = tuple(c.code for c in CHECKS if c.code not in VECTORISED)
    groups = [([Path(s) for s, e in sources.items() if e not in inexact], rest),
              ([Path(s) for s, e in sources.items() if e in inexact], tuple(c.code for c in CHECKS))]
    rows, skips, failed = [], [], []
    outcomes = (o for paths, codes in groups if paths for o in each(paths, audit_file, (department, project, None, (), codes, ()), jobs))
    for path, report, error in outcomes:
        if report is None:
            failed.append((str(path), error or ""))
            continue
        eid = sources[str(path)]
        for f in report.findings:
            loc = f.location
            rows.append((eid, f.code, f.severity, loc.part, loc.project, loc.row, loc.column, loc.indicator, loc.section, f.message, "per-package"))
        for s in report.not_checked:
            loc = s.location
            where = (loc.part, loc.project, loc.row, loc.column, loc.indicator, loc.section) if loc else (None,) * 6
            skips.append((eid, s.code, *where, s.reason, "per-package"))
    return (pl.DataFrame(rows, schema=FINDING_SCHEMA, orient="row"), pl.DataFrame(skips, schema=NOT_CHECKED_SCHEMA, orient="row"), failed)
