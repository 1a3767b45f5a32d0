"""This year against last year's package: 上年决算数 against last year's 本年决算数, dropped
indicators and lowered targets of continuing projects, a department score that moved."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from conftest import package
from jixiao.audit.history import NO_PREVIOUS
from jixiao.audit.report import audit
from test_audit_checks import CONSISTENT

HISTORY = ("history.prior-final", "history.indicator-dropped", "history.target-lowered", "history.score-change")


def _last_year(this):
    """Last year's package as this year's implies it: its 本年决算数 are this year's 上年决算数."""
    last = this.model_copy(deep=True)
    last.fiscal_year -= 1
    data = last.base_data
    for row in (data.basic_expenditure, data.public_funds, data.project_expenditure, data.procurement, *data.public_funds_items,
                *data.projects, *(getattr(data.three_public, k) for k in ("total", "vehicle", "vehicle_purchase", "vehicle_operation", "overseas", "reception"))):
        row.final, row.prior_final = row.prior_final, None
    return last


@pytest.fixture
def years():
    this = package(CONSISTENT)
    return this, _last_year(this)


def _history(report):
    return [f for f in report.findings if f.code.startswith("history.")]


def test_a_year_that_follows_from_the_last_has_no_history_finding(years, department_rubric, project_rubric):
    this, last = years
    report = audit(this, department_rubric, project_rubric, previous=last)
    assert _history(report) == [] and not [n for n in report.not_checked if n.code.startswith("history.")]


def test_without_last_years_package_the_comparison_is_said_not_made(years, department_rubric, project_rubric):
    report = audit(years[0], department_rubric, project_rubric)
    assert {n.code for n in report.not_checked if n.reason == NO_PREVIOUS} == set(HISTORY)


def test_a_prior_final_that_is_not_last_years_final_is_an_error(years, department_rubric, project_rubric):
    this, last = years
    last.base_data.public_funds_items[0].final = D("31")
    last.base_data.projects[0].final = D("175")
    this.base_data.three_public.reception.prior_final = None
    found = {(f.location.row, f.severity): f.message for f in _history(audit(this, department_rubric, project_rubric, previous=last))}
    assert found[("办公经费", "error")] == "“办公经费”的上年决算数 30，与 2022 年材料中该行本年决算数 31 不符"
    assert found[("档案数字化", "error")].endswith("本年决算数 175 不符")
    assert found[("公务接待费", "warning")] == "“公务接待费”的上年决算数未填；2022 年材料中该行本年决算数为 4"
    assert len(found) == 3  # rounding alike is no difference: 180 and 180.0


def test_a_continuing_project_that_drops_indicators_or_lowers_targets_is_flagged(years, department_rubric, project_rubric):
    this, last = years
    project = last.projects[0]
    project.indicators.append(project.indicators[0].model_copy(update={"name": "档案利用次数"}))
    project.indicators[0] = project.indicators[0].model_copy(update={"target": "不少于12000件"})
    project.indicators[1] = project.indicators[1].model_copy(update={"target": "≤0.5%"})
    project.indicators[3] = project.indicators[3].model_copy(update={"target": "不高于150万元"})  # another unit: not compared
    findings = _history(audit(this, department_rubric, project_rubric, previous=last))
    dropped = [f for f in findings if f.code == "history.indicator-dropped"]
    lowered = {f.location.indicator: f.message for f in findings if f.code == "history.target-lowered"}
    assert [f.message for f in dropped] == ["延续项目“档案数字化”删去了上年的 1 项指标：档案利用次数"]
    assert lowered == {"数字化档案": "“数字化档案”的年度指标值“不少于10000件”比上年的“不少于12000件”宽松",
                       "差错率": "“差错率”的年度指标值“≤1%”比上年的“≤0.5%”宽松"}


def test_a_department_score_that_moved_five_points_names_the_indicators_that_moved(years, department_rubric, project_rubric):
    this, last = years
    table = last.department_evaluation
    table.indicators[0] = table.indicators[0].model_copy(update={"actual": "300件", "score": D(30)})
    report = audit(this, department_rubric, project_rubric, previous=last)
    [moved] = [f for f in _history(report) if f.code == "history.score-change"]
    assert moved.severity == "info" and "较上年" in moved.message and "提高" in moved.message and "办理件数（+" in moved.message


def test_the_command_line_compares_with_last_years_file_and_refuses_another_units(years, tmp_path):
    from typer.testing import CliRunner

    from jixiao.cli import app
    from jixiao.model import dump_evaluation

    this, last = years
    last.base_data.public_funds.final = D("125")
    (tmp_path / "this.json").write_text(dump_evaluation(this), encoding="utf-8")
    (tmp_path / "last.json").write_text(dump_evaluation(last), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "this.json"), "--previous", str(tmp_path / "last.json"), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "history.prior-final"]
    assert [f["location"]["row"] for f in found] == ["公用经费"]
    other = last.model_copy(update={"fiscal_year": 2020})
    (tmp_path / "other.json").write_text(dump_evaluation(other), encoding="utf-8")
    refused = CliRunner().invoke(app, ["audit", str(tmp_path / "this.json"), "--previous", str(tmp_path / "other.json")])
    assert refused.exit_code == 1 and "不是“示范局”上一年度（2022）的材料" in refused.output
