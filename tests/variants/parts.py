"""What the family builders share: value pools, the random context, grid-building helpers.

Every helper returns what is written together with what must be stored, so the two cannot
drift apart.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jixiao.model.evaluation import FundRow, Goal, ProjectTable, Signatures

from .writers import DOWN, Block, C, Grid, Para, add

# (name, value, unit, actual, qualitative) by second level
POOL: dict[str, list[tuple[str, str, str, str, bool]]] = {
    "数量指标": [("培训人次", "500", "人次", "536", False), ("检测批次", "500", "批次", "512", False),
             ("新建高标准农田面积", "2", "万亩", "2.3", False), ("覆盖行政村个数", "17", "个", "17", False),
             ("开展宣传活动次数", "20", "次", "22", False), ("发放补助人数", "1200", "人", "1260", False)],
    "质量指标": [("验收合格率", "95", "%", "98", False), ("设备完好率", "90", "%", "96.5", False),
             ("资金拨付准确率", "100", "%", "100", False), ("档案规范性", "规范", "", "规范", True),
             ("服务质量", "良好以上", "", "良好", True)],
    "时效指标": [("资金拨付及时率", "100", "%", "100", False), ("任务完成时间", "12月底前", "", "12月底前", True),
             ("办结时限", "5", "个工作日", "4", False)],
    "成本指标": [("项目成本控制率", "100", "%", "98", False), ("人均补助标准", "1500", "元/人·年", "1500", False)],
    "经济效益指标": [("带动农户增收", "500", "元/户", "620", False), ("农产品产值增长", "5", "%", "6.2", False)],
    "社会效益指标": [("安全事故发生数", "0", "起", "0", False), ("群众知晓率", "90", "%", "93", False),
               ("社会秩序", "稳定", "", "稳定", True)],
    "生态效益指标": [("森林覆盖率提高", "0.5", "个百分点", "0.6", False)],
    "可持续影响指标": [("长效管护机制", "健全", "", "健全", True)],
    "服务对象满意度指标": [("服务对象满意度", "90", "%", "95", False), ("群众满意度", "满意", "", "满意", True)],
}
LEVELS = {"产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
          "效益指标": ["社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标"],
          "满意度指标": ["服务对象满意度指标"]}
DECISION = {  # first level → second level → (name, target, actual)
    "项目决策": {"绩效目标": [("目标完整性", "完整", "完整"), ("相关性", "相关", "相关"), ("可行性", "可行", "可行")],
             "项目立项": [("立项依据充分性", "充分", "充分")]},
    "项目管理": {"资金管理": [("预算执行率", "100%", "96.5%"), ("财务管理制度有效性", "有效", "有效")],
             "组织实施": [("绩效监控有效性", "有效", "有效"), ("资金使用合规性", "合规", "合规")]},
}
SENTENCES = ["按时完成年度各项工作任务", "资金拨付及时、使用规范", "项目实施后群众生产生活条件明显改善",
             "落实村级运行经费，建立正常增长机制", "保障人员经费、公用经费全部到位，正常运转",
             "部分资金因采购程序未完成而结转", "加强项目前期论证，提高预算编制的准确性",
             "部分指标设置不够细化量化", "绩效监控不够及时"]
OPS = ["≥", "≤", "=", "＞", "＜", ">", "<"]
TEMPLATE = "结合自评情况,对项目绩效目标完成情况进行评价(200字以内)"
PEOPLE = ["张三", "李四", "王五", "赵敏", "刘洋", "陈静"]
NUMERIC = re.compile(r"^[+-]?\d+(\.\d+)?$")


def compose(value: str, unit: str) -> str:
    if NUMERIC.match(value) and unit and not value.endswith(unit):
        return value + unit
    return value


@dataclass
class Ctx:
    rng: random.Random
    fmt: str
    variations: list[str] = field(default_factory=list)

    def vary(self, name: str) -> None:
        if name not in self.variations:
            self.variations.append(name)

    def chance(self, p: float, name: str | None = None) -> bool:
        hit = self.rng.random() < p
        if hit and name:
            self.vary(name)
        return hit

    def label(self, default: str, *synonyms: str) -> str:
        if synonyms and self.chance(0.4, "synonyms"):
            return self.rng.choice(synonyms)
        return default

    def points(self, low: int = 2, high: int = 20) -> Decimal:
        whole = self.rng.randint(low, high)
        return Decimal(f"{whole}.5") if self.rng.random() < 0.15 else Decimal(whole)

    def score(self, points: Decimal) -> Decimal:
        cut = self.rng.choice([Decimal(0)] * 3 + [Decimal("0.5"), Decimal(1), Decimal(2)])
        return max(Decimal(0), points - cut)

    def amount(self, places: int) -> Decimal:
        value = Decimal(self.rng.randint(50, 500000)) / 100
        return max(Decimal(1).scaleb(-places), value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))

    def rate(self, executed: Decimal, base: Decimal, places: int) -> Decimal:
        return (executed / base * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)

    def short(self, text: str) -> tuple[str, str]:
        """A short value as written (maybe wrapped or padded) and as stored."""
        written = text
        if len(text) >= 4 and self.chance(0.12, "wrapped"):
            cut = self.rng.randint(2, len(text) - 2)
            written = text[:cut] + "\n" + text[cut:]
        if self.chance(0.1, "padded"):
            written = self.rng.choice([" ", "\u3000", "  "]) + written + self.rng.choice(["", " ", "\u3000"])
        return written, text

    def long(self, blank: float = 0.0) -> tuple[str, str | None]:
        if self.rng.random() < blank:
            return "", None
        lines = self.rng.sample(SENTENCES, self.rng.randint(1, 3))
        if self.fmt != "lines" and len(lines) > 1 and self.chance(0.5, "multiline"):
            text = "\n".join(lines)
        else:
            text = "；".join(lines) + "。"
        if self.chance(0.1, "padded"):
            return " " + text + "\u3000", text
        return text, text


def allocate(ctx: Ctx, total: int, count: int, low: int, high: int) -> list[Decimal]:
    """``count`` points adding up to exactly ``total``, spread like independent draws from
    low..high would be; a few are halves, made in pairs so that the sum stays whole."""
    assert 1 <= count <= total
    shape = [ctx.rng.randint(low, high) for _ in range(count)]
    halves = [max(2, 2 * total * s // sum(shape) // 2 * 2) for s in shape]  # whole points, in half-point units
    while sum(halves) != 2 * total:
        over = sum(halves) > 2 * total
        i = ctx.rng.choice([i for i, h in enumerate(halves) if h > 2] if over else range(count))
        halves[i] += -2 if over else 2
    for i in range(count):
        donors = [j for j, h in enumerate(halves) if j != i and h >= 3]
        if donors and ctx.rng.random() < 0.08:
            halves[i] += 1
            halves[ctx.rng.choice(donors)] -= 1
    return [Decimal(h) / 2 for h in halves]


def weigh(ctx: Ctx, fits: bool, groups: list[str], sums: dict[str, int], low: int, high: int) -> list[Decimal]:
    """Each indicator's points. A table that fits its rubric adds up, per group, to ``sums``
    (what the rubric requires of it); one that does not draws each indicator's points alone,
    nudged should they add up all the same, so that the corpus has tables of both kinds."""
    if not fits:
        points = [ctx.points(low, high) for _ in groups]
        if all(sum((p for p, g in zip(points, groups) if g == key), Decimal(0)) == total for key, total in sums.items()):
            points[0] += 1
        return points
    assert set(groups) == set(sums), (groups, sums)
    points = [Decimal(0)] * len(groups)
    for key, total in sums.items():
        at = [i for i, g in enumerate(groups) if g == key]
        for i, p in zip(at, allocate(ctx, total, len(at), low, high), strict=True):
            points[i] = p
    return points


def level_label(ctx: Ctx, name: str, points: Decimal, p: float) -> str:
    if ctx.rng.random() < p:
        ctx.vary("level-points")
        return ctx.rng.choice(["{}({}分)", "{}（{}分）", "{}（{} 分）"]).format(name, points)
    return name


@dataclass
class Line:
    """One row of an indicator grid: its level groups and the cells after the levels."""

    g1: int
    l1: str
    g2: int
    l2: str
    cells: list[str]


def with_placeholders(ctx: Ctx, lines: list[Line], width: int, names: list[str]) -> list[Line]:
    """Template rows left unfilled (``指标1``, ``……``) and a fully empty row, inside groups."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        out.append(line)
        last_of_group = i + 1 == len(lines) or (lines[i + 1].g1, lines[i + 1].g2) != (line.g1, line.g2)
        if last_of_group and ctx.chance(0.12, "placeholders"):
            out.append(Line(line.g1, line.l1, line.g2, line.l2, [ctx.rng.choice(names)] + [""] * (width - 1)))
        elif last_of_group and ctx.chance(0.05, "empty-row"):
            out.append(Line(line.g1, line.l1, line.g2, line.l2, [""] * width))
    return out


