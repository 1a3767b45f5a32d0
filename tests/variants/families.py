"""The layout families: each builds one table's grids and the table it must import as.

``build(ctx, family, name, department, unit)`` returns the blocks to write (grids, and any
paragraph after them) and the expected ``ProjectTable`` (``DepartmentEvaluation`` for the
flat department family). What each family's rows mean is the contract in the generator's
docstring; the code below is its one statement.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model.evaluation import (
    DepartmentEvaluation,
    FundRow,
    FundsExecution,
    Goal,
    Indicator,
    ProjectTable,
)

from .parts import (
    DECISION,
    LEVELS,
    NUMERIC,
    POOL,
    TEMPLATE,
    Ctx,
    Line,
    compose,
    extra_cells,
    figures,
    fund_figures,
    goal,
    grid_rows,
    indicator_texts,
    level_label,
    name_rows,
    national_target,
    one_place,
    signatures_block,
    split,
    sum_rows,
    totals,
    weigh,
    with_placeholders,
)
from .writers import DOWN, Block, Grid, add

NATIONAL_PLACEHOLDERS = ["指标1", "指标2:", "……", "指标1:"]
DECISION_PLACEHOLDERS = ["指标2:", "指标3:", "指标1:"]

# What each family's rubric (src/jixiao/rubrics) requires the table's weights to add up to.
# Real forms mostly do; the share that does not keeps the engine's weights check exercised.
WEIGHTS_OFF = 0.15
NATIONAL_LEVEL_POINTS = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
NATIONAL_WITHOUT_SATISFACTION = {"产出指标": 50, "效益指标": 40}
SICHUAN_POINTS = 90
DECISION_POINTS = 100
DECISION_LEVELS = ["项目决策", "项目管理", "项目产出", "项目效益"]
DECISION_SPLITS = [(20, 20, 40, 20), (15, 20, 40, 25), (10, 20, 40, 30), (20, 20, 30, 30)]  # 决策/管理/产出/效益
FLAT_EXECUTION_POINTS, FLAT_POINTS = 10, 90


def _levels(ctx: Ctx, first: list[str]) -> list[tuple[str, str]]:
    """(level1, level2) pairs in form order, each level2 holding one to three indicators."""
    pairs = []
    for level1 in first:
        seconds = LEVELS[level1]
        chosen = sorted(ctx.rng.sample(seconds, ctx.rng.randint(1, min(3, len(seconds)))), key=seconds.index)
        pairs += [(level1, level2) for level2 in chosen]
    return pairs


def _first_levels(ctx: Ctx, keep: tuple[str, ...] = ("产出指标",)) -> list[str]:
    return [l for l in LEVELS if l in keep or ctx.rng.random() < 0.8]


def _fits(ctx: Ctx) -> bool:
    """Whether this table's weights add up the way its rubric requires (see ``weigh``)."""
    return not ctx.chance(WEIGHTS_OFF, "weights-off")


def _label_levels(ctx: Ctx, lines: list[Line], points: list[Decimal], p1: float, p2: float) -> None:
    """Level labels, maybe carrying the sum of their indicators' points (产出指标(50分))."""
    with1, with2 = ctx.rng.random() < p1, ctx.rng.random() < p2
    for line in lines:
        # one_place: halves adding up to a whole print as 50, not 50.0
        sum1 = one_place(sum(p for l, p in zip(lines, points, strict=True) if l.g1 == line.g1))
        sum2 = one_place(sum(p for l, p in zip(lines, points, strict=True) if (l.g1, l.g2) == (line.g1, line.g2)))
        line.l1 = level_label(ctx, line.l1, sum1, 1.0 if with1 else 0.0)
        line.l2 = level_label(ctx, line.l2, sum2, 1.0 if with2 else 0.0)


def _execution_score(points: Decimal, rate: Decimal) -> Decimal:
    return one_place(points * min(rate, Decimal(100)) / 100)


