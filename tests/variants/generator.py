"""One package per seed, in one layout family and one format, with the evaluation it must import as.

The contract (what the importer must produce; ``expected`` is set exactly so):

* every table's ``layout`` is its family id; ``unit.name`` is the 实施单位 of the first table
  (all tables of a package share it), ``unit.supervisor`` the 主管部门 when it differs;
  ``fiscal_year`` comes from the year line ``（2023年度）``;
* text is stored trimmed; a short value (name, target, actual) broken over lines is joined
  without the break, a long text (goals, deviation, reason, conclusion) keeps its breaks;
* blank cells, ``/`` and ``—`` in figure cells are None; rates are stored as the figure
  printed (``90%`` → 90); level labels lose their points (``产出指标(50分)`` → 产出指标);
  placeholder rows (``指标1``, ``指标2:``, ``……``) and empty rows are skipped;
* targets in the families with 指标性质 / 度量单位 columns are composed: see ``parts.compose``.

The family and format come from the seed (``seed % 4`` and ``seed // 4 % 5``) so that every
run of twenty consecutive seeds covers each pair once; everything else from ``Random(seed)``.
"""

from __future__ import annotations

import random
import re
import tempfile
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.model import Evaluation
from jixiao.model.evaluation import Unit

from .families import BUILDERS
from .parts import Ctx
from .writers import Block, Para, write

FAMILIES = ["national-2020", "sichuan-2023", "decision-process", "flat-department"]
FORMATS = ["docx", "xlsx", "tab", "pipe", "lines"]
EXTENSIONS = {"docx": "docx", "xlsx": "xlsx", "tab": "txt", "pipe": "txt", "lines": "txt"}

PLACES = ["衡山县", "永宁县", "青川县", "石嘴山市", "綦江区", "江津区", "平罗县", "苍溪县"]
DEPARTMENTS = [("农业农村局", "农业技术推广中心"), ("水利局", "水利工程管理站"), ("教育局", "第一中学"),
               ("卫生健康委员会", "人民医院"), ("民政局", "社会福利院"), ("交通运输局", "公路养护中心")]
PROJECTS = ["村级运转经费", "农村饮水安全工程维修养护", "高标准农田建设", "基层医疗卫生机构能力建设",
            "义务教育薄弱环节改善", "农村公路养护补助", "困难群众救助补助", "动物疫病防控经费",
            "河道清淤整治", "公共卫生服务补助"]


@dataclass
class Variant:
    seed: int
    family: str
    fmt: str
    variations: list[str]
    expected: Evaluation
    blocks: list[Block] = field(repr=False, default_factory=list)
    numbers: bool = False  # xlsx: plain figures written as numbers
    rule: bool = False  # pipe: a |---| line after the first row

    @property
    def id(self) -> str:
        return f"{self.family}-{self.fmt}-{self.seed}"

    def write(self, directory: str | Path) -> Path:
        path = Path(directory) / f"{self.id}.{EXTENSIONS[self.fmt]}"
        return write(self.blocks, self.fmt, path, numbers=self.numbers, rule=self.rule)


