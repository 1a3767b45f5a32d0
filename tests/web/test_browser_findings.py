"""Findings to cells: a finding's 定位 link brings its row into view, highlighted; 只看有问题的行
leaves only the rows that carry a finding or an import notice — and follows live edits."""

from __future__ import annotations

import pytest

from .test_browser import CHROMIUM, Session, browser  # noqa: F401 — the browser fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it)"),
]


def test_a_finding_leads_to_its_row_and_the_page_narrows_to_rows_with_problems(transactional_db, live_server, browser):  # noqa: F811
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation

    load_demo()
    city = Evaluation.objects.get(unit__name="衡阳市人民政府办公室")
    session = Session(browser, live_server.url, "hengyang")
    page = session.page
    page.goto(f"{live_server.url}/evaluations/{city.pk}/")
    link = page.locator("#findings article.finding a.locate[href^='#row-']").last
    target = link.get_attribute("href")
    fingerprint = link.locator("xpath=ancestor::article").get_attribute("id")[2:]
    link.click()
    row = page.locator(f"tr{target}")
    assert page.evaluate("location.hash") == target
    assert row.locator(f".badge[href='#f-{fingerprint}']").count() == 1  # the row holding that finding
    box, height = row.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height  # scrolled into view
    assert row.evaluate("r => getComputedStyle(r).outlineStyle") == "solid"  # and highlighted
    session.shot("05-finding-located", full=False)

    rows = page.locator("#forms .grid tbody tr")
    total = rows.count()
    flagged = page.locator("#forms .grid tbody tr:has(.badge)").count()
    page.check("#only-problems")
    visible = sum(rows.nth(i).is_visible() for i in range(total))
    assert 0 < flagged == visible < total
    assert row.is_visible()
    page.uncheck("#only-problems")
    assert sum(rows.nth(i).is_visible() for i in range(total)) == total
    session.close()
