"""End to end in Debian's chromium: the whole review loop as the demo accounts live it.

kaiyun uploads the town sample, corrects a flagged figure, explains the rest and asks the unit
head (kaiyun-head) to confirm, who submits it; kaiyun withdraws it and it goes again through the
head; the reviewer starts the review (withdrawal is then refused) and returns it with a comment;
kaiyun fixes it and it is resubmitted through the head; the reviewer approves, the record is
read-only; the administrator reopens it with a reason. Screenshots of the main pages go to
test-artifacts/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.db import connections

from .conftest import TOWN
from .evidence_files import pdf

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it)"),
]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        # The test's ORM calls while Playwright's loop runs got connections of their own;
        # closed here, in that same state, or PostgreSQL's test database cannot be dropped.
        connections.close_all()
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def demo(transactional_db):
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation

    load_demo()
    Evaluation.objects.filter(unit__name="衡山县开云镇人民政府").delete()  # kaiyun starts from the file


class Session:
    def __init__(self, browser, base: str, username: str):
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", self._confirm)  # import, submit, return and approve each ask first
        self.base = base
        self.page.goto(f"{base}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", "jixiao-demo")
        self.page.click("button.primary")
        self.page.wait_for_url(re.compile(r"/(evaluations|review|dashboard)/"))

    def _confirm(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.accept()

    def shot(self, name: str, full: bool = True) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=full)

    def edit(self, selector: str, value: str) -> None:
        self.page.evaluate("document.getElementById('edit-status').innerHTML = ''")
        field = self.page.locator(selector)
        field.fill(value)
        field.press("Tab")
        self.page.wait_for_selector("#edit-status .saved, #edit-status .error")

    def post(self, url: str, form: dict | None = None):
        """A request the page offers no button for, sent with the page's own CSRF token."""
        token = re.search(r'"X-CSRFToken": "([^"]+)"', self.page.evaluate("document.body.getAttribute('hx-headers')")).group(1)
        return self.page.request.post(f"{self.base}{url}", form=form or {}, headers={"X-CSRFToken": token})

    def move(self, button: str, state: str) -> None:
        self.page.click(f"button:text-is('{button}')")
        self.page.wait_for_selector(f"h1 .state.{state}")

    def errors(self) -> str:
        return self.page.locator("#summary dl.summary div").first.locator("dd").inner_text()

    def close(self) -> None:
        self.context.close()


