"""年度指标值 / 实际完成值 as units type them: one scenario per scoring branch of a project
indicator, each returning the raw cells and, where the figures decide it, the share of the
indicator's points they earn (so a stated score can be written right, or wrong on purpose)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .figures import ZERO, Gen, figure

ONE = Decimal(1)
GE_BEFORE = ["≥", "≧", "不低于", "不少于", "大于等于", "至少", ">=", "≥ "]
GE_AFTER = ["以上", "及以上", "(含)以上"]
LE_BEFORE = ["≤", "≦", "不超过", "不高于", "不多于", "<=", "不超过 "]
LE_AFTER = ["以内", "以下", "及以下"]
COUNTS = ["个", "人", "次", "家", "户", "项", "场", "人次", "平方米", "公里", "天", "所", "台"]
# (target unit, actual unit, how many actual units one target unit is)
CONVERTIBLE = [("万元", "元", Decimal(10000)), ("元", "万元", Decimal("0.0001")), ("公里", "米", Decimal(1000)),
               ("天", "小时", Decimal(24)), ("年", "个月", Decimal(12)), ("亩", "万亩", Decimal("0.0001")),
               ("亿元", "万元", Decimal(10000)), ("吨", "公斤", Decimal(1000)), ("平方米", "公顷", Decimal("0.0001")),
               ("季度", "个月", Decimal(3))]
INCOMPATIBLE = [("天", "月"), ("人", "户"), ("个", "家"), ("%", "人"), ("次", "场"), ("万元", "人")]
UNKNOWN = [("批次", "期次"), ("起", "宗"), ("标段", "段"), ("个工作日", "天"), ("头(只)", "羽")]
LEVEL_WORDS = [("良好以上", "良好"), ("满意", "满意"), ("及时", "及时"), ("效果显著", "效果较好"), ("规范", "规范"),
               ("达标", "基本达标"), ("有效提升", "有所提升"), ("稳定", "稳定"), ("健全", "健全"), ("合规", "合规")]
UNPARSED = ["31..5", "约100人", "100人左右", "三十次", "3，4", "≈95%", "≒95%", "-5%", "−5%", "≥−3次", "≥", "一二三", "5.",
            "1-2-3", "1e5人"]


@dataclass
class Cell:
    target: str | None
    actual: str | None
    share: Decimal | None = None  # of the points, when the figures decide it
    adjusted: str | None = None
    kind: str | None = None  # the 指标性质 column, where the table has one
    cost: bool = False  # needs a 成本/时效 level 2: a bare target there means “at most”
    points: Decimal | None = None  # where the branch needs particular points


def _ge(g: Gen, number: str, unit: str) -> str:
    if g.chance(0.3):
        return f"{number}{unit}{g.pick(GE_AFTER)}"
    return f"{g.pick(GE_BEFORE)}{number}{unit}"


def _le(g: Gen, number: str, unit: str) -> str:
    if g.chance(0.3):
        return f"{number}{unit}{g.pick(LE_AFTER)}"
    return f"{g.pick(LE_BEFORE)}{number}{unit}"


def _count(g: Gen) -> tuple[Decimal, str]:
    return Decimal(g.pick((1, 2, 5, 10, 12, 17, 20, 30, 50, 100, 120, 500, 1200, 3000))), g.pick(COUNTS)


def _rate(g: Gen) -> Decimal:
    return Decimal(g.pick(("80", "85", "90", "95", "98", "100", "95.5", "99.9")))


def _pct_actual(g: Gen, value: Decimal) -> str:
    """95% as the unit wrote it: 95%, 95 or 95.00%. A bare 0.95 is read in the target's
    unit (0.95%), which is what the engine says it does; it stays in the edge share."""
    if g.odd():
        return figure(value / 100)
    return g.pick((f"{figure(value)}%", figure(value), f"{value:.2f}%"))


def _share(actual: Decimal, target: Decimal, at_least: bool) -> Decimal:
    if at_least:
        return ONE if actual >= target else (actual / target if target > 0 else ONE)
    return ONE if actual <= target else (target / actual if actual > 0 else ONE)


def ge_met(g: Gen) -> Cell:
    t, u = _count(g)
    a = t + g.int(0, 3) if not g.odd() else t * g.pick((10, 100))  # far beyond: a target set too low
    return Cell(_ge(g, figure(t), u), f"{figure(a)}{u}", ONE)


def ge_partial(g: Gen) -> Cell:
    t, u = _count(g)
    a = g.near(t, 20, 99, g.pick((0, 0, 2)))
    return Cell(_ge(g, figure(t), u), f"{figure(a)}{u}", _share(a, t, True))


def ge_zero(g: Gen) -> Cell:
    t, u = _count(g)
    return Cell(_ge(g, figure(t), u), g.pick((f"0{u}", "0")), ZERO)


def rate_ge(g: Gen) -> Cell:
    t = _rate(g)
    a = min(t + g.decimal(-10, 8, 1), Decimal(100))
    target = g.pick((f"≥{figure(t)}%", f"{figure(t)}%", f"不低于{figure(t)}%", f"{figure(t)}%以上", f"≧{figure(t)}%"))
    actual = _pct_actual(g, a)
    shown = Decimal(actual.rstrip("%"))
    return Cell(target, actual, _share(shown, t, True))


def le_met(g: Gen) -> Cell:
    t, u = _count(g)
    a = g.near(t, 30, 100, 0)
    return Cell(_le(g, figure(t), u), f"{figure(a)}{u}", ONE)


def le_partial(g: Gen) -> Cell:
    t, u = _count(g)
    a = g.near(t, 101, 400, g.pick((0, 1, 2)))
    if a <= t:
        a = t + 1
    return Cell(_le(g, figure(t), u), f"{figure(a)}{u}", _share(a, t, False))


def cost_bare(g: Gen) -> Cell:
    """成本指标 with no comparison word: the rubric reads it as “at most”."""
    t = Decimal(g.pick(("3800", "1500", "285.33", "114.78", "50", "12")))
    u = g.pick(("元", "万元", "元/人", "", "元/户"))
    a = g.near(t, 80, 130, 2)
    return Cell(f"{figure(t)}{u}", f"{figure(a)}{u}", _share(a, t, False), cost=True)


def zero_target(g: Gen) -> Cell:
    u = g.pick(("起", "次", "件", "", "%"))
    target = g.pick((f"0{u}", f"≤0{u}", f"不超过0{u}", "0"))
    if g.chance(0.5):
        return Cell(target, g.pick(("无", "0", f"0{u}", "未发生")), ONE)
    n = Decimal(g.int(1, 5))
    return Cell(target, f"{figure(n)}{u}", ZERO)


def at_least_zero(g: Gen) -> Cell:
    u = g.pick(("个", "%", "次"))
    return Cell(f"≥0{u}", f"{g.int(0, 9)}{u}", ONE)


def convert(g: Gen) -> Cell:
    tu, au, per = g.pick(CONVERTIBLE)
    t = Decimal(g.pick((1, 2, 5, 7, 10, 12, 100, 300)))
    a = t * per if g.chance(0.4) else g.near(t * per, 50, 150, 0)  # the same quantity, exactly, or not
    at_least = g.chance(0.6)
    target = _ge(g, figure(t), tu) if at_least else _le(g, figure(t), tu)
    return Cell(target, f"{figure(a.normalize())}{au}", _share(a, t * per, at_least))


def incompatible(g: Gen) -> Cell:
    tu, au = g.pick(INCOMPATIBLE)
    t, _ = _count(g)
    return Cell(_ge(g, figure(t), tu), f"{figure(t)}{au}")


def unknown_unit(g: Gen) -> Cell:
    tu, au = g.pick(UNKNOWN)
    t, _ = _count(g)
    if g.chance(0.3):  # an unknown unit still compares with itself
        return Cell(f"{figure(t)}{tu}", f"{figure(t)}{tu}", ONE)
    return Cell(f"{figure(t)}{tu}", f"{figure(t)}{au}")


def one_unit(g: Gen) -> Cell:
    t, u = _count(g)
    a = t + g.int(-2, 2)
    if g.chance(0.5):
        return Cell(f"{figure(t)}{u}", figure(a), _share(a, t, True))
    return Cell(figure(t), f"{figure(a)}{u}", _share(a, t, True))


def per_mismatch(g: Gen) -> Cell:
    t = Decimal(g.pick((10, 3, 200)))
    return Cell(g.pick((f"每月不超过{t}万", f"{t}元/人", f"每季度不少于{t}次")), f"{t}万元")


def range_(g: Gen) -> Cell:
    lo, hi, u = g.pick(((90, 100, "%"), (1, 12, "月"), (95, 100, "%"), (3, 5, "天"), (2, 4, "次")))
    target = g.pick((f"{lo}-{hi}{u}", f"{lo}{u}~{hi}{u}", f"{lo}至{hi}{u}", f"不低于{lo}{u}且不超过{hi}{u}"))
    where = g.pick(("in", "below", "above", "same", "other"))
    if where == "in":
        return Cell(target, f"{g.int(lo, hi)}{u}", ONE)
    if where == "below":
        a = Decimal(lo) * Decimal(g.int(50, 99)) / 100
        return Cell(target, f"{figure(a)}{u}", a / lo)
    if where == "above":
        a = Decimal(hi) + g.int(1, 10)
        return Cell(target, f"{figure(a)}{u}", hi / a)
    if where == "same":
        return Cell(target, f"{lo}-{hi}{u}", ONE)
    return Cell(target, f"{lo}-{hi + 1}{u}")


def relative(g: Gen) -> Cell:
    return Cell(g.pick(("≧人平收入2倍", "高于全市平均水平", "不低于上年", "≥上年同期水平")),
                g.pick(("2.5倍", "高于", "达到", "285.33")))


def deadline(g: Gen, year: int) -> Cell:
    month = g.int(6, 12)
    target = g.pick((f"{month}月底前", f"{year}年{month}月前完成", f"{month}月前完成", f"{year}年{month}月"))
    on, late = g.int(1, month), g.int(1, 3)
    actual = g.pick((f"{on}月", f"{year}年{on}月完成", "按期完成", "已按时完成", f"{year + 1}年{late}月",
                     "延期完成", "未按期完成", "已完成", f"{year}年{month}月底前"))
    return Cell(target, actual)


def deadline_unparsed(g: Gen, year: int) -> Cell:
    return Cell(g.pick(("6月中旬", "10月上旬前")), "按期完成")


def qualitative(g: Gen) -> Cell:
    target, actual = g.pick(LEVEL_WORDS)
    return Cell(target, g.pick((actual, actual, "未达到", "")), kind=g.pick((None, "定性")))


def blank_actual(g: Gen) -> Cell:
    t, u = _count(g)
    return Cell(_ge(g, figure(t), u), g.pick(("", None, "  ")))


def blank_target(g: Gen) -> Cell:
    return Cell(g.pick(("", None)), g.pick(("100%", "17个", "")), kind=g.pick((None, "定量")))


def unparsed(g: Gen) -> Cell:
    text = g.pick(UNPARSED)
    if g.chance(0.5):
        return Cell(text, "100人", kind="定量")
    t, u = _count(g)
    return Cell(_ge(g, figure(t), u), text)


def opposite(g: Gen) -> Cell:
    t = _rate(g)
    if g.chance(0.5):
        return Cell(f"≥{figure(t)}%", f"≤{figure(t - 10)}%")
    return Cell(f"≥{figure(t)}%", f"≥{figure(t)}%", ONE)


def half_up(g: Gen) -> Cell:
    """10 × a / 2000 with an odd a lands on x.xx5: half-up and half-even part here."""
    a = Decimal(2 * g.int(0, 999) + 1)
    return Cell("≥2000人", f"{figure(a)}人", a / 2000, points=Decimal(10))


def long_digits(g: Gen) -> Cell:
    t = g.decimal(50, 99, g.pick((3, 4, 5)))
    a = g.decimal(40, 99, g.pick((3, 5, 7)))
    return Cell(f"≥{figure(t)}%", f"{figure(a)}%", _share(a, t, True))


def extreme(g: Gen) -> Cell:
    if g.chance(0.5):
        t, a = Decimal("1000000000000"), Decimal("999999999999")
        return Cell(f"≥{figure(t)}人", f"{figure(a)}人", a / t)
    t, a = Decimal("0.000001"), Decimal("0.0000005")
    return Cell(f"不超过{figure(t)}吨", f"{figure(a)}吨", ONE)


def kind_mismatch(g: Gen) -> Cell:
    if g.chance(0.5):
        return Cell(g.pick(("良好", "满意", "按期")), "良好", kind="定量")
    return Cell("≥95%", "96%", kind="定性")


def adjusted(g: Gen) -> Cell:
    t, u = _count(g)
    lower = max(t - g.int(1, int(t) // 2 + 1), ONE)
    a = lower + g.int(-1, 2)
    return Cell(_ge(g, figure(t), u), f"{figure(a)}{u}", _share(a, lower, True), adjusted=_ge(g, figure(lower), u))


SANE = [ge_met, ge_met, ge_met, rate_ge, rate_ge, rate_ge, le_met, cost_bare, qualitative, qualitative, ge_partial,
        le_partial, one_unit, zero_target, convert, range_, deadline]
EDGE = [ge_zero, at_least_zero, incompatible, unknown_unit, per_mismatch, relative, deadline_unparsed, blank_actual,
        blank_target, unparsed, opposite, half_up, long_digits, extreme, kind_mismatch, adjusted, convert, range_,
        le_partial, ge_partial]
DATED = {deadline, deadline_unparsed}


def cell(g: Gen, year: int) -> Cell:
    make = g.pick(EDGE if g.odd() else SANE)
    return make(g, year) if make in DATED else make(g)
