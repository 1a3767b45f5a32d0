"""The season in Debian's chromium: the bureau opens the year's round; the unit sees the days
left, starts the year from last year's package (last year's figures beside this year's rows)
and writes to the bureau; each side finds the other's doing in its messages."""

from __future__ import annotations

import datetime

import pytest

from .test_browser import CHROMIUM, Session, browser  # noqa: F401 — the browser fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it)"),
]


def test_a_round_a_year_started_from_last_year_and_messages_both_ways(transactional_db, live_server, browser):  # noqa: F811
    from jixiao.web import campaigns, services, workflow
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation, Profile, Waiver

    load_demo()
    base = live_server.url
    deadline = campaigns.today() + datetime.timedelta(days=10)

    reviewer = Session(browser, base, "reviewer")
    rpage = reviewer.page
    rpage.goto(f"{base}/campaigns/")
    form = rpage.locator("form.choose-form")
    form.locator("select[name=bureau]").select_option(label=Profile.objects.get(user__username="reviewer").bureau.name)
    form.locator("input[name=fiscal_year]").fill("2023")
    form.locator("select[name=department_rubric]").select_option("hengshan-2022-department")
    form.locator("input[name=deadline]").fill(deadline.isoformat())
    form.locator("button:has-text('安排')").click()
    rpage.wait_for_load_state()
    assert "已安排" in rpage.inner_text("body") and deadline.isoformat() in rpage.inner_text("table.list")
    reviewer.shot("16-round-opened", full=False)

    kaiyun = Session(browser, base, "kaiyun")
    page = kaiyun.page
    rounds = page.inner_text("section.rounds")
    assert "距截止还有 10 天" in rounds
    page.click("button:has-text('开始 2023 年度自评')")
    page.wait_for_url("**/evaluations/*/")
    new = Evaluation.objects.get(unit__name="衡山县开云镇人民政府", fiscal_year=2023)
    last = services.document(Evaluation.objects.get(unit__name="衡山县开云镇人民政府", fiscal_year=2022))
    line = last.base_data.projects[0]
    assert services.document(new).base_data.projects[0].prior_final == line.final  # pre-filled from 2022
    assert f"上年材料本年决算数 {line.final}" in page.inner_text("#base")
    kaiyun.shot("17-year-from-last-year", full=False)

    # the unit writes to the bureau: the reviewer is told
    page.locator("#comments textarea[name=text]").fill("请问项目资金口径是否按调整预算填报？")
    page.locator("#comments button:has-text('发表')").click()
    page.wait_for_load_state()
    rpage.goto(f"{base}/review/")
    assert "消息（1）" in rpage.inner_text("header")
    rpage.click("header a:has-text('消息')")
    rpage.click("table.inbox button.link")
    rpage.wait_for_url(f"**/evaluations/{new.pk}/**")
    rpage.goto(f"{base}/inbox/")
    assert "消息（0）" in rpage.inner_text("header") and "已读" in rpage.inner_text("table.inbox")

    # the bureau returns last year's package: the unit is told
    town = Evaluation.objects.get(unit__name="衡山县开云镇人民政府", fiscal_year=2022)
    for f in services.analyse(town).open_errors:
        Waiver.objects.create(evaluation=town, fingerprint=f.fingerprint, code=f.code, message=f.message, reason="以批复文件为准",
                              author=Profile.objects.get(user__username="kaiyun").user)
    for name, who in (("ask_head", "kaiyun"), ("submit", "kaiyun-head"), ("start_review", "reviewer")):
        town = workflow.move(town, name, Profile.objects.get(user__username=who).user)
    rpage.goto(f"{base}/evaluations/{town.pk}/")
    rpage.locator("textarea[name=comment]").fill("请核对项目支出决算数")
    rpage.click("button:has-text('退回修改')")
    rpage.wait_for_url("**/review/**")
    assert Evaluation.objects.get(pk=town.pk).state == "returned"
    page.goto(f"{base}/evaluations/")
    assert "消息（1）" in page.inner_text("header")
    page.click("header a:has-text('消息')")
    assert "退回" in page.inner_text("table.inbox")
    kaiyun.shot("18-unit-told", full=False)
    reviewer.close()
    kaiyun.close()
