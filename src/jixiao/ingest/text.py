"""Reading pasted text: whichever form its tables take, region by region (LAYOUTS.md).

People paste what they have: Word's copy (a cell a tab-led line, GUIDE §2), a web page's
table (one cell per line, rows parted by empty lines, empty cells as &nbsp;), ``|`` rows or
a Markdown table, CSV or TSV from a spreadsheet. A report often mixes prose and tables, so
the form is decided per region: the finders of ``text_forms.py`` claim the tables they are
sure of, and every stretch they leave is read as Word's copy and paragraphs by
``text_word.py`` — which therefore reads a whole Word copy exactly as it always has.

Text whose cells cannot be told apart (joined by single spaces, OCR output) yields no
table; rather than an empty result, one error notice then asks for the original file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import replace

from .document import Block, Cell, Document, Paragraph, Table, Where
from .notices import Notice
from .vocabulary import default_vocabulary
from .text_forms import FIGURE, FINDERS, Region
from .text_word import read_word_text

MAX_LINE = 100_000


def _lines(text: str, source: str, notices: list[Notice] | None) -> list[str]:
    # the same line breaks Word's reader knows: CRLF, CR, and U+2028/2029 from web pages
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n").split("\n")
    long = [i for i, line in enumerate(lines) if len(line) > MAX_LINE]
    for i in long:
        lines[i] = lines[i][:MAX_LINE]
    if long and notices is not None:
        more = f"等 {len(long)} 行" if len(long) > 1 else ""
        message = f"第 {long[0] + 1} 行{more}超过 {MAX_LINE} 个字符，超出部分未读取"
        notices.append(Notice.at("unreadable-file", "warning", Where(source, line=long[0] + 1), message))
    return lines


def _regions(lines: list[str]) -> list[Region]:
    claimed = [False] * len(lines)
    regions: list[Region] = []
    for finder in FINDERS:
        for region in finder(lines, claimed):
            claimed[region.start : region.end] = [True] * (region.end - region.start)
            regions.append(region)
    return sorted(regions, key=lambda r: r.start)


class _Numbering:
    """Tables and paragraphs numbered across the regions, lines counted from the file's top."""

    def __init__(self, source: str):
        self.source = source
        self.tables = 0
        self.paragraphs = 0
        self.blocks: list[Block] = []

    def table(self, region: Region) -> None:
        if not any(region.rows):
            return
        self.tables += 1
        rows = [
            [Cell(text, Where(self.source, table=self.tables, row=i, column=j, line=line)) for j, (text, line) in enumerate(row, 1)]
            for i, row in enumerate(region.rows, 1)
        ]
        self.blocks.append(Table(rows, Where(self.source, table=self.tables, line=region.rows[0][0][1])))

    def word(self, lines: list[str], offset: int) -> None:
        for block in read_word_text("\n".join(lines), self.source).blocks:
            if isinstance(block, Paragraph):
                self.paragraphs += 1
                where = replace(block.where, paragraph=self.paragraphs, line=block.where.line + offset)
                self.blocks.append(Paragraph(block.text, where))
            else:
                self.tables += 1
                rows = [[replace(c, where=replace(c.where, table=self.tables, line=c.where.line + offset)) for c in row] for row in block.rows]
                self.blocks.append(replace(block, rows=rows, where=replace(block.where, table=self.tables, line=block.where.line + offset)))


def read_text(text: str, source: str, notices: list[Notice] | None = None) -> Document:
    lines = _lines(text, source, notices)
    regions = _regions(lines)
    if not regions:
        document = read_word_text("\n".join(lines), source)
    else:
        numbering = _Numbering(source)
        position = 0
        for region in regions:
            if region.start > position:
                numbering.word(lines[position : region.start], position)
            numbering.table(region)
            position = region.end
        if position < len(lines):
            numbering.word(lines[position:], position)
        document = Document(source, numbering.blocks)
    if notices is not None and not any(_labelled(table) for table in document.tables):
        line = _table_like(lines)
        if line is not None:
            message = (
                f"粘贴的文本中有表格内容（第 {line} 行起），但单元格之间没有分隔（只有空格，或是扫描识别的文字），"
                "无法还原表格的行和列。请上传原 .docx/.xlsx 文件，或从 Word 中复制表格（单元格以制表符分隔）后再粘贴。"
            )
            notices.append(Notice.at("unreadable-file", "error", Where(source, line=line), message))
    return document


# ---------------------------------------------------------------- tables that cannot be rebuilt



@lru_cache(maxsize=1)
def _labels() -> re.Pattern[str]:
    """The column labels of the funds block and the indicator grid, from the vocabulary."""
    words = default_vocabulary().written
    plain = {t for group in ("fund.columns", "grid.columns") for labels in words.get(group, {}).values() for t in labels if not t.startswith("/")}
    return re.compile("|".join(re.escape(t) for t in sorted(plain, key=len, reverse=True) if len(t) >= 2))
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[，。；]")  # prose that names a form label is not a table row


def _labelled(table: Table) -> bool:
    """Whether a table built from the text has a cell that is a form's label: a table of
    commas split out of scanned prose has none."""
    words = default_vocabulary()
    return any(
        words.key(group, cell.text, prefix=False)
        for row in table.rows for cell in row if cell.text.strip()
        for group in ("form.names", "fund.columns", "grid.columns", "base.anchors", "scorecard.columns")
    )


def _figures(line: str) -> int:
    return sum(1 for token in line.split() if FIGURE.match(token))


def _table_like(lines: list[str]) -> int | None:
    """The first line of what reads as table rows whose cell boundaries are lost: several
    lines of three or more figures, or a line of form labels with figures following."""
    rows: list[int] = []
    alone = [i for i, line in enumerate(lines) if line.strip() and _labels().fullmatch(line.strip())]
    if len({lines[i].strip() for i in alone}) >= 4 and sum(1 for line in lines if FIGURE.match(line.strip()) and _DIGIT.search(line)) >= 5:
        return alone[0] + 1  # labels and figures each on a line of their own, rows no longer told apart
    for i, line in enumerate(lines):
        figures = _figures(line)
        if figures >= 3:
            rows.append(i)
            if len(rows) >= 2 or figures >= 6:  # several rows, or a whole table run into one line
                return rows[0] + 1
        labels = set(_labels().findall(line))
        if len(labels) >= 3 and _DIGIT.search(line):
            return (rows[0] if rows else i) + 1  # a header's labels glued together, figures and all (OCR)
        if not labels or _SENTENCE.search(line) or len(line) > 300:
            continue
        # a header of form labels, with figures on it or in the lines below it
        following = [later for later in lines[i + 1 : i + 6] if later.strip()]
        if _figures(line) or (len(labels) >= 2 and any(_DIGIT.search(later) for later in [line, *following])):
            return (rows[0] if rows else i) + 1
    return None