def test_review_loop(demo, live_server, browser):
    from jixiao.web import services
    from jixiao.web.models import Evaluation, State

    base = live_server.url
    kaiyun = Session(browser, base, "kaiyun")
    page = kaiyun.page
    kaiyun.shot("01-unit-list")
    page.fill("input[name=fiscal_year]", "2022")
    page.click("text=新建年度自评")
    page.set_input_files("input[type=file]", str(TOWN))
    page.click("text=上传并导入")
    page.wait_for_selector("text=已导入")
    assert "导入会用文件中的内容替换" in kaiyun.dialogs[-1]
    assert page.locator("#summary dd").first.inner_text().startswith("3")
    kaiyun.shot("02-imported")

    # the flagged execution rate: 60% stated, 400.11 ÷ 690.61 = 57.94%
    rate = "#project-0 input[data-path='projects.0.execution.rate_stated']"
    kaiyun.edit(rate, "五十八")
    assert "不是数字" in page.inner_text("#edit-status")
    # while typing, the rescore and re-audit are previewed, unsaved
    page.evaluate("document.getElementById('edit-status').innerHTML = ''")
    page.locator(rate).fill("")
    page.locator(rate).press_sequentially("57.94", delay=30)
    page.wait_for_selector("#edit-status .preview")
    assert kaiyun.errors().startswith("2")
    assert services.document(Evaluation.objects.get(unit__name="衡山县开云镇人民政府")).projects[0].execution.rate_stated == 60
    kaiyun.edit(rate, "57.94")
    assert "已保存" in page.inner_text("#edit-status")
    assert kaiyun.errors().startswith("2")
    kaiyun.shot("03-live-edit", full=False)

    # the score explanation opens on click
    page.locator("#project-0 details.explain summary").first.click()
    assert page.locator("#project-0 details.explain .pop").first.is_visible()

    # evidence for the first indicator of the first project: listed beside that row
    form = page.locator("#project-0 form.evidence-upload")
    row = form.locator("select[name=path] option").nth(1).get_attribute("value")
    form.locator("select[name=path]").select_option(row)
    form.locator("input[type=file]").set_input_files(files=[{"name": "验收报告.pdf", "mimeType": "application/pdf", "buffer": pdf()}])
    form.locator("button:has-text('上传佐证材料')").click()
    page.wait_for_load_state()
    attached = page.locator(f"#project-0 tr:has(input[data-path^='{row}.']) details.evidence")
    assert attached.locator("summary").inner_text() == "佐证材料（1）"
    attached.locator("summary").click()
    assert "验收报告.pdf" in attached.inner_text()

    assert page.locator("button:has-text('提交单位负责人确认')").is_disabled()
    for _ in range(2):
        finding = page.locator("#findings article.finding.error:not(.waived)").first
        finding.locator("summary:has-text('不修改')").click()
        finding.locator("textarea[name=reason]").fill("评分标准以县财政局下发的评分表为准，本年不作调整")
        finding.locator("button:has-text('保存说明')").click()
        page.wait_for_load_state()
    assert "已说明 2" in page.inner_text("#summary")
    kaiyun.move("提交单位负责人确认", "awaiting_head")
    assert "确认提交单位负责人确认" in kaiyun.dialogs[-1]
    assert page.locator("input[data-path]").count() == 0  # read-only while with the head
    assert "等待单位负责人确认" in page.inner_text("#next-step")
    kaiyun.shot("04-awaiting-head")

    evaluation = Evaluation.objects.get(unit__name="衡山县开云镇人民政府")
    head = Session(browser, base, "kaiyun-head")
    hpage = head.page
    hpage.click("table.list a:has-text('衡山县开云镇人民政府')")
    head.shot("05-head-confirms")
    head.move("确认并提交", "submitted")
    assert "确认并提交？" in head.dialogs[-1]

    # not yet under review: the unit takes it back, and it goes to the bureau through the head again
    page.reload()
    kaiyun.move("撤回", "draft")
    assert "确认撤回" in kaiyun.dialogs[-1]
    assert page.locator("input[data-path]").count() > 0
    kaiyun.move("提交单位负责人确认", "awaiting_head")
    hpage.reload()
    head.move("确认并提交", "submitted")

    reviewer = Session(browser, base, "reviewer")
    rpage = reviewer.page
    assert "衡山县开云镇人民政府" in rpage.inner_text("table.list")
    reviewer.shot("06-queue")
    rpage.click("table.list a.button:has-text('审核')")
    reviewer.move("开始审核", "in_review")
    assert rpage.locator("input[data-path]").count() == 0
    reviewer.shot("07-review")

    # under review: no withdrawal offered, and a forged one is refused
    page.reload()
    assert page.locator("button:text-is('撤回')").count() == 0
    response = kaiyun.post(f"/evaluations/{evaluation.pk}/transition/withdraw")
    assert response.status == 403 and "财政局已开始审核，不能撤回" in response.text()

    rpage.fill("textarea[name=comment]", "村级运转经费执行率已改为 57.94%，执行率得分仍填 6 分，请改为 5.79 分。")
    rpage.click("button:has-text('退回修改')")
    rpage.wait_for_url(re.compile(r"/review/"))
    assert "确认退回" in reviewer.dialogs[-1]

    page.reload()
    assert "已退回" in page.inner_text("h1")
    assert "请改为 5.79 分" in page.inner_text("#comments")
    kaiyun.edit("#project-0 input[data-path='projects.0.execution.score_stated']", "5.79")
    assert "总分填报 92" in page.inner_text("#findings")  # the new score no longer adds up
    kaiyun.edit("#project-0 input[data-path='projects.0.total_stated']", "91.79")
    assert kaiyun.errors().startswith("2")  # the two explained ones
    page.reload()
    kaiyun.move("提交单位负责人确认", "awaiting_head")
    hpage.reload()
    head.move("确认并提交", "submitted")

    rpage.goto(f"{base}/review/")
    rpage.click("table.list a.button:has-text('审核')")
    reviewer.move("开始审核", "in_review")
    rpage.click("button:has-text('审核通过')")
    rpage.wait_for_url(re.compile(r"/review/"))
    # approving shows what is still open before asking
    assert "确认通过" in reviewer.dialogs[-1] and "没有未修正的错误" in reviewer.dialogs[-1]
    reviewer.shot("08-queue-after-approval")

    page.reload()
    assert "已通过" in page.inner_text("h1") and "只读" in page.inner_text("main")
    assert page.locator("input[data-path]").count() == 0
    kaiyun.shot("09-approved-read-only")
    evaluation.refresh_from_db()
    assert evaluation.state == State.APPROVED
    response = kaiyun.post(f"/evaluations/{evaluation.pk}/edit", {"path": "projects.0.execution.rate_stated", "value": "1", "version": str(evaluation.version)})
    assert response.status == 403

    admin = Session(browser, base, "admin")
    admin.page.goto(f"{base}/evaluations/{evaluation.pk}/")
    admin.page.fill("textarea[name=comment]", "抽查复核：公用经费决算数与决算报表不一致，请审核人复核")
    admin.move("重新打开", "in_review")
    assert "确认重新打开" in admin.dialogs[-1]

    history = Session(browser, base, "reviewer")
    history.page.goto(f"{base}/evaluations/{evaluation.pk}/history")
    text = history.page.inner_text("main")
    for step in ("提交单位负责人确认", "确认并提交", "撤回", "开始审核", "退回修改", "审核通过", "重新打开：抽查复核"):
        assert step in text, step
    assert "57.94" in text
    history.shot("10-history")
    history.page.goto(f"{base}/dashboard/")
    history.page.wait_for_function("document.querySelectorAll('.chart svg').length >= 5")
    history.shot("11-dashboard")
    history.page.goto(f"{base}/rubrics/hengshan-2022-department/")
    assert "“三公经费”变动率" in history.page.inner_text("main")
    history.shot("12-rubric")
    for session in (kaiyun, head, reviewer, admin, history):
        session.close()