def national(ctx: Ctx, name: str, department: str, unit: str) -> tuple[list[Block], ProjectTable]:
    rng = ctx.rng
    core, extra = ctx.chance(0.2, "core-column"), ctx.chance(0.15, "extra-column")
    grid = Grid(9 + core + extra)
    table = ProjectTable(name=name, department=department, implementer=unit, layout="national-2020")
    name_rows(ctx, grid, name, department, unit)
    places = rng.choice([0, 1, 2])
    add(grid, rng.choice(["项目资金（万元）", "项目资金\n（万元）"]), ("", 2), "年初预算数",
        ctx.label("全年预算数", "调整预算数", "调整后预算数", "全年(调整)预算数"),
        ctx.label("全年执行数", "全年实际执行数", "预算执行数"), ctx.label("分值", "权重"), "执行率", "得分")
    fiscal, fiscal_cells = fund_figures(ctx, places)
    rows = [("fiscal", ctx.label("其中：当年财政拨款", "本年财政拨款", "财政拨款"), fiscal, fiscal_cells)]
    for key, label, p in (("carried_over", "上年结转资金", 0.5), ("other", "其他资金", 0.3)):
        row, cells = fund_figures(ctx, places) if rng.random() < p else (FundRow(), ["", "", ""])
        rows.append((key, label, row, cells))
    total = sum_rows([r for _, _, r, _ in rows])
    table.funds.total = total
    points = Decimal(10)
    rate = ctx.rate(total.executed, total.full_year_budget, rng.choice([0, 2]))
    score = _execution_score(points, rate)
    table.execution = FundsExecution(points=points, rate_stated=rate, score_stated=score)
    add(grid, DOWN, ("年度资金总额", 2), *figures(total), str(points), f"{rate}%", str(score))
    merged = ctx.chance(0.5, "right-merge")
    for key, label, row, cells in rows:
        setattr(table.funds, key, row)
        right = [""] if merged else [rng.choice(["—", "/", ""]) for _ in range(3)]
        add(grid, DOWN, (label, 2), *cells, *right)
    add(grid, "年度总体目标", ("预期目标", 4), "实际完成情况")
    cells, target = goal(ctx)
    table.goals = [target]
    add(grid, DOWN, (cells[0], 4), cells[1])
    header = len(grid.rows)
    add(grid, "" if ctx.chance(0.15, "empty-lead") else "绩效指标", "一级指标", "二级指标", "三级指标",
        ctx.label("年度指标值", "指标值"), ctx.label("实际完成值", "完成值", "全年实际值"),
        ctx.label("分值", "权重", "指标权重"), ctx.label("得分", "自评得分", "指标得分"),
        ctx.label("偏差原因分析及改进措施", "偏差原因", "未完成原因分析"),
        *(["是否核心指标"] if core else []), *(["备注"] if extra else []))
    fits = _fits(ctx)
    specs = []  # 效益指标 is kept in a fitting table: the rubric gives it 30 (or 40) points
    for g, (level1, level2) in enumerate(_levels(ctx, _first_levels(ctx, ("产出指标", "效益指标") if fits else ("产出指标",)))):
        names = set()
        for _ in range(rng.randint(1, 3)):
            iname, tgt, act = national_target(ctx, level2)
            if iname not in names:
                names.add(iname)
                specs.append((g, level1, level2, iname, tgt, act))
    groups = [level1 for _, level1, *_ in specs]
    sums = NATIONAL_LEVEL_POINTS if "满意度指标" in groups else NATIONAL_WITHOUT_SATISFACTION
    point_list = weigh(ctx, fits, groups, {k: v for k, v in sums.items() if k in groups}, 2, 15)
    lines, scores = [], []
    for (g, level1, level2, iname, tgt, act), pts in zip(specs, point_list, strict=True):
        g1 = list(LEVELS).index(level1)
        sc = ctx.score(pts)
        dev_w, dev = ctx.long(blank=0.3 if sc < pts else 0.9)
        is_core = rng.random() < 0.4
        cells = [ctx.short(iname)[0], ctx.short(tgt)[0], ctx.short(act)[0], str(pts), str(sc), dev_w]
        cells += (["是" if is_core else "否"] if core else []) + extra_cells(ctx, extra)
        lines.append(Line(g1, level1, g, level2, cells))
        scores.append(sc)
        table.indicators.append(Indicator(level1=level1, level2=level2, name=iname, target=tgt, actual=act,
                                          points=pts, score=sc, deviation=dev, core=is_core if core else None))
    _label_levels(ctx, lines, point_list, 0.3, 0.2)
    span = grid_rows(grid, with_placeholders(ctx, lines, len(lines[0].cells), NATIONAL_PLACEHOLDERS), lead=True)
    indicator_points = one_place(sum(point_list))
    pts_text, score_text = totals(ctx, table, points + indicator_points, score + sum(scores), indicator_points)
    add(grid, ("总分", 6), pts_text, score_text, "")
    return split(ctx, grid, span, header, lead=True), table


