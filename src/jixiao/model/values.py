"""Read 年度指标值 / 实际完成值 cells: operator + number + unit, a level word, or an honest "unparsed".

The scoring engine compares what it gets here, so anything that is not certain comes back as
``unparsed`` with a Chinese reason the user can act on. A wrong number scores silently; an
unparsed cell gets looked at by a person.
"""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["number", "range", "relative", "deadline", "qualitative", "unparsed", "blank"]
Op = Literal[">=", "<=", ">", "<", "="]


@dataclass(frozen=True)
class Value:
    text: str
    kind: Kind
    op: Op | None = None
    number: Decimal | None = None
    upper: Decimal | None = None
    unit: str | None = None
    per: str | None = None
    subject: str | None = None
    level: str | None = None
    reason: str | None = None
    year: int | None = None  # a deadline's or a date's (12月底前: None, the evaluated year)

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("number", "range")


def _alt(words) -> str:
    # Longest first, so 不超过 wins over 超过 and 万元 over 万.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PREFIX_OPS: dict[str, Op] = {
    "≥": ">=", "不少于": ">=", "不低于": ">=", "不小于": ">=", "大于等于": ">=", "至少": ">=",
    "最少": ">=", "达到": ">=",
    "≤": "<=", "不超过": "<=", "不超出": "<=", "不超": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=",
    "小于等于": "<=", "最多": "<=",
    ">": ">", "高于": ">", "超过": ">", "大于": ">", "多于": ">",
    "<": "<", "低于": "<", "少于": "<", "小于": "<", "不足": "<",
    "=": "=", "等于": "=",
}
_SUFFIX_OPS: dict[str, Op] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=", "内": "<=",
}
_UNITS = (
    "%", "‰", "万元", "亿元", "元", "万", "亿", "万人次", "人次", "万人", "人", "个百分点", "百分点",
    "个月", "个", "家", "项", "小时", "分钟", "天", "日", "周", "月", "年", "平方米", "平米", "公里",
    "千米", "米", "户", "篇", "件", "倍", "分", "次", "场", "期", "所", "台", "套", "册", "份", "条",
    "座", "处", "辆", "亩", "吨", "公顷", "名", "批", "本", "张", "村", "校",
)
# A bare 万 in these grids is money; 平米/㎡ are the same area unit.
_UNIT_NORMAL = {"万": "万元", "亿": "亿元", "平米": "平方米"}
_PERS = ("季度", "小时", "个月", "年", "季", "月", "周", "日", "天", "次", "人", "户", "村", "家",
         "项", "场", "名", "所", "校", "件", "个")
_U, _P = _alt(_UNITS), _alt(_PERS)
_OP_RE = re.compile(f"({_alt(_PREFIX_OPS)})")
_PER_RE = re.compile(f"每({_P})")
_AFTER_RE = re.compile(f"(?P<unit>{_U})?(?:(?:/|每)(?P<per>{_P}))?(?:\\(含\\))?(?P<op>{_alt(_SUFFIX_OPS)})?")
# Any other text after a figure is its unit (批次, 个工作日, 起, 万头(只), 元/人·年): a
# unit is words, never a clause (no punctuation), and a % or ‰ is only ever followed by a
# comparison word. Dates and deadlines (12月底前) are not quantities of a unit.
_OPEN_AFTER_RE = re.compile(
    f"(?P<unit>(?![%‰])[^0-9\\s，。；,;:：、!！?？“”\"'()（）\\[\\]]{{1,10}}?(?:\\([^()0-9]{{1,4}}\\))?)(?P<per>)(?:\\(含\\))?(?P<op>{_alt(_SUFFIX_OPS)})?"
)
_TIME_WORDS = re.compile("[前底末初]|之前")
_OP_WORDS_RE = re.compile(f"{_alt(_SUFFIX_OPS)}|{_alt(_PREFIX_OPS)}")  # 3个工作日内办结: a clause, not a unit
_RANGE_SEP_RE = re.compile(f"(?P<unit>{_U})?(?:-|~|〜|—|–|至|到)")
_RANGE_AFTER_RE = re.compile(f"(?P<unit>{_U})?(?:(?:/|每)(?P<per>{_P}))?")
# Dots glued to a figure are part of it, so "31..5" or "5." is seen whole and rejected.
_CHUNK_RE = re.compile(r"\.*[0-9](?:[0-9.,]*[0-9])?\.*")
_PLAIN_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_CN_NUMERAL_RE = re.compile(
    "百分之|[零〇一二两三四五六七八九十几半][零〇一二两三四五六七八九十百千万亿几半]*"
    "(?:个月|个百分点|个|次|人|项|家|户|篇|件|倍|年|月|天|日|周|小时|元|万元|场|期|名|批|成|所|台|"
    "套|份|条|座|处|辆|亩|吨|公里|平方米)"
)
# − (U+2212) is the minus sign Word and Excel type; NFKC leaves it, and left here it would
# make "−5%" read as 5%.
_BAD_SUBJECT_RE = re.compile(r"[-−∓+±~〜—–/\\*×÷^%‰=<>≥≤()\[\]{}]")
_HEDGES_BEFORE = ("大约", "大概", "接近", "将近", "约", "近", "逾", "超", "≈", "≒", "≃", "≅")
_HEDGES_AFTER = ("左右", "上下", "余", "多", "许")
_EDGE = " :：、，,;；"
_NOT_OVER_BUDGET = {"不超预算", "未超预算", "未超出预算"}
_MULTI = "含多个数值，无法确定比较对象"
_MULTI_PER = "含多个“每…”计量口径，无法确定按哪个比较"


