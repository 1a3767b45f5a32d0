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
from dataclasses import replace

from .document import Block, Cell, Document, Paragraph, Table, Where
from .notices import Notice
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
    if notices is not None and not document.tables:
        line = _table_like(lines)
        if line is not None:
            message = (
                f"粘贴的文本中有表格内容（第 {line} 行起），但单元格之间只有空格，无法还原表格的列。"
                "请上传原 .docx/.xlsx 文件，或从 Word 中复制表格（单元格以制表符分隔）后再粘贴。"
            )
            notices.append(Notice.at("unreadable-file", "error", Where(source, line=line), message))
    return document


# ---------------------------------------------------------------- tables that cannot be rebuilt

_LABELS = re.compile(
    r"年初预算数|全年预算数|调整预算数|调整后预算数|全年执行数|预算执行数|执行率|年度指标值|实际完成值|全年实际值"
    r"|一级指标|二级指标|三级指标|指标值|分值|权重|得分"
)
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[，。；]")  # prose that names a form label is not a table row


def _figures(line: str) -> int:
    return sum(1 for token in line.split() if FIGURE.match(token))


def _table_like(lines: list[str]) -> int | None:
    """The first line of what reads as table rows whose cell boundaries are lost: several
    lines of three or more figures, or a line of form labels with figures following."""
    rows: list[int] = []
    for i, line in enumerate(lines):
        if _figures(line) >= 3:
            rows.append(i)
            if len(rows) >= 2:
                return rows[0] + 1
        labels = set(_LABELS.findall(line))
        if not labels or _SENTENCE.search(line) or len(line) > 300:
            continue
        # a header of form labels, with figures on it or in the lines below it
        following = [later for later in lines[i + 1 : i + 6] if later.strip()]
        if _figures(line) or (len(labels) >= 2 and any(_DIGIT.search(later) for later in [line, *following])):
            return (rows[0] if rows else i) + 1
    return None
