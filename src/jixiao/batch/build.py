"""``jixiao dataset build``: packages in, Parquet parts out, a few thousand packages at a time.

Memory is bounded by the chunk: rows are buffered per table and written as one part file per
table when the chunk is full. A package already in the dataset (same unit and year) is
replaced: its rows are dropped from the older parts once the new ones are written."""

from __future__ import annotations

import json
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ..ingest import load_any
from .flatten import Columns, flatten
from .schema import SCHEMA_VERSION, TABLES, UNIT_LIMIT, VERSION_CHANGE, schemas

CHUNK = 2000
IMPORTABLE = {".json", ".docx", ".xlsx", ".txt"}


def input_files(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, and the importable files under each directory, in name order."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE))
        else:
            found.append(path)
    return found


def flatten_file(path: Path, year: int | None) -> tuple[str, Columns]:
    return flatten(load_any(path, year), str(path.resolve()))


def source_files(directory: Path) -> pl.Expr:
    """The ``source`` column as files to open: absolute as built from the command line, or
    relative to the dataset for the packages a dataset carries inside it (``batch refresh``),
    which stay right when the dataset is moved."""
    source = pl.col("source")
    return pl.when(source.str.starts_with("/")).then(source).otherwise(pl.lit(f"{directory.resolve()}/") + source).alias("source")


@dataclass
class BuildReport:
    added: int = 0
    replaced: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (file kept, earlier file of the same unit and year)
    seconds: float = 0.0


class Writer:
    """Buffers rows and writes parts; remembers which parts hold which package."""

    def __init__(self, out: Path, first_unit: int = 0):
        self.out, self.schemas = out, schemas()
        self.buffer: dict[str, Columns] = {}
        self.next_unit = first_unit
        self.units: dict[str, int] = {}  # eval_id → its ``unit`` number, never reused within the dataset
        self.run = uuid.uuid4().hex[:8]
        self.parts = 0
        self.written: dict[str, int] = {}  # eval_id → part number in this run

    def add(self, eid: str, columns: Columns) -> bool:
        """False when the package was already in this run (the later one wins)."""
        again = eid in self.buffer or eid in self.written
        if self.next_unit >= UNIT_LIMIT:
            raise ValueError(f"数据集最多容纳 {UNIT_LIMIT} 份材料（单位编号用尽），请分为多个数据集")
        self.buffer[eid] = columns
        self.units[eid] = self.next_unit
        self.next_unit += 1
        if len(self.buffer) >= CHUNK:
            self.flush()
        return not again

    def flush(self) -> None:
        if not self.buffer:
            return
        name = f"part-{self.run}-{self.parts:05d}.parquet"
        for table in TABLES:
            merged: dict[str, list[Any]] = defaultdict(list)
            for eid, columns in self.buffer.items():
                rows = columns.get(table, {})
                for col, values in rows.items():
                    merged[col].extend(values)
                merged["unit"].extend([self.units[eid]] * len(rows.get("eval_id", ())))
            schema = self.schemas[table]
            frame = pl.DataFrame({c: merged.get(c, []) for c in schema}, schema=schema)
            (self.out / table).mkdir(parents=True, exist_ok=True)
            frame.write_parquet(self.out / table / name, statistics=True)
        stale = {eid: self.written[eid] for eid in self.buffer if eid in self.written}
        for eid in self.buffer:
            self.written[eid] = self.parts
        self.parts += 1
        self.buffer.clear()
        for eid, part in stale.items():
            drop_ids(self.out, {eid}, only=f"part-{self.run}-{part:05d}.parquet")


class DatasetVersionError(ValueError):
    """A dataset written by another version of the schema."""


def check_version(directory: Path) -> None:
    """Refuses a dataset of another schema version: its columns would be missing or mean
    something else, and the answers would be wrong rather than absent."""
    if not (directory / "units").is_dir():
        return  # a new dataset: nothing written yet
    meta = directory / "dataset.json"
    found = json.loads(meta.read_text(encoding="utf-8")).get("schema_version") if meta.exists() else None
    if found != SCHEMA_VERSION:
        was = f"第 {found} 版" if found is not None else "旧版（没有 dataset.json）"
        raise DatasetVersionError(f"数据集 {directory} 是{was}格式，当前为第 {SCHEMA_VERSION} 版（{VERSION_CHANGE}）；"
                                  f"请删除该目录后用 jixiao dataset build 重新生成")


def existing_ids(out: Path) -> tuple[set[str], int]:
    """The packages already in the dataset, and the first ``unit`` number not yet given."""
    parts = sorted((out / "units").glob("*.parquet"))
    if not parts:
        return set(), 0
    frame = pl.scan_parquet(parts).select("eval_id", "unit").collect()
    return set(frame["eval_id"].to_list()), (frame["unit"].max() + 1 if frame.height else 0)  # type: ignore[operator]


def drop_ids(out: Path, ids: set[str], only: str | None = None, keep_run: str | None = None) -> None:
    """Rewrite the parts that hold any of ``ids`` without them."""
    drop = pl.Series(list(ids), dtype=pl.String)
    for table in TABLES:
        for part in sorted((out / table).glob("*.parquet")):
            if (only and part.name != only) or (keep_run and f"-{keep_run}-" in part.name):
                continue
            frame = pl.read_parquet(part)
            kept = frame.filter(~pl.col("eval_id").is_in(drop.implode()))
            if kept.height != frame.height:
                kept.write_parquet(part, statistics=True)


def build(files: list[Path], out: Path, outcomes: Iterator[tuple[Path, Any, str | None]],
          progress: Callable[[Path], None] = lambda _: None) -> BuildReport:
    """Writes every flattened package from ``outcomes`` (see cli_batch.each) under ``out``."""
    started = time.perf_counter()
    check_version(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "dataset.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION}), encoding="utf-8")
    before, first_unit = existing_ids(out)
    writer, report, new = Writer(out, first_unit), BuildReport(), set()
    first: dict[str, str] = {}  # eval_id → the file of this run that gave it
    for path, result, error in outcomes:
        progress(path)
        if result is None:
            report.failed.append((str(path), error or "无法读取"))
            continue
        eid, columns = result
        if writer.add(eid, columns):
            new.add(eid)
        else:
            report.repeated.append((str(path), first[eid]))
        first[eid] = str(path)
    writer.flush()
    replaced = before & new
    if replaced:
        drop_ids(out, replaced, keep_run=writer.run)
    report.replaced = len(replaced)
    report.added = len(new) - len(replaced)
    report.seconds = time.perf_counter() - started
    return report


_part: ContextVar[str | None] = ContextVar("batch_part", default=None)


@contextmanager
def one_part(name: str) -> Iterator[None]:
    """Within it, ``scan`` reads only part ``name`` of each table: whole-dataset queries (the
    vectorised checks) run part by part, their memory bounded by a part."""
    token = _part.set(name)
    try:
        yield
    finally:
        _part.reset(token)


def parts_of(directory: Path) -> list[str]:
    return [p.name for p in sorted((directory / "units").glob("*.parquet"))]


def scan(directory: Path, table: str, part: str | None = None) -> pl.LazyFrame:
    """One table, whole or one part file (a part holds whole packages in every table)."""
    part = part or _part.get()
    parts = [directory / table / part] if part else sorted((directory / table).glob("*.parquet"))
    parts = [p for p in parts if p.exists()]
    if not parts:
        return pl.DataFrame(schema=schemas()[table]).lazy()
    return pl.scan_parquet(parts)