def test_quick_typing_loses_nothing(transactional_db, live_server, browser):
    """Three cells changed in quick succession, then a row added from a form loaded before
    them: every change is saved, none is refused as someone else's."""
    from jixiao.web import services
    from jixiao.web.demo import load_demo
    from jixiao.web.models import Evaluation

    load_demo()
    town = Evaluation.objects.get(unit__name="衡山县开云镇人民政府")
    kaiyun = Session(browser, live_server.url, "kaiyun")
    page = kaiyun.page
    page.goto(f"{live_server.url}/evaluations/{town.pk}/")
    for column, value in (("prior_final", "1.1"), ("budget", "2.2"), ("final", "3.3")):
        page.locator(f"input[data-path='base_data.procurement.{column}']").fill(value)
        page.keyboard.press("Tab")  # no waiting between cells
    page.wait_for_selector(f"#version[value='{town.version + 3}']", state="attached")
    assert "已保存" in page.inner_text("#edit-status")
    page.fill("#base form.add input[name=name]", "乡村振兴项目")
    page.click("#base form.add button")
    page.wait_for_load_state()
    assert "已被他人修改" not in page.inner_text("main")
    town.refresh_from_db()
    procurement = services.document(town).base_data.procurement
    assert [str(procurement.prior_final), str(procurement.budget), str(procurement.final)] == ["1.1", "2.2", "3.3"]
    assert services.document(town).base_data.projects[-1].name == "乡村振兴项目"
    kaiyun.close()