def _normalise(text: str) -> str:
    # Full-width comma stays distinct from "," so "3，4" reads as two numbers, not 34.
    s = text.replace("㎡", "平方米").replace("m²", "平方米")
    s = "".join(c if c == "，" else unicodedata.normalize("NFKC", c) for c in s)
    s = "".join(c for c in s if unicodedata.category(c) != "Cf")
    for a, b in (("≧", "≥"), ("≦", "≤"), ("⩾", "≥"), ("⩽", "≤"), (">=", "≥"), ("<=", "≤")):
        s = s.replace(a, b)
    # Whitespace between two digits separates two numbers; anywhere else it is layout.
    def space(m: re.Match) -> str:
        return " " if re.fullmatch(r"[0-9]\s+[0-9]", s[max(m.start() - 1, 0):m.end() + 1]) else ""

    return re.sub(r"\s+", space, s).rstrip("。;、，,!")


def _unparsed(text: str, reason: str) -> Value:
    return Value(text, "unparsed", reason=reason)


CACHED_TEXT = 200  # characters: indicator values are short; a pasted essay is not kept


def parse_value(text: str | None) -> Value:
    """What an indicator value says; texts seen before are not parsed again (every edit
    re-validates the package into new indicators, and ~90% of their texts are unchanged)."""
    if text is not None and len(text) <= CACHED_TEXT:
        return _parse_cached(text)
    return _parse(text)


def _parse(text: str | None) -> Value:
    raw = "" if text is None else text
    s = _normalise(raw)
    if not s:
        return Value(raw, "blank")
    if deadline := _DEADLINE_RE.fullmatch(s):
        return _read_deadline(raw, deadline)
    if bounds := _both_bounds(raw, s):
        return bounds
    # Other scripts' digits (and NFKC leftovers) would be read wrongly or not at all.
    if odd := next((c for c in s if unicodedata.category(c) in ("Nd", "Nl", "No")
                    and c not in "0123456789"), None):
        return _unparsed(raw, f"含无法识别的数字字符“{odd}”")
    if cn := _CN_NUMERAL_RE.search(s):
        return _unparsed(raw, f"含中文数字“{cn.group()}”，请改写为阿拉伯数字")
    if not any(c in "0123456789" for c in s):
        return _read_words(raw, s)
    chunks = list(_CHUNK_RE.finditer(s))
    for c in chunks:
        if not _PLAIN_RE.fullmatch(c.group()):
            if "." in c.group():
                return _unparsed(raw, f"数字“{c.group()}”格式有误")
            return _unparsed(raw, _MULTI)  # "3,4" is a list, not a thousands grouping
    if len(chunks) == 1:
        return _read_single(raw, s, chunks[0])
    if len(chunks) == 2 and _RANGE_SEP_RE.fullmatch(s[chunks[0].end():chunks[1].start()]):
        return _read_range(raw, s, chunks[0], chunks[1])
    return _unparsed(raw, _MULTI)


def _number(chunk: re.Match) -> Decimal:
    return Decimal(chunk.group().replace(",", ""))


def _unit(unit: str | None) -> str | None:
    return _UNIT_NORMAL.get(unit, unit) if unit else None