def grid_rows(grid: Grid, lines: list[Line], lead: bool, levels: int = 2) -> tuple[int, int]:
    """Rows for ``lines``, each level cell merged down over its group; the lead column (if
    any) continues the header's merge. Returns the rows' index range in the grid."""
    start = len(grid.rows)
    previous: Line | None = None
    for line in lines:
        items: list = [DOWN] if lead else []
        if levels >= 1:
            items.append(DOWN if previous and previous.g1 == line.g1 else line.l1)
        if levels >= 2:
            items.append(DOWN if previous and (previous.g1, previous.g2) == (line.g1, line.g2) else line.l2)
        add(grid, *items, *line.cells)
        previous = line
    return start, len(grid.rows)


def split(ctx: Ctx, grid: Grid, rows: tuple[int, int], header: int, lead: bool) -> list[Grid]:
    """Maybe split the table at a row boundary inside the indicator grid."""
    start, end = rows
    if end - start < 3 or not ctx.chance(0.15, "split"):
        return [grid]
    cut = ctx.rng.randint(start + 1, end - 1)
    second = Grid(grid.width, joined=True)
    repeat = ctx.chance(0.5, "split-header")
    if repeat:
        second.rows.append([C(c.text, c.col, c.span) for c in grid.rows[header]])
    for r, row in enumerate(grid.rows[cut:]):
        if r == 0:  # a merge cut by the split restarts, empty, in the second table
            row = [C("", c.col, c.span) if c.cont and not (repeat and lead and c.col == 0) else c for c in row]
        second.rows.append(row)
    return [Grid(grid.width, grid.rows[:cut]), second]


