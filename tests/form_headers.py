"""Which header heads each body cell of a laid-out form, and the packages the position tests
print: the two samples and a 40-project package built from Hengyang's tables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.model import Evaluation
from jixiao.render.cells import Form, FormCell


@dataclass(frozen=True)
class Placed:
    row: int
    first: int  # grid columns, 0-based
    last: int
    cell: FormCell


def norm(text: str) -> str:
    """Text as pdftotext gives it back: no spaces, no line breaks."""
    return re.sub(r"\s+", "", text)


def placed(form: Form, r: int) -> list[Placed]:
    out, column = [], 0
    for cell in form.rows[r]:
        out.append(Placed(r, column, column + cell.span - 1, cell))
        column += cell.span
    return out


def shown(cell: FormCell) -> bool:
    """The cell prints something of its own (a vertical merge's continuation does not)."""
    return not cell.merged and bool(norm(cell.text))


def column_headers(form: Form) -> list[tuple[Placed, Placed]]:
    """(body cell, its column header): the header is in the nearest row above holding header
    cells over the body cell's columns, and must span all of them. A body cell with no such
    header (a value beside its row label: 项目支出名称, 厉行节约保障措施) is left out."""
    pairs = []
    for r in range(len(form.rows)):
        for body in placed(form, r):
            if body.cell.header or not shown(body.cell):
                continue
            for above in range(r - 1, -1, -1):
                heads = [h for h in placed(form, above) if h.cell.header and h.first <= body.last and body.first <= h.last]
                if heads:
                    over = [h for h in heads if h.first <= body.first and body.last <= h.last and shown(h.cell)]
                    if over:
                        pairs.append((body, over[0]))
                    break
    return pairs


def header_texts(form: Form, r: int) -> list[str]:
    return [p.cell.text for p in placed(form, r) if shown(p.cell)]


GRID = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
SCORECARD = ["一级指标", "二级指标", "三级指标", "分值", "评价标准", "指标说明", "得分"]


def expected_repeat(form: Form, year: int) -> list[str]:
    """The header a continuation page of the form must repeat, by what the form is: the
    amount header of the base data (never the staffing one), the indicator grid's, the
    scorecard's, the annex's column names."""
    if form.sheet == "基础数据表":
        return ["经费控制情况", f"{year - 1}年决算数", f"{year}年预算数", f"{year}年决算数"]
    if form.sheet == "评分表":
        return SCORECARD
    if form.title == "核算对照表":
        return ["表", "指标", "填报", "核算", "说明"]
    return GRID


def is_repeat_header(texts: list[str], form: Form, year: int) -> bool:
    """The row's texts are that header: every name in order (columns some provinces add, such
    as 是否核心指标 or 调整预算数, may stand between them)."""
    wanted = expected_repeat(form, year)
    at = iter(texts)
    return all(any(t == w for t in at) for w in wanted) and (form.sheet != "基础数据表" or "编制数" not in texts)


def forty_projects(hengyang: Evaluation) -> Evaluation:
    """Hengyang's package with 40 project tables (its own, repeated under new names) and a
    base data table listing each of them, so that the base data runs onto a third page."""
    package = hengyang.model_copy(deep=True)
    projects = []
    for number in range(40):
        table = hengyang.projects[number % len(hengyang.projects)].model_copy(deep=True)
        table.name = f"{table.name}（{number + 1}）"
        projects.append(table)
    package.projects = projects
    lines = hengyang.base_data.projects
    package.base_data.projects = lines + [
        line.model_copy(update={"name": f"{line.name}（续{number + 1}）"}) for number, line in enumerate(lines * 2)
    ]
    return package
