"""No silent failure in the browser: a save answered 403, 409, 5xx or lost on the network marks
its cell, keeps what was typed, says why in Chinese and offers to retry — and the retry saves."""

from __future__ import annotations

import pytest

from .test_browser import CHROMIUM, Session, browser  # noqa: F401 — the browser fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it)"),
]

CASES = [
    ("403", {"status": 403, "body": "forbidden"}, "无权修改"),
    ("409", {"status": 409, "body": "此格已被他人改为“7”，您输入的“8”未保存；请核对后重新输入", "content_type": "text/plain; charset=utf-8"}, "此格已被他人改为“7”"),
    ("500", {"status": 500, "body": "boom"}, "服务器出错（500）"),
    ("503", {"status": 503, "body": ""}, "服务器出错（503）"),
    ("network", None, "网络中断"),
]


@pytest.mark.parametrize("name, answer, reason", CASES, ids=[c[0] for c in CASES])
def test_a_failed_save_is_marked_kept_explained_and_retried(transactional_db, live_server, browser, name, answer, reason):  # noqa: F811
    from jixiao.web import services
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation

    load_demo()
    town = Evaluation.objects.get(unit__name="衡山县开云镇人民政府")
    session = Session(browser, live_server.url, "kaiyun")
    page = session.page
    page.goto(f"{live_server.url}/evaluations/{town.pk}/")
    edit_url = f"**/evaluations/{town.pk}/edit"

    def refuse(route):
        if route.request.post_data and "preview=1" in route.request.post_data:
            route.continue_()  # the preview while typing is not the save under test
        elif answer is None:
            route.abort("internetdisconnected")
        else:
            route.fulfill(**answer)

    page.route(edit_url, refuse)
    cell = page.locator("input[data-path='base_data.procurement.final']")
    cell.fill("8")
    cell.press("Tab")
    page.wait_for_selector("input.save-failed[data-path='base_data.procurement.final']")
    status = page.inner_text("#edit-status")
    assert reason in status and "未保存" in status and "“8”仍在格中" in status
    assert cell.input_value() == "8" and "已保存" not in status
    page.unroute(edit_url)
    page.click("#edit-status button.retry")
    page.wait_for_selector("#edit-status .saved")
    assert "save-failed" not in (cell.get_attribute("class") or "")
    town.refresh_from_db()
    assert str(services.document(town).base_data.procurement.final) == "8"
    session.close()
