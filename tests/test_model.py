"""The interchange document: exact figures, blanks kept, Chinese schema, clear errors."""

import json
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model import DocumentError, Evaluation, dump_evaluation, parse_evaluation


def test_amounts_keep_the_digits_written():
    evaluation = parse_evaluation('{"unit": {"name": "x"}, "fiscal_year": 2022, "base_data": {"basic_expenditure": {"prior_final": 3393.90, "final": "38.1692"}}}')
    assert str(evaluation.base_data.basic_expenditure.prior_final) == "3393.90"
    assert evaluation.base_data.basic_expenditure.final == D("38.1692")
    text = dump_evaluation(evaluation)
    assert '"prior_final": "3393.90"' in text and parse_evaluation(text) == evaluation


def test_blank_stays_blank():
    evaluation = parse_evaluation('{"unit": {"name": "x"}, "fiscal_year": 2022, "base_data": {"procurement": {"budget": 0}}}')
    assert evaluation.base_data.procurement.budget == 0
    assert evaluation.base_data.procurement.final is None
    assert "final" not in dump_evaluation(evaluation)


def test_samples_round_trip_through_json(kaiyun, hengyang):
    for evaluation in (kaiyun, hengyang):
        assert parse_evaluation(dump_evaluation(evaluation)) == evaluation


def test_schema_has_chinese_titles_and_fixed_keys():
    schema = Evaluation.model_json_schema()
    defs = schema["$defs"]
    assert schema["title"] == "绩效自评材料"
    assert defs["Staffing"]["properties"]["authorized"]["title"] == "编制数"
    assert set(defs["ThreePublic"]["properties"]) >= {"total", "vehicle_purchase", "vehicle_operation", "overseas", "reception"}
    assert set(defs["Execution"]["properties"]) == {"carried_over", "initial_budget", "supplementary", "year_end_balance"}
    assert set(defs["ProjectTable"]["properties"]) >= {"name", "department", "implementer", "funds", "execution", "goals", "indicators", "total_points", "total_stated"}
    assert set(defs["ScorecardRow"]["properties"]) >= {"level1", "level2", "name", "points", "criteria", "description", "score"}


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("{", "第 1 行"),
        ('{"unit": {"name": "x"}}', "fiscal_year"),
        ('{"unit": {"name": "x"}, "fiscal_year": 2022, "base_data": {"staffing": {"authorized": "很多"}}}', "base_data.staffing.authorized"),
        ('{"unit": {"name": "x"}, "fiscal_year": 2022, "projets": []}', "projets"),
    ],
)
def test_bad_documents_say_where(text, fragment):
    with pytest.raises(DocumentError) as info:
        parse_evaluation(text, "坏文件.json")
    assert str(info.value).startswith("坏文件.json") and fragment in str(info.value)


def test_schema_is_valid_json():
    json.dumps(Evaluation.model_json_schema(), ensure_ascii=False)


@pytest.mark.parametrize("value", ["1e40", "-1e13", "1e999999999", "NaN", "Infinity"])
def test_absurd_figures_are_refused_in_chinese(value):
    text = '{"unit": {"name": "x"}, "fiscal_year": 2022, "base_data": {"procurement": {"budget": "%s"}}}' % value
    with pytest.raises(DocumentError) as info:
        parse_evaluation(text)
    message = str(info.value)
    assert "base_data.procurement.budget" in message
    assert "Input should" not in message


def _as_json_module_writes(value):
    if isinstance(value, D):
        return str(value)
    if isinstance(value, dict):
        return {k: _as_json_module_writes(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json_module_writes(v) for v in value]
    return value


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**11, max_value=10**11),
       st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20))
def test_written_as_the_json_module_wrote_it(amount, name):
    """The JSON text is pydantic's (six times faster); it must be the text the json module
    wrote before: the digits the unit typed, the same characters escaped."""
    evaluation = Evaluation.model_validate({"unit": {"name": name}, "fiscal_year": 2022, "base_data": {
        "basic_expenditure": {"final": amount}, "projects": [{"name": name, "budget": -amount}]}})
    data = _as_json_module_writes(evaluation.model_dump(mode="python", exclude_none=True))
    assert dump_evaluation(evaluation) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_a_lone_surrogate_is_written_as_a_replacement_character():
    # json reads "\ud800" into a str that has no UTF-8 form; writing it must not fail.
    evaluation = parse_evaluation('{"unit": {"name": "甲\\ud800乙"}, "fiscal_year": 2022}')
    assert parse_evaluation(dump_evaluation(evaluation)).unit.name == "甲\ufffd乙"
