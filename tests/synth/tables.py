"""Project self-evaluation tables (and the department table in project form) in the four
layout families, with funds, indicators and stated scores — right, absent or wrong."""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import FundRow, Funds, FundsExecution, Goal, Indicator, ProjectTable, Signatures

from .cells import Cell, cell
from .figures import PEOPLE, SENTENCES, ZERO, Gen, cents, percent

LEVEL2 = {
    "产出指标": ["数量指标", "质量指标", "时效指标", "成本指标"],
    "效益指标": ["社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标"],
    "满意度指标": ["服务对象满意度指标"],
    "项目决策": ["绩效目标", "项目立项", "资金投入"],
    "项目管理": ["资金管理", "组织实施"],
    "项目产出": ["产出数量", "产出质量", "产出时效", "产出成本"],
    "项目效益": ["项目效益", "满意度"],
}
AT_MOST = {"成本指标", "时效指标", "产出成本", "产出时效"}
NAMES = ["培训人次", "覆盖行政村个数", "验收合格率", "设备完好率", "资金拨付及时率", "任务完成时间", "人均补助标准",
         "带动农户增收", "群众知晓率", "安全事故发生数", "服务对象满意度", "办结时限", "新建面积", "发放补助人数",
         "检测批次", "开展宣传活动次数", "档案规范性", "长效管护机制", "项目成本控制率", "森林覆盖率提高"]
# layout → (level-1 weights the table prints, indicator points in all, execution points)
FAMILIES: dict[str | None, tuple[dict[str, int], int, int | None]] = {
    "national-2020": ({"产出指标": 50, "效益指标": 30, "满意度指标": 10}, 90, 10),
    None: ({"产出指标": 50, "效益指标": 30, "满意度指标": 10}, 90, 10),
    "sichuan-2023": ({"产出指标": 50, "效益指标": 30, "满意度指标": 10}, 90, 10),
    "decision-process": ({"项目决策": 15, "项目管理": 20, "项目产出": 40, "项目效益": 25}, 100, None),
    "flat-department": ({"": 90}, 90, 10),
}
LAYOUTS = ["national-2020", "national-2020", "sichuan-2023", "decision-process", "flat-department", None]


def split(g: Gen, total: int, parts: int) -> list[Decimal]:
    """``parts`` weights adding to ``total``; some halves, as units write them."""
    halves = total * 2
    cuts = sorted(g.int(1, halves - 1) for _ in range(parts - 1)) if parts <= halves else []
    edges = [0, *cuts, halves]
    out = [Decimal(edges[i + 1] - edges[i]) / 2 for i in range(len(edges) - 1)]
    return [p if p % 1 else p.quantize(Decimal(1)) for p in out]


def funds(g: Gen, sichuan: bool) -> tuple[Funds, Decimal | None, Decimal | None]:
    """The funds block and (全年预算数, 全年执行数) of its total row."""
    initial = g.amount(5, 3000)
    full = initial if g.chance(0.6) else initial + g.decimal(-50, 300, 2)
    executed = g.near(full, 40, 100) if full > 0 else g.amount(0, 10)
    shape = g.pick(("sane",) * 6 + ("zero", "zero_spent", "blank", "over")) if g.odd() else "sane"
    if shape == "zero":
        initial = full = executed = Decimal("0")
    elif shape == "zero_spent":
        full, executed = Decimal(0), g.amount(1, 200)
    elif shape == "blank":
        executed = None  # type: ignore[assignment]
    elif shape == "over":
        executed = g.near(full, 101, 150)
    total = FundRow(initial_budget=initial, full_year_budget=full, executed=executed)
    rows: dict[str, FundRow] = {"total": total}
    if full is not None and full >= 0 and executed is not None and executed >= 0:
        keys = ["fiscal", "carried_over", "special_account" if sichuan else "other"]
        budgets, spent = g.share_of(full, 3), g.share_of(executed, 3)
        initials = g.share_of(initial, 3) if initial >= 0 else budgets
        if g.odd():  # parts that do not add up to the total
            budgets[0] += g.decimal(1, 20, 2)
        for key, i, b, s in zip(keys, initials, budgets, spent):
            rows[key] = FundRow(initial_budget=i, full_year_budget=b, executed=s,
                                rate_stated=percent(s, b) if sichuan else None)
    return Funds(**rows), full, executed