def _read_before(before: str) -> tuple[list[Op], str | None, str | None] | str:
    """The words before a figure: (operators, per, subject), or a reason it can't be read."""
    pers = _PER_RE.findall(before)
    if len(pers) > 1:
        return _MULTI_PER
    parts = _OP_RE.split(_PER_RE.sub("", before))
    words = [p.strip(_EDGE) for p in parts[0::2]]
    words = [w for w in words if w]
    if len(words) > 1:
        return f"比较词“{parts[1]}”两侧都有文字，无法确定比较对象"
    subject = words[0] if words else None
    if subject:
        if "每" in subject:
            return f"无法确定“{subject}”中“每”的计量口径"
        if bad := _BAD_SUBJECT_RE.search(subject):
            return f"无法识别数字前的符号“{bad.group()}”"
        if hedge := next((h for h in _HEDGES_BEFORE if subject.endswith(h)), None):
            return f"含约数词“{hedge}”，无法确定精确值"
    return [_PREFIX_OPS[t] for t in parts[1::2]], (pers[0] if pers else None), subject


def _read_single(raw: str, s: str, chunk: re.Match) -> Value:
    before = _read_before(s[: chunk.start()])
    if isinstance(before, str):
        return _unparsed(raw, before)
    ops, per, subject = before
    after = s[chunk.end():]
    m = _AFTER_RE.fullmatch(after) or _OPEN_AFTER_RE.fullmatch(after)
    unit = re.match(_U, after)
    tail = after[unit.end():] if unit else after
    if hedge := next((h for h in _HEDGES_AFTER if tail.startswith(h) or (m and m["unit"] and h in m["unit"])), None):
        return _unparsed(raw, f"含约数词“{hedge}”，无法确定精确值")
    if not m or (m["unit"] and (_TIME_WORDS.search(m["unit"]) or _OP_WORDS_RE.search(m["unit"]))):
        return _unparsed(raw, f"无法识别数字后的“{after}”")
    if m["op"]:
        ops = [*ops, _SUFFIX_OPS[m["op"]]]
    if m["per"]:
        if per:
            return _unparsed(raw, _MULTI_PER)
        per = m["per"]
    if len(set(ops)) > 1:
        return _unparsed(raw, "比较词前后矛盾，无法确定比较方向")
    unit = _unit(m["unit"])
    # "人平收入2倍" names a base the grid does not give; a bare "2倍" compares with an actual "2.5倍".
    kind: Kind = "relative" if unit == "倍" and subject else "number"
    return Value(raw, kind, op=ops[0] if ops else "=", number=_number(chunk), unit=unit,
                 per=per, subject=subject)


def _read_range(raw: str, s: str, lo: re.Match, hi: re.Match) -> Value:
    before = _read_before(s[: lo.start()])
    if isinstance(before, str):
        return _unparsed(raw, before)
    ops, per, subject = before
    if ops:
        return _unparsed(raw, "区间前还有比较词，无法确定比较方向")
    after = s[hi.end():]
    m = _RANGE_AFTER_RE.fullmatch(after)
    if not m:
        return _unparsed(raw, f"无法识别数字后的“{after}”")
    u1 = _unit(_RANGE_SEP_RE.fullmatch(s[lo.end():hi.start()])["unit"])
    u2 = _unit(m["unit"])
    if u1 and u2 and u1 != u2:
        return _unparsed(raw, f"区间两端单位不一致（{u1}、{u2}）")
    if m["per"]:
        if per:
            return _unparsed(raw, _MULTI_PER)
        per = m["per"]
    low, high = _number(lo), _number(hi)
    if low > high:
        return _unparsed(raw, f"区间下限{lo.group()}大于上限{hi.group()}")
    return Value(raw, "range", number=low, upper=high, unit=u2 or u1, per=per, subject=subject)


# A month to finish by: 12月底前, 12月前完成, 2023年12月, 2023年11月完成. A bare 12月 stays a
# count of months; a deadline has a year or one of the words that make it one.
_DEADLINE_RE = re.compile(
    r"(?:(?P<year>20\d\d)年)?(?P<month>1[0-2]|0?[1-9])月(?:份)?(?P<mark>底|末|中旬|上旬|下旬)?"
    r"(?P<before>前|之前|以前|内)?(?P<done>完成|办结|落实|到位|支付|拨付|发放|兑现)?"
)


_AND_RE = re.compile("，?(?:且|并且|同时)")