def extra_cells(ctx: Ctx, extra: bool) -> list[str]:
    return [ctx.rng.choice(["", "", "已核实"])] if extra else []


# ---------------------------------------------------------------- shared header rows


def name_rows(ctx: Ctx, grid: Grid, name: str, department: str, unit: str) -> None:
    written, _ = ctx.short(name)
    add(grid, (ctx.label("项目名称", "项目支出名称"), 2), written)
    add(grid, ("主管部门", 2), (ctx.short(department)[0], 3), ("实施单位", 2), ctx.short(unit)[0])


def fund_figures(ctx: Ctx, places: int) -> tuple[FundRow, list[str]]:
    step = Decimal(1).scaleb(-places)
    full = max(ctx.amount(places), Decimal(5))

    def share(low: int) -> Decimal:
        return max(step, (full * Decimal(ctx.rng.randint(low, 100)) / 100).quantize(step, ROUND_HALF_UP))

    initial = full if ctx.rng.random() < 0.5 else share(80)
    executed = min(share(50), initial)  # 执行率 stays within 50–100 whether read against 年初 or 全年
    row = FundRow(initial_budget=initial, full_year_budget=full, executed=executed)
    return row, [str(initial), str(full), str(executed)]


def sum_rows(rows: list[FundRow]) -> FundRow:
    def total(name: str) -> Decimal:
        return sum((getattr(r, name) for r in rows if getattr(r, name) is not None), Decimal(0))

    return FundRow(initial_budget=total("initial_budget"), full_year_budget=total("full_year_budget"), executed=total("executed"))


def figures(row: FundRow) -> list[str]:
    return ["" if v is None else str(v) for v in (row.initial_budget, row.full_year_budget, row.executed)]


def totals(ctx: Ctx, table: ProjectTable, points: Decimal, score: Decimal, indicator_points: Decimal) -> tuple[str, str]:
    """The total row's figures: both, or (variation) only the score, kept unequal to the
    points (with or without the funds' points) so that it cannot be taken for them."""
    if ctx.chance(0.25, "total-score-only"):
        while score in (points, indicator_points):
            score -= 1
        table.total_stated = score
        return "", str(score)
    table.total_points, table.total_stated = points, score
    return str(points), str(score)


def indicator_texts(ctx: Ctx, level2: str) -> tuple[str, str, str, str, str, bool]:
    """(name, value, unit, actual value, op, qualitative) for the structured families."""
    name, value, unit, actual, qualitative = ctx.rng.choice(POOL[level2])
    if not qualitative and unit and ctx.rng.random() < 0.15:
        value = value + unit  # the value cell already carries its unit
    return name, value, unit, actual, "" if qualitative else ctx.rng.choice(OPS), qualitative


def national_target(ctx: Ctx, level2: str) -> tuple[str, str, str]:
    name, value, unit, actual, op, qualitative = indicator_texts(ctx, level2)
    if qualitative:
        return name, value, actual
    form = ctx.rng.choice(["op", "op", "plain", "phrase"])
    target = op + compose(value, unit) if form == "op" else compose(value, unit)
    if form == "phrase" and NUMERIC.match(value):
        target = ctx.rng.choice(["不少于", "不低于", "不超过"]) + compose(value, unit)
    return name, target, compose(actual, unit)


def signatures_block(ctx: Ctx, grid: Grid, table: ProjectTable) -> list[Block]:
    lead, finance = ctx.rng.sample(PEOPLE, 2)
    table.signatures = Signatures(project_lead=lead, finance_lead=finance)
    choice = ctx.rng.choice(["row", "row", "cell", "paragraph"])
    colon = ctx.rng.choice([":", "：", ": "])
    if choice == "row":
        add(grid, (f"项目负责人{colon}{lead}", grid.width // 2), f"财务负责人{colon}{finance}")
        return []
    text = f"项目负责人{colon}{lead}\u3000\u3000财务负责人{colon}{finance}"
    ctx.vary(f"signature-{choice}")
    if choice == "cell":
        add(grid, text)
        return []
    return [Para(text)]


def goal(ctx: Ctx) -> tuple[list[str], Goal]:
    expected_w, expected = ctx.long()
    actual_w, actual = ctx.long(blank=0.1)
    return [expected_w, actual_w], Goal(expected=expected, actual=actual)


def one_place(value: Decimal) -> Decimal:
    """A stated score: one decimal, or none when it is whole."""
    value = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value
