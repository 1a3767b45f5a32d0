from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.rubric.formula import FormulaError, compile_formula

NAMES = {"在职人数": "number", "编制数": "number", "a": "number", "b": "number", "c": "number", "items": "list"}


def run(text, **values):
    return compile_formula(text, NAMES).evaluate(lambda name: values.get(name))


def test_exact_decimal_and_substituted_text():
    outcome = run("在职人数 / 编制数", 在职人数=D(98), 编制数=D(150))
    assert outcome.value == D(98) / D(150)
    assert outcome.substituted == "98 ÷ 150"
    assert outcome.steps == ("98 ÷ 150 = 0.6533",)


def test_full_width_text_percent_and_times_sign():
    outcome = run("（a － b）／ b × 100％".replace("－", "-").replace("／", "/"), a=D(1), b=D("3.6"))
    assert outcome.value == (D(1) - D("3.6")) / D("3.6")
    assert outcome.substituted == "(1 - 3.6) ÷ 3.6 × 100%"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 4 - 3", D(3)),
        ("2 ÷ 4", D("0.5")),
        ("-a + 1", D(-1)),
        ("min(a, 5, 3)", D(2)),
        ("max(a, 5, 3)", D(5)),
        ("abs(0 - a)", D(2)),
        ("round(2 / 3, 2)", D("0.67")),
        ("round(2.5)", D(3)),
        ("ceil(2.1)", D(3)),
        ("floor(2.9)", D(2)),
        ("if(a >= 2 and not a > 3, 1, 0)", D(1)),
        ("if(a = 3 or a ≥ 5, 1, 0)", D(0)),
        ("if(a ≦ 2, 7, 8)", D(7)),
        ("sum(items)", D(6)),
        ("count(items)", D(3)),
        ("30%", D("0.3")),
    ],
)
def test_arithmetic_logic_and_functions(text, expected):
    assert run(text, a=D(2), items=[D(1), D(2), D(3)]).value == expected


def test_blank_is_not_zero_and_every_blank_is_named():
    outcome = run("(a + b) / c", a=D(1))
    assert outcome.value is None
    assert set(outcome.missing) == {"b", "c"}


def test_blank_inside_a_list_is_missing_but_empty_list_sums_to_zero():
    assert run("sum(items)", items=[D(1), None]).missing == ("items",)
    assert run("sum(items)", items=[]).value == 0


def test_zero_denominator_is_reported_not_raised():
    zero_over_zero = run("a / b", a=D(0), b=D(0))
    assert zero_over_zero.zero_denominator and zero_over_zero.numerator_zero
    nonzero = run("a / b", a=D(5), b=D(0))
    assert nonzero.zero_denominator and not nonzero.numerator_zero


def test_branch_not_taken_is_not_evaluated():
    assert run("if(a > 0, a, 1 / b)", a=D(1), b=D(0)).value == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("foo / 2", "未知字段“foo”"),
        ("__import__(a)", "未知函数"),
        ("__import__('os')", "无法识别的字符"),
        ("a.__class__", "未知字段"),
        ("exec(a)", "未知函数“exec”"),
        ("max()", "至少 1 个参数"),
        ("abs(a, b)", "需要 1 个参数"),
        ("if(a, b, c)", "需要条件"),
        ("a and b", "需要条件"),
        ("a > (b > 1)", "需要数值"),
        ("items + 1", "明细列表"),
        ("items", "sum() 或 count()"),
        ("round(a, b)", "整数常量"),
        ("a +", "公式不完整"),
        ("a ; b", "无法识别的字符“;”"),
        ("a b", "此处不应出现"),
    ],
)
def test_errors_are_caught_at_compile_time_with_a_reason(text, message):
    with pytest.raises(FormulaError) as info:
        compile_formula(text, NAMES)
    assert message in str(info.value)


def test_error_names_the_column():
    with pytest.raises(FormulaError) as info:
        compile_formula("a + nope", NAMES)
    assert info.value.column == 5


def test_render_keeps_meaningful_brackets():
    assert compile_formula("a - (b - c)", NAMES).render() == "a - (b - c)"
    assert compile_formula("(a - b) - c", NAMES).render() == "a - b - c"
    assert compile_formula("a / (b * c)", NAMES).render() == "a / (b * c)"


decimals = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)


@given(decimals, decimals, decimals)
def test_evaluator_agrees_with_decimal_arithmetic(a, b, c):
    outcome = run("a + b * c - (a - c)", a=a, b=b, c=c)
    assert outcome.value == a + b * c - (a - c)


@given(decimals, decimals)
def test_division_is_exact_or_reports_zero(a, b):
    outcome = run("a / b", a=a, b=b)
    if b == 0:
        assert outcome.zero_denominator and outcome.value is None
    else:
        assert abs(outcome.value * b - a) < D("1e-20")


@given(st.text(max_size=40))
def test_arbitrary_text_never_escapes_as_anything_but_formula_error(text):
    try:
        compile_formula(text, NAMES)
    except FormulaError:
        pass
