"""The agreement checks that are column arithmetic (their per-package twins: jixiao/audit/agreement.py)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .audit_arithmetic import Frames, fig
from .audit_base import TRIPLE, listed
from .audit_expr import I128, digits, finding, join, skip, slack2, same_figure, sum_places, sums_agree, tables
from .build import scan

# (label, the department table's figure, base data column, with 基本支出, with the projects)
COMPARISONS = (
    ("年度预算", "funds.total.full_year_budget", "budget", True, True),
    ("执行数", "funds.total.executed", "final", True, True),
    ("其中基本支出", "basic_budget", "budget", True, False),
    ("其中项目支出", "project_budget", "budget", False, True),
)


def department_vs_base(directory: Path, _: pl.LazyFrame) -> Frames:
    code = "agreement.department-vs-base"
    units = scan(directory, "units")
    none = units.filter(~pl.col("has_department_table"))
    d = (tables(directory).filter(pl.col("kind") == "department")
         .join(units, on="eval_id").join(listed(directory, "projects"), on="eval_id", how="left")
         .with_columns(pl.col("rows").fill_null(0)))
    findings, gaps, unstated = [], [], []
    for order, (label, stated_col, column, with_basic, with_projects) in enumerate(COMPARISONS):
        title, (stated, stated_places) = TRIPLE[column], fig(stated_col)
        basic, basic_places = fig(f"base_data.basic_expenditure.{column}")
        lines, (whole, whole_places) = pl.col("rows") > 0, fig(f"base_data.project_expenditure.{column}")
        # agreement._project_lines: the listed projects, else the “项目支出” row stating the same figure
        n = pl.when(lines).then(pl.col(f"{column}.n").fill_null(0)).otherwise(whole.is_not_null().cast(pl.UInt32)) if with_projects else pl.lit(0)
        total = pl.when(lines).then(pl.col(f"{column}.sum")).otherwise(whole.cast(I128)) if with_projects else pl.lit(None, I128)
        places = pl.when(lines).then(pl.col(f"{column}.places")).otherwise(whole_places) if with_projects else pl.lit(None, pl.Int8)
        slack = pl.when(lines).then(pl.col(f"{column}.slack")).otherwise(slack2(whole_places)) if with_projects else pl.lit(0, I128)
        blank = pl.when(lines).then(pl.col(f"{column}.blank")).otherwise(pl.lit("")) if with_projects else pl.lit("")
        why = pl.when(~lines & whole.is_null()).then(pl.lit(f"基础数据表既未逐项列出项目，也未填“项目支出”{title}")) if with_projects else pl.lit(None, pl.String)
        if with_basic:
            n = n + basic.is_not_null().cast(pl.UInt32)
            total = pl.sum_horizontal(basic.cast(I128), total)
            slack = slack + slack2(basic_places).fill_null(0)
            single = pl.when(basic.is_not_null()).then(basic).otherwise(total), pl.when(basic.is_not_null()).then(basic_places).otherwise(places)
        else:
            single = total, places
        figure_places = sum_places(basic_places if with_basic else pl.lit(0), pl.when(n > 0).then(places))
        agrees = pl.when(n == 1).then(same_figure(stated, stated_places, *single)).otherwise(sums_agree(stated, stated_places, total, slack))
        figure = digits(total, figure_places)
        lack = (pl.when(stated.is_null()).then(None)
                .when(pl.lit(with_basic) & basic.is_null()).then(pl.lit(f"基础数据表未填基本支出{title}"))
                .when(why.is_not_null()).then(why)
                .when(n == 0).then(pl.lit(f"基础数据表各项目均未填{title}"))
                .when(agrees).then(None)
                .when(pl.lit(not with_basic) & (blank != "")).then(pl.lit("基础数据表“") + blank + f"”未填{title}，其余各项目之和为 " + figure))
        differs = d.filter(stated.is_not_null() & lack.is_null() & ~agrees)
        message = (pl.lit(f"部门整体自评表{label} ") + digits(stated, stated_places) + "，基础数据表对应合计为 " + figure + "（相差 "
                   + digits(stated.cast(I128) - total, sum_places(stated_places, figure_places)) + "）")
        findings.append(finding(differs, code, "error", message, row=label))
        gaps.append(pl.struct(pl.lit(order).alias("order"), lack.alias("lack"), (pl.lit(f"{label}为 ") + digits(stated, stated_places)).alias("against")))
        unstated.append(pl.when(stated.is_null()).then(pl.lit(label)))
    # one clause per thing the base table lacks, in the order first met, naming the figures it leaves unchecked
    lacks = (d.select("eval_id", pl.concat_list(gaps).alias("gap")).explode("gap", empty_as_null=False).unnest("gap").filter(pl.col("lack").is_not_null())
             .group_by("eval_id", "lack").agg(pl.col("order").min(), pl.col("against").sort_by("order").str.join("、"))
             .group_by("eval_id").agg((pl.col("lack") + "（部门整体自评表" + pl.col("against") + "）").sort_by("order").str.join("；").alias("lacks")))
    reasons = (d.select("eval_id", "part", "project", join(unstated, "、").alias("unstated")).join(lacks, on="eval_id", how="left")
               .with_columns(join([pl.lit("部门整体支出绩效自评表未填") + pl.col("unstated"), pl.col("lacks")], "；").alias("clauses"))
               .filter(pl.col("clauses").is_not_null()))
    no_location = {k: None for k in ("part", "project")}
    return findings, [skip(reasons, code, pl.col("clauses") + "，无法核对"),
                      skip(none, code, pl.lit("材料中没有部门整体支出绩效自评表"), **no_location)]
