"""Above the threshold, the dashboard's grade, rate and findings charts come from the bureau's
batch results; below it, or without results, from the evaluations as before."""

import json
import re

import polars as pl

from django.urls import reverse
from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao.cli import app
from jixiao.web.batch_refresh import refresh
from jixiao.web.models import Evaluation


def _charts(response) -> dict:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def runner_query(directory) -> str:
    result = CliRunner().invoke(app, ["batch", "query", str(directory), "findings"])
    return result.stdout.splitlines()[1].split(",")[0]


def _batch_dataset(directory):
    runner = CliRunner()
    for args in (["dataset", "build", str(EXAMPLES / "kaiyun-2022.json"), str(EXAMPLES / "hengyang-2022.json"), "-o", str(directory)],
                 ["batch", "score", str(directory)], ["batch", "audit", str(directory)]):
        assert runner.invoke(app, args).exit_code == 0


def _year_of(org) -> int:
    return org["town"].fiscal_year


def test_dashboard_reads_the_batch_tables_above_the_threshold(org, login, settings, tmp_path):
    _batch_dataset(tmp_path / str(org["bureaus"][0].id) / str(_year_of(org)))
    settings.BATCH_DIR, settings.BATCH_THRESHOLD = tmp_path, 1
    response = login(org["users"]["reviewer"]).get(reverse("dashboard"))
    assert response.context["batch"] is not None and "按批量评分结果统计" in response.content.decode()
    charts = _charts(response)
    assert charts["rates"]["bands"][0] == "低于 60%" and sum(charts["rates"]["counts"]) == 14  # the batch dataset's 14 projects
    top = runner_query(tmp_path / str(org["bureaus"][0].id) / str(_year_of(org)))
    assert charts["findings"]["labels"][-1].endswith(f"（{top}）")  # the most frequent, drawn on top


def test_below_the_threshold_or_without_results_nothing_changes(org, login, settings, tmp_path):
    _batch_dataset(tmp_path / str(org["bureaus"][0].id) / str(_year_of(org)))
    settings.BATCH_DIR, settings.BATCH_THRESHOLD = tmp_path, 300
    assert login(org["users"]["reviewer"]).get(reverse("dashboard")).context["batch"] is None
    settings.BATCH_THRESHOLD = 1
    assert login(org["users"]["far_reviewer"]).get(reverse("dashboard")).context["batch"] is None  # no dataset for bureau B
    assert login(org["users"]["admin"]).get(reverse("dashboard")).context["batch"] is None  # several bureaus, several rubrics


def test_refresh_rebuilds_each_bureau_and_year_from_the_stored_evaluations(org, login, settings, tmp_path):
    settings.BATCH_DIR, settings.BATCH_THRESHOLD = tmp_path, 1
    bureau, year = org["bureaus"][0], _year_of(org)
    stored = Evaluation.objects.filter(unit__bureau=bureau, fiscal_year=year)
    lines = list(refresh(tmp_path))
    assert any(line.startswith(f"{bureau.name} {year} 年：{stored.count()} 份材料") for line in lines)
    dataset = tmp_path / str(bureau.id) / str(year)
    units = pl.read_parquet(dataset / "units" / "*.parquet")
    assert sorted(units["source"].to_list()) == sorted(f"packages/{pk}.json" for pk in stored.values_list("pk", flat=True))
    assert all((dataset / s).is_file() for s in units["source"])
    scored = pl.read_parquet(dataset / "results" / "unit_scores" / "*.parquet")
    assert scored.height == stored.count() and pl.read_parquet(dataset / "results" / "findings" / "*.parquet").height > 0
    assert login(org["users"]["reviewer"]).get(reverse("dashboard")).context["batch"] is not None
    org["town"].delete()
    list(refresh(tmp_path, bureau.name))
    assert pl.read_parquet(dataset / "units" / "*.parquet").height == stored.count()  # the deleted one is gone
    assert sorted(p.name for p in dataset.parent.iterdir()) == [str(year)]  # nothing half-built left beside it
    moved = dataset.rename(tmp_path / "moved")  # the packages it scores per package travel with it
    result = CliRunner().invoke(app, ["batch", "audit", str(moved)])
    assert result.exit_code == 0, result.output


def test_refresh_command_needs_the_batch_folder(settings):
    settings.BATCH_DIR = None
    result = CliRunner().invoke(app, ["batch", "refresh"])
    assert result.exit_code == 2 and "JIXIAO_BATCH_DIR" in result.stderr
