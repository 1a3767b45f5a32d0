"""The form vocabulary: labels as data, checked like the rubrics, extended by a bureau."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.ingest import import_file
from jixiao.ingest.vocabulary import GROUPS, VocabularyError, build, default_vocabulary, load_vocabulary

from conftest import EXAMPLES

runner = CliRunner()


@pytest.mark.parametrize(
    "group, printed, key",
    [
        # the synonyms units print for one field (issue: 全年预算数 = 调整预算数 = 调整后预算数 = 全年(调整)预算数 …)
        ("fund.columns", "全年预算数", "full_year_budget"),
        ("fund.columns", "调整预算数", "full_year_budget"),
        ("fund.columns", "调整后预算数", "full_year_budget"),
        ("fund.columns", "全年（调整）\n预算数", "full_year_budget"),
        ("fund.columns", "预算执行数", "executed"),
        ("fund.columns", "全年实际执行数", "executed"),
        ("fund.columns", "执行率（B/A）", "rate"),
        ("fund.rows", "其中：本年财政拨款", "fiscal"),
        ("fund.rows", "其中:财政资金", "fiscal"),
        ("fund.rows", "财政拨款专项资金", "fiscal"),  # by the longest label it begins with
        ("fund.rows", "财政专户管理资金", "special_account"),
        ("grid.columns", "完成值", "actual"),
        ("grid.columns", "全年实际值(B)", "actual"),
        ("grid.columns", "参考分值", "points"),
        ("grid.columns", "指标权重（分）", "points"),
        ("grid.columns", "指标得分(分)", "score"),
        ("grid.columns", "得分系数(%)", "coefficient"),
        ("grid.columns", "绩效指标(90分)", "block"),
        ("grid.columns", "是否核心指标", "core"),
        ("indicator.nature", "≥", "operator"),
        ("indicator.nature", "定性指标", "qualitative"),
        ("base.columns", "2023年调整预算数", "adjusted_budget"),
        ("base.columns", "2023年预算数", "budget"),
        ("base.staffing", "2023年实际在职人数", "actual"),
    ],
)
def test_printed_labels_name_their_fields(group, printed, key):
    assert default_vocabulary().key(group, printed) == key


def test_unknown_labels_name_nothing_and_prefixes_can_be_refused():
    words = default_vocabulary()
    assert words.key("grid.columns", "备注") is None
    assert words.key("fund.rows", "财政拨款专项资金", prefix=False) is None
    assert words.matches("placeholders", "indicator", "指标2：") and not words.matches("placeholders", "indicator", "指标完成率")


def test_every_shipped_group_and_field_is_one_the_recognisers_read():
    words = default_vocabulary()
    for group, keys in words.written.items():
        assert group in GROUPS and set(keys) <= set(GROUPS[group])
    assert {"national-2020", "sichuan-2023", "decision-process", "flat-department"} <= set(words.layouts)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("groups:\n  fund.rows:\n    total: [合计资金]\n    fiscal: [年度资金总额]\n", 4, "已属于字段“total”"),
        ("groups:\n  fund.rowz:\n    total: [x]\n", 2, "未知的分组“fund.rowz”"),
        ("groups:\n  fund.rows:\n    totals: [x]\n", 3, "没有字段“totals”"),
        ("groups:\n  fund.rows:\n    total: ['/[unclosed/']\n", 3, "正则表达式"),
        ("groups:\n  fund.rows:\n    total: []\n", 3, "非空的标签列表"),
        ("groups:\n  fund.rows: &a\n    total: [x]\n  grid.totals: *a\n", 4, "锚点"),
        ("groups: [\n", 2, "不是合法的 YAML"),
        ("colour: red\n", 1, "未知的键“colour”"),
    ],
)
def test_bad_files_are_refused_by_file_and_line(text, line, message):
    with pytest.raises(VocabularyError) as info:
        build([("bureau.yaml", text)])
    assert any(p.startswith(f"bureau.yaml:{line}: ") and message in p for p in info.value.problems), info.value.problems


def test_a_bureau_file_adds_labels(tmp_path: Path, monkeypatch):
    extra = tmp_path / "county.yaml"
    extra.write_text("groups:\n  fund.rows:\n    total: [本级资金合计]\n", encoding="utf-8")
    assert default_vocabulary().key("fund.rows", "本级资金合计") is None
    assert load_vocabulary([extra]).key("fund.rows", "本级资金合计") == "total"
    monkeypatch.setenv("JIXIAO_VOCABULARY", str(tmp_path))  # a folder of files, as for rubrics
    assert load_vocabulary().key("fund.rows", "本级资金合计") == "total"


def test_import_reads_labels_only_through_the_vocabulary(tmp_path: Path):
    """A county that prints 本级资金合计 for 年度资金总额: unread (and said so) until its file says what it is."""
    text = (EXAMPLES / "hengshan-kaiyun-town-2022.txt").read_text(encoding="utf-8").replace("年度资金总额", "本级资金合计")
    source = tmp_path / "town.txt"
    source.write_text(text, encoding="utf-8")
    before = import_file(source)
    assert before.evaluation.projects[0].funds.total.executed is None
    assert before.found.coverage.placed < before.found.coverage.seen
    assert any(n.text == "400.11" for n in before.notices if n.severity == "warning")  # its figures are said to be unread
    words = tmp_path / "county.yaml"
    words.write_text("groups:\n  fund.rows:\n    total: [本级资金合计]\n", encoding="utf-8")
    after = import_file(source, vocabulary=load_vocabulary([words]))
    assert str(after.evaluation.projects[0].funds.total.executed) == "400.11"
    assert after.found.coverage.placed == after.found.coverage.seen


def test_cli_checks_and_shows_a_vocabulary(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text("groups:\n  fund.rows:\n    total: [本级资金合计]\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups:\n  fund.rows:\n    total: [当年财政拨款]\n", encoding="utf-8")
    result = runner.invoke(app, ["vocabulary", "check", str(good)])
    assert result.exit_code == 0 and "词表有效" in result.output
    result = runner.invoke(app, ["vocabulary", "check", str(bad)])
    assert result.exit_code == 1 and f"{bad}:3: " in result.output and "已属于字段“fiscal”" in result.output
    result = runner.invoke(app, ["vocabulary", "show", "--group", "fund.rows", "--vocabulary", str(good)])
    assert result.exit_code == 0 and "本级资金合计" in result.output and "财政专户管理资金" in result.output
    source = tmp_path / "town.txt"
    source.write_text((EXAMPLES / "hengshan-kaiyun-town-2022.txt").read_text(encoding="utf-8").replace("年度资金总额", "本级资金合计"), encoding="utf-8")
    result = runner.invoke(app, ["score", str(source), "--format", "json", "--vocabulary", str(bad)])
    assert result.exit_code == 2 and "词表有误" in result.output
