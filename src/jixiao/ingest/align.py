"""Which cell of a body row stands under which header cell.

Where the file records the grid (.docx, .xlsx) this is geometry: a body cell is under the
header cell whose span covers its first column. Text has no grid: a horizontally merged
cell is one cell, and a browser's copy drops the cells a vertical merge covers, so a row
may be shorter than its header on either side. Its cells are then aligned to the header
in order by what they hold (figures under figure columns, words under label and text
columns), each cell covering one or more header columns; the cheapest alignment wins, and
of equals the one that keeps cells furthest left.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from .document import Cell

Kind = Literal["block", "label", "number", "rate", "value", "text", "mark", "any"]

_FIGURE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?%?$")
_DASHES = {"/", "／", "—", "——", "-", "－", "无", "\\"}

# cost of a cell of each sort under a column of each kind
# (a "block" column holds a heading merged down its block: body rows rarely have words there;
# a "mark" column a short mark: ≥, 定性, %, 是; a "rate" column a percentage)
_COST: dict[str, dict[str, float]] = {
    "empty": {"block": 0.0, "label": 0.0, "number": 0.0, "rate": 0.0, "value": 0.0, "text": 0.0, "mark": 0.0, "any": 0.0},
    "dash": {"block": 0.5, "label": 0.5, "number": 0.0, "rate": 0.0, "value": 0.0, "text": 0.2, "mark": 0.3, "any": 0.1},
    "number": {"block": 1.5, "label": 1.5, "number": 0.0, "rate": 0.3, "value": 0.4, "text": 0.8, "mark": 1.5, "any": 0.3},
    "percent": {"block": 1.5, "label": 1.5, "number": 0.9, "rate": 0.0, "value": 0.2, "text": 0.8, "mark": 1.5, "any": 0.3},
    "short": {"block": 1.0, "label": 0.2, "number": 3.0, "rate": 3.0, "value": 0.0, "text": 0.1, "mark": 0.0, "any": 0.1},
    "text": {"block": 1.0, "label": 0.0, "number": 3.0, "rate": 3.0, "value": 0.0, "text": 0.0, "mark": 1.0, "any": 0.1},
}
# per extra header column a cell covers; an empty cell's is a little over a leading skip's,
# so that cells a browser dropped on the left are not taken for an empty merge in the middle
_SPAN = {"empty": 0.55, "dash": 0.6, "number": 2.0, "percent": 2.0, "short": 0.9, "text": 0.9}  # per extra header column a cell covers
_SKIP_LEAD, _SKIP_TRAIL, _SKIP_MIDDLE = 0.5, 0.3, 1.2  # a header column with no cell of its own (trailing blanks are dropped first)
_CROWD = 1.5  # per extra cell crowded under one header column
MAX_ALIGNED = 24  # cells or header columns past which a row is read in order (the widest form has about 15)


def sort_of(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "").replace("\n", "")
    if not value:
        return "empty"
    if value in _DASHES:
        return "dash"
    if _FIGURE.match(value) and any(ch.isdigit() for ch in value):
        return "percent" if value.endswith("%") else "number"  # a rate is steered to a rate column
    return "short" if len(value) <= 5 else "text"


def gridded(*rows: list[Cell]) -> bool:
    return all(cell.col is not None for row in rows for cell in row)


def under(row: list[Cell], header: list[Cell], kinds: list[Kind]) -> list[Cell | None]:
    """For each header cell, the body cell read under it (None where nothing starts under it)."""
    if gridded(row, header):
        out: list[Cell | None] = []
        for head in header:
            start, end = head.col, head.col + head.span  # type: ignore[operator]
            out.append(next((c for c in row if start <= c.col < end), None))  # type: ignore[operator]
        return out
    if len(row) == len(header):
        return list(row)
    end = len(row)
    while end > 1 and sort_of(row[end - 1].text) == "empty":
        end -= 1  # a pasted row's trailing blanks (“| |||”) hold nothing to place
    if end > MAX_ALIGNED or len(kinds) > MAX_ALIGNED:
        # no form is this wide: read the cells in order rather than spend cubic time on them
        return [*row[: len(kinds)], *[None] * (len(kinds) - len(row))]
    return _aligned(row[:end], kinds)


def _aligned(row: list[Cell], kinds: list[Kind]) -> list[Cell | None]:
    n, w = len(row), len(kinds)
    sorts = [sort_of(c.text) for c in row]
    inf = float("inf")
    # best[i][j]: cheapest way to place the first i cells over the first j header columns
    best = [[inf] * (w + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int] | None]] = [[None] * (w + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(w + 1):
            here = best[i][j]
            if here == inf:
                continue
            # one cell over k header columns
            if i < n:
                for k in range(1, w - j + 1):
                    cost = here + _COST[sorts[i]][kinds[j]] + (k - 1) * _SPAN[sorts[i]]
                    if cost < best[i + 1][j + k] - 1e-9:
                        best[i + 1][j + k], step[i + 1][j + k] = cost, (i, j)
                # several cells crowded under one column (a row wider than its header)
                crowd = _COST[sorts[i]][kinds[j]] if j < w else 0.0
                for m in range(2, n - i + 1):
                    if j >= w:
                        break
                    crowd += _COST[sorts[i + m - 1]][kinds[j]]
                    cost = here + crowd + (m - 1) * _CROWD
                    if cost < best[i + m][j + 1] - 1e-9:
                        best[i + m][j + 1], step[i + m][j + 1] = cost, (i, j)
            # a header column nothing stands under
            if j < w:
                penalty = _SKIP_LEAD if i == 0 else _SKIP_TRAIL if i == n else _SKIP_MIDDLE
                if here + penalty < best[i][j + 1] - 1e-9:
                    best[i][j + 1], step[i][j + 1] = here + penalty, (i, j)
    out: list[Cell | None] = [None] * w
    i, j = n, w
    while (i, j) != (0, 0):
        previous = step[i][j]
        assert previous is not None
        pi, pj = previous
        if pi < i:
            out[pj] = row[pi]
        i, j = pi, pj
    return out
