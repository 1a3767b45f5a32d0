"""The arithmetic checks on the base data table (基础数据表) as column expressions; their
per-package twins are in jixiao/audit/arithmetic.py. The table's single rows are columns of
``units`` (``base_data.three_public.total.final``…); its lists are rows of ``base_rows``."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from .audit_arithmetic import Figure, Frames, fig, row_by_columns
from .audit_expr import I128, digits, finding, join, skip, slack2, sum_places, sums_agree
from .build import scan

TRIPLE = {"prior_final": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}


def _units(directory: Path) -> pl.LazyFrame:
    return scan(directory, "units").with_columns(pl.lit("base_data").alias("part"), pl.lit(None, pl.String).alias("project"))


def three_public_parts(directory: Path, _: pl.LazyFrame) -> Frames:
    code, three = "arithmetic.three-public-parts", "base_data.three_public"
    u = _units(directory)
    rows = ("total", "vehicle", "vehicle_purchase", "vehicle_operation", "overseas", "reception")
    empty = ~pl.any_horizontal([pl.col(f"{three}.{r}.{c}").is_not_null() for r in rows for c in TRIPLE])
    whole: dict[str, tuple[Figure, dict[str, Figure]]] = {}
    vehicles: dict[str, tuple[Figure, dict[str, Figure]]] = {}
    for column, title in TRIPLE.items():
        (v, vp), purchase, operation = (fig(f"{three}.{r}.{column}") for r in ("vehicle", "vehicle_purchase", "vehicle_operation"))
        # a blank 公务用车 row is its two lines' sum when either is filled, as the per-package check takes it
        derived = v.is_null() & (purchase[0].is_not_null() | operation[0].is_not_null())
        vehicle = (pl.when(derived).then(pl.sum_horizontal(purchase[0], operation[0])).otherwise(v),
                   pl.when(derived).then(sum_places(purchase[1], operation[1])).otherwise(vp))
        whole[title] = (fig(f"{three}.total.{column}"), {"公务用车": vehicle, "出国": fig(f"{three}.overseas.{column}"),
                                                        "公务接待": fig(f"{three}.reception.{column}")})
        vehicles[title] = ((v, vp), {"购置": purchase, "运行维护": operation})
    filled = u.filter(~empty)
    f1, s1 = row_by_columns(filled, code, pl.lit("基础数据表"), "三公经费", whole, {"row": "三公经费"})
    f2, s2 = row_by_columns(filled, code, pl.lit("基础数据表"), "公务用车费", vehicles, {"row": "公务用车购置和运行维护"})
    return f1 + f2, [skip(u.filter(empty), code, pl.lit("基础数据表“三公经费”各行均未填，无法核对"), row="三公经费"), s1, s2]


def listed(directory: Path, section: str) -> pl.LazyFrame:
    """Per unit, a list of the base data table: how many rows, their names, and per column the
    sum of the filled figures, how many are filled, the sum's decimals (and the decimals of the
    only one, when one is filled), its rounding slack, and the rows left blank."""
    rows = scan(directory, "base_rows").filter(pl.col("section") == section)
    aggs = [pl.len().alias("rows"), (pl.lit("“") + pl.col("name").sort_by("position") + "”").str.join("").alias("names")]
    for c in TRIPLE:
        filled = pl.col(c).is_not_null()
        aggs += [pl.col(c).cast(I128).sum().alias(f"{c}.sum"), filled.sum().alias(f"{c}.n"),
                 pl.col(f"{c}_places").filter(filled).max().alias(f"{c}.sum_places"),
                 pl.col(f"{c}_places").filter(filled).max().alias(f"{c}.places"),
                 pl.col("name").filter(~filled).sort_by(pl.col("position").filter(~filled)).str.join("、").alias(f"{c}.blank"),
                 slack2(pl.col(f"{c}_places")).filter(filled).sum().alias(f"{c}.slack")]
    return rows.group_by("eval_id").agg(aggs).with_columns(sum_places(pl.col(f"{c}.sum_places")).alias(f"{c}.sum_places") for c in TRIPLE)


def items_exceed_total(directory: Path, _: pl.LazyFrame) -> Frames:
    code, total_of = "arithmetic.items-exceed-total", "base_data.public_funds"
    u = _units(directory).join(listed(directory, "public_funds_items"), on="eval_id")  # nothing under 其中: nothing to exceed
    findings, blank_total, blank_items = [], [], []
    for c, title in TRIPLE.items():
        total, places = fig(f"{total_of}.{c}")
        items, n = pl.col(f"{c}.sum"), pl.col(f"{c}.n") > 0
        figure = digits(items, pl.col(f"{c}.sum_places"))
        over = u.filter(total.is_not_null() & n & (items > total) & ~sums_agree(total, places, items, pl.col(f"{c}.slack")))
        findings.append(finding(over, code, "error", pl.lit(f"{title}：公用经费明细之和 ") + figure + " 超过公用经费 " + digits(total, places),
                                row="公用经费", column=title))
        blank_total.append(pl.when(total.is_null() & n).then(pl.lit(f"{title}（明细之和为 ") + figure + "）"))
        blank_items.append(pl.when(total.is_not_null() & ~n).then(pl.lit(title)))
    nothing = ~pl.any_horizontal([pl.col(f"{total_of}.{c}").is_not_null() | (pl.col(f"{c}.n") > 0) for c in TRIPLE])
    clauses = join([pl.lit("公用经费未填") + join(blank_total, "、"), pl.lit("公用经费明细") + pl.col("names") + "未填" + join(blank_items, "、"),
                    pl.when(nothing).then(pl.lit("公用经费及其明细") + pl.col("names") + "均未填金额")], "；")
    gaps = u.with_columns(clauses.alias("clauses")).filter(pl.col("clauses").is_not_null())
    return findings, [skip(gaps, code, pl.lit("基础数据表") + pl.col("clauses") + "，无法核对", row="公用经费")]


def projects_sum(directory: Path, _: pl.LazyFrame) -> Frames:
    code, total_of, where = "arithmetic.projects-sum", "base_data.project_expenditure", {"row": "项目支出"}
    u = (_units(directory).join(listed(directory, "projects"), on="eval_id", how="left")
         .with_columns(pl.col("rows").fill_null(0), *[pl.col(f"{c}.n").fill_null(0) for c in TRIPLE]))
    count = pl.col("rows")

    def summed(c: str, title: str) -> pl.Expr:
        blank = count - pl.col(f"{c}.n")
        return (pl.lit(f"{title}之和为 ") + digits(pl.col(f"{c}.sum"), pl.col(f"{c}.sum_places"))
                + pl.when(blank > 0).then(pl.lit("（") + blank.cast(pl.String) + " 个项目未填）").otherwise(pl.lit("")))

    no_total = ~pl.any_horizontal([pl.col(f"{total_of}.{c}").is_not_null() for c in TRIPLE])
    sums = join([pl.when(pl.col(f"{c}.n") > 0).then(summed(c, t)) for c, t in TRIPLE.items()], "、")
    tail = (pl.when(sums.is_not_null()).then(pl.lit("，所列 ") + count.cast(pl.String) + " 个项目" + sums)
            .when(count > 0).then(pl.lit("，所列项目也均未填金额")).otherwise(pl.lit("，也未逐项列出项目")))
    skips = [skip(u.filter(no_total), code, pl.lit("基础数据表未填“项目支出”合计") + tail + "，无法核对", **where),
             skip(u.filter(~no_total & (count == 0)), code, pl.lit("基础数据表填了“项目支出”合计，但没有逐项列出项目，无法核对"), **where)]
    lines = u.filter(~no_total & (count > 0))
    findings, clauses = [], []
    for c, title in TRIPLE.items():
        (total, places), parts, n = fig(f"{total_of}.{c}"), pl.col(f"{c}.sum"), pl.col(f"{c}.n")
        shown = digits(parts, pl.col(f"{c}.sum_places"))
        wrong = lines.filter(total.is_not_null() & (n > 0) & ~sums_agree(total, places, parts, pl.col(f"{c}.slack")))
        gap = digits(total.cast(I128) - parts, sum_places(places, pl.col(f"{c}.sum_places")))
        findings.append(finding(wrong, code, "warning", pl.lit(f"{title}：所列 ") + n.cast(pl.String) + " 个项目合计 " + shown + "，与项目支出合计 "
                                + digits(total, places) + " 相差 " + gap + "；项目支出应列出全部项目", **where, column=title))
        clauses.append(pl.when(total.is_null() & (n > 0)).then(pl.lit(f"“项目支出”合计未填{title}（所列项目") + summed(c, title) + "）")
                       .when(total.is_not_null() & (n == 0)).then(pl.lit(f"“项目支出”合计{title}为 ") + digits(total, places) + f"，所列项目均未填{title}"))
    gaps = lines.with_columns(join(clauses, "；").alias("clauses")).filter(pl.col("clauses").is_not_null())
    return findings, [*skips, skip(gaps, code, pl.lit("基础数据表") + pl.col("clauses") + "，无法核对", **where)]