def generate(seed: int) -> Variant:
    rng = random.Random(seed)
    family, fmt = FAMILIES[seed % len(FAMILIES)], FORMATS[seed // len(FAMILIES) % len(FORMATS)]
    ctx = Ctx(rng, fmt)
    year = rng.randint(2019, 2025)
    place = rng.choice(PLACES)
    department, implementer = rng.choice(DEPARTMENTS)
    department = place + department
    unit = department if rng.random() < 0.3 else place + implementer
    title = "部门整体支出绩效自评表" if family == "flat-department" else "项目支出绩效自评表"
    blocks: list[Block] = [Para(title), Para(rng.choice(["（{}年度）", "({}年度)", "（{}年度）"]).format(year))]
    count = 1 if family == "flat-department" else rng.choice([1, 1, 2, 3])
    if count > 1:
        ctx.vary(f"{count}-tables")
    tables = []
    for name in rng.sample(PROJECTS, count):
        if rng.random() < 0.3:
            name = f"{year}年{name}"
        written, table = BUILDERS[family](ctx, name, department, unit)
        blocks += written
        tables.append(table)
    expected = Evaluation(unit=Unit(name=unit, supervisor=department if department != unit and family != "flat-department" else None),
                          fiscal_year=year)
    if family == "flat-department":
        expected.department_evaluation = tables[0]
    else:
        expected.projects = tables
    numbers = fmt == "xlsx" and ctx.chance(0.5, "xlsx-numbers")
    rule = fmt == "pipe" and ctx.chance(0.5, "pipe-rule")
    return Variant(seed, family, fmt, ctx.variations, expected, blocks, numbers, rule)


# ---------------------------------------------------------------- comparing and reporting


def _walk(expected: Any, actual: Any, path: str, out: list[tuple[str, Any, Any]]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            _walk(expected.get(key), actual.get(key), f"{path}.{key}" if path else key, out)
    elif isinstance(expected, list) and isinstance(actual, list):
        for i in range(max(len(expected), len(actual))):
            if i >= len(expected) or i >= len(actual):
                out.append((f"{path}[{i}]", expected[i] if i < len(expected) else "<absent>", actual[i] if i < len(actual) else "<absent>"))
            else:
                _walk(expected[i], actual[i], f"{path}[{i}]", out)
    elif expected != actual:
        out.append((path, expected, actual))


def first_differences(expected: Evaluation, actual: Evaluation | None, limit: int = 8) -> list[tuple[str, Any, Any]]:
    """The differing paths (decimals compared by value), in model order."""
    if actual is None:
        return [("", "<evaluation>", None)]
    out: list[tuple[str, Any, Any]] = []
    _walk(expected.model_dump(), actual.model_dump(), "", out)
    return out[:limit]


def describe(variant: Variant, result, differences) -> str:
    lines = [f"{variant.id}: variations {', '.join(variant.variations) or '—'}"]
    lines += [f"  error notice: {n.code} {n.message} ({n.where})" for n in getattr(result, "errors", [])]
    lines += [f"  {path}: expected {e!r}, got {a!r}" for path, e, a in differences]
    return "\n".join(lines)


def _class(path: str) -> str:
    return re.sub(r"\[\d+\]", "[*]", path)


@dataclass
class Report:
    total: int = 0
    passed: int = 0
    combos: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    failures: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def render(self, top: int = 15) -> str:
        share = self.passed / self.total if self.total else 0.0
        out = [f"exact imports: {self.passed}/{self.total} ({share:.1%})", "", "by family × format:"]
        for family in FAMILIES:
            cells = []
            for fmt in FORMATS:
                ok, n = self.combos[(family, fmt)]
                cells.append(f"{fmt} {ok}/{n}")
            out.append(f"  {family:18} " + "  ".join(cells))
        out += ["", "top failure classes (first differing path):"]
        out += [f"  {count:5}  {name}   e.g. {self.examples[name]}" for name, count in self.failures.most_common(top)]
        return "\n".join(out)


def check(variant: Variant, directory: Path):
    """Import one variant: (ok, failure class, message)."""
    from jixiao.ingest import import_file

    try:
        result = import_file(variant.write(directory))
    except Exception as exc:  # noqa: BLE001 - a crash is a failure class like any other
        return False, f"crash:{type(exc).__name__}", traceback.format_exc(limit=3), None
    errors = result.errors
    differences = first_differences(variant.expected, result.evaluation)
    if result.evaluation is None:
        name = f"no evaluation ({errors[0].code if errors else '?'})"
    elif differences:
        name = _class(differences[0][0])
    elif errors:
        name = f"error notice:{errors[0].code}"
    else:
        return True, "", "", result
    return False, name, describe(variant, result, differences), result


def run_corpus(count: int = 2000, start: int = 0, directory: Path | None = None) -> Report:
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(directory or tmp)
        for seed in range(start, start + count):
            variant = generate(seed)
            ok, name, _, _ = check(variant, where)
            tally = report.combos[(variant.family, variant.fmt)]
            tally[1] += 1
            report.total += 1
            if ok:
                tally[0] += 1
                report.passed += 1
            else:
                report.failures[name] += 1
                report.examples.setdefault(name, variant.id)
    return report
