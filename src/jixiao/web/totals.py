"""Totals that follow their figures, as an Excel template's formula would.

A table's 合计/总分 that the unit left blank, or that Jixiao filled in, is the sum of the
table's stated scores and follows each edit of them. A total the unit typed, or that came with
an imported file, is the unit's own: it stays as written (and the audit compares it with its
parts), and the page offers to replace it by the sum when the two differ.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..model import Evaluation as Document

_SCORE = re.compile(r"^(?P<table>projects\.\d+|department_evaluation)\.(?:indicators\.\d+\.score|execution\.score_stated)$")
_CARD = re.compile(r"^scorecard\.\d+\.score$")
CARD_TOTAL = "scorecard_total_stated"


def is_total(path: str) -> bool:
    return path == CARD_TOTAL or bool(re.fullmatch(r"(?:projects\.\d+|department_evaluation)\.total_stated", path))


def total_of(path: str) -> str | None:
    """The total a score at ``path`` adds into."""
    if match := _SCORE.match(path):
        return f"{match['table']}.total_stated"
    return CARD_TOTAL if _CARD.match(path) else None


def _table(doc: Document, total: str):
    if total.startswith("department_evaluation"):
        return doc.department_evaluation
    index = int(total.split(".")[1])
    return doc.projects[index] if index < len(doc.projects) else None


def parts(doc: Document, total: str) -> Decimal | None:
    """The sum of the stated scores the total adds up; None when every one is blank."""
    if total == CARD_TOTAL:
        scores = [row.score for row in doc.scorecard]
    else:
        table = _table(doc, total)
        scores = [] if table is None else [table.execution.score_stated, *(i.score for i in table.indicators)]
    known = [s for s in scores if s is not None]
    return sum(known, Decimal(0)) if known else None


def stated(doc: Document, total: str) -> Decimal | None:
    if total == CARD_TOTAL:
        return doc.scorecard_total_stated
    table = _table(doc, total)
    return None if table is None else table.total_stated


def follows(doc: Document, total: str, auto: set[str]) -> bool:
    """Whether the total is a formula's: blank, or filled in by Jixiao and not typed over."""
    return total in auto or stated(doc, total) is None


def offer(doc: Document, total: str, auto: set[str]) -> str | None:
    """The sum to offer in place of the unit's own total, when the two differ."""
    own, computed = stated(doc, total), parts(doc, total)
    if own is None or computed is None or total in auto or own == computed:
        return None
    return format(computed, "f")


def after_removal(path: str, auto: list[str]) -> list[str]:
    """Followed totals still pointing at the right tables after a project table is removed."""
    if not re.fullmatch(r"projects\.\d+", path):
        return auto
    gone = int(path.split(".")[1])
    kept = []
    for total in auto:
        if total.startswith("projects."):
            index = int(total.split(".")[1])
            if index == gone:
                continue
            if index > gone:
                total = f"projects.{index - 1}.total_stated"
        kept.append(total)
    return kept
