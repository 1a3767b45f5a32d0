"""Real tables units published, as the web gives them (tests/fixtures/published, with their
addresses), against the values read from them by hand (the .yaml beside each).

Most published copies are damaged on the way: cells run together, rows unmarked, scanned
text. What can be rebuilt must come out right; what cannot must be said plainly, never
imported as if it were read."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jixiao.ingest import import_file

HERE = Path(__file__).parent / "fixtures" / "published"


def expected(name: str) -> dict:
    return yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))


def figure(text: str | None) -> Decimal | None:
    return None if text in (None, "/", "——", "—") else Decimal(str(text).rstrip("%"))


@pytest.mark.parametrize("name", ["sichuan-2023-daying", "neimenggu-2024-bayannur"])
def test_rebuildable_tables_read_as_checked_by_hand(name):
    hand = expected(name)
    result = import_file(HERE / f"{name}.txt")
    assert result.ok, result.errors
    [table] = result.evaluation.projects
    assert (table.name, table.department, table.implementer) == (hand["name"], hand["department"], hand["implementer"])
    for row, figures in hand["funds"].items():
        if row == "column_labels" or figures is None:
            continue
        stated = getattr(table.funds, row)
        for key in ("initial_budget", "full_year_budget", "executed"):
            assert getattr(stated, key) == figure(figures[key]), (row, key)
        if row != "total":
            assert stated.rate_stated == figure(figures.get("rate_stated")), (row, "rate")
    execution = hand["execution"]
    assert (table.execution.points, table.execution.rate_stated, table.execution.score_stated) == (
        figure(execution["points"]), figure(execution["rate_stated"]), figure(execution["score_stated"]),
    )
    assert table.goals[0].expected == hand["goals"]["expected"] and table.goals[0].actual == hand["goals"]["actual"]
    complete = [i for i in hand["indicators"] if not i.get("truncated")]
    assert [(i.name, i.level2, i.points, i.score) for i in table.indicators[: len(complete)]] == [
        (i["name"], i["level2"], figure(i["points"]), figure(i["score"])) for i in complete
    ]
    assert not [n for n in result.notices if n.code in ("unknown-column", "text-layout")] or name == "sichuan-2023-daying"


def test_a_direction_column_and_a_unit_column_compose_the_target():
    """内蒙古: 指标性质 正向 | 指标方向 大于等于 | 1 | 1 | 次 — the unit's words kept, the parts joined."""
    [table] = import_file(HERE / "neimenggu-2024-bayannur.txt").evaluation.projects
    assert [(i.target, i.actual) for i in table.indicators] == [("大于等于1次", "1次"), ("小于等于1个", "1个"), ("等于100%", "100%"), ("等于100%", "100%")]


@pytest.mark.parametrize(
    "name",
    ["anhui-2022-chizhou", "chongqing-2021-department", "ningxia-2021-yinchuan", "hebei-2019-langfang"],
)
def test_text_whose_cells_cannot_be_rebuilt_is_refused_with_one_clear_message(name):
    result = import_file(HERE / f"{name}.txt", year=2022)
    assert result.evaluation is None
    [told] = [n for n in result.errors if "无法还原表格" in n.message]
    assert "请上传原 .docx/.xlsx 文件" in told.message and "行起" in told.message


def test_a_table_whose_rows_are_not_marked_is_not_passed_off_as_read():
    """青神: one cell per line, rows unmarked — what is read is said to be a small share."""
    result = import_file(HERE / "sichuan-2023-qingshen.txt")
    [warned] = [n for n in result.notices if n.code == "text-layout"]
    cover = result.found.coverage
    assert cover.placed * 2 < cover.seen and f"{cover.placed}/{cover.seen}" in warned.message
