"""The exported forms read back as placed cells, so that a test can say “the value under
this header, in that row” in any format: (table, row, first grid column, last, value)."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO

import pytest
from docx import Document as open_docx
from docx.table import _Cell
from openpyxl import load_workbook


@dataclass
class Placed:
    table: int
    row: int
    first: int
    last: int
    value: object  # text, or a spreadsheet number


def xlsx_cells(data: bytes) -> list[Placed]:
    book = load_workbook(BytesIO(data))
    out = []
    for number, sheet in enumerate(book.worksheets):
        ends = {(m.min_row, m.min_col): m.max_col for m in sheet.merged_cells.ranges}
        covered = {(r, c) for m in sheet.merged_cells.ranges for r, c in m.cells} - set(ends)
        out += [
            Placed(number, c.row, c.column, ends.get((c.row, c.column), c.column), c.value)
            for row in sheet.iter_rows() for c in row if c.value is not None and (c.row, c.column) not in covered
        ]
    return out


def docx_cells(data: bytes) -> list[Placed]:
    out = []
    for number, table in enumerate(open_docx(BytesIO(data)).tables):
        for r, tr in enumerate(table._tbl.tr_lst):
            column = 0
            for tc in tr.tc_lst:
                if tc.vMerge != "continue":
                    out.append(Placed(number, r, column, column + tc.grid_span - 1, _Cell(tc, table).text))
                column += tc.grid_span
    return out


class _Tables(HTMLParser):
    """Each form section as one grid, rowspans and colspans placed as a browser would."""

    def __init__(self):
        super().__init__()
        self.cells: list[Placed] = []
        self.section, self.row, self.taken, self.current = -1, -1, set(), None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section, self.row, self.taken = self.section + 1, -1, set()
        elif tag == "tr":
            self.row, self.column = self.row + 1, 0
        elif tag in ("td", "th"):
            while (self.row, self.column) in self.taken:
                self.column += 1
            span, down = int(attrs.get("colspan", 1)), int(attrs.get("rowspan", 1))
            self.taken |= {(self.row + i, self.column + j) for i in range(down) for j in range(span)}
            self.current = Placed(self.section, self.row, self.column, self.column + span - 1, "")
            self.column += span

    def handle_data(self, data):
        if self.current is not None:
            self.current.value += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.current is not None:
            self.cells.append(self.current)
            self.current = None


def html_cells(data: bytes) -> list[Placed]:
    parser = _Tables()
    parser.feed(data.decode("utf-8"))
    return parser.cells


def md_cells(data: bytes) -> list[Placed]:
    out, table, row = [], -1, 0
    for line in data.decode("utf-8").split("\n"):
        if not line.startswith("|"):
            table, row = (table, row) if row == 0 else (table, 0)
            continue
        if row == 0:
            table += 1
        if not line.startswith("|---"):
            cells = re.split(r"(?<!\\) \| ", line[2:-2])
            out += [Placed(table, row, c, c, re.sub(r"\\(.)", r"\1", htmllib.unescape(text))) for c, text in enumerate(cells) if text]
            row += 1
    return out


READERS = {"xlsx": xlsx_cells, "docx": docx_cells, "html": html_cells, "md": md_cells}


def row_of(cells: list[Placed], label: str, after: Placed | None = None) -> Placed:
    found = [c for c in cells if c.value == label and (after is None or (c.table, c.row) > (after.table, after.row))]
    assert found, f"no cell “{label}”"
    return found[0]


def under(cells: list[Placed], header: str, label: str, after: Placed | None = None) -> object:
    """The value in the row holding ``label``, in the columns of the nearest ``header`` above."""
    row = row_of(cells, label, after)
    heads = [c for c in cells if c.table == row.table and c.row < row.row and c.value == header]
    assert heads, f"no header “{header}” above “{label}”"
    top = heads[-1]
    found = [c for c in cells if (c.table, c.row) == (row.table, row.row) and top.first <= c.first and c.last <= top.last and c is not row]
    assert len(found) == 1, f"“{label}” under “{header}”: {found}"
    return found[0].value


def right_of(cells: list[Placed], label: str, after: Placed | None = None, spans: bool = True) -> object:
    """The cell right beside ``label``; Markdown keeps no spans, so there the next one filled."""
    row = row_of(cells, label, after)
    found = sorted((c for c in cells if (c.table, c.row) == (row.table, row.row) and c.first > row.last), key=lambda c: c.first)
    assert found and (found[0].first == row.last + 1 or not spans), f"right of “{label}”: {found}"
    return found[0].value


def same(value: object, shown: str) -> bool:
    """A cell's value is the one shown: spreadsheets hold figures, 83.42% as 0.8342."""
    if isinstance(value, (int, float)):
        figure = float(shown.rstrip("%")) / (100 if shown.endswith("%") else 1)
        return value == pytest.approx(figure)
    return value == shown


def pdf_pages(data: bytes, tmp_path) -> list[list[tuple[float, float, float, float, str]]]:
    path = tmp_path / "full.pdf"
    path.write_bytes(data)
    xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [[(float(a), float(b), float(c), float(d), htmllib.unescape(w)) for a, b, c, d, w in word.findall(page)] for page in xml.split("<page ")[1:]]


def pdf_under(pages, header: str, label: str, shown: str) -> None:
    """On the page holding ``label``: ``shown`` is on its line, and left and right of it are
    within the header's column, i.e. between the header words beside ``header``."""
    for words in pages:
        rows = [w for w in words if w[4] == label]
        heads = [w for w in words if w[4] == header and rows and w[1] < rows[0][1]]
        if not rows or not heads:
            continue
        row, top = rows[0], heads[-1]
        middle = (top[1] + top[3]) / 2
        line = sorted((w for w in words if abs((w[1] + w[3]) / 2 - middle) < 12), key=lambda w: w[0])
        i = line.index(top)
        left = line[i - 1][2] if i > 0 else 0
        right = line[i + 1][0] if i + 1 < len(line) else float("inf")
        hits = [w for w in words if w[4] == shown and w[1] < row[3] and w[3] > row[1]]
        assert hits, f"no “{shown}” on the line of “{label}”"
        assert any(left < w[0] and w[2] < right for w in hits), f"“{shown}” at {[w[:3:2] for w in hits]} is not under “{header}” ({left}…{right})"
        return
    raise AssertionError(f"no page holds “{label}” under “{header}”")
