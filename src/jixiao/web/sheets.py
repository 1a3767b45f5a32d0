"""The forms as the unit edits them: grids of cells, each cell a document path, with the
computed value, the explanation and the findings of its row beside it. Views only render these."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ..audit.finding import Finding
from ..ingest.notices import Notice
from ..labels import normalize_label, same_label
from ..model import Answer, ProjectTable, Triple
from ..rubric.model import Rubric, RubricIndicator
from ..rubric.results import IndicatorScore, TableScore
from . import totals
from .services import Analysis, compiled

TRIPLE = (("prior_final", "上年决算数"), ("budget", "本年预算数"), ("final", "本年决算数"))
FUNDS = (("initial_budget", "年初预算数"), ("full_year_budget", "全年预算数"), ("executed", "全年执行数"))
BUILDING = (
    ("approved_area", "批复规模（㎡）"), ("actual_area", "实际规模（㎡）"), ("area_rate_stated", "规模控制率（%）"),
    ("approved_investment", "预算投资（万元）"), ("actual_investment", "实际投资（万元）"), ("investment_rate_stated", "投资概算控制率（%）"),
)


@dataclass
class Cell:
    path: str
    value: str
    kind: str = "number"  # number | text | long | select
    width: str = ""
    label: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return dict(self.options).get(self.value, self.value) if self.options else self.value


@dataclass
class Stack:
    """Several labelled inputs in one grid cell: a scoring-table row's answer."""

    cells: list[Cell]
    stack: bool = True


YES_NO = [("1", "符合"), ("0", "不符合")]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "1" if value else "0"


@dataclass
class Row:
    label: str
    cells: list[Cell | Stack | str]
    keys: tuple[str, ...] = ()
    computed: str | None = None
    score: IndicatorScore | None = None
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    remove: str | None = None  # path of the row, when it can be deleted
    offer: tuple[str, str] | None = None  # (total's path, the sum of its parts) the unit may take
    last_year: str | None = None  # the row as last year's package has it
    id: str = ""  # stable within a page, so a live update can replace this row's side cell
    evidence: str | None = None  # path evidence is attached to this row by
    attachments: list = field(default_factory=list)  # that evidence, for the page (evidence.place)


@dataclass
class Grid:
    title: str
    headers: list[str]
    rows: list[Row]
    add: str | None = None  # list path rows are appended to


@dataclass
class Sheet:
    anchor: str
    title: str
    grids: list[Grid]
    part: str
    project: str | None = None
    score: TableScore | None = None
    loose: list[Finding] = field(default_factory=list)  # findings not placed on a row
    notices: list[Notice] = field(default_factory=list)  # import notices not placed on a row
    remove: str | None = None  # path of the whole table, when it can be deleted
    evidence: str | None = None  # path evidence is attached to the whole table by
    attachments: list = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for grid in self.grids for row in grid.rows]

    def holds(self, part: str | None, project: str | None) -> bool:
        """Whether a finding or notice about ``part`` (and ``project``) belongs on this form."""
        return part == self.part and (self.project is None or project == self.project)


def _text(value) -> str:
    return "" if value is None else str(value)


def _triple(label: str, path: str, triple: Triple, keys: tuple[str, ...] = ()) -> Row:
    cells: list[Cell | str] = [Cell(f"{path}.{key}", _text(getattr(triple, key))) for key, _ in TRIPLE]
    return Row(label, cells, keys or (label,))


