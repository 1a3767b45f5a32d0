"""Pairing base-data rows with project tables, in time linear in the package.

Comparing every row with every table (a string-overlap score each) made a 2,000-project
package take minutes. Here table names are indexed by exact name and by character pair: a
row is compared only with the tables that share its rarest pairs (at most ``CANDIDATES``),
and an upper bound on the score skips most of those without running the matcher. The search
stops once no table left could reach the best score, so the pairing is the one the exhaustive
comparison gives; only past ``CANDIDATES`` tables for one row (names nearly all alike) is it cut
short."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from difflib import SequenceMatcher
from math import floor

from ..labels import normalize_label
from ..model import BaseProject, ProjectTable
from .tolerance import same_figure

THRESHOLD = 0.7  # share of a row's name found in a table's name for the two to be paired
CANDIDATES = 32  # tables compared with one row at most; bounds the work per row


def _overlap(short: str, long: str) -> float:
    """Share of ``short``'s characters found, in order, in ``long`` (大院维护费 in 大院保维护费…)."""
    if not short:
        return 0.0
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2) / len(short)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _bound(short: str, pairs: set[str]) -> float:
    """An upper bound on ``_overlap(short, long)`` from ``long``'s character pairs: a character
    of ``short`` counts only inside a common run of two or more, so it must begin or end a
    pair that ``long`` also has."""
    if not short:
        return 0.0
    covered = sum(1 for i in range(len(short)) if short[i : i + 2] in pairs or (i and short[i - 1 : i + 1] in pairs))
    return covered / len(short)


class _Names:
    """Project-table names, indexed by exact name and by character pair."""

    def __init__(self, names: list[str]):
        self.names = names
        self.exact: dict[str, int] = {}
        self.pairs: list[set[str]] = []
        self.postings: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            self.exact.setdefault(name, index)
            pairs = _pairs(name)
            self.pairs.append(pairs)
            for pair in pairs:
                self.postings.setdefault(pair, []).append(index)

    def best(self, name: str) -> int | None:
        """The table the row belongs to: the highest overlap, the first table on a tie, none
        below the threshold — as comparing with every table would give, but looking only at
        the tables that share the row's rarest pairs, and only as far as a table not yet
        looked at could still score (or, in a pathological package, ``CANDIDATES`` tables)."""
        best, score = None, -1.0
        seen: set[int] = set()

        def consider(indices: Iterable[int]) -> None:
            nonlocal best, score
            fresh: list[int] = []
            for i in indices:  # the tables not looked at yet, as many as the cap leaves
                if len(seen) >= CANDIDATES:
                    break
                if i not in seen:
                    seen.add(i)
                    fresh.append(i)
            # the most promising first, so that the bound rules out the rest unscored
            for negative, index in sorted((-_bound(name, self.pairs[i]), i) for i in fresh):
                if -negative < THRESHOLD or -negative < score:
                    break
                found = _overlap(name, self.names[index])
                if found > score or found == score and best is not None and index < best:
                    best, score = index, found

        if (index := self.exact.get(name)) is not None:
            consider([index])  # scores 1: most rows are found here and the rest is a check
        positions = {i: name[i : i + 2] for i in range(len(name) - 1)}
        # rarest first (then by the pair itself, so that a capped search does not depend on hashing):
        # a pair found in few names says more about which table is meant than 经费 does
        for pair in sorted(set(positions.values()), key=lambda p: (len(self.postings.get(p, ())), p)):
            consider(self.postings.get(pair, ()))
            positions = {i: p for i, p in positions.items() if p != pair}
            # a table without any pair taken so far covers at most the characters the rest touch
            reach = sum(1 for c in range(len(name)) if c in positions or c - 1 in positions) / len(name)
            if reach < THRESHOLD or reach < score or len(seen) >= CANDIDATES:
                break
        return best if score >= THRESHOLD else None


def _floor(value: Decimal) -> int | None:
    """The whole part, for bucketing figures that agree within half a unit; None for a figure
    shown in tens or more (1E+1), whose rounding reaches further."""
    exponent = value.as_tuple().exponent
    return floor(value) if isinstance(exponent, int) and exponent <= 0 else None


class _Twins:
    """Unmatched rows by the whole parts of their 决算数 and 预算数, for finding a table's twin
    by its figures without scanning every row for every table."""

    def __init__(self, rows: list[BaseProject]):
        self.rows = rows
        self.left = dict.fromkeys(range(len(rows)))  # not yet given to a table, in row order
        self.buckets: dict[tuple[int, int], list[int]] = {}
        self.wide: list[int] = []  # rows whose figures a bucket cannot place
        for position, row in enumerate(rows):
            if row.final is None or row.budget is None:
                continue  # never a twin
            final, budget = _floor(row.final), _floor(row.budget)
            if final is None or budget is None:
                self.wide.append(position)
            else:
                self.buckets.setdefault((final, budget), []).append(position)

    def take(self, executed: Decimal | None, initial: Decimal | None) -> BaseProject | None:
        """The first row left whose figures are the table's, removed from those left."""
        if executed is None or initial is None:
            return None
        final, budget = _floor(executed), _floor(initial)
        if final is None or budget is None:
            near = list(self.left)
        else:
            near = [p for f in (final - 1, final, final + 1) for b in (budget - 1, budget, budget + 1) for p in self.buckets.get((f, b), ())]
            near += self.wide
        for position in sorted(p for p in near if p in self.left):
            row = self.rows[position]
            if row.final is not None and row.budget is not None and same_figure(row.final, executed) and same_figure(row.budget, initial):
                del self.left[position]
                return row
        return None

    def remaining(self) -> list[BaseProject]:
        return [self.rows[p] for p in self.left]


def match_projects(rows: list[BaseProject], tables: list[ProjectTable]) -> tuple[list[tuple[ProjectTable, list[BaseProject]]], list[BaseProject]]:
    """Each project table with the base-data rows it stands for: by name (a table may combine
    several rows, 信访工作经费、应急管理工作经费), else by identical figures."""
    names = _Names([normalize_label(t.name) for t in tables])
    groups: dict[int, list[BaseProject]] = {i: [] for i in range(len(tables))}
    unmatched: list[BaseProject] = []
    for row in rows:
        best = names.best(normalize_label(row.name))
        if best is not None:
            groups[best].append(row)
        else:
            unmatched.append(row)
    twins = _Twins(unmatched)
    for index, table in enumerate(tables):
        if not groups[index]:
            funds = table.funds.total
            twin = twins.take(funds.executed, funds.initial_budget)
            if twin is not None:
                groups[index].append(twin)
    return [(tables[i], rows) for i, rows in groups.items()], twins.remaining()
