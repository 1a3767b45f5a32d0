"""The department side: the base data table and the scoring table (hengshan-2022-department),
each figure set so that the rule it feeds lands in a chosen branch — full, partial, zero,
a zero denominator, or blank — with the stated score right, absent or wrong."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from jixiao.model import Answer, BaseData, Building, NamedTriple, ScorecardRow, Staffing, Triple
from jixiao.rubric.loader import find_rubric
from jixiao.rubric.model import RubricIndicator
from jixiao.rubric.methods import Bands, Checklist, DeductPerCount, External, Levels, Manual, Threshold

from .figures import ZERO, Gen, cents, percent

RUBRIC = find_rubric("hengshan-2022-department")
INDICATORS = {ind.id: ind for _, _, ind in RUBRIC.rubric.all_indicators()}
OUTCOMES = ("full", "full", "full", "partial", "partial", "zero", "zero_over_zero", "over_zero", "blank")
ONE = Decimal(1)


def _rate(g: Gen, method: Threshold, points: Decimal, outcome: str) -> Decimal:
    """A rate that scores ``outcome`` by ``method`` (as a fraction: 1.05 is 105%)."""
    steps_to_zero = points / method.deduction
    if outcome == "full":
        gap = ZERO if method.direction == "both" or g.chance(0.3) else -Decimal(g.int(0, 30)) / 100
    elif outcome == "partial":
        gap = method.step * (ONE + Decimal(g.int(0, int(steps_to_zero * 100) - 101)) / 100)
    else:
        gap = method.step * (steps_to_zero + Decimal(g.int(0, 300)) / 100)
    side = -1 if method.direction == "at_least" or (method.direction == "both" and g.chance(0.5)) else 1
    return method.limit + side * gap


def _in_band(g: Gen, method: Bands) -> Decimal:
    """A rate inside one of the bands, often on its edge (10% is in (0, 10%], not the next)."""
    band = g.pick(method.bands)
    if band.eq is not None:
        return band.eq
    low = band.ge if band.ge is not None else band.gt
    high = band.le if band.le is not None else band.lt
    if low is None:
        return high - Decimal(g.int(1, 20)) / 100  # type: ignore[operator]
    if high is None:
        return low + Decimal(g.int(0 if band.ge is not None else 1, 40)) / 100
    if band.le is not None and g.chance(0.3):
        return high
    return low + (high - low) * Decimal(g.int(1, 99)) / 100


def _places(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


class Base:
    """Builds base data while recording the figures each plain ratio indicator reads."""

    def __init__(self, g: Gen):
        self.g = g
        self.figures: dict[str, tuple[Decimal | None, Decimal | None]] = {}  # (numerator, denominator) by id
        self.data = BaseData()

    def outcome(self) -> str:
        """The branch to aim a rule at: mostly full or partial marks, the rest at the edges."""
        return self.g.pick(OUTCOMES) if self.g.odd() else self.g.pick(("full", "full", "partial"))

    def method(self, ident: str) -> tuple[Threshold | Bands, Decimal]:
        return INDICATORS[ident].scoring, INDICATORS[ident].points  # type: ignore[return-value]

    def ratio(self, ident: str, denominator: Decimal) -> tuple[Decimal | None, Decimal | None]:
        self.figures[ident] = got = self._ratio(ident, denominator)
        return got

    def _ratio(self, ident: str, denominator: Decimal) -> tuple[Decimal | None, Decimal | None]:
        """(numerator, denominator) for a ratio indicator aimed at a branch."""
        g, aim = self.g, self.outcome()
        if aim == "zero_over_zero":
            return ZERO, ZERO
        if aim == "over_zero":
            return g.amount(1, 100), ZERO
        if aim == "blank":
            return (None, denominator) if g.chance(0.5) else (denominator, None)
        method, points = self.method(ident)
        rate = _in_band(g, method) if isinstance(method, Bands) else _rate(g, method, points, aim)
        return _places(denominator * rate, 2), denominator

    def staffing(self) -> None:
        g, aim = self.g, self.outcome()
        authorized = g.int(20, 400)
        if aim in ("zero_over_zero", "over_zero"):
            self.data.staffing = Staffing(authorized=0, actual=0 if aim == "zero_over_zero" else g.int(1, 30))
            return
        if aim == "blank":
            self.data.staffing = Staffing(authorized=authorized if g.chance(0.5) else None)
            return
        method, points = self.method("staff_control_rate")
        assert isinstance(method, Threshold)
        actual = int(_places(authorized * _rate(g, method, points, aim), 0))
        stated = percent(Decimal(actual), Decimal(authorized)) if not g.odd() else Decimal(g.int(60, 110))
        self.data.staffing = Staffing(authorized=authorized, actual=max(actual, 0), control_rate_stated=stated)


    def three_public(self) -> None:
        g = self.g
        prior = g.amount(1, 60)
        budget, prior = self.ratio("three_public_change_rate", prior)
        if budget is not None and prior is not None:
            budget = budget + prior  # the formula is a change: (budget − prior) / prior
        final, budget = self.ratio("three_public_control_rate", budget if budget is not None else g.amount(1, 60))
        parts = g.share_of(final, 3) if final is not None and final >= 0 else [None, None, None]
        if g.odd() and parts[0] is not None:
            parts[0] += Decimal("0.5")  # parts that do not add up
        vehicle = parts[0]
        split = g.share_of(vehicle, 2) if vehicle is not None and vehicle >= 0 else [None, None]
        tp = self.data.three_public
        tp.total = Triple(prior_final=prior, budget=budget, final=final)
        tp.vehicle = Triple(final=vehicle)
        tp.vehicle_purchase, tp.vehicle_operation = Triple(final=split[0]), Triple(final=split[1])
        tp.overseas, tp.reception = Triple(final=parts[1]), Triple(final=parts[2])

    def execution(self) -> None:
        g = self.g
        initial = g.amount(100, 5000)
        supplementary, initial = self.ratio("budget_control_rate", initial)
        carried = g.amount(0, 200) if not g.chance(0.2) else ZERO
        aim = self.outcome()
        if aim == "zero_over_zero" or None in (initial, supplementary):
            self.data.execution.carried_over = ZERO if aim == "zero_over_zero" else carried
            self.data.execution.initial_budget, self.data.execution.supplementary = initial, supplementary
            self.data.execution.year_end_balance = ZERO if aim == "zero_over_zero" else None
            return
        available = carried + initial + supplementary  # type: ignore[operator]
        method, points = self.method("budget_completion_rate")
        assert isinstance(method, Threshold)
        rate = _rate(g, method, points, aim if aim in ("full", "partial", "zero") else "full")
        balance = _places(available * (ONE - rate), 2) if aim != "blank" else None

        self.data.execution.carried_over, self.data.execution.initial_budget = carried, initial
        self.data.execution.supplementary, self.data.execution.year_end_balance = supplementary, balance

    def buildings(self) -> None:
        g = self.g
        if g.chance(0.5):

            return  # no building project: full points by rule
        approved = g.amount(200, 3000)
        area, approved = self.ratio("building_area_rate", approved)
        investment = g.amount(100, 2000)
        spent, investment = self.ratio("building_investment_rate", investment)
        self.data.buildings = [Building(name=g.pick(("办公楼", "业务用房", "综合楼")), approved_area=approved, actual_area=area,
                                        approved_investment=investment, actual_investment=spent)]

    def spending(self) -> None:
        g = self.g
        budget = g.amount(50, 800)
        final, budget = self.ratio("public_funds_control_rate", budget)
        self.data.public_funds = Triple(prior_final=g.amount(50, 800), budget=budget, final=final)
        if final is not None and final >= 0:
            names = ("办公经费", "水费、电费、差旅费", "会议费、培训费")
            items = g.share_of(final, 3)
            if g.odd():
                items[-1] += g.decimal(1, 50, 2)  # items that exceed their total
            self.data.public_funds_items = [NamedTriple(name=n, final=v) for n, v in zip(names, items)]
        procurement = g.amount(10, 500)
        spent, procurement = self.ratio("procurement_rate", procurement)
        self.data.procurement = Triple(budget=procurement, final=spent)
        basic = g.amount(200, 3000)
        self.data.basic_expenditure = Triple(prior_final=g.near(basic, 80, 120, 2), budget=basic, final=g.near(basic, 85, 100, 2))
        self.data.frugality_measures = g.pick((None, "严格执行中央八项规定精神，压减一般性支出。"))


def base_data(g: Gen) -> tuple[BaseData, dict[str, tuple[Decimal | None, Decimal | None]]]:
    """The base data, and the (numerator, denominator) each ratio indicator reads from it."""
    b = Base(g)
    b.staffing()
    b.three_public()
    b.execution()
    b.buildings()
    b.spending()
    return b.data, {**b.figures, **_derived(b.data)}


def _derived(data: BaseData) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """(numerator, denominator) of the indicators whose formula combines several figures."""
    def less(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a - b

    def total(values: list[Decimal | None]) -> Decimal | None:
        return None if None in values else sum(values, ZERO)  # type: ignore[arg-type]

    staff, tp, ex, bs = data.staffing, data.three_public.total, data.execution, data.buildings
    available = total([ex.carried_over, ex.initial_budget, ex.supplementary])
    return {
        "staff_control_rate": (None if staff.actual is None else Decimal(staff.actual),
                               None if staff.authorized is None else Decimal(staff.authorized)),
        "three_public_change_rate": (less(tp.budget, tp.prior_final), tp.prior_final),
        "budget_completion_rate": (less(available, ex.year_end_balance), available),
        "building_area_rate": (total([b.actual_area for b in bs]), total([b.approved_area for b in bs])),
        "building_investment_rate": (total([b.actual_investment for b in bs]), total([b.approved_investment for b in bs])),
    }


def _zero_rule(ind: RubricIndicator, numerator_zero: bool) -> Decimal | None:
    rule = ind.zero_denominator.outcome(numerator_zero)  # type: ignore[union-attr]
    return {"full": ind.points, "zero": ZERO}.get(rule)


def right_score(ind: RubricIndicator, figures: tuple[Decimal | None, Decimal | None] | None, answer: Answer | None) -> Decimal | None:
    """The score the rules give, as a careful unit would write it (None where they give none):
    the rubric's own methods on the figures the base data was built from."""
    method, points = ind.scoring, ind.points
    if figures is not None:
        numerator, denominator = figures
        if numerator is None or denominator is None:
            return None
        if denominator == 0:
            return _zero_rule(ind, numerator == 0)
        return method.apply(numerator / denominator, points).score  # type: ignore[union-attr]
    if answer is None:
        return None
    if isinstance(method, Checklist):
        return None if answer.items is None else method.apply_items(answer.items, points).score
    if isinstance(method, Levels):
        return None if not answer.level else method.apply_level(answer.level, None, points).score
    if isinstance(method, Manual):
        return None if answer.score is None else method.apply_manual(answer.score, answer.justification, points).score
    if answer.value is None:
        return None
    if isinstance(method, External):
        if answer.out_of is None:
            return None
        return _zero_rule(ind, answer.value == 0) if answer.out_of == 0 else method.apply(answer.value / answer.out_of, points).score
    if isinstance(method, Bands):
        return method.apply(answer.value / 100, points).score
    return method.apply(answer.value, points).score  # type: ignore[union-attr]


