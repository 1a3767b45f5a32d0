"""What a live edit's reply must carry: only the side cells (and the findings list) that differ
from what the page shows, instead of all of them (a city package's were 110 kB per keystroke).

The page tells what it shows: ``shown``, the key of the analysis it was rendered from (or last
brought up to date with), and ``dirty``, the rows a preview has since changed. Invariant: the
page equals the ``shown`` analysis except on the ``dirty`` rows. A reply rendering state T sends
the rows where T differs from ``shown``, and the dirty ones; afterwards the page equals T. When
``shown`` is unknown (evicted, or never sent), every row is sent."""

from __future__ import annotations

from dataclasses import dataclass

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


# The side cells of the pages this worker rendered lately, by analysis and part: the next edit
# on such a page names that analysis as ``shown``, and would otherwise build its sheets again.
_sides = Lru(256, max_weight=200_000)


def remember(analysis, part: int, shown: list[Sheet]) -> None:
    """Note what a page rendered from a stored analysis shows (drafts have no key)."""
    if analysis.key:
        rows = _rows(shown)
        _sides.put((analysis.key, part), {row.id: side_key(row) for row in rows}, len(rows))


def _sides_of(analysis, part: int) -> dict:
    sides = _sides.get((analysis.key, part))
    if sides is None:
        sides = {row.id: side_key(row) for row in _rows(page_sheets(analysis, part))}
    return sides


def reply(now, now_sheets: list[Sheet], base, part: int, dirty: str, shown_findings: int) -> Reply:
    """``now`` is the analysis rendered (a stored version, or a draft with an empty key);
    ``base`` the analysis the page shows (None when unknown)."""
    rows = _rows(now_sheets)
    marked = set(dirty.split(",")) if dirty and dirty.count(",") < DIRTY_MAX else set()
    if base is None or (dirty and not marked):
        changed, findings = rows, True
    else:
        before = _sides_of(base, part)
        changed = [row for row in rows if row.id in marked or before.get(row.id, ()) != side_key(row)]
        findings = FINDINGS in marked or findings_key(base, shown_findings) != findings_key(now, shown_findings)
    if now.key:  # a stored version: the page now equals it
        return Reply(changed, findings, now.key, "")
    if base is None:  # a draft over an unknown page: the next reply sends everything again
        return Reply(changed, findings, "", "")
    ids = [row.id for row in changed] + ([FINDINGS] if findings else [])
    return Reply(changed, findings, base.key, ",".join(ids))