def base_sheet(analysis: Analysis, window: range | None = None) -> Sheet:
    base = analysis.document.base_data
    staff = base.staffing
    three = base.three_public
    rows = [
        _triple("部门基本支出", "base_data.basic_expenditure", base.basic_expenditure, ("基本支出", "部门基本支出")),
        _triple("其中：公用经费", "base_data.public_funds", base.public_funds, ("公用经费",)),
        _triple("三公经费合计", "base_data.three_public.total", three.total, ("三公经费", "三公经费合计")),
        _triple("1. 公务用车购置和运行维护", "base_data.three_public.vehicle", three.vehicle, ("公务用车购置和运行维护",)),
        _triple("其中：公务用车购置", "base_data.three_public.vehicle_purchase", three.vehicle_purchase, ("公务用车购置",)),
        _triple("公务用车运行维护", "base_data.three_public.vehicle_operation", three.vehicle_operation, ("公务用车运行维护",)),
        _triple("2. 因公出国（境）", "base_data.three_public.overseas", three.overseas, ("因公出国（境）", "因公出国（境）经费")),
        _triple("3. 公务接待", "base_data.three_public.reception", three.reception, ("公务接待", "公务接待费")),
        _triple("项目支出合计", "base_data.project_expenditure", base.project_expenditure, ("项目支出", "项目支出合计")),
    ]
    for i, project in enumerate(base.projects):
        if window is not None and i not in window:
            continue  # a large package's lines are shown a part at a time, beside their tables
        row = _triple(f"　{project.name}", f"base_data.projects.{i}", project, (project.name,))
        row.remove = f"base_data.projects.{i}"
        rows.append(row)
    rows.append(_triple("政府采购金额", "base_data.procurement", base.procurement))
    for i, other in enumerate(base.other_rows):
        rows.append(_triple(other.name, f"base_data.other_rows.{i}", other))
    execution = base.execution
    buildings = [
        Row(b.name or f"第 {i + 1} 项", [
            Cell(f"base_data.buildings.{i}.name", _text(b.name), "text", "w8"),
            *(Cell(f"base_data.buildings.{i}.{key}", _text(getattr(b, key))) for key, _ in BUILDING),
        ], (b.name or "楼堂馆所",), remove=f"base_data.buildings.{i}")
        for i, b in enumerate(base.buildings)
    ]
    grids = [
        Grid("财政供养人员情况", ["", "编制数", "实际在职人数", "控制率（%）"], [Row("人数", [
            Cell("base_data.staffing.authorized", _text(staff.authorized)),
            Cell("base_data.staffing.actual", _text(staff.actual)),
            Cell("base_data.staffing.control_rate_stated", _text(staff.control_rate_stated)),
        ], ("财政供养人员情况",))]),
        Grid("经费支出（万元）", ["", *(title for _, title in TRIPLE)], rows, add="base_data.projects"),
        Grid("预算执行情况（万元）", ["", "上年结转", "年初预算", "本年追加", "年末结余"], [Row("金额", [
            Cell(f"base_data.execution.{key}", _text(getattr(execution, key)))
            for key in ("carried_over", "initial_budget", "supplementary", "year_end_balance")
        ], ("预算执行情况",))]),
        _items("基本支出明细（万元）", "base_data.basic_expenditure_items", base.basic_expenditure_items),
        _items("公用经费明细（万元）", "base_data.public_funds_items", base.public_funds_items),
        Grid("楼堂馆所控制情况", ["楼堂馆所项目", *(title for _, title in BUILDING)], buildings, add="base_data.buildings"),
        Grid("厉行节约保障措施", ["", "内容"], [Row("保障措施", [
            Cell("base_data.frugality_measures", _text(base.frugality_measures), "long", "w20"),
        ], ("厉行节约保障措施",))]),
    ]
    grids.append(_signatures("signatures", analysis.document.signatures))
    return Sheet("base", "部门整体支出绩效评价基础数据表", grids, "base_data")


SIGNATURES = (("project_lead", "项目负责人"), ("finance_lead", "财务负责人"), ("filler", "填表人"), ("phone", "联系电话"), ("date", "填报日期"), ("head", "单位负责人签字"))


def _signatures(path: str, signed) -> Grid:
    """The line under a form: who answers for it and when, printed on every export."""
    return Grid("签字栏", [title for _, title in SIGNATURES], [
        Row("签字栏", [Cell(f"{path}.{key}", _text(getattr(signed, key)), "text", "w6") for key, _ in SIGNATURES], ("签字栏",)),
    ])


