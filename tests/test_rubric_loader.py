"""The rubric loader: shipped files load; each kind of mistake is reported with file and line."""

import pytest

from jixiao.rubric.loader import RubricError, find_rubric, rubric_files

HEAD = """\
id: t
title: 测试
kind: department
jurisdiction: 测试县
grades: [{grade: 优, min: 90}, {grade: 差, min: 0}]
fields:
  在职人数: base_data.staffing.actual
  编制数: base_data.staffing.authorized
levels:
  - name: 投入
    points: 100
    children:
      - name: 预算配置
        points: 100
        indicators:
          - id: staff
            name: 在职人员控制率
            points: 100
"""
GOOD_SCORING = """\
            formula: 在职人数 / 编制数
            scoring: {method: threshold, direction: at_most, limit: 100%, step: 1%, deduction: 0.5, stepping: whole}
            zero_denominator: full
"""


def problems(write_rubric, text):
    with pytest.raises(RubricError) as info:
        write_rubric(text)
    return info.value.problems


def test_shipped_rubrics_load_and_are_listed():
    ids = {path.stem for path in rubric_files()}
    assert {"hengshan-2022-department", "mof-2020-project"} <= ids
    for rubric_id in ids:
        assert find_rubric(rubric_id).rubric.id == rubric_id


def test_department_rubric_carries_the_corrected_weight(department_rubric):
    change = next(ind for _, _, ind in department_rubric.rubric.all_indicators() if ind.id == "three_public_change_rate")
    assert change.points == 5 and change.scoring.deduction.compare(__import__("decimal").Decimal("0.8")) == 0
    assert any("计8分" in c for c in department_rubric.rubric.corrections)


def test_minimal_rubric_loads(write_rubric):
    compiled = write_rubric(HEAD + GOOD_SCORING)
    assert compiled.formulas["staff:formula"].names == ("在职人数", "编制数")


def test_points_that_do_not_add_up(write_rubric):
    text = (HEAD + GOOD_SCORING).replace("        points: 100\n        indicators", "        points: 90\n        indicators")
    found = problems(write_rubric, text)
    assert any(p.endswith(":14: 二级指标“预算配置”分值 90 与其下各项之和 100 不符") for p in found)
    assert any(":11: 一级指标“投入”分值 100 与其下各项之和 90 不符" in p for p in found)


def test_formula_naming_an_unknown_field(write_rubric):
    found = problems(write_rubric, HEAD + GOOD_SCORING.replace("在职人数 / 编制数", "在职人数 / 编制人数"))
    assert len(found) == 1 and ":19: " in found[0] and "未知字段“编制人数”" in found[0] and "第 8 列" in found[0]


def test_unknown_method_names_the_line(write_rubric):
    found = problems(write_rubric, HEAD + GOOD_SCORING.replace("method: threshold", "method: steps"))
    assert len(found) == 1 and ":20:" in found[0] and "未知评分方法“steps”" in found[0]


def test_misspelt_key(write_rubric):
    found = problems(write_rubric, HEAD + GOOD_SCORING.replace("stepping: whole", "steping: whole"))
    assert any(":20:" in p and "不认识的键" in p for p in found)


def test_division_without_zero_rule(write_rubric):
    found = problems(write_rubric, HEAD + GOOD_SCORING.replace("            zero_denominator: full\n", ""))
    assert any(":16:" in p and "zero_denominator" in p for p in found)  # the indicator's first line


def test_method_needing_a_formula(write_rubric):
    text = HEAD + "            scoring: {method: ratio}\n"
    assert any("需要 formula" in p for p in problems(write_rubric, text))


def test_band_worth_more_than_its_indicator(write_rubric):
    text = HEAD + "            formula: 在职人数\n            scoring: {method: bands, bands: [{ge: 0, points: 120}]}\n"
    assert any("档次分 120 超过指标分值 100" in p for p in problems(write_rubric, text))


def test_duplicate_key_and_bad_yaml(write_rubric):
    found = problems(write_rubric, HEAD.replace("kind: department\n", "kind: department\nkind: project\n") + GOOD_SCORING)
    assert any(":4: 键“kind”重复" in p for p in found)
    found = problems(write_rubric, HEAD + "            scoring: {method: [\n")
    assert len(found) == 1 and "YAML 格式错误" in found[0]


def test_id_must_match_file_name(write_rubric):
    found = problems(write_rubric, (HEAD + GOOD_SCORING).replace("id: t\n", "id: other\n"))
    assert any(":1:" in p and "须与文件名“t”一致" in p for p in found)


def test_grades_must_descend_to_zero(write_rubric):
    text = (HEAD + GOOD_SCORING).replace("{grade: 差, min: 0}", "{grade: 差, min: 10}")
    assert any("等级须按最低分从高到低排列" in p for p in problems(write_rubric, text))


def test_duplicate_indicator_id(write_rubric):
    text = HEAD.replace("points: 100\n    children", "points: 100\n    children").replace(
        "        points: 100\n        indicators", "        points: 100\n        indicators"
    ) + GOOD_SCORING.replace("            zero_denominator: full\n", "            zero_denominator: full\n          - id: staff\n            name: 重复\n            points: 0\n            scoring: {method: manual}\n")
    assert any("指标代码“staff”重复" in p for p in problems(write_rubric, text))


