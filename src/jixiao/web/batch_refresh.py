"""The bureaus' batch datasets, rebuilt from the stored evaluations (``jixiao batch refresh``,
run nightly): one dataset per bureau and year under ``JIXIAO_BATCH_DIR/<bureau id>/<year>``,
scored by that year's rubrics and audited, which the dashboard reads above the threshold.

Each is built beside the old one and swapped in whole, so the dashboard never reads half a
dataset and evaluations deleted since the last run leave with the old copy. Every package is
written out as the JSON the dataset's ``source`` column names, so the checks that run per
package read exactly what was scored."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from ..batch.audit_run import audit_directory
from ..batch.build import build
from ..batch.flatten import Columns, flatten
from ..cli_batch import each
from .models import Bureau, Evaluation
from ..ingest import load_any
from .services import year_rubrics


def refresh(root: Path, bureau: str | None = None, jobs: int = 1) -> Iterator[str]:
    """One line per dataset rebuilt (or the reason it was not)."""
    bureaus = Bureau.objects.order_by("pk")
    if bureau:
        bureaus = bureaus.filter(name=bureau)
    for b in bureaus:
        years = sorted(set(Evaluation.objects.filter(unit__bureau=b).values_list("fiscal_year", flat=True)))
        for year in years:
            yield _rebuild(root / str(b.pk) / str(year), b, year, jobs)


def flatten_package(path: Path, year: int) -> tuple[str, Columns]:
    """A package written into the dataset, its source named relative to the dataset."""
    return flatten(load_any(path, year), f"packages/{path.name}")


def _rebuild(target: Path, bureau: Bureau, year: int, jobs: int) -> str:
    fresh, old = target.with_name(f"{target.name}.new"), target.with_name(f"{target.name}.old")
    shutil.rmtree(fresh, ignore_errors=True)
    packages = fresh / "packages"
    packages.mkdir(parents=True)
    files = []
    for pk, document in (Evaluation.objects.filter(unit__bureau=bureau, fiscal_year=year).order_by("pk")
                         .values_list("pk", "document").iterator(chunk_size=100)):
        path = packages / f"{pk}.json"
        path.write_text(document, encoding="utf-8")
        files.append(path)
    built = build(files, fresh, each(files, flatten_package, (year,), jobs))
    department, project = year_rubrics(bureau.pk, year)
    audited = audit_directory(fresh, department, project, jobs)
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    failed = len(built.failed) + len(audited.failed)
    return (f"{bureau.name} {year} 年：{built.added + built.replaced} 份材料，{audited.findings} 条审核发现"
            f"{f'，{failed} 份未能处理' if failed else ''} → {target}")
