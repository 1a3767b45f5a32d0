"""A PDF's tables read back as cells with their ruled boxes, so that a test can say where a
cell's text lies between the table's lines, not merely where its words are.

Words and their boxes come from ``pdftotext -bbox``; the rules from the page drawn by
``pdftoppm``: a rule is a run of dark pixels longer than any stroke of the 9–10 pt text
(the title's strokes lie outside every table). A word's cell is the box of the nearest
rules around it; the words sharing a box are one cell, read line by line.
"""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops

SCALE = 2  # pixels per point: pdftoppm at 144 dpi
RULE = 12 * SCALE  # a rule runs at least 12 pt; a 9 pt glyph's stroke is shorter
DARK = 128

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Cell:
    page: int  # 0-based
    box: tuple[float, float, float, float]  # left, top, right, bottom, in points
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words line by line (a line: words whose middles lie within 4 pt), no spaces."""
        lines: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.y0 + w.y1) / 2):
            middle = (word.y0 + word.y1) / 2
            if lines and abs(middle - (lines[-1][0].y0 + lines[-1][0].y1) / 2) < 4:
                lines[-1].append(word)
            else:
                lines.append([word])
        return "".join(w.text for line in lines for w in sorted(line, key=lambda w: w.x0))


def _runs(binary: Image.Image, length: int, vertical: bool) -> Image.Image:
    """The pixels covered by a run of at least ``length`` dark pixels along one direction."""

    def shift(image: Image.Image, by: int) -> Image.Image:
        return ImageChops.offset(image, 0, by) if vertical else ImageChops.offset(image, by, 0)

    # erode: a pixel stays dark when the ``length`` pixels from it on are dark …
    start, covered = binary, 1
    while covered < length:
        step = min(covered, length - covered)
        start = ImageChops.darker(start, shift(start, -step))
        covered += step
    # … then dilate back over the run it starts
    whole, covered = start, 1
    while covered < length:
        step = min(covered, length - covered)
        whole = ImageChops.lighter(whole, shift(whole, step))
        covered += step
    return whole


class Rules:
    """The vertical and horizontal rules of one page drawing."""

    def __init__(self, path: Path):
        gray = Image.open(path).convert("L")
        binary = gray.point(lambda v: 255 if v < DARK else 0)
        self.vertical = _runs(binary, RULE, vertical=True)
        self.horizontal = _runs(binary, RULE, vertical=False)
        self.width, self.height = gray.size

    def _row(self, y: float) -> bytes:
        y = min(max(int(y * SCALE), 0), self.height - 1)
        return self.vertical.crop((0, y, self.width, y + 1)).tobytes()

    def _column(self, x: float) -> bytes:
        x = min(max(int(x * SCALE), 0), self.width - 1)
        return self.horizontal.crop((x, 0, x + 1, self.height)).tobytes()

    def box(self, word: Word) -> tuple[float, float, float, float] | None:
        """The ruled box around a word, or None for a word outside every table."""
        row, column = self._row((word.y0 + word.y1) / 2), self._column((word.x0 + word.x1) / 2)
        left = row.rfind(255, 0, int(word.x0 * SCALE) + 1)
        right = row.find(255, int(word.x1 * SCALE))
        top = column.rfind(255, 0, int(word.y0 * SCALE) + 1)
        bottom = column.find(255, int(word.y1 * SCALE))
        if min(left, right, top) < 0:
            return None
        # the run's middle pixel as the rule's place, to the point; one box for all its words.
        # A cell the page break cuts (a vertical merge running on) has no rule below it here.
        lower = _edge(column, bottom, 1) if bottom >= 0 else self.height
        return tuple(round(v / SCALE) for v in (_edge(row, left, -1), _edge(column, top, -1), _edge(row, right, 1), lower))

    def crosses(self, word: Word) -> bool:
        """A rule runs through the word: its text overflows the cell."""
        row = self._row((word.y0 + word.y1) / 2)
        return row.find(255, int(word.x0 * SCALE) + 2, int(word.x1 * SCALE) - 1) >= 0


def _edge(line: bytes, at: int, direction: int) -> float:
    """The middle of the run of rule pixels ``at`` belongs to (a rule is 1–2 pixels wide)."""
    end = at
    while 0 <= end + direction < len(line) and line[end + direction] == 255:
        end += direction
    return (at + end) / 2


@dataclass
class Page:
    number: int
    words: list[Word]
    cells: list[Cell]  # in reading order of their boxes: top, then left
    overflowing: list[Word]


def read_pdf(data: bytes, folder: Path) -> list[Page]:
    """Every page's words, and its table cells with the words inside each."""
    pdf = folder / "forms.pdf"
    pdf.write_bytes(data)
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-r", str(72 * SCALE), "-gray", str(pdf), str(folder / "page")], check=True)
    images = sorted(folder.glob("page-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    chunks = xml.split("<page ")[1:]
    assert len(images) == len(chunks), "pdftoppm and pdftotext disagree on the pages"
    pages = []
    for number, (chunk, image) in enumerate(zip(chunks, images, strict=True)):
        words = [Word(float(a), float(b), float(c), float(d), htmllib.unescape(t)) for a, b, c, d, t in _WORD.findall(chunk)]
        rules = Rules(image)
        boxes: dict[tuple, Cell] = {}
        for word in words:
            box = rules.box(word)
            if box is not None:
                boxes.setdefault(box, Cell(number, box)).words.append(word)
        cells = sorted(boxes.values(), key=lambda c: (c.box[1], c.box[0]))
        pages.append(Page(number, words, cells, [w for w in words if rules.box(w) is not None and rules.crosses(w)]))
        image.unlink()
    return pages
