"""How scoring, the audit, import and the exports grow with the size of one package.

Packages of 5, 50, 500 and 2,000 projects are generated from examples/hengyang-2022.json:
its twelve project tables are copied with a place name before each (甲乙片区信访工作经费…)
and the base data table lists the matching project lines, so that pairing tables with lines
and every per-table check have real work. Each step is timed once per size and shown with
its cost per project as a ratio to the 50-project run in the same process (1.0 is linear;
a step whose ratio keeps growing with the size is not). At 5 projects the ratio is high for
a plain reason: the department table, the narrative and the base data cost the same whatever
the number of projects. Past 500 projects Python's cyclic garbage collector, which walks
everything alive, adds some 20% to the audit; with it off the cost per project is flat.

Import reads a text package built the same way from the city sample's text
(examples/hengyang-city-government-office-2022.txt, its 附件4 tables repeated and renamed):
text because it is generated in no time, where writing a 2,000-project workbook would time
the xlsx writer instead. The importer refuses files past its limits (ingest/limits.py: 50,000
lines or 60,000 cells, about 250 projects of this text) before paying their cost; here the
limits are raised in this process only, so that the growth past them can be measured.

Exports (xlsx, docx, pdf, html, md) are timed at 5, 50 and 500 projects (--export-sizes),
each against the issue's goals: the city sample (examples/hengyang-2022.json) to .docx in 2 s
and to PDF in 3 s; 500 projects to .xlsx in 10 s, .docx in 20 s and PDF in 60 s. A run that
the format's run at the next smaller size predicts, at the same cost per project, to take over
--export-cap seconds is skipped and said so, so that a slow format cannot hold the bench up
for many minutes. The packages of the steps above are dropped first, and the garbage collected
before each export, untimed: the collector walks whatever is alive, and a 2,000-project
package left alive, or the cycles of the workbook just written (openpyxl's cells and sheets
point at each other), made the exports timed after them look super-linear.

    python bench/linear.py [--sizes 5,50,500,2000] [--export-sizes 5,50,500] [--export-cap 90]

Exits non-zero only when a step crashes; goals are reported, not enforced.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import re
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from jixiao.audit.matching import match_projects
from jixiao.model import Evaluation, Triple, load_evaluation
from jixiao.rubric.choose import project_rubrics
from jixiao.rubric.loader import find_rubric

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "hengyang-2022.json"
TEXT = ROOT / "examples" / "hengyang-city-government-office-2022.txt"
DEPARTMENT_RUBRIC = "hengshan-2022-department"
# two characters per copy make a place name whose pair of characters no project name has
PLACES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥东南西北上下左右前后春夏秋冬金木水火土山川江河湖海松柏竹梅兰菊"
AUDIT_GOAL = 5.0  # seconds for 2,000 projects (the goal)
EXPORT_FORMATS = ("xlsx", "html", "md", "docx", "pdf")
# the export issue's goals, in seconds: the city sample's report, and 500 projects
CITY_GOALS = {"docx": 2.0, "pdf": 3.0}
EXPORT_GOALS = {500: {"xlsx": 10.0, "docx": 20.0, "pdf": 60.0}}


def place(copy: int) -> str:
    return PLACES[copy // len(PLACES) % len(PLACES)] + PLACES[copy % len(PLACES)] + "片区"


def package(projects: int, indicators: int = 1) -> Evaluation:
    """The example with ``projects`` project tables, each with its indicators repeated
    ``indicators`` times, and the base-data lines that go with them."""
    example = load_evaluation(EXAMPLE)
    pairs, _ = match_projects(example.base_data.projects, example.projects)
    tables, lines = [], []
    for index in range(projects):
        table, rows = pairs[index % len(pairs)]
        prefix = place(index // len(pairs))
        own = [
            i if n == 0 else i.model_copy(update={"name": f"{i.name}（{n + 1}）"})
            for n in range(indicators) for i in table.indicators
        ]
        tables.append(table.model_copy(update={"name": prefix + table.name, "indicators": own}))
        lines += [r.model_copy(update={"name": prefix + r.name}) for r in rows]

    def total(column: str) -> Decimal | None:
        figures = [getattr(r, column) for r in lines if getattr(r, column) is not None]
        return sum(figures, Decimal(0)) if figures else None

    # the 项目支出 row states the sum of the lines, so that the sum check has a sum to do
    spent = Triple(prior_final=total("prior_final"), budget=total("budget"), final=total("final"))
    base = example.base_data.model_copy(update={"projects": lines, "project_expenditure": spent})
    return example.model_copy(update={"projects": tables, "base_data": base})


def text_package(projects: int) -> str:
    """The city sample's text with its project tables repeated, each copy renamed."""
    sample = TEXT.read_text(encoding="utf-8")
    head, marker, rest = sample.partition("附件4")
    tables = [t for t in re.split(r"(?=\t项目支出绩效自评表)", rest) if "项目支" in t]
    name = re.compile(r"(\t项目支\n出名称\n\t)")
    copies = [name.sub(lambda m, i=i: m.group(1) + place(i // len(tables)), tables[i % len(tables)], count=1) for i in range(projects)]
    return head + marker + "".join(copies)


def lift_import_limits(factor: int = 1000) -> None:
    """Raises every import limit in this process (each module holds its own reference)."""
    try:
        from jixiao.ingest import limits
    except ImportError:  # limits not gathered in one module: the import step then says where it stops
        return
    originals = {name: getattr(limits, name) for name in dir(limits) if name.startswith("MAX_")}
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("jixiao.ingest") or module is limits:
            continue
        for name, value in originals.items():
            if getattr(module, name, None) is value:
                if dataclasses.is_dataclass(value) and hasattr(value, "value"):
                    setattr(module, name, dataclasses.replace(value, value=value.value * factor))
                elif isinstance(value, int):
                    setattr(module, name, value * factor)


def timed(step: Callable[[], object], repeat: int = 1) -> float:
    """The best of ``repeat`` runs: other work on the machine only ever adds time."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    return best


def table(title: str, sizes: list[int], times: dict[str, dict[int, float | str]]) -> None:
    """Seconds, and per-project cost as a ratio to the 50-project run."""
    print(f"\n{title}")
    print(f"{'step':10}" + "".join(f"{n:>12}" for n in sizes) + "   per project ÷ 50-project run")
    for step, by_size in times.items():
        cells = "".join(f"{by_size[n]:>11.3f}s" if isinstance(by_size.get(n), float) else f"{by_size.get(n, '—')!s:>12}" for n in sizes)
        base = by_size.get(50)
        ratios = "  ".join(
            f"{n}: {(by_size[n] / n) / (base / 50):.2f}" for n in sizes if isinstance(base, float) and isinstance(by_size.get(n), float) and base > 0
        )
        print(f"{step:10}{cells}   {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50,500,2000")
    parser.add_argument("--export-sizes", default="5,50,500")
    parser.add_argument("--export-cap", type=float, default=90.0, help="seconds a run is predicted to take past which it is skipped")
    parser.add_argument("--repeat", type=int, default=3, help="runs of score and audit per size; the best counts")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",") if n]
    export_sizes = [int(n) for n in args.export_sizes.split(",") if n]

    from jixiao.audit.report import audit
    from jixiao.ingest import import_file
    from jixiao.render.export import ExportError, export
    from jixiao.rubric.score import score_package

    department, projects = find_rubric(DEPARTMENT_RUBRIC), project_rubrics()
    lift_import_limits()
    steps: dict[str, dict[int, float | str]] = {"score": {}, "audit": {}, "import": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            evaluation = package(n)
            steps["score"][n] = timed(lambda: score_package(evaluation, department, projects), args.repeat)
            steps["audit"][n] = timed(lambda: audit(evaluation, department, projects), args.repeat)
            path = Path(tmp) / f"package-{n}.txt"
            path.write_text(text_package(n), encoding="utf-8")
            results = []
            steps["import"][n] = timed(lambda: results.append(import_file(path)))
            imported = results[0].evaluation
            if imported is None or len(imported.projects) != n:
                steps["import"][n] = f"failed ({len(imported.projects) if imported else 0})"
            shown = {step: f"{t:.3f}s" if isinstance(t, float) else t for step, t in ((s, steps[s][n]) for s in steps)}
            print(f"{n} projects: " + ", ".join(f"{step} {t}" for step, t in shown.items()), flush=True)
        table("score, audit and import (seconds)", sizes, steps)
        goal = steps["audit"].get(2000)
        if isinstance(goal, float):
            print(f"\naudit of 2,000 projects: {goal:.2f}s (goal ≤ {AUDIT_GOAL:.0f}s: {'met' if goal <= AUDIT_GOAL else 'NOT met'})")

        evaluation = results = imported = None  # see the docstring: what is alive slows every later step
        time_exports(export, ExportError, department, projects, export_sizes, args.export_cap)


def time_exports(export, error: type[Exception], department, projects, sizes: list[int], cap: float) -> None:
    """Each format at each size, with the cost per project against the 50-project run, and the
    issue's goals; the city sample's .docx and PDF first."""
    city = load_evaluation(EXAMPLE)
    print()
    for fmt, goal in CITY_GOALS.items():
        gc.collect()
        try:
            seconds = timed(lambda: export(city, fmt, department, projects))
        except error as exc:  # no WeasyPrint here: said, not a crash
            print(f"city sample {fmt}: unavailable ({exc})", file=sys.stderr)
            continue
        print(f"city sample {fmt}: {seconds:.3f}s (goal ≤ {goal:.0f}s: {'met' if seconds <= goal else 'NOT met'})", flush=True)
    exports: dict[str, dict[int, float | str]] = {fmt: {} for fmt in EXPORT_FORMATS}
    for n in sizes:
        evaluation = package(n)
        for fmt in EXPORT_FORMATS:
            # the largest size timed: at 5 projects the fixed costs inflate the cost per project
            timed_before = max(((m, t) for m, t in exports[fmt].items() if isinstance(t, float)), default=None)
            predicted = timed_before[1] * n / timed_before[0] if timed_before else 0.0
            if predicted > cap:
                exports[fmt][n] = f"skip ~{predicted:.0f}s"
            else:
                gc.collect()  # the previous export's garbage (a workbook is all cycles) is not this one's cost
                try:
                    exports[fmt][n] = timed(lambda: export(evaluation, fmt, department, projects))
                except error as exc:
                    exports[fmt][n] = "unavailable"
                    print(f"{fmt}: {exc}", file=sys.stderr)
            shown = exports[fmt][n]
            print(f"export {fmt} {n} projects: " + (f"{shown:.3f}s" if isinstance(shown, float) else str(shown)), flush=True)
    table("exports (seconds)", sizes, exports)
    for n, goals in EXPORT_GOALS.items():
        for fmt, goal in goals.items():
            seconds = exports[fmt].get(n)
            if isinstance(seconds, float):
                print(f"{fmt} of {n} projects: {seconds:.2f}s (goal ≤ {goal:.0f}s: {'met' if seconds <= goal else 'NOT met'})")


if __name__ == "__main__":
    main()
