"""Rubrics in the UI: the list, one rubric as its scoring table, and choosing per bureau and year."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jixiao.rubric.loader import find_rubric
from jixiao.web import services
from jixiao.web.models import Evaluation, RubricChoice

DEPARTMENT, PROJECT = "hengshan-2022-department", "mof-2020-project"


@pytest.fixture
def other_department(tmp_path, monkeypatch):
    """A second department rubric: the shipped one with the grade bands moved, and a total given
    when 40% of the points are decided by the figures (60% by default), so re-scoring shows."""
    text = find_rubric(DEPARTMENT).path.read_text(encoding="utf-8")
    text = text.replace(f"id: {DEPARTMENT}", "id: strict-2022-department\nmin_coverage: 0.4").replace("{grade: 优, min: 90}", "{grade: 优, min: 99}")
    (tmp_path / "strict-2022-department.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("JIXIAO_RUBRICS", str(tmp_path))
    return "strict-2022-department"


def _choose(client, bureau, year=2022, department=DEPARTMENT, project=PROJECT):
    return client.post(reverse("rubric-choose"), {
        "bureau": bureau.pk, "fiscal_year": year, "department_rubric": department, "project_rubric": project,
    })


@pytest.mark.parametrize("who", ["filler", "reviewer", "admin"])
def test_list_shows_shipped_rubrics(org, login, who):
    response = login(org["users"][who]).get(reverse("rubrics"))
    assert response.status_code == 200
    page = response.content.decode()
    for rubric_id in (DEPARTMENT, PROJECT):
        assert reverse("rubric", args=[rubric_id]) in page
    assert "部门整体" in page and "项目支出" in page
    assert "湖南省衡阳市衡山县" in page and "2022年部门整体支出绩效评价指标评分表" in page


def test_list_needs_login_and_profile(org, client, login):
    response = client.get(reverse("rubrics"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert login(org["users"]["nobody"]).get(reverse("rubrics")).status_code == 403


def test_choose_form_only_for_those_who_may(org, login):
    reviewer_page = login(org["users"]["reviewer"]).get(reverse("rubrics"))
    form = reviewer_page.context["form"]
    assert form is not None and list(form.fields["bureau"].queryset) == [org["bureaus"][0]]
    assert reverse("rubric-choose") in reviewer_page.content.decode()
    filler_page = login(org["users"]["filler"]).get(reverse("rubrics"))
    assert filler_page.context["form"] is None
    assert reverse("rubric-choose") not in filler_page.content.decode()


def test_invalid_rubric_file_is_listed_not_fatal(org, login, other_department):
    page = login(org["users"]["reviewer"]).get(reverse("rubrics")).content.decode()
    assert "broken.yaml" in page and "不能使用" in page
    assert str(other_department) in page
    assert str(reverse("rubric", args=["broken"])) not in page
    assert "YAML" in login(org["users"]["reviewer"]).get(reverse("rubric", args=["broken"])).content.decode()


def test_department_rubric_page_shows_indicators(org, login):
    response = login(org["users"]["filler"]).get(reverse("rubric", args=[DEPARTMENT]))
    assert response.status_code == 200
    page = response.content.decode()
    rubric = find_rubric(DEPARTMENT).rubric
    for level1, level2, ind in rubric.all_indicators():
        assert level1.name in page and level2.name in page and ind.name in page
    assert len(response.context["lines"]) == len(rubric.all_indicators())
    for header in ("一级指标", "二级指标", "三级指标", "分值", "评分方法/规则"):
        assert f"<th>{header}</th>" in page
    # Rowspans cover every indicator exactly once, so the table's columns line up.
    spans = [int(n) for n in re.findall(r'class="level" rowspan="(\d+)"', page)]
    assert sum(spans) == 2 * len(rubric.all_indicators())
    first = rubric.levels[0].children[0].indicators[0]
    assert first.scoring.describe(first.points) in page
    assert "公式：" in page and "= " in page
    assert "优 ≥ 90" in page


def test_project_rubric_page_shows_execution_rule_and_levels(org, login):
    page = login(org["users"]["reviewer"]).get(reverse("rubric", args=[PROJECT])).content.decode()
    rubric = find_rubric(PROJECT).rubric
    assert "预算执行率" in page and rubric.execution.scoring.describe(rubric.execution.points) in page
    assert "全年执行数 / 全年预算数" in page
    for level in rubric.levels:
        assert level.name in page
    assert "达成年度指标" in page  # the qualitative levels
    assert "由单位自设" in page
    assert "效益指标 40 分" in page


def test_unknown_rubric_is_404(org, login):
    client = login(org["users"]["reviewer"])
    assert client.get(reverse("rubric", args=["no-such-rubric"])).status_code == 404
    assert client.get("/rubrics/..%2Fpyproject/").status_code == 404


def test_reviewer_chooses_for_own_bureau_and_summaries_follow(org, login, other_department):
    town = org["town"]
    assert town.summary["grade"] is None and "41/100 分" in town.summary["undetermined"]
    response = _choose(login(org["users"]["reviewer"]), org["bureaus"][0], department=other_department)
    assert response.status_code == 302 and response["Location"] == reverse("rubrics")
    assert services.rubric_ids(town) == (other_department, PROJECT)
    assert services.rubric_ids(org["far"]) == services.DEFAULT_RUBRICS
    town.refresh_from_db()
    # re-scored on saving the choice: 41% decided is enough for this rubric, and 90 is 良 by its bands
    assert (town.summary["total"], town.summary["grade"], town.summary["undetermined"]) == ("90.00", "良", None)
    org["far"].refresh_from_db()
    assert org["far"].summary["grade"] is None and org["far"].summary["undetermined"]  # the other bureau is untouched
    page = login(org["users"]["reviewer"]).get(reverse("rubrics")).content.decode()
    assert "已保存" in page and "重新核算 2 份" in page
    assert other_department in page


def test_choosing_again_updates_the_same_row(org, login):
    client = login(org["users"]["reviewer"])
    _choose(client, org["bureaus"][0])
    _choose(client, org["bureaus"][0], project=PROJECT)
    assert RubricChoice.objects.filter(bureau=org["bureaus"][0], fiscal_year=2022).count() == 1


def test_reviewer_cannot_choose_for_another_bureau(org, login):
    response = _choose(login(org["users"]["reviewer"]), org["bureaus"][1])
    assert response.status_code == 403
    # The refusal does not depend on the rest of the form being right.
    assert _choose(login(org["users"]["reviewer"]), org["bureaus"][1], department="nonsense").status_code == 403
    assert not RubricChoice.objects.exists()


@pytest.mark.parametrize("who", ["filler", "head", "nobody"])
def test_units_cannot_choose(org, login, who):
    assert _choose(login(org["users"][who]), org["bureaus"][0]).status_code == 403
    assert not RubricChoice.objects.exists()


def test_admin_chooses_for_any_bureau(org, login):
    assert _choose(login(org["users"]["admin"]), org["bureaus"][1], year=2023).status_code == 302
    assert RubricChoice.objects.get(bureau=org["bureaus"][1]).fiscal_year == 2023


@pytest.mark.parametrize("department, project, message", [
    (PROJECT, PROJECT, "是项目支出评分规则，不能用作部门整体评分规则"),
    (DEPARTMENT, DEPARTMENT, "是部门整体评分规则，不能用作项目支出评分规则"),
    ("no-such-rubric", PROJECT, "没有可用的评分规则"),
])
def test_wrong_or_unknown_rubric_is_refused(org, login, department, project, message):
    response = _choose(login(org["users"]["reviewer"]), org["bureaus"][0], department=department, project=project)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RubricChoice.objects.exists()
    assert services.rubric_ids(org["town"]) == services.DEFAULT_RUBRICS


def test_invalid_file_cannot_be_chosen(org, login, other_department):
    response = _choose(login(org["users"]["reviewer"]), org["bureaus"][0], department="broken")
    assert response.status_code == 400 and not RubricChoice.objects.exists()


def test_year_is_validated(org, login):
    response = _choose(login(org["users"]["reviewer"]), org["bureaus"][0], year="20x2")
    assert response.status_code == 400 and not RubricChoice.objects.exists()


def test_choose_is_post_only(org, login):
    assert login(org["users"]["reviewer"]).get(reverse("rubric-choose")).status_code == 405


def test_broken_document_does_not_block_the_choice(org, login):
    Evaluation.objects.filter(pk=org["city"].pk).update(document="{not json")
    response = _choose(login(org["users"]["reviewer"]), org["bureaus"][0])
    assert response.status_code == 302
    assert RubricChoice.objects.filter(bureau=org["bureaus"][0]).exists()
    org["city"].refresh_from_db()
    assert org["city"].summary == {}


def test_by_layout_is_the_default_and_can_be_chosen_back(org, login):
    client = login(org["users"]["reviewer"])
    page = client.get(reverse("rubrics")).content.decode()
    assert 'value="auto"' in page and "按表样选用项目表评分规则" in page
    _choose(client, org["bureaus"][0], project="mof-2020-project")
    assert services.rubric_ids(org["town"]) == (DEPARTMENT, "mof-2020-project")
    response = _choose(client, org["bureaus"][0], project="auto")
    assert response.status_code == 302
    assert services.rubric_ids(org["town"]) == (DEPARTMENT, "auto")
    listed = client.get(reverse("rubrics")).content.decode()
    assert "文件已不存在或有误" not in listed
