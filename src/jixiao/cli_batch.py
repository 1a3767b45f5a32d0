"""Many files through one command: each input's result handed on as soon as it is ready, in
input order, on every core (``--jobs``), never all held at once.

A worker process loads the rubrics once (by reference) and keeps them; results travel back
one file at a time, and no more than a few per worker are ever waiting to be written."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from decimal import DecimalException
from functools import lru_cache
from pathlib import Path
from typing import Any

import typer

from .audit import CHECKS
from .audit.report import audit, selected
from .ingest import import_file, load_any, read_any
from .ingest.vocabulary import Vocabulary, load_vocabulary
from .labels import same_label
from .model import DocumentError
from .rubric.choose import project_rubrics
from .rubric.loader import find_rubric
from .rubric.score import score_package

JOBS = typer.Option(1, "--jobs", "-j", help="并行进程数；0 表示按 CPU 核数")


@lru_cache(maxsize=4)
def rubrics(department: str, project: str):
    return find_rubric(department), project_rubrics(project)


Outcome = tuple[Path, Any, str | None]  # the input, its result (or None), the reason it failed


def _run(work: Callable[..., Any], path: Path, args: tuple) -> Outcome:
    try:
        return path, work(path, *args), None
    except DocumentError as exc:
        return path, None, str(exc)
    except DecimalException:
        return path, None, f"{path.name}：数值超出可计算的范围，请检查金额与分值"


def each(files: Iterable[Path], work: Callable[..., Any], args: tuple, jobs: int) -> Iterator[Outcome]:
    """``work(path, *args)`` for every file, results in input order. ``work`` and ``args`` must
    be picklable when ``jobs`` is not 1 (a module-level function, rubric references)."""
    files = list(files)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(files) < 2:
        for path in files:
            yield _run(work, path, args)
        return
    window = 2 * jobs  # results waiting to be written, at most
    with ProcessPoolExecutor(max_workers=min(jobs, len(files))) as pool:
        pending: deque[Future[Outcome]] = deque()
        queued = iter(files)
        for path in queued:
            pending.append(pool.submit(_run, work, path, args))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@lru_cache(maxsize=4)
def words(paths: tuple[Path, ...]) -> Vocabulary:
    return load_vocabulary(list(paths))  # checked by the command before any worker starts


def score_file(path: Path, department: str, project: str, year: int | None, vocabulary: tuple[Path, ...]):
    dept, proj = rubrics(department, project)
    return score_package(load_any(path, year, words(vocabulary)), dept, proj)


def audit_file(path: Path, department: str, project: str, year: int | None, vocabulary: tuple[Path, ...], select: tuple, skip: tuple,
               previous: Path | None = None):
    dept, proj = rubrics(department, project)
    result = read_any(path, year, words(vocabulary))
    if result.evaluation is None:
        raise DocumentError("；".join(n.message for n in result.errors))
    last = None
    if previous is not None:
        last = load_any(previous, None, words(vocabulary))
        this = result.evaluation
        if not same_label(last.unit.name, this.unit.name) or last.fiscal_year != this.fiscal_year - 1:
            raise DocumentError(f"{previous.name} 是“{last.unit.name}” {last.fiscal_year} 年度的材料，"
                                f"不是“{this.unit.name}”上一年度（{this.fiscal_year - 1}）的材料，不能对照")
    return audit(result.evaluation, dept, proj, result.notices, path.name, selected(CHECKS, select, skip), previous=last)


def import_one(path: Path, year: int | None, unit: str | None, vocabulary: tuple[Path, ...]):
    return import_file(path, year, unit, vocabulary=words(vocabulary))
