"""Tests for reading 年度指标值 / 实际完成值 cells (jixiao.rubric.values)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jixiao.model.values import Value, level_rank, parse_value

D = Decimal
CJK = re.compile("[一-鿿]")


def num(op, number, unit=None, **extra):
    return {"kind": "number", "op": op, "number": D(number), "upper": None, "unit": unit,
            "per": None, "reason": None, **extra}


def qual(op, level):
    return {"kind": "qualitative", "op": op, "level": level, "number": None, "unit": None}


def unparsed(*must_contain):
    return {"kind": "unparsed", "number": None, "op": None, "_reason_has": must_contain}


def rng(lo, hi, unit):
    return {"kind": "range", "op": None, "number": D(lo), "upper": D(hi), "unit": unit}


BLANK = {"kind": "blank", "op": None, "number": None, "level": None, "reason": None}

CASES = [
    # Examples from published reports.
    ("30次以上", num(">=", "30", "次")),
    ("5次以上", num(">=", "5", "次")),
    ("不少于20次", num(">=", "20", "次")),
    ("≥90%", num(">=", "90", "%")),
    ("≧90%", num(">=", "90", "%")),
    ("≦3", num("<=", "3")),
    ("不高于3800元", num("<=", "3800", "元")),
    ("每月不超过10万", num("<=", "10", "万元", per="月")),
    ("8小时", num("=", "8", "小时")),
    ("1-12月", rng("1", "12", "月")),
    ("≧人平收入2倍", {"kind": "relative", "op": ">=", "number": D(2), "unit": "倍",
                     "subject": "人平收入"}),
    ("100%", num("=", "100", "%")),
    ("95%以上", num(">=", "95", "%")),
    ("改进率95%以上", num(">=", "95", "%", subject="改进率")),
    ("保护率95%以上", num(">=", "95", "%", subject="保护率")),
    ("举办全市活动3次以上", num(">=", "3", "次", subject="举办全市活动")),
    ("1年以上", num(">=", "1", "年")),
    ("30人", num("=", "30", "人", subject=None)),
    ("17", num("=", "17", None)),
    ("285.33", num("=", "285.33", None)),
    ("0", num("=", "0", None)),
    ("满意", qual("=", "满意")),
    ("基本满意", qual("=", "基本满意")),
    ("良好以上", qual(">=", "良好")),
    ("效果显著", qual("=", "效果显著")),
    ("及时办理", qual("=", "及时办理")),
    ("高效", qual("=", "高效")),
    ("不超预算", qual("<=", "不超预算")),
    ("不超过预算", qual("<=", "不超预算")),
    ("不超出年度预算", qual("<=", "不超预算")),
    ("不超过年度预算", qual("<=", "不超预算")),
    ("未超预算", qual("<=", "不超预算")),
    ("控制在年度预算范围内", qual("=", "控制在年度预算范围内")),
    ("会务中心5666平方米，大院67931平方米", unparsed("多个数值")),
    ("31..5", unparsed("31..5")),
    ("办公经费一般每村每年不低于3万元，常住人口在3000人以上的村一般不低于4万元", unparsed("多个数值")),
    ("", BLANK),
    (None, BLANK),
    ("   ", BLANK),
    ("　", BLANK),
    (" \t\n　", BLANK),
    # Full-width digits and signs, ASCII operators, padding.
    ("９０％", num("=", "90", "%")),
    ("＞90%", num(">", "90", "%")),
    ("＜5", num("<", "5")),
    ("＝100%", num("=", "100", "%")),
    ("＞＝90%", num(">=", "90", "%")),
    (">=90%", num(">=", "90", "%")),
    ("<=3", num("<=", "3")),
    (">90", num(">", "90")),
    ("<5", num("<", "5")),
    ("≤3", num("<=", "3")),
    ("≥ 90 %", num(">=", "90", "%")),
    ("　≥90%　", num(">=", "90", "%")),
    ("  95％以上 ", num(">=", "95", "%")),
    ("９５．５％", num("=", "95.5", "%")),
    # Operator words.
    ("3次以下", num("<=", "3", "次")),
    ("不低于95%", num(">=", "95", "%")),
    ("不超过5万元", num("<=", "5", "万元")),
    ("至少3次", num(">=", "3", "次")),
    ("最多2次", num("<=", "2", "次")),
    ("低于5%", num("<", "5", "%")),
    ("高于80%", num(">", "80", "%")),
    ("超过100户", num(">", "100", "户")),
    ("少于3件", num("<", "3", "件")),
    ("大于60分", num(">", "60", "分")),
    ("小于1%", num("<", "1", "%")),
    ("达到95%", num(">=", "95", "%")),
    ("满意度达到95%", num(">=", "95", "%", subject="满意度")),
    ("3天以内", num("<=", "3", "天")),
    ("30日内", num("<=", "30", "日")),
    ("≥90%以上", num(">=", "90", "%")),
    # Units.
    ("5万元", num("=", "5", "万元")),
    ("3.5万", num("=", "3.5", "万元")),
    ("12个", num("=", "12", "个")),
    ("8家", num("=", "8", "家")),
    ("6项", num("=", "6", "项")),
    ("15天", num("=", "15", "天")),
    ("15日", num("=", "15", "日")),
    ("12月", num("=", "12", "月")),
    ("5666平方米", num("=", "5666", "平方米")),
    ("200㎡", num("=", "200", "平方米")),
    ("200平米", num("=", "200", "平方米")),
    ("12.5公里", num("=", "12.5", "公里")),
    ("4篇", num("=", "4", "篇")),
    ("90分以上", num(">=", "90", "分")),
    ("3,800元", num("=", "3800", "元")),
    ("10万元/年", num("=", "10", "万元", per="年")),
    ("每年不少于4次", num(">=", "4", "次", per="年")),
    ("3倍", num("=", "3", "倍", subject=None)),
    ("2倍以上", num(">=", "2", "倍")),
    # Ranges.
    ("1～12月", rng("1", "12", "月")),
    ("1至12月", rng("1", "12", "月")),
    ("1月-12月", rng("1", "12", "月")),
    ("90%-95%", rng("90", "95", "%")),
    ("12-1月", unparsed("下限")),
    ("1元-12月", unparsed("单位不一致")),
    # Comparisons without a figure.
    ("高于全市平均水平", {"kind": "relative", "op": ">", "number": None, "subject": "全市平均水平"}),
    ("不低于良好", qual(">=", "良好")),
    ("良好及以上", qual(">=", "良好")),
    ("合格以下", qual("<=", "合格")),
    # Everything else that can't be read with certainty.
    ("2023年12月", {"kind": "deadline", "op": "<=", "number": D(12), "unit": "月", "year": 2023}),  # a date, not two numbers
    ("3，4", unparsed("多个数值")),
    ("3 5", unparsed("多个数值")),
    ("3  5", unparsed("多个数值")),
    ("3 　\t5次", unparsed("多个数值")),
    ("5.", unparsed("5.")),
    (".5", unparsed(".5")),
    ("1.2.3", unparsed("1.2.3")),
    ("约30次", unparsed("约")),
    ("30余次", unparsed("余")),
    ("100%左右", unparsed("左右")),
    ("三次以上", unparsed("中文数字")),
    ("百分之九十", unparsed("中文数字")),
    ("≥90%以下", unparsed("矛盾")),
    ("-5%", unparsed("-")),
    ("−5%", unparsed("−")),  # U+2212, the minus sign office software types: never read as 5%
    ("≥−5%", unparsed("−")),
    ("≈95%", unparsed("≈")),  # approximately 95% is not exactly 95%
    ("≒95%", unparsed("≒")),
    ("每村每年3万元", unparsed("每")),
    ("3个工作日内办结", unparsed("数字后")),
    ("收入不低于人平收入2倍", unparsed("比较对象")),
    ("满意度高于上年", unparsed("高于")),
    ("≥", unparsed()),
    ("以上", unparsed()),
    ("/", unparsed("/")),
    ("—", unparsed()),
    ("٣٠次", unparsed("数字字符")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(t) for t, _ in CASES])
def test_examples(text, expected):
    value = parse_value(text)
    assert value.text == ("" if text is None else text)
    for field, want in expected.items():
        if field == "_reason_has":
            continue
        got = getattr(value, field)
        assert got == want, f"{field}: {got!r} != {want!r}"
        if isinstance(want, Decimal):
            assert isinstance(got, Decimal)
    if value.kind == "unparsed":
        assert value.reason and CJK.search(value.reason), value.reason
        for part in expected.get("_reason_has", ()):
            assert part in value.reason
    else:
        assert value.reason is None


def test_malformed_number_is_never_read_as_a_nearby_number():
    value = parse_value("31..5")
    assert value.number is None and "31..5" in value.reason


def test_is_numeric():
    assert parse_value("30次以上").is_numeric
    assert parse_value("1-12月").is_numeric
    assert not parse_value("≧人平收入2倍").is_numeric
    assert not parse_value("满意").is_numeric
    assert not parse_value("").is_numeric
    assert not parse_value("31..5").is_numeric


def test_value_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_value("5").number = D(6)  # type: ignore[misc]


# --- level_rank --------------------------------------------------------------------------

@pytest.mark.parametrize("ordered", [
    ["很满意", "满意", "基本满意", "不满意"],
    ["非常满意", "满意", "较满意", "不满意"],
    ["优秀", "良好", "合格", "不合格"],
    ["优", "良", "中", "差"],
    ["效果显著", "较好", "不明显"],
    ["显著", "较明显", "无效果"],
    ["明显", "较好", "较差"],
    ["及时", "基本及时", "不及时"],
])
def test_level_rank_orders_each_scale(ordered):
    ranks = [level_rank(w) for w in ordered]
    assert all(r is not None for r in ranks), ranks
    assert len({scale for scale, _ in ranks}) == 1
    assert [r for _, r in ranks] == sorted((r for _, r in ranks), reverse=True)
    assert len({r for _, r in ranks}) == len(ranks)


@pytest.mark.parametrize(("a", "b"), [
    ("很满意", "非常满意"), ("较满意", "基本满意"), ("优秀", "优"), ("良好", "良"),
    ("中", "合格"), ("差", "不合格"), ("显著", "效果显著"), ("较好", "较明显"), ("及时", "按时"),
])
def test_level_rank_synonyms_share_a_rank(a, b):
    assert level_rank(a) == level_rank(b) is not None


def test_level_rank_scale_names():
    assert level_rank("满意")[0] == "satisfaction"
    assert level_rank("良好")[0] == "quality"
    assert level_rank("效果显著")[0] == "effect"
    assert level_rank("按时")[0] == "timeliness"


def test_level_rank_general_sits_between_good_and_bad_on_quality_and_effect():
    scale, rank = level_rank("一般")
    assert scale == "quality"
    assert level_rank("良好")[1] > rank > level_rank("差")[1]
    assert level_rank("较好")[1] > rank > level_rank("不明显")[1]


@pytest.mark.parametrize("word", ["高效", "及时办理", "满意度高", "", "良好以上", "很"])
def test_level_rank_unknown_is_none(word):
    assert level_rank(word) is None


def test_level_rank_ignores_width_and_spaces():
    assert level_rank(" 满意　") == level_rank("满意")


# --- properties ----------------------------------------------------------------------------

@settings(max_examples=500)
@given(st.text())
@example("31..5")
@example("㎡")
@example("①")
def test_never_raises_and_keeps_text(text):
    value = parse_value(text)
    assert isinstance(value, Value)
    assert value.text == text
    if value.kind == "unparsed":
        assert value.reason and CJK.search(value.reason)
    if value.number is not None:
        assert isinstance(value.number, Decimal)
    if value.kind in ("number", "range"):
        assert value.number is not None


PREFIX = {"≥": ">=", "≧": ">=", ">=": ">=", "＞＝": ">=", "不少于": ">=", "不低于": ">=",
          "至少": ">=", "达到": ">=", "≤": "<=", "≦": "<=", "<=": "<=", "不超过": "<=",
          "不高于": "<=", "最多": "<=", ">": ">", "＞": ">", "高于": ">", "超过": ">", "大于": ">",
          "<": "<", "＜": "<", "低于": "<", "少于": "<", "小于": "<", "=": "=", "＝": "=", "": "="}
SUFFIX = {"以上": ">=", "以下": "<=", "以内": "<=", "": "="}
UNITS = {"": None, "%": "%", "％": "%", "万": "万元", "万元": "万元", "元": "元", "次": "次",
         "人": "人", "个": "个", "家": "家", "项": "项", "小时": "小时", "天": "天", "日": "日",
         "月": "月", "年": "年", "平方米": "平方米", "㎡": "平方米", "公里": "公里", "户": "户",
         "篇": "篇", "件": "件", "倍": "倍", "分": "分"}
SUBJECTS = ["", "完成率", "举办全市活动", "覆盖人数", "人平收入"]
PAD = st.sampled_from(["", " ", "　", "  　"])
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
decimals = st.builds(lambda i, p: D(i).scaleb(-p), st.integers(0, 10**9), st.integers(0, 4))


@settings(max_examples=400)
@given(
    word=st.sampled_from(sorted(PREFIX)), suffix=st.sampled_from(sorted(SUFFIX)),
    use_prefix=st.booleans(), number=decimals, unit=st.sampled_from(sorted(UNITS)),
    subject=st.sampled_from(SUBJECTS), wide=st.booleans(), left=PAD, right=PAD,
)
def test_generated_comparisons_round_trip(word, suffix, use_prefix, number, unit, subject, wide,
                                          left, right):
    figure = format(number, "f")
    if wide:
        figure = figure.translate(FULL_WIDTH)
    if use_prefix:
        text, op = f"{left}{subject}{word}{figure}{unit}{right}", PREFIX[word]
    else:
        text, op = f"{left}{subject}{figure}{unit}{suffix}{right}", SUFFIX[suffix]
    value = parse_value(text)
    assert value.text == text
    assert value.kind == ("relative" if UNITS[unit] == "倍" and subject else "number"), value
    assert (value.op, value.number, value.unit) == (op, number, UNITS[unit]), value
    assert value.subject == (subject or None)


SEPARATORS = st.one_of(
    st.text(alphabet=" 　\t", min_size=1, max_size=4),
    st.text(alphabet="和及、；，平方米大院人次个年月村 　abc（）", min_size=1, max_size=6),
)


@settings(max_examples=400)
@given(a=decimals, b=decimals, sep=SEPARATORS, head=st.sampled_from(["", "≥", "不少于", "完成"]),
       tail=st.sampled_from(["", "次", "%", "以上", "万元"]))
def test_two_separate_numbers_are_never_one_number(a, b, sep, head, tail):
    text = f"{head}{format(a, 'f')}{sep}{format(b, 'f')}{tail}"
    value = parse_value(text)
    assert value.kind not in ("number", "relative"), value
    assert value.kind == "unparsed" and value.reason


@given(a=st.integers(0, 10**6), b=st.integers(0, 10**6), dots=st.sampled_from(["..", "...", ". ."]))
def test_doubled_dots_are_reported_not_repaired(a, b, dots):
    value = parse_value(f"{a}{dots}{b}")
    assert value.kind == "unparsed"
    assert value.number is None