def sichuan(ctx: Ctx, name: str, department: str, unit: str) -> tuple[list[Block], ProjectTable]:
    rng = ctx.rng
    extra = ctx.chance(0.15, "extra-column")
    grid = Grid(11 + extra)
    table = ProjectTable(name=name, department=department, implementer=unit, layout="sichuan-2023")
    if ctx.chance(0.6, "report-number"):
        add(grid, rng.choice(["报表编号:", "报表编号："]) + f"510000_{rng.randint(10**9, 10**10 - 1)}")
    name_rows(ctx, grid, name, department, unit)
    add(grid, "预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因")
    places = rng.choice([0, 2, 2])
    zero = "0" if places == 0 else "0." + "0" * places
    rows = []
    for key, label in (("fiscal", rng.choice(["其中:财政资金", "其中：财政资金"])), ("special_account", "财政专户管理资金"),
                       ("unit_funds", "单位资金"), ("other", "其他资金")):
        kind = "full" if key == "fiscal" else rng.choice(["blank", "blank", "zero", "full"])
        if kind == "full":
            row, cells = fund_figures(ctx, places)
            row.rate_stated = ctx.rate(row.executed, row.full_year_budget, 2)
            cells.append(f"{row.rate_stated}%")
        elif kind == "zero":
            row = FundRow(initial_budget=Decimal(zero), full_year_budget=Decimal(zero), executed=Decimal(zero), rate_stated=Decimal("0.00"))
            cells = [zero] * 3 + ["0.00%"]
        else:
            row, cells = FundRow(), [""] * 4
        rows.append((key, label, row, cells))
    total = sum_rows([r for _, _, r, _ in rows])
    rate = ctx.rate(total.executed, total.full_year_budget, 2)
    points = Decimal(10)
    score = _execution_score(points, rate)
    reason_w, reason = ctx.long(blank=0.5)
    table.funds.total = total
    table.execution = FundsExecution(points=points, rate_stated=rate, score_stated=score, reason=reason)
    add(grid, DOWN, "总额", *figures(total), f"{rate}%", str(points), str(score), reason_w)
    for key, label, row, cells in rows:
        setattr(table.funds, key, row)
        add(grid, DOWN, label, *cells, "/", "/", DOWN)
    header = len(grid.rows)
    add(grid, "绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
        "未完成原因分析", *(["备注"] if extra else []))
    fits = _fits(ctx)
    specs = []
    for g, (level1, level2) in enumerate(_levels(ctx, _first_levels(ctx))):
        names = set()
        for _ in range(rng.randint(1, 3)):
            texts = indicator_texts(ctx, level2)
            if texts[0] not in names:
                names.add(texts[0])
                specs.append((g, level1, level2, texts))
    weights = weigh(ctx, fits, [""] * len(specs), {"": SICHUAN_POINTS}, 2, 20)
    lines, scores = [], []
    for (g, level1, level2, (iname, value, u, actual, op, qualitative)), weight in zip(specs, weights, strict=True):
        if qualitative:
            op, kind = rng.choice([("定性", "qualitative"), ("定性指标", "qualitative")])
            target = compose(value, u)
        elif rng.random() < 0.2:
            op, kind = rng.choice(["定量", "定量指标"]), "quantitative"
            target = compose(value, u)
        else:
            kind, target = None, op + compose(value, u)
        actual_w = actual + u if u and NUMERIC.match(actual) and rng.random() < 0.1 else actual
        sc = ctx.score(weight)
        dev_w, dev = ctx.long(blank=0.4 if sc < weight else 0.9)
        cells = [ctx.short(iname)[0], op, value, u, actual_w, str(weight), str(sc), dev_w, *extra_cells(ctx, extra)]
        lines.append(Line(list(LEVELS).index(level1), level1, g, level2, cells))
        scores.append(sc)
        table.indicators.append(Indicator(level1=level1, level2=level2, name=iname, target=target,
                                          actual=compose(actual_w, u), points=weight, score=sc, deviation=dev, kind=kind))
    _label_levels(ctx, lines, weights, 0.15, 0.1)
    span = grid_rows(grid, with_placeholders(ctx, lines, len(lines[0].cells), NATIONAL_PLACEHOLDERS), lead=True)
    # 合计 counts the execution's 10 with the indicators' 90, as the published form prints it
    table.total_points = points + one_place(sum(weights))
    if ctx.chance(0.6, "total-score"):
        table.total_stated = score + sum(scores)
    add(grid, ("合计", 8), str(table.total_points), "" if table.total_stated is None else str(table.total_stated), "")
    if ctx.chance(0.15, "template-text"):
        conclusion_w, table.conclusion = TEMPLATE, TEMPLATE
    else:
        conclusion_w, table.conclusion = ctx.long()
    add(grid, ("评价结论", 2), conclusion_w)
    problems_w, table.problems = ctx.long(blank=0.2)
    add(grid, ("存在问题", 2), problems_w)
    measures_w, table.measures = ctx.long(blank=0.2)
    add(grid, ("改进措施", 2), measures_w)
    after = signatures_block(ctx, grid, table)
    return split(ctx, grid, span, header, lead=True) + after, table