def _answer(g: Gen, method: object) -> Answer | None:
    """What the unit fills in for an indicator the base data cannot decide."""
    odd = g.odd()
    if isinstance(method, Checklist):
        n = len(method.items)
        if odd:
            return g.pick((None, Answer(items=[True] * (n - 1)), Answer(items=[True, None] + [False] * (n - 2)),
                           Answer(items=[False] * n)))
        return Answer(items=[g.chance(0.8) for _ in range(n)])
    if isinstance(method, DeductPerCount):
        value = g.pick((Decimal("1.5"), Decimal(-1), Decimal(9), None)) if odd else Decimal(g.pick((0, 0, 0, 1, 2)))
        return Answer(value=value)
    if isinstance(method, External):
        if odd:
            return g.pick((Answer(value=ZERO, out_of=ZERO), Answer(value=Decimal(10), out_of=ZERO), Answer(out_of=Decimal(100)),
                           Answer(value=ZERO, out_of=Decimal(50)), Answer(value=Decimal(120), out_of=Decimal(100))))
        out_of = Decimal(g.pick((50, 100)))
        return Answer(value=g.near(out_of, 70, 100, 1), out_of=out_of)
    if isinstance(method, Manual):
        if odd:
            return g.pick((Answer(score=Decimal(8)), Answer(score=Decimal(12), justification="带动就业"), None,
                           Answer(score=ZERO, justification="无明显效益")))
        return Answer(score=Decimal(g.pick(("10", "9", "8.5", "7"))), justification=g.pick(("带动就业 300 人", "群众收入稳步增长")))
    if isinstance(method, Levels):
        words = [w for lv in method.levels for w in (lv.name, *lv.aliases)]
        return Answer(level=g.pick((None, "优秀", "较差")) if odd else g.pick(words))
    if isinstance(method, Bands):
        value = g.pick((None, Decimal(65), Decimal("69.995"), Decimal(101))) if odd else Decimal(g.pick((95, 92, 88, 85, 78, 100)))
        return Answer(value=value)
    return None