def _both_bounds(raw: str, s: str) -> Value | None:
    """A lower and an upper bound joined by 且 (不低于95%且≤100%): the range between them."""
    parts = _AND_RE.split(s)
    if len(parts) != 2:
        return None
    low, high = (parse_value(p) for p in parts)
    if low.op in ("<=", "<") and high.op in (">=", ">"):
        low, high = high, low
    if low.kind != "number" or high.kind != "number" or low.op not in (">=", ">") or high.op not in ("<=", "<"):
        return None
    if low.unit and high.unit and low.unit != high.unit or low.number > high.number:  # type: ignore[operator]
        return None
    return Value(raw, "range", number=low.number, upper=high.number, unit=low.unit or high.unit)


def _read_deadline(raw: str, match: re.Match) -> Value:
    if not (match["year"] or match["mark"] or match["before"] or match["done"]):
        return Value(raw, "number", op="=", number=Decimal(match["month"]), unit="月")  # 12月: twelve months
    if match["mark"] in ("中旬", "上旬"):
        return _unparsed(raw, f"期限“{match.group()}”不到月底，按月无法比较")
    return Value(raw, "deadline", op="<=", number=Decimal(match["month"]), unit="月", year=int(match["year"]) if match["year"] else None)


def _read_words(raw: str, s: str) -> Value:
    if all(unicodedata.category(c)[0] in "PSZ" for c in s):
        return _unparsed(raw, f"只有符号“{s}”，没有指标值")
    if s in _NOT_OVER_BUDGET:
        return Value(raw, "qualitative", op="<=", level="不超预算")
    ops = list(_OP_RE.finditer(s))
    if len(ops) == 1 and ops[0].start() == 0 and ops[0].group() != "达到":
        rest, op = s[ops[0].end():].strip(_EDGE), _PREFIX_OPS[ops[0].group()]
        if not rest:
            return _unparsed(raw, f"只有比较词“{ops[0].group()}”，没有指标值")
        if level_rank(rest):
            return Value(raw, "qualitative", op=op, level=rest)
        if op == "<=" and rest.endswith("预算"):  # 不超过年度预算: the budget test, not a base
            return Value(raw, "qualitative", op="<=", level="不超预算")
        # "高于全市平均水平": a comparison with a base the cell does not quantify.
        return Value(raw, "relative", op=op, subject=rest)
    if any(o.group() != "达到" for o in ops):
        word = next(o.group() for o in ops if o.group() != "达到")
        return _unparsed(raw, f"含比较词“{word}”但没有数值，无法确定比较对象")
    op: Op = "="
    level = s
    for suffix, suffix_op in (("以上", ">="), ("以下", "<=")):
        if s.endswith(suffix):
            op, level = suffix_op, s[: -len(suffix)].removesuffix("及")
    if not level:
        return _unparsed(raw, f"只有“{s}”，没有指标值")
    return Value(raw, "qualitative", op=op, level=level)


_SCALES: dict[str, list[tuple[str, ...]]] = {  # best first
    "satisfaction": [("很满意", "非常满意", "十分满意"), ("满意",), ("较满意", "基本满意", "比较满意"),
                     ("不满意",)],
    # quality before effect: a bare 一般 is read on the quality scale (same rank on both).
    "quality": [("优秀", "优"), ("良好", "良"), ("中", "合格", "一般", "中等"), ("差", "不合格")],
    "effect": [("显著", "效果显著", "明显", "效果明显"), ("较好", "较明显", "效果较好"),
               ("一般", "效果一般"), ("不明显", "较差", "无效果", "效果不明显")],
    "timeliness": [("及时", "按时"), ("基本及时", "基本按时"), ("不及时", "未按时")],
}
_LEVELS: dict[str, tuple[str, int]] = {}
for _scale, _tiers in _SCALES.items():
    for _i, _words in enumerate(_tiers):
        for _w in _words:
            _LEVELS.setdefault(_w, (_scale, len(_tiers) - _i))


def level_rank(level: str) -> tuple[str, int] | None:
    """(scale name, rank) for a level word on a known ordered scale, higher rank = better.

    Exact words only: "及时办理" or "满意度高" return None rather than a guessed rank.
    """
    return _LEVELS.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", level or "")))


# Value is frozen: one parse may be shared by every indicator holding the same text.
_parse_cached = lru_cache(maxsize=8192)(_parse)