def _items(title: str, path: str, items: list) -> Grid:
    """A list of named spending rows under a total (基本支出 or 公用经费 by economic class)."""
    rows = [
        Row(item.name, [
            Cell(f"{path}.{i}.name", item.name, "text", "w8"),
            *(Cell(f"{path}.{i}.{key}", _text(getattr(item, key))) for key, _ in TRIPLE),
        ], (item.name,), remove=f"{path}.{i}")
        for i, item in enumerate(items)
    ]
    return Grid(title, ["名称", *(t for _, t in TRIPLE)], rows, add=path)


def _by_name(scores: list[IndicatorScore], name: str) -> IndicatorScore | None:
    return next((s for s in scores if same_label(s.name, name)), None)


def table_sheet(anchor: str, path: str, table: ProjectTable, score: TableScore | None, part: str) -> Sheet:
    funds = [
        Row(label, [Cell(f"{path}.funds.{key}.{col}", _text(getattr(getattr(table.funds, key), col))) for col, _ in FUNDS], keys)
        for key, label, keys in (
            ("total", "年度资金总额", ("年度资金总额",)),
            ("fiscal", "其中：当年财政拨款", ("当年财政拨款",)),
            ("carried_over", "上年结转资金", ("上年结转资金",)),
            ("other", "其他资金", ("其他资金",)),
        )
    ]
    indicators_scored = list(score.indicators) if score else []
    rate = score.execution_rate if score else None
    execution = Row("预算执行率", [
        Cell(f"{path}.execution.points", _text(table.execution.points)),
        Cell(f"{path}.execution.rate_stated", _text(table.execution.rate_stated)),
        Cell(f"{path}.execution.score_stated", _text(table.execution.score_stated)),
    ], ("预算执行率", "执行率"), f"{rate * 100:.2f}%" if rate is not None else None,
        next((i for i in indicators_scored if i.id is not None), None))
    funds_grid = Grid("项目资金（万元）", ["", *(title for _, title in FUNDS)], funds)
    execution_grid = Grid("预算执行率", ["", "分值", "执行率（填报，%）", "得分（填报）"], [execution])
    rows = []
    own = [i for i in indicators_scored if i.id is None]  # the table's rows, without the rubric's 预算执行率
    for i, ind in enumerate(table.indicators):
        at = f"{path}.indicators.{i}"
        scored = own[i] if i < len(own) and same_label(own[i].name, ind.name) else _by_name(own, ind.name)
        rows.append(Row(ind.name, [
            Cell(f"{at}.level1", _text(ind.level1), "text", "w4"),
            Cell(f"{at}.level2", _text(ind.level2), "long", "w5"),
            Cell(f"{at}.name", ind.name, "long", "w8"),
            Cell(f"{at}.target", _text(ind.target), "long", "w6"),
            Cell(f"{at}.actual", _text(ind.actual), "long", "w6"),
            Cell(f"{at}.points", _text(ind.points)),
            Cell(f"{at}.score", _text(ind.score)),
            Cell(f"{at}.deviation", _text(ind.deviation), "long", "w10"),
        ], (ind.name,), score=scored, remove=at, evidence=at))
    goals = Grid("年度总体目标", ["预期目标", "实际完成情况"], [
        Row(f"目标 {i + 1}", [
            Cell(f"{path}.goals.{i}.expected", _text(goal.expected), "long", "w10"),
            Cell(f"{path}.goals.{i}.actual", _text(goal.actual), "long", "w10"),
        ], ("年度总体目标",), remove=f"{path}.goals.{i}")
        for i, goal in enumerate(table.goals)
    ], add=f"{path}.goals")
    indicators = Grid("绩效指标", ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分（填报）", "偏差原因分析及改进措施"], rows, add=f"{path}.indicators")
    subtotals = [
        Row(f"{level.name} 小计", ["", ""], (level.name,), f"填报 {_text(level.stated_score) or '—'} / 分值 {_text(level.stated_points)}")
        for level in (score.levels if score else [])
    ]
    total = Grid("总分", ["", "总分值", "总分（填报）"], [*subtotals, Row("总分", [Cell(f"{path}.total_points", _text(table.total_points)), Cell(f"{path}.total_stated", _text(table.total_stated))], ("总分",), score.total_shown if score else None)])
    project = table.name if part == "project" else None
    sheet = Sheet(anchor, table.name, [funds_grid, execution_grid, goals, indicators, total, _signatures(f"{path}.signatures", table.signatures)], part, project, score)
    sheet.evidence = path
    if part == "project":
        sheet.remove = path
    return sheet


def _answer(at: str, indicator: RubricIndicator | None, answer: Answer | None) -> Stack:
    """The inputs the rubric's method reads for this row, and only those."""
    a = answer or Answer()
    if indicator is None:
        return Stack([])
    scoring = indicator.scoring
    if scoring.method == "checklist":
        items = a.items or []
        return Stack([
            Cell(f"{at}.answer.items.{i}", _yes_no(items[i] if i < len(items) else None), "select", label=item.text, options=[("", "（未评）"), *YES_NO])
            for i, item in enumerate(scoring.items)
        ])
    if scoring.method == "levels":
        return Stack([Cell(f"{at}.answer.level", a.level or "", "select", label="评定等级", options=[("", "（未评定）"), *((lv.name, lv.name) for lv in scoring.levels)])])
    if scoring.method == "manual":
        return Stack([Cell(f"{at}.answer.score", _text(a.score), label="评分"), Cell(f"{at}.answer.justification", _text(a.justification), "long", label="评分理由")])
    spec = indicator.model_dump_json()
    cells = []
    if "answer.value" in spec:
        cells.append(Cell(f"{at}.answer.value", _text(a.value), label="填报值"))
    if "answer.out_of" in spec:
        cells.append(Cell(f"{at}.answer.out_of", _text(a.out_of), label="满分"))
    return Stack(cells)


def scorecard_sheet(analysis: Analysis, rubric: Rubric | None) -> Sheet:
    doc, score = analysis.document, analysis.score.department
    scored = list(score.indicators) if score and doc.scorecard else []
    indicators = {ind.id: ind for _, _, ind in rubric.all_indicators()} if rubric else {}
    rows = []
    for i, row in enumerate(doc.scorecard):
        at = f"scorecard.{i}"
        mine = _by_name(scored, row.name)
        rows.append(Row(row.name, [
            row.level1 or "", row.level2 or "", row.name,
            _text(row.points),
            _answer(at, indicators.get(mine.id) if mine and mine.id else None, row.answer),
            Cell(f"{at}.score", _text(row.score)),
        ], (row.name,), score=mine, evidence=at))
    rows.append(Row("合计", ["", "", "合计", "", "", Cell("scorecard_total_stated", _text(doc.scorecard_total_stated))], ("合计",), score.total_shown if score and doc.scorecard else None))
    grid = Grid("评分表", ["一级指标", "二级指标", "三级指标", "分值", "评分依据（按评分规则填报）", "得分（填报）"], rows)
    return Sheet("scorecard", "部门整体支出绩效评价评分表", [grid], "scorecard", None, score if doc.scorecard else None, evidence="scorecard")


def narrative_sheet(analysis: Analysis) -> Sheet:
    rows = [
        Row(section.heading, [
            Cell(f"narrative.{i}.heading", section.heading, "text", "w8"),
            Cell(f"narrative.{i}.text", section.text, "long", "w10"),
        ], (section.heading,), remove=f"narrative.{i}")
        for i, section in enumerate(analysis.document.narrative)
    ]
    return Sheet("report", "自评报告", [Grid("各部分正文", ["标题", "正文"], rows, add="narrative")], "narrative")


def _place(sheet: Sheet, findings: list[Finding]) -> None:
    by_key: dict[str, Row] = {}
    for row in sheet.rows:
        for key in row.keys:
            by_key.setdefault(normalize_label(key), row)
    for finding in findings:
        loc = finding.location
        wanted = [w for w in (loc.indicator, loc.row, loc.section) if w]
        target = next((by_key[k] for w in wanted if (k := normalize_label(w)) in by_key), None)
        (target.findings if target else sheet.loose).append(finding)


def _figure(cell: Cell | Stack | str) -> Decimal | None:
    try:
        return Decimal(cell.value) if isinstance(cell, Cell) and cell.kind == "number" and cell.value else None
    except InvalidOperation:
        return None


def _place_notices(sheet: Sheet, notices: list[Notice]) -> None:
    """An import notice goes on the rows of its form holding the figure it read (31..5 → the
    rows with 31.5), else at the head of the form."""
    by_figure: dict[Decimal, list[Row]] = {}
    for row in sheet.rows:
        for figure in {f for c in row.cells if (f := _figure(c)) is not None}:
            by_figure.setdefault(figure, []).append(row)
    for notice in notices:
        hits = by_figure.get(notice.value, []) if notice.value is not None else []
        for row in hits:
            row.notices.append(notice)
        if not hits:
            sheet.notices.append(notice)


PART = 5  # project tables on one page: a city package's page stays near 300 kB, a large one well under 1 MB


def parts(analysis: Analysis) -> int:
    return max(1, -(-len(analysis.document.projects) // PART))


def part_of(index: int) -> int:
    return index // PART + 1


def sheets(analysis: Analysis, part: int = 1) -> list[Sheet]:
    """The forms of one page: every form but the project tables, and the project tables (and
    base-data project lines) of part ``part`` when the package has more than one part."""
    doc = analysis.document
    window = range((part - 1) * PART, part * PART) if parts(analysis) > 1 else range(len(doc.projects))
    result = [base_sheet(analysis, window if parts(analysis) > 1 else None)]
    if doc.department_evaluation is not None:
        dept_score = analysis.score.department if not doc.scorecard else None
        result.append(table_sheet("department", "department_evaluation", doc.department_evaluation, dept_score, "department_evaluation"))
        result[-1].title = "部门整体支出绩效自评表"
    if doc.scorecard:
        result.append(scorecard_sheet(analysis, compiled(analysis.rubrics[0]).rubric))
    for i, (table, score) in enumerate(zip(doc.projects, analysis.score.projects, strict=False)):
        if i in window:
            result.append(table_sheet(f"project-{i}", f"projects.{i}", table, score, "project"))
    result.append(narrative_sheet(analysis))
    auto = set(analysis.auto_totals)
    for sheet in result:
        for g, grid in enumerate(sheet.grids):
            for r, row in enumerate(grid.rows):
                row.id = f"{sheet.anchor}-{g}-{r}"
                path = next((c.path for c in row.cells if isinstance(c, Cell) and totals.is_total(c.path)), None)
                if path and (value := totals.offer(doc, path, auto)):
                    row.offer = (path, value)
        _place(sheet, [f for f in analysis.report.findings if sheet.holds(f.location.part, f.location.project)])
        _place_notices(sheet, [n for n in analysis.notices if sheet.holds(n.part, n.project)])
    return result


def finding_targets(analysis: Analysis, shown: list[Sheet], part: int) -> dict[str, str]:
    """Where the page can show each finding: its row on this page (#row-…), its form when it
    sits on none of the rows, or another page's project table (?part=K#project-i)."""
    targets: dict[str, str] = {}
    for sheet in shown:
        for row in sheet.rows:
            for f in row.findings:
                targets.setdefault(f.fingerprint, f"#row-{row.id}")
        for f in sheet.loose:
            targets.setdefault(f.fingerprint, f"#{sheet.anchor}")
    index = {table.name: i for i, table in reversed(list(enumerate(analysis.document.projects)))}
    for f in analysis.report.findings:
        i = index.get(f.location.project) if f.location.part == "project" else None
        if f.fingerprint not in targets and i is not None and part_of(i) != part:
            targets[f.fingerprint] = f"?part={part_of(i)}#project-{i}"
    return targets
