"""What a worker process remembers between requests: results of pure functions whose inputs
usually did not change since the last request (a save edits one cell of one table; the other
tables' scores, last year's package, the side cells the page shows are as before). Each memory
is bounded in entries and in the size of what it holds, and shared by the worker's threads."""

from __future__ import annotations

from ..lru import Lru
from ..model import Evaluation, ProjectTable, parse_evaluation
from ..rubric.loader import CompiledRubric
from ..rubric.results import TableScore
from ..rubric.score import score_project


_tables = Lru(2048, max_weight=16_000_000)  # keyed by the tables' text: a few hundred packages' worth


def table_score(table: ProjectTable, compiled: CompiledRubric, year: int | None) -> TableScore:
    """score_project, remembered by the table's content, the rubric and the year. The entry
    holds the rubric itself, so that an id() in a key is never another rubric's."""
    text = table.model_dump_json()
    key = (id(compiled), year, text)
    hit = _tables.get(key)
    if hit is not None and hit[0] is compiled:
        return hit[1]
    score = score_project(table, compiled, year)
    _tables.put(key, (compiled, score), len(text))
    return score


# Per-table checks' results by check, table and rescore (audit.tables.per_table): a save that
# edits one table audits that table again and answers the others from here. Weighed by the
# tables' text, which the dozen entries of one table share: ~4M characters of tables at most.
checks = Lru(50_000, max_weight=64_000_000)

_documents = Lru(16, max_weight=16_000_000)  # keyed by the stored text; bounded by its characters


def document(text: str, source: str) -> Evaluation:
    """parse_evaluation, remembered by the text: a save reads the version it edits, which the
    page or the save before it read already. Callers never change a document in place (an
    edit makes a new one), so one parse may be shared; one that fails is not remembered."""
    hit = _documents.get(text)
    if hit is None:
        hit = parse_evaluation(text, source)
        _documents.put(text, hit, len(text))
    return hit


def known(text: str, doc: Evaluation) -> None:
    """``doc`` is what ``text`` reads as (a save has just written it from ``doc``)."""
    _documents.put(text, doc, len(text))


def forget() -> None:
    """Tests stand in for a fresh worker with it."""
    _tables.clear()
    _documents.clear()
    checks.clear()
