"""The neutral document every reader produces and every form recogniser reads.

Paragraphs and tables in document order. A table is a list of rows of *logical* cells,
the way a person reads the form: a horizontally merged cell is one cell, and the cells a
vertical merge covers are present but empty (``merged=True`` where the reader knows it).
Where the file records the grid (.docx gridSpan, .xlsx merged ranges) each cell also knows
the grid columns it covers (``col``, ``span``), and the table says so (``grid=True``):
recognisers then read a body cell under the header whose span covers it. Text has no grid;
its rows are aligned to their header by what the cells hold (``ingest/align.py``).
Every cell and paragraph knows where it came from, for notices.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Where:
    """A position in the source, phrased for the user."""

    file: str
    table: int | None = None  # 1-based, in document order
    row: int | None = None  # 1-based within the table
    column: int | None = None  # 1-based logical cell within the row
    line: int | None = None  # text files: 1-based line
    sheet: str | None = None  # workbooks
    cell: str | None = None  # workbooks: A1 reference
    paragraph: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.table is not None:
            parts.append(f"第 {self.table} 个表格")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"第 {self.column} 格")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        if self.paragraph is not None:
            parts.append(f"第 {self.paragraph} 段")
        if self.line is not None:
            parts.append(f"（源文件第 {self.line} 行）")
        return "，".join(parts)


@dataclass
class Cell:
    text: str
    where: Where
    merged: bool = False
    nested: list[Table] = field(default_factory=list)
    col: int | None = None  # first grid column covered (0-based), where the file records a grid
    span: int = 1  # grid columns covered


@dataclass
class Table:
    rows: list[list[Cell]]
    where: Where
    grid: bool = False  # every cell's col/span is known


@dataclass
class Paragraph:
    text: str
    where: Where


Block = Paragraph | Table


@dataclass
class Document:
    source: str
    blocks: list[Block]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