def execution(g: Gen, points: Decimal | int | None, full: Decimal | None, executed: Decimal | None, initial: Decimal | None) -> tuple[FundsExecution, Decimal | None]:
    """The 执行率 cells and the score the unit wrote for them."""
    if points is None:
        return FundsExecution(), None
    rate = None
    if full and executed is not None:
        base = initial if (g.odd() and initial) else full  # the wrong base, now and then
        rate = percent(executed, base)
    score = cents(min(rate, Decimal(100)) * points / 100) if rate is not None and rate >= 0 else None
    if g.odd():
        score = g.pick((None, Decimal(points), Decimal(points + 2), Decimal(-1)))
    return FundsExecution(points=Decimal(points), rate_stated=rate, score_stated=score), score


def _stated(g: Gen, c: Cell, points: Decimal | None, mode: str) -> Decimal | None:
    if points is None or mode == "absent" or (mode == "mixed" and g.chance(0.4)):
        return None
    if mode == "wrong" or g.odd():
        return g.pick((points, points + 1, cents(points * Decimal("0.7")), ZERO, Decimal(-1), points * 2))
    if c.share is not None:
        return cents(points * min(max(c.share, ZERO), Decimal(1)))
    return cents(points * Decimal(g.pick(("1", "0.9", "0.85", "0.7", "0.5"))))


def indicators(g: Gen, layout: str | None, year: int) -> tuple[list[Indicator], list[Decimal | None]]:
    weights, _, _ = FAMILIES[layout]
    sichuan, flat = layout == "sichuan-2023", layout == "flat-department"
    column = sichuan or flat  # 调整指标值 has a column; elsewhere the adjusted target stands in 年度指标值
    mode = g.pick(("right", "right", "right", "mixed", "absent", "wrong"))
    out: list[Indicator] = []
    stated: list[Decimal | None] = []
    levels = list(weights.items())
    if g.odd() and len(levels) > 2 and "满意度指标" in weights:  # no satisfaction: its weight moves to 效益
        levels = [("产出指标", 50), ("效益指标", 40)]
    for level1, level_points in levels:
        count = g.int(1, 4) if not flat else g.pick((3, 4, 5, 6, 8, 10, 15))
        for points in split(g, level_points, count):
            c = cell(g, year)
            if c.points is not None:
                points = c.points
            seconds = LEVEL2.get(level1) or ["数量指标", "质量指标", "成本指标", "时效指标", "满意度指标"]
            level2 = g.pick([s for s in seconds if s in AT_MOST] or seconds) if c.cost else g.pick(seconds)
            if c.cost and level2 not in AT_MOST:
                level2 = "成本指标"
            pts: Decimal | None = points
            if g.odd() and g.chance(0.2):
                pts = g.pick((None, ZERO, Decimal(-5)))
            score = _stated(g, c, pts, mode)
            kind = {"定量": "quantitative", "定性": "qualitative"}.get(c.kind or "") if (sichuan or g.odd()) else None
            deviation = None if score == pts or g.chance(0.3) else g.pick(SENTENCES)
            out.append(Indicator(
                level1=level1 or None, level2=level2 if not flat or g.chance(0.5) else None,
                name=g.pick(NAMES), target=c.target if column or not c.adjusted else c.adjusted,
                target_adjusted=c.adjusted if column else None,
                actual=c.actual, points=pts, score=score, deviation=deviation, kind=kind,
                coefficient=cents(score / pts * 100) if flat and score is not None and pts else None,
                core=g.chance(0.3) if flat else None,
            ))
            stated.append(score)
    return out, stated


def project_table(g: Gen, name: str, unit: str, department: str, year: int, layout: str | None = None) -> ProjectTable:
    layout = layout if layout is not None else g.pick(LAYOUTS)
    _, indicator_points, exec_points = FAMILIES[layout]
    block, full, executed = funds(g, layout == "sichuan-2023")
    run, exec_score = execution(g, exec_points, full, executed, block.total.initial_budget)
    inds, stated = indicators(g, layout, year)
    scores = [s for s in [exec_score, *stated] if s is not None]
    total = sum(scores, ZERO) if scores else None
    if total is not None and g.odd():
        total = g.pick((total + g.decimal(1, 10, 1), Decimal(100), total - 1))
    return ProjectTable(
        name=name, department=department, implementer=unit, funds=block, execution=run,
        goals=[Goal(expected=g.pick(SENTENCES), actual=g.pick(SENTENCES))],
        indicators=inds,
        total_points=Decimal(indicator_points + (exec_points or 0)),
        total_stated=total,
        total_reviewed=total if layout == "decision-process" and g.chance(0.3) else None,
        conclusion=g.pick(SENTENCES) if layout == "sichuan-2023" else None,
        signatures=Signatures(filler=g.pick(PEOPLE), head=g.pick(PEOPLE), date=f"{year + 1}.{g.int(1, 6)}.{g.int(1, 28)}"),
        layout=layout,
    )