def decision(ctx: Ctx, name: str, department: str, unit: str) -> tuple[list[Block], ProjectTable]:
    rng = ctx.rng
    extra = ctx.chance(0.15, "extra-column")
    grid = Grid(8 + extra)
    table = ProjectTable(name=name, department=department, implementer=unit, layout="decision-process")
    add(grid, "项目名称", (ctx.short(name)[0], 3), "主管部门", ctx.short(department)[0])
    row2 = len(grid.rows)
    add(grid, "实施单位", (ctx.short(unit)[0], 2), "自评得分", "", "财政审核评分", "")
    places = rng.choice([0, 1, 2])
    add(grid, "资金情况（万元）", ("", 2), "年初预算数(A)", "调整预算数", "全年执行数(B)", "执行率(B/A)")
    fiscal, fiscal_cells = fund_figures(ctx, places)
    other, other_cells = fund_figures(ctx, places) if rng.random() < 0.3 else (FundRow(), ["", "", ""])
    total = sum_rows([fiscal, other])
    rate = ctx.rate(total.executed, total.initial_budget, rng.choice([0, 2]))
    table.funds.total, table.funds.fiscal, table.funds.other = total, fiscal, other
    table.execution = FundsExecution(rate_stated=rate)
    add(grid, DOWN, ("年度资金总额", 2), *figures(total), f"{rate}%")
    blank = rng.choice(["", "/"])
    add(grid, DOWN, (ctx.label("其中：财政拨款", "财政拨款"), 2), *fiscal_cells, blank)
    add(grid, DOWN, ("其他资金", 2), *other_cells, blank)
    header = len(grid.rows)
    add(grid, "一级指标", "二级指标", "三级指标", "参考分值", "指标值(A)", "全年实际值(B)", "得分", "未完成原因分析及改进措施",
        *(["备注"] if extra else []))
    plan: list[tuple[str, str, list[tuple[str, str, str]]]] = []
    for level1, seconds in DECISION.items():
        for level2 in sorted(rng.sample(list(seconds), rng.randint(1, len(seconds))), key=list(seconds).index):
            plan.append((level1, level2, seconds[level2]))
    for level1, first in (("项目产出", "产出指标"), ("项目效益", "效益指标")):
        for _, level2 in _levels(ctx, [first]):
            plan.append((level1, level2, [national_target(ctx, level2) for _ in range(3)]))
    specs = []
    for g, (level1, level2, pool) in enumerate(plan):
        names = set()
        for iname, tgt, act in rng.sample(pool, rng.randint(1, min(3, len(pool)))):
            if iname not in names:
                names.add(iname)
                specs.append((g, level1, level2, iname, tgt, act))
    fits = _fits(ctx)
    if fits and ctx.chance(0.6, "round-level-points"):  # round level totals (项目决策(20分)), else any split of 100
        groups, sums = [level1 for _, level1, *_ in specs], dict(zip(DECISION_LEVELS, rng.choice(DECISION_SPLITS), strict=True))
    else:
        groups, sums = [""] * len(specs), {"": DECISION_POINTS}
    points = weigh(ctx, fits, groups, sums, 2, 10)
    lines, scores = [], []
    for (g, level1, level2, iname, tgt, act), pts in zip(specs, points, strict=True):
        sc = ctx.score(pts)
        dev_w, dev = ctx.long(blank=0.4 if sc < pts else 0.9)
        cells = [ctx.short(iname)[0], str(pts), ctx.short(tgt)[0], ctx.short(act)[0], str(sc), dev_w, *extra_cells(ctx, extra)]
        lines.append(Line(DECISION_LEVELS.index(level1), level1, g, level2, cells))
        scores.append(sc)
        table.indicators.append(Indicator(level1=level1, level2=level2, name=iname, target=tgt, actual=act,
                                          points=pts, score=sc, deviation=dev))
    _label_levels(ctx, lines, points, 0.85, 0.7)
    span = grid_rows(grid, with_placeholders(ctx, lines, len(lines[0].cells), DECISION_PLACEHOLDERS), lead=False)
    table.total_stated = sum(scores)
    grid.rows[row2][3].text = str(table.total_stated)
    if ctx.chance(0.5, "reviewed"):
        table.total_reviewed = table.total_stated - rng.choice([0, 1, 2])
        grid.rows[row2][5].text = str(table.total_reviewed)
    return split(ctx, grid, span, header, lead=False), table


