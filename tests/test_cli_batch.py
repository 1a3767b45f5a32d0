"""Many files through one command: results streamed one per input, in input order, on every
core; a failing file named, the others still done."""

import json

from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao.cli import app

runner = CliRunner()
TOWN, CITY = str(EXAMPLES / "kaiyun-2022.json"), str(EXAMPLES / "hengyang-2022.json")


def test_score_jsonl_one_line_per_file_in_order_with_workers():
    result = runner.invoke(app, ["score", TOWN, CITY, TOWN, "--format", "jsonl", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["unit"] for d in lines] == ["衡山县开云镇人民政府", "衡阳市人民政府办公室", "衡山县开云镇人民政府"]


def test_score_json_of_many_files_is_one_array():
    result = runner.invoke(app, ["score", TOWN, CITY, "--format", "json"])
    assert [d["unit"] for d in json.loads(result.stdout)] == ["衡山县开云镇人民政府", "衡阳市人民政府办公室"]


def test_audit_writes_each_report_as_it_goes_and_names_a_failure(tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["audit", TOWN, str(bad), CITY, "--format", "json", "-d", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 1  # the unreadable one
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hengyang-2022.json", "kaiyun-2022.json"]
    assert "坏.json" in result.stderr and "审核汇总" in result.stderr
