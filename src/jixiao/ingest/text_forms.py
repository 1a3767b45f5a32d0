"""Finding tables pasted in forms other than Word's tab-led copy.

Each finder gets the text's lines (line breaks already normalised) and the lines earlier
finders claimed, and returns the regions it recognises as tables: the line span and the rows
of (cell text, 1-based source line). What no finder claims is read as Word's copy or as
paragraphs (``text_word.py``). Finders run in order of how unmistakable their form is:
``|`` rows, then delimited rows (CSV/TSV), then one cell per line.

Every finder is linear in the number of lines: a line is looked at a bounded number of times.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

Row = list[tuple[str, int]]  # (cell text, 1-based source line)


@dataclass
class Region:
    start: int  # 0-based index of the first line claimed
    end: int  # 0-based index after the last line claimed
    rows: list[Row]


def cell_text(text: str) -> str:
    # web pages mark empty cells with &nbsp; or U+3000; strip() treats both as white space
    return text.strip()


# ---------------------------------------------------------------- | rows

_PIPE = re.compile(r"(?<!\\)\|")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_RULE = re.compile(r"^\s*:?-+:?\s*$")


def _pipe_line(line: str) -> bool:
    # a line Word copied starts with a tab even when the cell holds a |
    return not line.startswith("\t") and _PIPE.search(line) is not None


def _pipe_parts(line: str, outer: bool) -> list[str]:
    stripped = line.strip()
    parts = _PIPE.split(stripped)
    if outer:
        if stripped.startswith("|"):
            parts = parts[1:]
        if stripped.endswith("|") and not stripped.endswith("\\|") and parts:
            parts = parts[:-1]
    return parts


def _rule(line: str, first: bool) -> bool:
    """The |---|---| line under a Markdown header, outer pipes or not whatever the rows do;
    a row of lone dashes only right under the first row (elsewhere it is a row of n/a)."""
    parts = _PIPE.split(line.strip().strip("|"))
    dashes = 1 if first else 3
    return all(_RULE.match(p) and p.count("-") >= dashes for p in parts)


def pipe_tables(lines: list[str], claimed: list[bool]) -> list[Region]:
    regions: list[Region] = []
    i, n = 0, len(lines)
    while i < n:
        if claimed[i] or not _pipe_line(lines[i]):
            i += 1
            continue
        j = i
        while j < n and not claimed[j] and _pipe_line(lines[j]):
            j += 1
        # a one-cell header has no | of its own; the rule under it shows it belongs
        if i > 0 and lines[i - 1].strip() and not claimed[i - 1] and not lines[i - 1].startswith("\t") and _rule(lines[i], first=True):
            i -= 1
        run = range(i, j)
        # outer pipes are decided per table, so that an empty last cell of a table without
        # them (`a | b | `) is not taken for a closing pipe
        body = [k for k in run if not _rule(lines[k], first=k == i + 1)]
        # outer pipes where rows open *and* close with one: “ | 1 | 2” is a blank first cell
        outer = sum(lines[k].strip().startswith("|") and lines[k].strip().endswith("|") for k in body) * 2 > len(body)
        rows: list[Row] = _cell_per_line(lines, body) or []
        for k in body if not rows else ():
            parts = [cell_text(_BR.sub("\n", p).replace("\\|", "|")) for p in _pipe_parts(lines[k], outer)]
            while len(parts) > 1 and not parts[-1]:
                parts.pop()  # web pages collapse a row's empty cells into a run of pipes at its end: they say nothing
            rows.append([(text, k + 1) for text in parts])
        rows = [row for row in rows if row]
        if rows and (len(run) >= 2 or len(rows[0]) >= 3):
            regions.append(Region(i, j, rows))
        i = j
    return regions


_ONE_CELL = re.compile(r"^\s*([^|]*?)\s*\|\s*$")
_PIPES = re.compile(r"^\s*\|\s*(\|\s*)+$")


def _cell_per_line(lines: list[str], body: list[int]) -> list[Row] | None:
    """A page's table flattened to one cell per line, each ended by ``|``: a run of ``||||``
    closes a row (its empty cells collapsed), a lone ``|`` after it opens the next, and so does
    one after a row already as wide as the widest before it; any other lone ``|`` is an empty cell. None when the run is not
    of that form, or its rows are not marked and so cannot be told apart."""
    if not body or not all(_ONE_CELL.match(lines[k]) or _PIPES.match(lines[k]) for k in body):
        return None
    if not any(_PIPES.match(lines[k]) for k in body) or not any(lines[k].strip() == "|" for k in body):
        return None
    rows: list[Row] = []
    row: Row = []
    widest = 0
    closed = True  # a lone | after a run of pipes, at the start, or after a row as wide as any before opens a row
    for k in body:
        text = lines[k].strip()
        if _PIPES.match(lines[k]) or (text == "|" and (closed or len(row) >= max(widest, 2))):
            if row:
                rows.append(row)
                widest = max(widest, len(row))
            row, closed = [], bool(_PIPES.match(lines[k]))  # after an opening |, a lone | is an empty cell
            continue
        closed = False
        if text == "|":
            row.append(("", k + 1))
        else:
            row.append((cell_text(_BR.sub("\n", _ONE_CELL.match(lines[k]).group(1))), k + 1))  # type: ignore[union-attr]
    if row:
        rows.append(row)
    return rows


# ---------------------------------------------------------------- CSV and TSV

_DELIMITERS = ("\t", ",", ";")  # in order of preference when they cover the same lines
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")
_MAX_RECORD_LINES = 50  # an unbalanced quote must not swallow the rest of the file


def _records(lines: list[str], claimed: list[bool], start: int, delimiter: str) -> list[tuple[int, int, list[str]]]:
    """(first line, end line, fields) for each record from ``start`` to the first blank line
    outside quotes; a quoted field may hold line breaks, blank lines included."""
    position = [start]
    record_start = [start]

    def feed() -> Iterator[str]:
        while position[0] < len(lines) and not claimed[position[0]] and position[0] - record_start[0] < _MAX_RECORD_LINES:
            position[0] += 1
            yield lines[position[0] - 1] + "\n"

    reader = csv.reader(feed(), delimiter=delimiter, strict=False)
    out: list[tuple[int, int, list[str]]] = []
    while True:
        record_start[0] = position[0]
        try:
            fields = next(reader)
        except (StopIteration, csv.Error):
            return out
        if not fields:
            return out
        out.append((record_start[0], position[0], fields))


def _qualifies(first_line: str, raw: str, fields: list[str], delimiter: str) -> bool:
    if len(fields) < 2:
        return False
    if delimiter == "\t":
        # Word's copy puts one tab before each cell; a delimited row has a tab after text
        return "\t" in first_line.removeprefix("\t")
    if first_line.startswith("\t"):
        return False
    # 1,234.56 written in prose or in a tab-led cell is a number, not two fields
    return delimiter != "," or '"' in raw or not _THOUSANDS.search(raw)


def _runs(lines: list[str], records: list[tuple[int, int, list[str]]], delimiter: str) -> list[list[tuple[int, int, list[str]]]]:
    runs: list[list[tuple[int, int, list[str]]]] = []
    current: list[tuple[int, int, list[str]]] = []
    for record in records:
        first, end, fields = record
        raw = "\n".join(lines[first:end])
        ok = _qualifies(lines[first], raw, fields, delimiter)
        # a browser's TSV keeps merged cells out, so its rows vary in width; CSV rows do not
        if ok and current and delimiter != "\t" and len(fields) != len(current[0][2]):
            runs.append(current)
            current = []
        if ok:
            current.append(record)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)

    def enough(run: list[tuple[int, int, list[str]]]) -> bool:
        if delimiter == "\t":
            return len(run) >= 2
        width = len(run[0][2])
        return len(run) >= (2 if width >= 3 else 3)

    return [run for run in runs if enough(run)]


def _region(run: list[tuple[int, int, list[str]]]) -> Region:
    rows: list[Row] = []
    for first, _, fields in run:
        line, row = first + 1, []
        for field in fields:
            row.append((cell_text(field), line))
            line += field.count("\n")  # a quoted field's line breaks move the next cell down
        rows.append(row)
    return Region(run[0][0], run[-1][1], rows)


def delimited_tables(lines: list[str], claimed: list[bool]) -> list[Region]:
    regions: list[Region] = []
    i, n = 0, len(lines)
    while i < n:
        if claimed[i] or not lines[i] or not any(d in lines[i] for d in _DELIMITERS):
            i += 1
            continue
        best: list[Region] = []
        covered = 0
        for delimiter in _DELIMITERS:
            found = [_region(run) for run in _runs(lines, _records(lines, claimed, i, delimiter), delimiter)]
            lines_covered = sum(r.end - r.start for r in found)
            if lines_covered > covered:
                best, covered = found, lines_covered
        block_end = i
        while block_end < n and lines[block_end] and not claimed[block_end]:
            block_end += 1
        regions += best
        i = max([block_end] + [r.end for r in best])
    return regions


# ---------------------------------------------------------------- one cell per line

MAX_CELL_LINE = 60
_NEVER_CELL = re.compile(r"^\s*(附件\s*\d*[：:]?\s*$|填表人|说明[：:])")
_TITLE = re.compile(r"^\s*\S.{0,40}(表|报告)\s*$")
FIGURE = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")
_SENTENCE_END = re.compile(r"[。；！？]\s*$")


def _row_like(group: list[str]) -> bool:
    """Whether a blank-parted group of lines can be a row. Word's copy (tabs), notes and
    signature lines, and a lone title or long line are paragraphs: a title row alone above
    a web table cannot be told from a title paragraph, and Word's copy keeps titles out."""
    if any("\t" in line or _NEVER_CELL.match(line) for line in group):
        return False
    if len(group) == 1:
        return len(group[0].strip()) <= MAX_CELL_LINE and not _TITLE.match(group[0])
    return sum(len(line.strip()) <= MAX_CELL_LINE for line in group) * 2 >= len(group)


