"""Above the threshold, the dashboard's grade, rate and findings charts come from the bureau's
batch results; below it, or without results, from the evaluations as before."""

import json
import re

from django.urls import reverse
from typer.testing import CliRunner

from conftest import EXAMPLES
from jixiao.cli import app


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


def test_dashboard_reads_the_batch_tables_above_the_threshold(org, login, settings, tmp_path):
    _batch_dataset(tmp_path / str(org["bureaus"][0].id))
    settings.BATCH_DIR, settings.BATCH_THRESHOLD = tmp_path, 1
    response = login(org["users"]["reviewer"]).get(reverse("dashboard"))
    assert response.context["batch"] is not None and "按批量评分结果统计" in response.content.decode()
    charts = _charts(response)
    assert charts["rates"]["bands"][0] == "低于 60%" and sum(charts["rates"]["counts"]) == 14  # the batch dataset's 14 projects
    top = runner_query(tmp_path / str(org["bureaus"][0].id))
    assert charts["findings"]["labels"][-1].endswith(f"（{top}）")  # the most frequent, drawn on top


def test_below_the_threshold_or_without_results_nothing_changes(org, login, settings, tmp_path):
    _batch_dataset(tmp_path / str(org["bureaus"][0].id))
    settings.BATCH_DIR, settings.BATCH_THRESHOLD = tmp_path, 300
    assert login(org["users"]["reviewer"]).get(reverse("dashboard")).context["batch"] is None
    settings.BATCH_THRESHOLD = 1
    assert login(org["users"]["far_reviewer"]).get(reverse("dashboard")).context["batch"] is None  # no dataset for bureau B
