"""In Debian's chromium: the reviewer narrows the queue to the packages under review whose unit
or project names match, selects them all, and approves in bulk — the two clean ones are
approved, the one with open errors is skipped with the reason."""

from __future__ import annotations

import re

from .test_browser import Session, browser, pytestmark  # noqa: F401 (the fixture and the browser marks)


def _under_review(names_with_errors: dict[str, bool]):
    """The demo's two packages and two more units', each under review, errors explained or not;
    a new unit holds a copy of the city's package (whose project names say nothing of 人民政府)."""
    from jixiao.web import services
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation, State, Unit, Waiver

    load_demo()
    city = Evaluation.objects.get(unit__name="衡阳市人民政府办公室")
    for name in names_with_errors:
        if not Evaluation.objects.filter(unit__name=name).exists():
            unit = Unit.objects.create(bureau=city.unit.bureau, name=name)
            services.refresh_summary(Evaluation.objects.create(unit=unit, fiscal_year=2022, document=city.document))
    for name, errors in names_with_errors.items():
        evaluation = Evaluation.objects.get(unit__name=name)
        if not errors:
            for f in services.analyse(evaluation).open_errors:
                Waiver.objects.create(evaluation=evaluation, fingerprint=f.fingerprint, code=f.code, message=f.message,
                                      reason="以批复文件为准", author=evaluation.unit.bureau.staff.first().user)
            services.refresh_summary(evaluation)
        Evaluation.objects.filter(pk=evaluation.pk).update(state=State.IN_REVIEW)


def test_bulk_approval_from_a_filtered_queue(transactional_db, live_server, browser):
    from jixiao.web.models import Evaluation, State

    _under_review({"衡山县开云镇人民政府": False, "衡阳市人民政府办公室": False, "衡阳市人民政府研究室": True, "衡阳市教育局": False})
    reviewer = Session(browser, live_server.url, "reviewer")
    page = reviewer.page
    page.click("nav.tabs a:has-text('审核中')")
    page.wait_for_url(re.compile(r"state=in_review"))
    page.fill("#filters input[name=q]", "人民政府")
    page.click("#filters button:has-text('筛选')")
    page.wait_for_url(re.compile(r"q=%E4%BA%BA"))
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 3 and "衡阳市教育局" not in page.inner_text("table.list")
    page.check("#select-all")
    assert page.inner_text("#selected-count") == "3"
    reviewer.shot("13-queue-selected", full=False)

    page.click("button:has-text('批量审核通过')")
    page.wait_for_selector("#confirm-list")
    listed = page.inner_text("#confirm-list")
    assert "衡阳市人民政府研究室" in listed and re.search(r"跳过：还有 \d+ 个未修正的错误", listed)
    assert Evaluation.objects.filter(state=State.APPROVED).count() == 0  # nothing yet
    reviewer.shot("14-bulk-confirm")
    page.click("button:has-text('确认审核通过 2 份')")
    page.wait_for_selector("#skipped")
    assert "已通过 2 份，跳过 1 份" in page.inner_text("h1")
    assert "衡阳市人民政府研究室" in page.inner_text("#skipped")
    reviewer.shot("15-bulk-done")
    approved = set(Evaluation.objects.filter(state=State.APPROVED).values_list("unit__name", flat=True))
    assert approved == {"衡山县开云镇人民政府", "衡阳市人民政府办公室"}
    assert Evaluation.objects.get(unit__name="衡阳市教育局").state == State.IN_REVIEW
    page.click("a:has-text('返回审核队列')")
    page.wait_for_url(re.compile(r"/review/\?state=in_review&q="))
    assert page.locator("table.list tbody tr").count() == 1
    reviewer.close()