def test_project_rubric_needs_indicator_rules(write_rubric):
    text = """\
    id: t
    title: 项目
    kind: project
    jurisdiction: 测试
    grades: [{grade: 优, min: 0}]
    levels: [{name: 产出指标, points: 100}]
    """
    assert any("须有 indicators" in p for p in problems(write_rubric, text))


PROJECT_RULES = (
    "indicators:\n"
    "  quantitative: {method: ratio_to_target}\n"
    "  qualitative:\n"
    "    method: levels\n"
    "    levels: [{name: 达成, min: 80%, max: 100%}, {name: 未达成, min: 0%, max: 80%}]\n"
)
PROJECT_HEAD = "id: t\ntitle: 项目\nkind: project\njurisdiction: 测试\ngrades: [{grade: 优, min: 0}]\n"


def test_weights_from_the_table_need_their_sum_and_no_level_points(write_rubric):
    head = PROJECT_HEAD + "weights: table\n"
    assert any("indicator_points" in p for p in problems(write_rubric, head + "levels: [{name: 产出指标}]\n" + PROJECT_RULES))
    fixed = problems(write_rubric, head + "indicator_points: 100\nlevels: [{name: 产出指标, points: 100}]\n" + PROJECT_RULES)
    assert any("t.yaml:8:" in p and "分值由表中权重决定" in p for p in fixed)
    short = problems(write_rubric, head + "indicator_points: 90\nlevels: [{name: 产出指标}]\n" + PROJECT_RULES)
    assert any("评分表总分值 100 与其下各项之和 90 不符" in p for p in short)  # no execution to make up the 10
    assert write_rubric(head + "indicator_points: 100\nlevels: [{name: 产出指标}]\n" + PROJECT_RULES).rubric.execution is None


def test_every_level_needs_points_unless_the_table_sets_them(write_rubric):
    text = PROJECT_HEAD + "levels: [{name: 产出指标, points: 100}, {name: 效益指标}]\n" + PROJECT_RULES
    assert any("一级指标“效益指标”须写明分值" in p for p in problems(write_rubric, text))


def test_unknown_rubric_reference_lists_known_ones():
    with pytest.raises(RubricError) as info:
        find_rubric("no-such-rubric")
    assert "hengshan-2022-department" in str(info.value)


def test_formula_on_a_method_that_does_not_use_one(write_rubric):
    text = HEAD + "            formula: 在职人数\n            scoring: {method: manual}\n"
    assert any("不使用 formula" in p for p in problems(write_rubric, text))


def test_ratio_to_target_is_for_project_indicators_only(write_rubric):
    text = HEAD + "            scoring: {method: ratio_to_target}\n"
    assert any("ratio_to_target 只用于" in p for p in problems(write_rubric, text))


def test_execution_must_be_scored_by_formula(write_rubric):
    text = """\
    id: t
    title: 项目
    kind: project
    jurisdiction: 测试
    grades: [{grade: 优, min: 0}]
    execution: {id: execution_rate, name: 预算执行率, points: 10, scoring: {method: manual}}
    levels: [{name: 产出指标, points: 90}]
    indicators:
      quantitative: {method: ratio_to_target}
      qualitative: {method: levels, levels: [{name: 达成, min: 0.8, max: 1}]}
    """
    assert any("预算执行率须用" in p for p in problems(write_rubric, text))


def test_division_hidden_in_a_nested_field_needs_a_zero_rule(write_rubric):
    text = HEAD.replace("  编制数: base_data.staffing.authorized\n", "  编制数: base_data.staffing.authorized\n  比例: 在职人数 / 编制数\n  比例二: 比例\n")
    text += "            formula: 比例二\n            scoring: {method: ratio}\n"
    assert any("zero_denominator" in p for p in problems(write_rubric, text))


@pytest.mark.parametrize(
    "yaml_text, message",
    [
        ("a: &x [1]\nb: *x\n", "锚点/别名"),
        ("total: !!int abc\n", "与其标记"),
        ("use_stated: !!bool maybe\n", "与其标记"),
        ("total: !custom 5\n", "不支持的 YAML 标记"),
        ("total: 1.0e+999999999\n", "合理范围"),
        ("total: 1e999999999\n", "应不大于"),
        ("x: " + "[" * 3000 + "]" * 3000 + "\n", "嵌套"),
        ("- just\n- a list\n", "YAML 映射"),
        ("", "YAML 映射"),
    ],
)
def test_hostile_yaml_is_refused_with_a_message(write_rubric, yaml_text, message):
    found = problems(write_rubric, yaml_text)
    assert any(message in p for p in found), found


def test_round_places_are_bounded(write_rubric):
    text = HEAD + GOOD_SCORING.replace("在职人数 / 编制数", "round(在职人数 / 编制数, 40)")
    assert any("0–6 的整数常量" in p for p in problems(write_rubric, text))


def test_overlong_formula(write_rubric):
    text = HEAD + GOOD_SCORING.replace("在职人数 / 编制数", "在职人数 / 编制数" + " + 1" * 200)
    assert any("超过 500 个字符" in p for p in problems(write_rubric, text))
