"""The command line, as a user types it."""

import json
import textwrap

from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from jixiao.cli import app

runner = CliRunner()


def test_score_json_has_the_documented_keys():
    result = runner.invoke(app, ["score", str(EXAMPLES / "kaiyun-2022.json"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    dept = data["department"]
    assert (dept["total"], dept["grade"]) == (None, None) and "总分与等级无法核算" in dept["undetermined"]
    assert dept["coverage"] == {"indicators": 16, "computed": 7, "points": "100", "points_computed": "41", "score": "41.00", "share": "0.4100"}
    assert data["coverage"]["indicators"] == 16 + 13 + 13
    first = data["department"]["indicators"][0]
    assert {"name", "points", "score", "stated_score", "explanation"} <= set(first)
    assert [(p["total"], p["stated_total"], p["grade"]) for p in data["projects"]] == [("92.79", "92", "优"), ("94.00", "94", "优")]


def test_score_table_is_chinese_and_shows_both_totals():
    result = runner.invoke(app, ["score", str(EXAMPLES / "kaiyun-2022.json"), "--explain"])
    assert result.exit_code == 0, result.output
    assert "核算总分 无法核算；填报总分 93（优）" in result.stdout
    assert "按数据核算 7/16 项指标、41/100 分（41%）" in result.stdout
    assert "核算总分 92.79（优）" not in result.stdout  # project details only with --detail
    detail = runner.invoke(app, ["score", str(EXAMPLES / "kaiyun-2022.json"), "--detail"])
    assert "核算总分 92.79（优）；填报总分 92（优）" in detail.stdout
    assert "98 ÷ 150" in result.stdout


def test_score_missing_file_is_a_message_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["score", str(tmp_path / "无此文件.json")])
    assert result.exit_code == 2
    assert "无法读取" in result.output and "Traceback" not in result.output


def test_score_with_a_rubric_of_the_wrong_kind():
    result = runner.invoke(app, ["score", str(EXAMPLES / "kaiyun-2022.json"), "--rubric", "mof-2020-project"])
    assert result.exit_code == 2 and "不是部门整体评分规则" in result.output


def test_schema_command_prints_json_schema():
    result = runner.invoke(app, ["schema"])
    assert json.loads(result.stdout)["title"] == "绩效自评材料"


def test_rubric_check_good_and_bad(tmp_path):
    good = runner.invoke(app, ["rubric", "check", str(ROOT / "src" / "jixiao" / "rubrics" / "hengshan-2022-department.yaml")])
    assert good.exit_code == 0 and "16 个指标" in good.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent("""\
        id: bad
        title: 坏
        kind: department
        jurisdiction: 测试
        grades: [{grade: 优, min: 0}]
        levels:
          - name: 投入
            points: 100
            children:
              - name: 配置
                points: 100
                indicators:
                  - {id: a, name: 甲, points: 100, formula: 不存在 / 2, scoring: {method: ratio}}
        """), encoding="utf-8")
    result = runner.invoke(app, ["rubric", "check", str(bad)])
    assert result.exit_code == 1
    assert "bad.yaml:13:" in result.output and "未知字段“不存在”" in result.output


def test_rubric_show_prints_the_scoring_table():
    result = runner.invoke(app, ["rubric", "show", "hengshan-2022-department"])
    assert result.exit_code == 0
    for text in ("在职人员控制率", "评价标准", "计8分", "预算执行"):
        assert text in result.stdout
    project = runner.invoke(app, ["rubric", "show", "mof-2020-project"])
    assert "未设满意度指标时：效益指标 40 分" in project.stdout


def test_rubric_list():
    result = runner.invoke(app, ["rubric", "list"])
    assert "hengshan-2022-department" in result.stdout and "mof-2020-project" in result.stdout


def test_import_one_file_to_json(tmp_path):
    out = tmp_path / "town.json"
    result = runner.invoke(app, ["import", str(EXAMPLES / "hengshan-kaiyun-town-2022.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["unit"]["name"] == "衡山县开云镇人民政府"
    assert "评分表（17 行）" in result.stderr


def test_import_many_files_with_a_failure(tmp_path):
    bad = tmp_path / "旧文档.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    files = [str(EXAMPLES / "hengshan-kaiyun-town-2022.txt"), str(EXAMPLES / "hengyang-city-government-office-2022.txt"), str(bad)]
    result = runner.invoke(app, ["import", *files, "-d", str(tmp_path / "out")])
    assert result.exit_code == 1  # one file could not be read
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hengshan-kaiyun-town-2022.json", "hengyang-city-government-office-2022.json"]
    assert "旧版 Word 文档" in result.stderr and "“31..5”不是规范的数字" in result.stderr


def test_import_many_files_needs_a_directory():
    result = runner.invoke(app, ["import", str(EXAMPLES / "kaiyun-2022.json"), str(EXAMPLES / "kaiyun-2022.json"), "-o", "x.json"])
    assert result.exit_code == 2 and "--outdir" in result.stderr


def test_score_reads_an_importable_document_directly():
    result = runner.invoke(app, ["score", str(EXAMPLES / "hengshan-kaiyun-town-2022.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["department"]["total"] is None and data["department"]["coverage"]["points_computed"] == "41"
    assert [p["total"] for p in data["projects"]] == ["92.79", "94.00"]


def test_audit_json_html_and_fail_on(tmp_path):
    town = str(EXAMPLES / "hengshan-kaiyun-town-2022.txt")
    result = runner.invoke(app, ["audit", town, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["stats"]["error"] == 3 and data["rescore"]["department"]["total"] is None
    assert data["rescore"]["department"]["coverage"]["share"] == "0.4100" and "60%" in data["rescore"]["department"]["undetermined"]
    assert runner.invoke(app, ["audit", town, "--fail-on", "error"]).exit_code == 1
    assert runner.invoke(app, ["audit", town, "--fail-on", "error", "--skip", "rules", "--skip", "arithmetic.rate-vs-amounts"]).exit_code == 0
    page = tmp_path / "town.html"
    assert runner.invoke(app, ["audit", town, "--format", "html", "-o", str(page)]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html.split("</style>")[1]
    assert "“‘三公经费’变动率”得分 8 超过分值 5" in html and "按评分规则重新核算" in html
    assert "按评分规则核算 <b>无法核算</b>（无法核算）；按数据核算 7/16 项指标、41/100 分（41%）" in html


def test_audit_many_files_summary_and_unreadable(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"%PDF-1.4")
    files = [str(EXAMPLES / "hengshan-kaiyun-town-2022.txt"), str(EXAMPLES / "hengyang-2022.json"), str(bad)]
    result = runner.invoke(app, ["audit", *files, "--format", "json", "-d", str(tmp_path / "out")])
    assert result.exit_code == 1 and "PDF 文件" in result.stderr and "审核汇总" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hengshan-kaiyun-town-2022.json", "hengyang-2022.json"]


def test_checks_command_prints_the_catalogue():
    result = runner.invoke(app, ["checks"])
    assert "`rules.rate-base`" in result.stdout and "执行率基数错误" in result.stdout
