"""What a live edit's reply must carry: only the side cells (and the findings list) that differ
from what the page shows, instead of all of them (a city package's were 110 kB per keystroke).

The page tells what it shows: ``shown``, the key of the analysis it was rendered from (or last
brought up to date with), and ``dirty``, the rows a preview has since changed. Invariant: the
page equals the ``shown`` analysis except on the ``dirty`` rows. A reply rendering state T sends
the rows where T differs from ``shown``, and the dirty ones; afterwards the page equals T. When
``shown`` is unknown (evicted, or never sent), every row is sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..lru import Lru
from .annotate import page_sheets
from .sheets import Row, Sheet

FINDINGS = "findings"  # the findings list, kept in ``dirty`` like a row
DIRTY_MAX = 2000  # ids a page may claim; past it the reply is simply complete


def side_key(row: Row) -> tuple:
    """Everything a row's side cell (the side_cell tag) shows."""
    score = row.score
    return (
        row.computed,
        None if score is None else (score.score, score.status, score.explanation),
        row.offer,
        row.last_year,
        tuple((n.severity, n.where, n.message) for n in row.notices),
        tuple((f.fingerprint, f.severity, f.message) for f in row.findings),
    )


def findings_key(analysis, shown: int) -> tuple:
    """Everything _findings.html shows but the comments and waivers (which an edit leaves)."""
    report = analysis.report
    return (
        tuple(sorted(report.stats.items())),
        tuple((f.fingerprint, f.severity, f.code, f.location.describe(), f.message) for f in report.findings[:shown]),
        len(report.findings),
        tuple((n.code, n.reason) for n in report.not_checked[:30]),
        len(report.not_checked),
    )


@dataclass
class Reply:
    rows: list[Row]  # side cells to send
    findings: bool  # whether to send the findings list
    shown: str  # what the page will show: an analysis key, or "" when unknown
    dirty: str  # comma-separated row ids (and "findings") differing from ``shown`` afterwards


def _rows(result: list[Sheet]) -> list[Row]:
    return [row for sheet in result for row in sheet.rows]


@dataclass(frozen=True)
class Page:
    """What a page rendered from a stored analysis shows, as far as a reply compares it."""

    key: str
    sides: dict[str, tuple]  # row id → side_key
    findings: tuple  # findings_key


# The pages this worker rendered lately, by analysis and part: the next edit on such a page
# names that analysis as ``shown``, which would otherwise be read back and its sheets built.
_pages = Lru(256, max_weight=200_000)


def _page(analysis, sheets: list[Sheet], shown_findings: int) -> Page:
    return Page(analysis.key, {row.id: side_key(row) for row in _rows(sheets)}, findings_key(analysis, shown_findings))


def remember(analysis, part: int, sheets: list[Sheet], shown_findings: int) -> None:
    """Note what a page rendered from a stored analysis shows (drafts have no key)."""
    if analysis.key:
        page = _page(analysis, sheets, shown_findings)
        _pages.put((analysis.key, part, shown_findings), page, len(page.sides))


def shown_page(key: str, part: int, shown_findings: int, load: Callable[[str], Any]) -> Page | None:
    """The page the edit came from, remembered, or rebuilt from its analysis (``load(key)``;
    None when that analysis is no longer kept)."""
    if not key:
        return None
    page = _pages.get((key, part, shown_findings))
    if page is None:
        analysis = load(key)
        page = None if analysis is None else _page(analysis, page_sheets(analysis, part), shown_findings)
    return page


def reply(now, now_sheets: list[Sheet], base: Page | None, dirty: str, shown_findings: int) -> Reply:
    """``now`` is the analysis rendered (a stored version, or a draft with an empty key);
    ``base`` the page it replies to (None when unknown)."""
    rows = _rows(now_sheets)
    marked = set(dirty.split(",")) if dirty and dirty.count(",") < DIRTY_MAX else set()
    if base is None or (dirty and not marked):
        changed, findings = rows, True
    else:
        changed = [row for row in rows if row.id in marked or base.sides.get(row.id, ()) != side_key(row)]
        findings = FINDINGS in marked or base.findings != findings_key(now, shown_findings)
    if now.key:  # a stored version: the page now equals it
        return Reply(changed, findings, now.key, "")
    if base is None:  # a draft over an unknown page: the next reply sends everything again
        return Reply(changed, findings, "", "")
    ids = [row.id for row in changed] + ([FINDINGS] if findings else [])
    return Reply(changed, findings, base.key, ",".join(ids))
