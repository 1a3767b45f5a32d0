"""The dashboard's charts from the batch results (``jixiao batch score|audit``) once a bureau
has more evaluations than ``JIXIAO_BATCH_THRESHOLD``: the grade distribution, execution-rate
bands and top findings are read from the bureau's dataset for the year shown, under
``JIXIAO_BATCH_DIR/<bureau id>/<year>`` (``jixiao batch refresh`` builds them), the tables
``jixiao batch query`` prints."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ..audit import CHECKS
from ..batch.query import QueryError, execution, findings, grades
from .access import profile_of
from .models import Role

TITLES = {c.code: c.title for c in CHECKS}


def dataset_of(user, year: int | None) -> Path | None:
    """A bureau reviewer's dataset for the year. An administrator sees several bureaus, each
    scored by its own rubrics, and a department's reviewer part of one: neither has a dataset
    of their own, and their charts come from the evaluations."""
    me = profile_of(user)
    root = settings.BATCH_DIR
    if root is None or me is None or year is None:
        return None
    if me.role == Role.REVIEWER and me.unit_id is None:
        return root / str(me.bureau_id) / str(year)
    return None


def batch_charts(user, year: int | None, count: int) -> dict | None:
    """Charts to use instead of the per-row ones, or None (few evaluations, or no results)."""
    directory = dataset_of(user, year)
    if count <= settings.BATCH_THRESHOLD or directory is None or not (directory / "units").is_dir():
        return None
    try:
        by_grade, bands = grades(directory), execution(directory)
        top = findings(directory, 15)
    except QueryError:
        return None
    labels = ["优", "良", "中", "差", "无法核算"]
    units = by_grade.filter(by_grade["层级"] == "部门整体")
    ranked = list(reversed(top.rows()))  # ECharts draws horizontal bars bottom-up
    return {
        "grades": {"labels": labels, "values": [int(units[g].sum()) for g in labels]},
        "rate_bands": {"bands": bands["执行率"].to_list(), "counts": bands["项目数"].to_list()},
        "findings": {"labels": [f"{TITLES.get(r[0], r[0])}（{r[0]}）" for r in ranked], "values": [r[3] for r in ranked]},
        "source": str(directory),
    }