FLAT_EXTRA = [("预算执行率", "90", "%", "93", False), ("管理制度健全性", "健全", "", "健全", True),
              ("三公经费控制率", "100", "%", "98", False)]


def flat(ctx: Ctx, name: str, department: str, unit: str) -> tuple[list[Block], DepartmentEvaluation]:
    rng = ctx.rng
    extra = ctx.chance(0.15, "extra-column")
    grid = Grid(11 + extra)
    table = DepartmentEvaluation(name=unit, layout="flat-department")
    stated = rng.random() < 0.7
    one_row = stated and ctx.chance(0.3, "one-header-row")
    head = len(grid.rows)
    if one_row:
        add(grid, ("部门名称", 2), (ctx.short(unit)[0], 5), ("自评总分（分）", 2), "")
    else:
        add(grid, ("部门名称", 2), ctx.short(unit)[0])
        if stated:
            add(grid, ("自评总分（分）", 2), "")
    places = rng.choice([0, 1, 2])
    add(grid, "部门预算执行情况", ("资金来源", 2), "年初预算数", "全年(调整)预算数", "全年执行数", "执行率(%)", "执行率权重", "执行率得分(分)")
    percent = rng.choice(["", "%"])
    row_rates = ctx.chance(0.4, "row-rates")
    fiscal, fiscal_cells = fund_figures(ctx, places)
    other, other_cells = fund_figures(ctx, places) if rng.random() < 0.4 else (FundRow(), ["", "", ""])
    total = sum_rows([fiscal, other])
    rate = ctx.rate(total.executed, total.full_year_budget, rng.choice([0, 2]))
    fits = _fits(ctx)
    weight = Decimal(FLAT_EXECUTION_POINTS if fits else rng.choice([10, 20]))
    score = _execution_score(weight, rate)
    table.funds.total = total
    table.execution = FundsExecution(points=weight, rate_stated=rate, score_stated=score)
    add(grid, DOWN, ("合计", 2), *figures(total), f"{rate}{percent}", str(weight), str(score))
    for key, label, row, cells in (("fiscal", "财政拨款", fiscal, fiscal_cells), ("other", "其他资金", other, other_cells)):
        if row_rates and row.executed is not None:
            row.rate_stated = ctx.rate(row.executed, row.full_year_budget, 2)
        rate_cell = f"{row.rate_stated}{percent}" if row.rate_stated is not None else ""
        setattr(table.funds, key, row)
        add(grid, DOWN, (label, 2), *cells, rate_cell, *[rng.choice(["", "/"])] * 2)
    add(grid, "当年绩效目标", ("年初绩效目标", 3), ("全年(调整)绩效目标", 3), "全年目标实际完成情况")
    (expected_w, actual_w), target = goal(ctx)
    adjusted_w, target.adjusted = ctx.long(blank=0.5)
    table.goals = [Goal(expected=target.expected, adjusted=target.adjusted, actual=target.actual)]
    add(grid, DOWN, (expected_w, 3), (adjusted_w, 3), actual_w)
    header = len(grid.rows)
    add(grid, "绩效指标", "指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "完成值", "得分系数(%)", "指标权重(分)",
        "指标得分(分)", "是否核心指标", *(["备注"] if extra else []))
    pool = FLAT_EXTRA + [entry for level2 in POOL for entry in POOL[level2]]
    chosen = rng.sample(pool, rng.randint(3, 8))
    weights = weigh(ctx, fits, [""] * len(chosen), {"": FLAT_POINTS}, 1, 10)
    lines, scores = [], []
    for i, ((iname, value, u, actual, qualitative), weight_i) in enumerate(zip(chosen, weights, strict=True)):
        kind = "qualitative" if qualitative else "quantitative"
        kind_cell = rng.choice(["定性指标", "定性"] if qualitative else ["定量指标", "定量"])
        value_w = value + u if u and rng.random() < 0.15 else value
        adjusted = "" if qualitative or rng.random() < 0.7 else str(Decimal(value) + 1)
        coefficient = Decimal(rng.choice([100, 100, 100, 90, 80, 60]))
        sc = one_place(weight_i * coefficient / 100)
        is_core = rng.random() < 0.4
        coefficient_cell = rng.choice([f"{coefficient}%", f"{coefficient}", f"{coefficient}.00%"])
        cells = [ctx.short(iname)[0], u, kind_cell, value_w, adjusted, actual, coefficient_cell, str(weight_i), str(sc),
                 "是" if is_core else "否", *extra_cells(ctx, extra)]
        lines.append(Line(0, "", i, "", cells))
        scores.append(sc)
        table.indicators.append(Indicator(name=iname, target=compose(value_w, u), target_adjusted=compose(adjusted, u) or None,
                                          actual=compose(actual, u), points=weight_i, coefficient=coefficient, score=sc,
                                          kind=kind, core=is_core))
    span = grid_rows(grid, lines, lead=True, levels=0)
    if stated:
        table.total_stated = score + sum(scores)
        grid.rows[head if one_row else head + 1][-1].text = str(table.total_stated)
    return split(ctx, grid, span, header, lead=True), table


BUILDERS = {"national-2020": national, "sichuan-2023": sichuan, "decision-process": decision, "flat-department": flat}
