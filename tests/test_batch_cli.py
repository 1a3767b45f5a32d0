"""jixiao dataset build, batch score/audit/query: files in, Parquet out, reports a bureau reads."""

import json

import polars as pl
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao.cli import app

runner = CliRunner()
TOWN, CITY = str(EXAMPLES / "kaiyun-2022.json"), str(EXAMPLES / "hengyang-2022.json")


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds") / "ds"
    assert runner.invoke(app, ["dataset", "build", TOWN, CITY, "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["batch", "score", str(out)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["batch", "audit", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_every_table_with_the_evaluation_on_every_row(tmp_path):
    result = runner.invoke(app, ["dataset", "build", TOWN, CITY, "-o", str(tmp_path / "ds")])
    assert result.exit_code == 0, result.output
    assert "新增 2 份" in result.stdout
    indicators = pl.read_parquet(tmp_path / "ds" / "indicators" / "*.parquet")
    assert indicators["eval_id"].null_count() == 0 and indicators["source"].null_count() == 0
    assert {"target_op", "target_number", "target_unit", "target_kind"} <= set(indicators.columns)


def test_a_unit_and_year_already_there_is_replaced(tmp_path):
    out = str(tmp_path / "ds")
    runner.invoke(app, ["dataset", "build", TOWN, CITY, "-o", out])
    changed = json.loads((EXAMPLES / "kaiyun-2022.json").read_text(encoding="utf-8"))
    changed["projects"] = changed["projects"][:1]
    again = tmp_path / "again.json"
    again.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["dataset", "build", str(again), "-o", out])
    assert "替换 1 份" in result.stdout
    units = pl.read_parquet(tmp_path / "ds" / "units" / "*.parquet")
    assert units.height == 2 and sorted(units["project_count"].to_list()) == [1, 12]
    projects = pl.read_parquet(tmp_path / "ds" / "projects" / "*.parquet")
    assert projects.filter(pl.col("source") == TOWN).height == 0


def test_two_files_of_one_unit_and_year_in_one_run_are_named_and_the_later_kept(tmp_path):
    text = str(EXAMPLES / "hengshan-kaiyun-town-2022.txt")  # the town's package again, as pasted text
    result = runner.invoke(app, ["dataset", "build", TOWN, CITY, text, "-o", str(tmp_path / "ds")])
    assert result.exit_code == 0, result.output
    assert "新增 2 份" in result.stdout and "本次重复 1 份" in result.stdout
    assert "hengshan-kaiyun-town-2022.txt" in result.stderr and "kaiyun-2022.json" in result.stderr
    units = pl.read_parquet(tmp_path / "ds" / "units" / "*.parquet")
    assert units.height == 2 and any(s.endswith(".txt") for s in units["source"])


def test_a_bad_file_is_named_and_the_others_are_written(tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["dataset", "build", TOWN, str(bad), "-o", str(tmp_path / "ds")])
    assert result.exit_code == 1
    assert "坏.json" in result.stderr and "不是合法的 JSON" in result.stderr
    assert pl.read_parquet(tmp_path / "ds" / "units" / "*.parquet").height == 1


def test_bad_input_is_told_in_chinese_naming_the_path(tmp_path):
    result = runner.invoke(app, ["dataset", "build", str(tmp_path / "无此文件.json"), "-o", str(tmp_path / "ds")])
    assert result.exit_code == 2 and "找不到输入" in result.stderr and "无此文件.json" in result.stderr
    result = runner.invoke(app, ["batch", "score", str(tmp_path)])
    assert result.exit_code == 2 and "不是数据集目录" in result.stderr and str(tmp_path) in result.stderr
    result = runner.invoke(app, ["batch", "query", str(tmp_path), "grades"])
    assert result.exit_code == 2 and "不是数据集目录" in result.stderr


def test_score_writes_results_and_a_summary(scored):
    tables = pl.read_parquet(scored / "results" / "table_scores" / "*.parquet")
    assert tables.height == 16 and set(tables["engine"]) == {"batch"}  # the scoring tables too (batch/department.py)
    assert "hengshan-2022-department" in set(tables.filter(pl.col("kind") == "department")["rubric"])
    assert (scored / "results" / "summary.csv").exists()


def test_audit_findings_carry_their_engine(scored):
    findings = pl.read_parquet(scored / "results" / "findings" / "*.parquet")
    assert set(findings["engine"]) == {"batch", "per-package"}
    assert "rules.over-execution" in set(findings.filter(pl.col("engine") == "batch")["code"])
    skipped = pl.read_parquet(scored / "results" / "not_checked" / "*.parquet")
    assert set(skipped["engine"]) == {"batch", "per-package"} and skipped["reason"].null_count() == 0


def test_checks_lists_each_check_vectorised_or_why_not(tmp_path):
    result = runner.invoke(app, ["batch", "audit", str(tmp_path), "--checks"])
    assert result.exit_code == 0, result.output
    lines = dict((line.split("\t")[0], line.split("\t")[2:]) for line in result.stdout.splitlines())
    assert lines["arithmetic.funds-by-source"] == ["向量化"]
    assert lines["agreement.base-vs-project"][0] == "逐份运行" and "匹配" in lines["agreement.base-vs-project"][1]


def test_a_dataset_of_an_older_schema_asks_to_be_rebuilt(tmp_path):
    out = tmp_path / "ds"
    runner.invoke(app, ["dataset", "build", TOWN, "-o", str(out)])
    (out / "dataset.json").unlink()
    for command in (["batch", "score", str(out)], ["dataset", "build", CITY, "-o", str(out)]):
        result = runner.invoke(app, command)
        assert result.exit_code != 0 and "重新生成" in result.output


@pytest.mark.parametrize("report", ["grades", "overstated", "missed", "execution", "findings"])
def test_query_reports_as_csv(scored, report):
    result = runner.invoke(app, ["batch", "query", str(scored), report, "-n", "0"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) >= 1


def test_query_report_as_xlsx(scored, tmp_path):
    path = tmp_path / "分布.xlsx"
    result = runner.invoke(app, ["batch", "query", str(scored), "execution", "-o", str(path)])
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("执行率", "项目数") and sum(r[1] for r in rows[1:]) == 14


def test_query_before_scoring_says_what_to_run(tmp_path):
    runner.invoke(app, ["dataset", "build", TOWN, "-o", str(tmp_path / "ds")])
    result = runner.invoke(app, ["batch", "query", str(tmp_path / "ds"), "missed"])
    assert result.exit_code == 2 and "jixiao batch score" in result.stderr


def test_unknown_report_lists_the_reports(scored):
    result = runner.invoke(app, ["batch", "query", str(scored), "排名"])
    assert result.exit_code == 2 and "grades" in result.stderr


def test_explain_prints_the_compiled_expressions():
    result = runner.invoke(app, ["batch", "explain", "mof-2020-project"])
    assert result.exit_code == 0 and "funds.total.executed" in result.stdout


def test_explain_prints_the_department_plan():
    result = runner.invoke(app, ["batch", "explain", "hengshan-2022-department"])
    assert result.exit_code == 0 and "在职人员控制率·第1步" in result.stdout and "base_data.staffing.actual" in result.stdout