def scorecard(g: Gen) -> list[ScorecardRow]:
    """The scoring table's rows as the unit filled them; a row missing, renamed or extra now and then."""
    rows: list[ScorecardRow] = []
    for level1 in RUBRIC.rubric.levels:
        for level2 in level1.children:
            for ind in level2.indicators:
                if g.odd() and g.chance(0.15):
                    continue  # the unit left the row out
                name = g.pick([ind.name, *ind.aliases]) if ind.aliases and g.chance(0.3) else ind.name
                rows.append(ScorecardRow(
                    level1=level1.name, level1_points=level1.points, level2=level2.name, level2_points=level2.points,
                    name=name, points=ind.points if not (g.odd() and g.chance(0.2)) else ind.points + 1,
                    criteria=ind.criteria, description=ind.description,
                    answer=_answer(g, ind.scoring) if not ind.formula or ind.formula.startswith("answer") else None,
                ))
    if g.odd() and g.chance(0.3):
        rows.append(ScorecardRow(level1="产出及效率", name="固定资产利用率", points=Decimal(2), score=Decimal(2)))
    return rows


BY_NAME = {n: ind for ind in INDICATORS.values() for n in (ind.name, *ind.aliases)}


def stated_scores(g: Gen, rows: list[ScorecardRow], figures: dict[str, tuple[Decimal | None, Decimal | None]]) -> Decimal | None:
    """Writes each row's stated score — mostly what the rules give, sometimes not — and
    returns the stated total."""
    mode = g.pick(("right", "right", "mixed", "absent", "wrong"))
    for row in rows:
        if row.score is not None:
            continue
        ind = BY_NAME.get(row.name)
        right = right_score(ind, figures.get(ind.id), row.answer) if ind else None
        if mode == "absent" or (mode == "mixed" and g.chance(0.3)):
            continue
        if mode == "wrong" or right is None or g.odd():
            row.score = g.pick((row.points, (row.points or ZERO) + 3, ZERO, Decimal("4.5"))) if row.points is not None else Decimal(3)
        else:
            row.score = cents(right)
    stated = [r.score for r in rows if r.score is not None]
    total = sum(stated, ZERO) if stated else None
    if total is not None and g.odd():
        total += g.pick((Decimal(1), Decimal("-0.5"), Decimal(8)))
    return total