def _accept(groups: list[tuple[int, int]], lines: list[str]) -> bool:
    """Most rows have several cells and most cells are short; and, since a report's cover
    page or a narrative typed one paragraph a line looks the same, the forms' tables give
    themselves away by figures and empty cells, and prose by lines ending a sentence."""
    if len(groups) < 3:
        return False
    texts = [lines[k].strip() for start, end in groups for k in range(start, end)]
    multi = sum(end - start >= 2 for start, end in groups)
    short = sum(len(t) <= MAX_CELL_LINE for t in texts)
    figures = sum(not t or FIGURE.match(t) is not None for t in texts)
    sentences = sum(_SENTENCE_END.search(t) is not None for t in texts)
    total = len(texts)
    return multi * 2 > len(groups) and short * 3 >= total * 2 and figures * 10 >= total and figures >= 2 and sentences * 3 <= total


def line_tables(lines: list[str], claimed: list[bool]) -> list[Region]:
    """Rows parted by truly empty lines, one cell a line; a line of white space only
    (&nbsp;, U+3000) is an empty cell."""
    regions: list[Region] = []
    run: list[tuple[int, int]] = []

    def close() -> None:
        if _accept(run, lines):
            rows = [[(cell_text(lines[k]), k + 1) for k in range(start, end)] for start, end in run]
            regions.append(Region(run[0][0], run[-1][1], rows))
        run.clear()

    i, n = 0, len(lines)
    while i < n:
        if claimed[i]:
            close()
            i += 1
            continue
        if not lines[i]:
            i += 1
            continue
        j = i
        while j < n and lines[j] and not claimed[j]:
            j += 1
        if _row_like(lines[i:j]):
            run.append((i, j))
        else:
            close()
        i = j
    close()
    return regions


FINDERS = (pipe_tables, delimited_tables, line_tables)
