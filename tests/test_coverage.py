"""Coverage of a score by the figures, and no total or grade when the figures decide too little."""

from decimal import Decimal as D

import pytest

from conftest import ROOT, package
from jixiao.audit.report import audit
from jixiao.rubric.loader import RubricError
from jixiao.rubric.score import score_package, score_project

# 预算执行率 (10 points) is computed from the funds; each further row is (points, quantitative?)
FUNDS = "{total: {full_year_budget: 100, executed: 100}}"


def table(*rows: tuple[int, bool]):
    lines = []
    for n, (points, quantitative) in enumerate(rows):
        target, actual = ("≥10个", "10个") if quantitative else ("效果良好", "良好")
        lines.append(
            f"{{level1: 产出指标, level2: 数量指标, name: 指标{n}, target: '{target}', actual: '{actual}', points: {points}, score: {points}}}"
        )
    body = "".join(f"\n          - {line}" for line in lines)
    return package(f"""
    projects:
      - name: 测试项目
        total_stated: 100
        funds: {FUNDS}
        indicators:{body}
    """).projects[0]


def test_share_at_the_floor_gives_a_total(project_rubric):
    scored = score_project(table((50, True), (30, False), (10, False)), project_rubric)
    cover = scored.coverage
    assert (cover.indicators, cover.computed, cover.points, cover.points_computed, cover.score) == (4, 2, 100, 60, 60)
    assert cover.share == D("0.6")
    assert (scored.total, scored.grade, scored.undetermined) == (D("100.00"), "优", None)


def test_below_the_floor_there_is_no_total_and_no_grade(project_rubric):
    scored = score_project(table((40, True), (40, False), (10, False)), project_rubric)
    assert (scored.total, scored.grade) == (None, None)
    assert (scored.total_shown, scored.grade_shown) == ("无法核算", "无法核算")
    assert "按数据核算 2/4 项指标、50/100 分（50%）" in scored.undetermined
    assert "低于评分规则 mof-2020-project 要求的 60%" in scored.undetermined
    # the indicators keep their own scores, stated ones marked as such
    assert [i.status for i in scored.indicators] == ["computed", "computed", "stated", "stated"]
    assert scored.stated_total == 100


def test_the_floor_is_the_rubrics(write_rubric, project_rubric):
    text = (ROOT / "src" / "jixiao" / "rubrics" / "mof-2020-project.yaml").read_text(encoding="utf-8")
    lenient = write_rubric(text.replace("use_stated: true", "use_stated: true\nmin_coverage: 0.5").replace("id: mof-2020-project", "id: lenient"), "lenient")
    rows = ((40, True), (40, False), (10, False))
    assert score_project(table(*rows), lenient).total == D("100.00")
    assert score_project(table(*rows), project_rubric).total is None
    with pytest.raises(RubricError, match=r"bad\.yaml:\d+"):
        write_rubric(text.replace("use_stated: true", "use_stated: true\nmin_coverage: 1.5").replace("id: mof-2020-project", "id: bad"), "bad")


def test_nothing_applicable_is_undetermined_not_zero(project_rubric):
    scored = score_project(package("""
    projects:
      - name: 空表
        funds: {total: {full_year_budget: 0, executed: 0}}
    """).projects[0], project_rubric)
    # only 预算执行率 applies and a zero budget cannot give it: nothing to grade
    assert scored.total is None and scored.grade is None
    assert scored.coverage.computed == 0


def test_package_coverage_adds_its_tables(project_rubric, kaiyun, department_rubric):
    result = score_package(kaiyun, department_rubric, project_rubric)
    tables = [result.department, *result.projects]
    assert result.coverage.indicators == sum(t.coverage.indicators for t in tables) == 16 + 13 + 13
    assert result.coverage.points_computed == sum(t.coverage.points_computed for t in tables) == 41 + 60 + 60
    assert result.model_dump(mode="json")["coverage"]["share"] == "0.5367"  # 161 / 300


@pytest.mark.parametrize(
    "target, actual",
    [("≥500批次", "460批次"), ("≤5个工作日", "7个工作日"), ("≥2万亩", "1.5万亩"), ("0起", "2起"), ("≤120元/人·年", "150元/人·年")],
)
def test_a_missed_target_with_full_points_is_an_error_whatever_its_unit(project_rubric, target, actual):
    evaluation = package(f"""
    projects:
      - name: 测试项目
        funds: {FUNDS}
        indicators:
          - {{level1: 产出指标, level2: 数量指标, name: 检测, target: '{target}', actual: '{actual}', points: 15, score: 15}}
    """)
    report = audit(evaluation, None, project_rubric)
    [finding] = [f for f in report.findings if f.code == "rules.full-points-missed-target"]
    assert finding.severity == "error" and finding.location.indicator == "检测"
    assert finding.expected < 15
