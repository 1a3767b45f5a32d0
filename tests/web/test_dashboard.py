"""The bureau dashboard and its Excel overview: who sees which units, and what the numbers are."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.web.models import Evaluation

HEADER = ["单位", "年度", "状态", "填报总分", "核算总分", "填报等级", "核算等级", "错误", "警告", "提示", "已说明", "项目数", "上年核算总分", "较上年"]


def _chart_data(response) -> dict:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "chart data must be embedded with json_script"
    return json.loads(match.group(1))


def _sheet(response):
    book = load_workbook(BytesIO(response.content))
    return book.active


def test_reviewer_sees_only_own_bureau(org, login):
    response = login(org["users"]["reviewer"]).get(reverse("dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "衡山县开云镇人民政府" in page and "衡阳市人民政府办公室" in page
    assert "长沙市某局" not in page
    assert [r.name for r in response.context["rows"]] == ["衡山县开云镇人民政府", "衡阳市人民政府办公室"]
    data = _chart_data(response)
    assert data["scores"]["units"] == ["衡山县开云镇人民政府", "衡阳市人民政府办公室"]
    assert not any("长沙" in name for name in data["ranking"]["units"])


def test_admin_sees_all_bureaus(org, login):
    response = login(org["users"]["admin"]).get(reverse("dashboard"))
    assert response.status_code == 200
    assert {r.name for r in response.context["rows"]} == {"衡山县开云镇人民政府", "衡阳市人民政府办公室", "长沙市某局"}
    assert "长沙市财政局" in response.content.decode()  # admins see which bureau a unit belongs to


@pytest.mark.parametrize("who", ["filler", "head", "city_filler", "nobody"])
def test_units_and_strangers_are_refused(org, login, who):
    for name in ("dashboard", "dashboard-export"):
        response = login(org["users"][who]).get(reverse(name))
        assert response.status_code == 403, (who, name)
        assert "长沙市某局" not in response.content.decode(errors="replace")


def test_anonymous_is_sent_to_login(org, client):
    for name in ("dashboard", "dashboard-export"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_charts_come_from_our_own_static_files(org, login):
    page = login(org["users"]["reviewer"]).get(reverse("dashboard")).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in page
    assert "/static/web/dashboard.js" in page
    sources = re.findall(r"<script[^>]*\bsrc=[\"']([^\"']+)", page)
    assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    assert not re.search(r"(?:src|href)=[\"'](?:https?:)?//", page)


def test_chart_data_follows_the_summaries(org, login):
    town, city = org["town"], org["city"]
    data = _chart_data(login(org["users"]["reviewer"]).get(reverse("dashboard")))
    grades = dict(zip(data["grades"]["labels"], data["grades"]["values"]))
    assert data["grades"]["labels"] == ["优", "良", "中", "差", "无法核算"]
    # Both samples' department tables are decided by their figures for under 60% of the points:
    # counted as 无法核算, and their totals are gaps in the chart, never zeros.
    assert town.summary["undetermined"] and city.summary["undetermined"]
    assert grades == {"优": 0, "良": 0, "中": 0, "差": 0, "无法核算": 2}
    assert data["scores"]["total"] == [None, None]
    # The city office left its total blank: the chart gets a gap, not a zero.
    assert city.summary["stated_total"] is None
    assert data["scores"]["stated"] == [float(Decimal(town.summary["stated_total"])), None]
    assert sum(data["rates"]["counts"]) == len(town.summary["execution_rates"]) + len(city.summary["execution_rates"])
    codes = {**town.summary["findings_by_code"]}
    for code, n in city.summary["findings_by_code"].items():
        codes[code] = codes.get(code, 0) + n
    assert sum(data["findings"]["values"]) == sum(codes.values())
    assert any(label.startswith("所列项目之和与项目支出合计不符（arithmetic.projects-sum）") for label in data["findings"]["labels"])
    assert data["ranking"]["total"] == sorted(data["ranking"]["total"])


def test_blank_is_not_zero(org, login):
    Evaluation.objects.filter(pk=org["city"].pk).update(summary={
        **org["city"].summary, "total": None, "grade": None,
        "execution_rates": [{"name": "甲", "rate": None}, {"name": "乙", "rate": "80"}],
    })
    Evaluation.objects.filter(pk=org["town"].pk).update(summary={
        **org["town"].summary, "total": "90.00", "grade": "优", "undetermined": None,
        "execution_rates": [{"name": "丙", "rate": "100"}],
    })
    response = login(org["users"]["reviewer"]).get(reverse("dashboard"))
    rows = {r.name: r for r in response.context["rows"]}
    assert rows["衡阳市人民政府办公室"].total is None
    assert rows["衡阳市人民政府办公室"].mean_rate == Decimal(80)  # the blank rate is left out, not counted as 0
    overview = response.context["overview"]
    assert overview["mean_total"] == Decimal("90.00")
    assert overview["mean_rate"] == Decimal(90)
    data = _chart_data(response)
    assert data["ranking"]["units"] == ["衡山县开云镇人民政府"]
    assert data["scores"]["total"][1] is None
    assert dict(zip(data["rates"]["bands"], data["rates"]["counts"]))["100%"] == 1
    page = response.content.decode()
    city_row = page[page.index("衡阳市人民政府办公室</a>"):]
    city_row = city_row[:city_row.index("</tr>")]
    assert "—" in city_row and ">0.00<" not in city_row


def test_year_filter(org, login):
    Evaluation.objects.filter(pk=org["city"].pk).update(fiscal_year=2021)
    client = login(org["users"]["reviewer"])
    latest = client.get(reverse("dashboard"))
    assert latest.context["year"] == 2022 and latest.context["years"] == [2022, 2021]
    assert [r.name for r in latest.context["rows"]] == ["衡山县开云镇人民政府"]
    earlier = client.get(reverse("dashboard"), {"year": "2021"})
    assert [r.name for r in earlier.context["rows"]] == ["衡阳市人民政府办公室"]
    assert client.get(reverse("dashboard"), {"year": "abc"}).context["year"] == 2022
    sheet = _sheet(client.get(reverse("dashboard-export"), {"year": "2021"}))
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["衡阳市人民政府办公室"]


def test_export_reviewer(org, login):
    response = login(org["users"]["reviewer"]).get(reverse("dashboard-export"), {"year": "2022"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded) == "绩效自评汇总-2022年度.xlsx"
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > 20
    by_unit = {row[0]: row for row in rows[1:]}
    assert set(by_unit) == {"衡山县开云镇人民政府", "衡阳市人民政府办公室"}
    town = org["town"].summary
    assert by_unit["衡山县开云镇人民政府"] == (
        "衡山县开云镇人民政府", 2022, "填报中", float(Decimal(town["stated_total"])), "无法核算",
        town["stated_grade"], "无法核算", town["errors"], town["warnings"], town["infos"], town["waived"], town["projects"], None, None,
    )
    city = by_unit["衡阳市人民政府办公室"]
    assert city[3] is None  # blank stated total stays blank, not 0
    assert city[4] == "无法核算" and isinstance(city[7], int)


def test_export_admin_has_every_bureau(org, login):
    sheet = _sheet(login(org["users"]["admin"]).get(reverse("dashboard-export")))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [HEADER[0], "财政局", *HEADER[1:]]
    assert sorted((row[0], row[1]) for row in rows[1:]) == sorted([
        ("衡山县开云镇人民政府", "衡阳市财政局"), ("衡阳市人民政府办公室", "衡阳市财政局"), ("长沙市某局", "长沙市财政局")])


def test_each_unit_is_shown_against_its_own_total_of_the_year_before(org, login):
    city = org["city"]
    last = Evaluation.objects.create(unit=city.unit, fiscal_year=2021, document=city.document,
                                     summary={**city.summary, "total": "80.50"})
    Evaluation.objects.filter(pk=city.pk).update(summary={**city.summary, "total": "85.25"})
    client = login(org["users"]["reviewer"])
    rows = {r.name: r for r in client.get(reverse("dashboard"), {"year": "2022"}).context["rows"]}
    assert (rows["衡阳市人民政府办公室"].last_total, rows["衡阳市人民政府办公室"].change) == (Decimal("80.50"), Decimal("4.75"))
    assert rows["衡山县开云镇人民政府"].last_total is None  # no package the year before: no change, not 0
    sheet = _sheet(client.get(reverse("dashboard-export"), {"year": "2022"}))
    by_unit = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_unit["衡阳市人民政府办公室"][-2:] == (80.5, 4.75) and by_unit["衡山县开云镇人民政府"][-2:] == (None, None)
    assert last.pk not in [r.evaluation.pk for r in rows.values()]


def test_no_evaluations_is_an_empty_page_not_an_error(org, login):
    client = login(org["users"]["far_reviewer"])
    Evaluation.objects.filter(pk=org["far"].pk).delete()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200 and response.context["year"] is None
    assert "暂无可统计的自评材料" in response.content.decode()
    assert list(_sheet(client.get(reverse("dashboard-export"))).iter_rows(values_only=True)) == [tuple(HEADER)]


def test_post_is_not_allowed(org, login):
    assert login(org["users"]["reviewer"]).post(reverse("dashboard")).status_code == 405


def test_export_writes_text_as_text(org, login):
    unit = org["town"].unit
    unit.name = '=HYPERLINK("http://evil.example","点我")'
    unit.save()
    response = login(org["users"]["reviewer"]).get(reverse("dashboard-export"), {"year": "2022"})
    sheet = _sheet(response)
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if c.value == unit.name)
    assert cell.data_type == "s"
