"""The random source every builder shares: sane figures most of the time, edge cases at a
tunable share, and the name pools the tables draw from."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
LIMIT = Decimal(10) ** 12  # the model's bound on any figure
CENT = Decimal("0.01")

PLACES = ["衡山县", "永宁县", "青川县", "石嘴山市", "綦江区", "江津区", "平罗县", "苍溪县", "岳池县", "开州区"]
UNITS = ["农业农村局", "水利局", "教育局", "卫生健康委员会", "民政局", "交通运输局", "开云镇人民政府",
         "自然资源局", "文化旅游局", "市场监督管理局"]
PROJECTS = ["村级运转经费", "农村饮水安全工程维修养护", "高标准农田建设", "基层医疗卫生机构能力建设",
            "义务教育薄弱环节改善", "农村公路养护补助", "困难群众救助补助", "动物疫病防控经费", "河道清淤整治",
            "公共卫生服务补助", "社区运行经费", "森林防火专项", "城乡环境综合整治", "学生资助补助", "就业创业补贴",
            "文物保护修缮", "农机购置补贴", "食品安全抽检", "地质灾害防治", "乡村振兴衔接资金"]
PEOPLE = ["张三", "李四", "王五", "赵敏", "刘洋", "陈静", "彭思玲", "周婷"]
SENTENCES = ["按时完成年度各项工作任务", "资金拨付及时、使用规范", "项目实施后群众生产生活条件明显改善",
             "部分资金因采购程序未完成而结转", "加强项目前期论证，提高预算编制的准确性", "部分指标设置不够细化量化",
             "绩效监控不够及时", "受天气影响工期顺延"]


class Gen:
    """``random.Random`` with the figure shapes the forms carry; ``edge`` is the share of
    figures drawn from the edge cases instead of the sane range."""

    def __init__(self, seed: int, edge: float):
        self.rng = random.Random(seed)
        self.edge = edge

    # random() alone, not randrange: these are drawn ~1,000 times per package, and the
    # generator must keep up with a batch engine.
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def odd(self) -> bool:
        """Whether this draw is an edge case."""
        return self.rng.random() < self.edge

    def pick(self, items):
        return items[int(self.rng.random() * len(items))]

    def int(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))

    def places(self) -> int:
        """Digits after the point as typed: most amounts carry two, some none, some four."""
        return self.pick((2, 2, 2, 2, 0, 1, 4))

    def amount(self, low: int = 1, high: int = 2000) -> Decimal:
        """A 万元 amount as typed, or an edge figure (0, negative, huge, tiny, x.xx5)."""
        if self.odd():
            return self.pick(self.EDGE_AMOUNTS)(self)
        return self.decimal(low, high, self.places())

    def decimal(self, low: int, high: int, places: int) -> Decimal:
        return Decimal(self.int(low * 10**places, high * 10**places)).scaleb(-places)

    def near(self, base: Decimal, low_pct: int, high_pct: int, places: int | None = None) -> Decimal:
        """``base`` scaled by a percent in [low_pct, high_pct], at ``places`` decimals."""
        shown = self.places() if places is None else places
        share = Decimal(self.int(low_pct * 100, high_pct * 100)) / 10000
        return (base * share).quantize(Decimal(1).scaleb(-shown), ROUND_HALF_UP)

    def share_of(self, total: Decimal, parts: int) -> list[Decimal]:
        """``parts`` non-negative amounts that add up to ``total`` exactly (total ≥ 0)."""
        exp = min(total.as_tuple().exponent, -2) if total else -2  # type: ignore[type-var]
        step = Decimal(1).scaleb(exp)
        units = int(total / step)
        cuts = sorted(self.int(0, max(units, 0)) for _ in range(parts - 1))
        edges = [0, *cuts, units]
        return [Decimal(edges[i + 1] - edges[i]) * step for i in range(parts)]

    def _zero(self) -> Decimal:
        return Decimal(self.pick(("0", "0.00", "0")))

    def _negative(self) -> Decimal:
        return -self.decimal(1, 500, 2)

    def _huge(self) -> Decimal:
        return Decimal(self.pick(("99999999999.99", "12345678901", "5000000000.0001")))

    def _tiny(self) -> Decimal:
        return Decimal(self.pick(("0.0001", "0.000001", "0.01", "0.005")))

    def _half(self) -> Decimal:
        return self.decimal(1, 999, 2) + Decimal("0.005")

    def _long(self) -> Decimal:
        return self.decimal(1, 999, 8)

    EDGE_AMOUNTS = (_zero, _zero, _negative, _huge, _tiny, _half, _long)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """A rate as a form prints it (60 is 60%), or None where no form could print it."""
    if not whole:
        return None
    rate = cents(part / whole * 100)
    return rate if abs(rate) < LIMIT else None


def figure(value: Decimal) -> str:
    """A figure as a cell shows it (no exponent: 1E+3 is never typed)."""
    return format(value, "f")
