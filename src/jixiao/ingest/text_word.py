"""Reading text copied out of Word (GUIDE §2): the tab-led form, and the paragraphs around it.

``ingest/text.py`` hands this reader every stretch of pasted text that is not a table of
another form (``ingest/text_forms.py``), so its behaviour on Word's copy stays exactly as
it was when it read whole files.

A table cell is a line that starts with a tab, continued by lines without one; a blank line
ends a row; merged cells show as empty cells or collapse. Blank lines also occur *inside*
cells (empty paragraphs used for layout), so two rules decide what a blank run means:

* before a tab-led line it ends the row, unless the cell before it had continuation lines
  and the row is still narrower than the table — the blank lines were then the cell's own;
* before an untabbed line it is the same cell continuing, unless that line reads like a
  document-level paragraph (附件…, 填表人…, 说明：…, a form title ending in 表) or the open
  cell already completes its row.

When the table is complete its usual width is known, and two repairs use it: a row wider
than usual is split at its widest blank gap, and a lone cell that brings its neighbour
row exactly to the usual width is put back into it (a cell's trailing empty paragraph).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .document import Block, Cell, Document, Paragraph, Table, Where

_PARAGRAPH = re.compile(
    r"^\s*(附件\s*\d*|填表人|说明[：:]|单位名称|主要负责人|填报单位|备注[：:])"
    r"|^\s*\S.{0,40}(表|报告)\s*$"
)


def _blank(line: str) -> bool:
    return not line.startswith("\t") and not line.strip(" \u3000\r")


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.blocks: list[Block] = []
        self.rows: list[list[Cell]] | None = None
        self.row: list[Cell] = []
        self.gaps: list[list[int]] = []  # blank lines before each cell, parallel to rows
        self.row_gaps: list[int] = []
        self.gap = 0
        self.lines: list[str] = []
        self.cell_line = 0
        self.width = 0
        self.paragraphs = 0
        self.tables = 0  # counted, not recounted from the blocks per cell, to stay linear

    def where(self, line: int, column: int | None = None) -> Where:
        row = len(self.rows or []) + 1
        return Where(self.source, table=self.tables + 1, row=row, column=column, line=line)

    def close_cell(self) -> None:
        if self.lines:
            text = "\n".join(self.lines).rstrip("\n")
            self.row.append(Cell(text, self.where(self.cell_line, len(self.row) + 1)))
            self.row_gaps.append(self.gap)
            self.lines = []

    def close_row(self) -> None:
        self.close_cell()
        if self.row and self.rows is not None:
            self.rows.append(self.row)
            self.gaps.append(self.row_gaps)
            self.width = max(self.width, len(self.row))
        self.row, self.row_gaps = [], []

    def close_table(self) -> None:
        self.close_row()
        if self.rows:
            self.tables += 1
            number = self.tables
            rows = _repair(self.rows, self.gaps)
            rows = [[replace(c, where=replace(c.where, row=i, column=j)) for j, c in enumerate(r, 1)] for i, r in enumerate(rows, 1)]
            self.blocks.append(Table(rows, Where(self.source, table=number, line=rows[0][0].where.line)))
        self.rows, self.gaps = None, []
        self.width = 0

    def ends_table(self, line: str) -> bool:
        """After blank lines, an untabbed line starts a paragraph if it reads like one, or if
        the open cell is the last of a full row (there is no cell left for it to continue)."""
        return bool(_PARAGRAPH.search(line)) or (self.width > 0 and len(self.row) + 1 >= self.width)

    def paragraph(self, text: str, line: int) -> None:
        self.paragraphs += 1
        self.blocks.append(Paragraph(text.rstrip("\r"), Where(self.source, paragraph=self.paragraphs, line=line)))


def read_word_text(text: str, source: str) -> Document:
    builder = _Builder(source)
    blanks = 0
    continued = False  # the open cell has lines after the one that opened it
    # Word on Windows ends lines with CRLF, old Mac tools with CR; U+2028 is a line break pasted from web pages
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        if _blank(raw):
            blanks += 1
            continue
        if raw.startswith("\t"):
            if builder.rows is None:
                builder.rows = []
            elif blanks and (not continued or len(builder.row) + 1 >= builder.width):
                builder.close_row()
            else:
                builder.lines.extend([""] * blanks)
            builder.close_cell()
            builder.lines, builder.cell_line, continued = [raw[1:]], number, False
            builder.gap = blanks
        elif builder.rows is not None and builder.lines and not (blanks and builder.ends_table(raw)):
            builder.lines.extend([""] * blanks + [raw])
            continued = True
        else:
            builder.close_table()
            builder.paragraph(raw, number)
        blanks = 0
    builder.close_table()
    return Document(source, builder.blocks)


def _repair(rows: list[list[Cell]], gaps: list[list[int]]) -> list[list[Cell]]:
    widths = Counter(len(r) for r in rows if len(r) > 1)
    if not widths:
        return rows
    usual = widths.most_common(1)[0][0]
    split: list[tuple[list[Cell], list[int]]] = []
    for row, gap in zip(rows, gaps, strict=True):
        others = set(widths) - {len(row)}  # widths the table's other rows have
        parts = _partition(gap, others) if len(row) > usual and others else None
        if parts:  # rows run together: part them where blank lines stood, into widths the table has
            split += [(row[a:b], gap[a:b]) for a, b in zip([0, *parts], [*parts, len(row)], strict=True)]
            continue
        cuts = [j for j in range(1, len(row)) if gap[j] and j <= usual and len(row) - j <= usual]
        if len(row) > usual and cuts:
            cut = max(cuts, key=lambda j: (gap[j], j))
            split += [(row[:cut], gap[:cut]), (row[cut:], gap[cut:])]
        else:
            split.append((row, gap))
    out: list[list[Cell]] = []
    pending: list[Cell] | None = None
    for i, (row, _) in enumerate(split):
        if pending is not None:
            row, pending = pending + row, None
        elif len(row) == 1 and out and len(out[-1]) + 1 == usual:
            out[-1] = out[-1] + row
            continue
        elif len(row) == 1 and i + 1 < len(split) and len(split[i + 1][0]) + 1 == usual:
            pending = row
            continue
        out.append(row)
    return out


def _partition(gap: list[int], known: set[int]) -> list[int] | None:
    """Cut points, at blank lines, that part a row into the fewest rows of widths the table
    has elsewhere; None when there are none."""
    n = len(gap)
    best: list[list[int] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(end):
            if best[start] is None or end - start not in known or (start and not gap[start]):
                continue
            candidate = [*best[start], start] if start else []
            if best[end] is None or len(candidate) < len(best[end]):
                best[end] = candidate
    return best[n] or None
