"""Per-table checks answered from a memory shared between audits (as a web worker audits a
package again after each edit) must report exactly what an audit from scratch reports."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from jixiao.audit.report import audit
from jixiao.lru import Lru
from jixiao.rubric.score import score_package, score_project

sys.path.insert(0, str(Path(__file__).parent))
from synth import RUBRICS, corpus  # noqa: E402


def _scores_by_table():
    """score_project remembered by table content, as the web does: an unchanged table keeps its rescore."""
    kept: dict = {}

    def table_score(table, compiled, year):
        key = (id(compiled), year, table.model_dump_json())
        if key not in kept:
            kept[key] = score_project(table, compiled, year)
        return kept[key]

    return table_score


def _edited(doc, rng: random.Random):
    """The package with one cell of one project table changed, the other tables shared."""
    i = rng.randrange(len(doc.projects))
    table = doc.projects[i]
    if table.indicators and rng.random() < 0.7:
        j = rng.randrange(len(table.indicators))
        field, value = rng.choice([("actual", rng.choice(["100%", "95%", "3次", "良好", ""])), ("score", None), ("deviation", "已整改")])
        indicator = table.indicators[j].model_copy(update={field: value})
        table = table.model_copy(update={"indicators": [*table.indicators[:j], indicator, *table.indicators[j + 1:]]})
    else:
        table = table.model_copy(update={"name": table.name + "（调整）"})
    return doc.model_copy(update={"projects": [*doc.projects[:i], table, *doc.projects[i + 1:]]})


def _findings(report):
    return [(f.fingerprint, f.severity, f.message, f.expected) for f in report.findings], [(n.code, n.reason, n.location) for n in report.not_checked]


def test_audits_sharing_a_memory_report_what_audits_from_scratch_report():
    department, project = RUBRICS
    rng = random.Random(7)
    memory = Lru(50_000)
    table_score = _scores_by_table()
    compared = 0
    for doc in corpus(12, start=300):
        if not doc.projects:
            continue
        for _ in range(4):
            score = score_package(doc, department, project, table_score)
            remembered = audit(doc, department, project, score=score, remembered=memory)
            assert _findings(remembered) == _findings(audit(doc, department, project))
            compared += 1
            doc = _edited(doc, rng)
    assert compared >= 30 and len(memory) > 0


class _Recording(Lru):
    def __init__(self) -> None:
        super().__init__(50_000)
        self.computed: list[tuple[str, str | None]] = []

    def put(self, key, value, weight=1) -> None:
        self.computed.append((key[0], key[2]))  # (check, project)
        super().put(key, value, weight)


def test_after_an_edit_of_one_table_the_per_table_checks_run_on_that_table_only():
    department, project = RUBRICS
    doc = next(d for d in corpus(20, start=300) if len(d.projects) >= 3)
    memory, table_score = _Recording(), _scores_by_table()
    audit(doc, department, project, score=score_package(doc, department, project, table_score), remembered=memory)
    assert {"quality.zero-points", "rules.rate-base"} <= {code for code, _ in memory.computed}
    memory.computed.clear()
    table = doc.projects[1]
    indicator = table.indicators[0].model_copy(update={"actual": "恰好 7 次"})
    edited = doc.model_copy(update={"projects": [doc.projects[0], table.model_copy(update={"indicators": [indicator, *table.indicators[1:]]}), *doc.projects[2:]]})
    changed = table.name
    audit(edited, department, project, score=score_package(edited, department, project, table_score), remembered=memory)
    assert memory.computed and {where for _, where in memory.computed} == {changed}
