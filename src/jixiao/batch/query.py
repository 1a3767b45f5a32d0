"""Ready reports a bureau asks of a scored dataset (``jixiao batch query``), as tables with
Chinese headers; the web dashboard reads the same functions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from .audit_expr import plain as _shown
from .build import scan


class QueryError(ValueError):
    """A report that cannot be made from this directory; the message is for the user."""


def _results(directory: Path, name: str) -> pl.LazyFrame:
    path = directory / "results" / name
    if not any(path.glob("*.parquet")):
        command = "jixiao batch audit" if name == "findings" else "jixiao batch score"
        raise QueryError(f"{directory} 中还没有评分或审核结果（{path.name}）；请先运行 {command} {directory}")
    return pl.scan_parquet(path / "*.parquet")


def grades(directory: Path, over: int = 0) -> pl.DataFrame:
    """Grade distribution by 主管部门 and by level (部门整体 / 项目)."""
    tables = _results(directory, "table_scores").join(scan(directory, "units").select("eval_id", "supervisor"), on="eval_id")
    return (tables.with_columns(pl.col("supervisor").fill_null("（未填主管部门）"),
                                pl.when(pl.col("kind") == "department").then(pl.lit("部门整体")).otherwise(pl.lit("项目")).alias("level"),
                                pl.col("grade").fill_null("无法核算"))
            .group_by("supervisor", "level").agg(
                *[(pl.col("grade") == g).sum().alias(g) for g in ("优", "良", "中", "差", "无法核算")], pl.len().alias("合计"))
            .sort("supervisor", "level").rename({"supervisor": "主管部门", "level": "层级"}).collect())


def overstated(directory: Path, over: int = 5) -> pl.DataFrame:
    """Units whose stated total exceeds the rescore by more than ``over`` points."""
    units = _results(directory, "unit_scores")
    gap = pl.col("stated_total") - pl.col("total")
    return (units.filter(gap > over * 1_000_000).sort(gap, descending=True).with_columns(gap.alias("gap"))
            .select(pl.col("unit_name").alias("单位"), pl.col("supervisor").alias("主管部门"), pl.col("fiscal_year").alias("年度"),
                    _shown("stated_total").alias("填报总分"), _shown("total").alias("核算总分"), _shown("gap").alias("高出分数"),
                    pl.col("stated_grade").alias("填报等级"), pl.col("grade").alias("核算等级"), pl.col("source").alias("来源文件"))
            .collect())


def missed(directory: Path, over: int = 20) -> pl.DataFrame:
    """Indicators most often missed: computed below their points, by name."""
    scores = _results(directory, "indicator_scores").filter(
        (pl.col("position") >= 0) & (pl.col("status") == "computed") & (pl.col("score") < pl.col("points")))
    return (scores.group_by("name").agg(pl.len().alias("未达标次数"), pl.col("eval_id").n_unique().alias("单位数"))
            .sort("未达标次数", "name", descending=[True, False]).head(over).rename({"name": "三级指标"}).collect())


BANDS = [("低于 60%", None, 60), ("60%–80%", 60, 80), ("80%–90%", 80, 90), ("90%–100%", 90, 100)]


def execution(directory: Path, over: int = 0) -> pl.DataFrame:
    """Project tables by execution rate (全年执行数 ÷ 全年预算数), in bands, compared exactly."""
    t = scan(directory, "projects").filter(pl.col("kind") == "project")
    b, e = pl.col("funds.total.full_year_budget"), pl.col("funds.total.executed")
    band = pl.when(b.is_null() | e.is_null()).then(pl.lit("未填"))
    band = band.when(b == 0).then(pl.lit("无预算"))
    for label, low, high in BANDS:
        cond = e * 100 < b * high
        band = band.when(cond if low is None else cond & (e * 100 >= b * low)).then(pl.lit(label))
    band = band.when(e == b).then(pl.lit("100%")).otherwise(pl.lit("超过 100%"))
    order = [label for label, _, _ in BANDS] + ["100%", "超过 100%", "无预算", "未填"]
    counts = t.group_by(band.alias("执行率")).agg(pl.len().alias("项目数")).collect()
    return pl.DataFrame({"执行率": order}).join(counts, on="执行率", how="left").with_columns(pl.col("项目数").fill_null(0))


def findings(directory: Path, over: int = 20) -> pl.DataFrame:
    """The most frequent findings, by check."""
    from ..audit import CHECKS

    titles = pl.DataFrame({"code": [c.code for c in CHECKS], "检查": [c.title for c in CHECKS]})
    f = _results(directory, "findings")
    return (f.group_by("code", "severity").agg(pl.len().alias("发现数"), pl.col("eval_id").n_unique().alias("单位数"))
            .sort(["发现数", "code"], descending=[True, False]).head(over).collect()
            .join(titles, on="code", how="left").rename({"code": "代码", "severity": "级别"})
            .select("代码", "检查", "级别", "发现数", "单位数"))


REPORTS: dict[str, tuple[str, Callable[[Path, int], pl.DataFrame], int]] = {
    "grades": ("按主管部门和层级的等级分布", grades, 0),
    "overstated": ("填报总分高于核算总分超过 N 分的单位", overstated, 5),
    "missed": ("最常未达标的指标（前 N 个）", missed, 20),
    "execution": ("项目预算执行率分段", execution, 0),
    "findings": ("最常见的审核发现（前 N 种）", findings, 20),
}


def write(frame: pl.DataFrame, path: Path, title: str) -> None:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = title[:31]
        sheet.append(frame.columns)
        for row in frame.iter_rows():
            sheet.append(list(row))
        book.save(path)
    else:
        frame.write_csv(path)
