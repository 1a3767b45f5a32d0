"""Loading rubric files: YAML → validated Rubric with compiled formulas, errors by file and line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..messages import error_text
from ..yamldata import DataFileError, Loc, line_of, plain
from ..model import Evaluation, ProjectTable
from .fields import numeric_fields
from .formula import Binary, Formula, FormulaError, Node, Num, Type, compile_formula
from .methods import Bands, External
from .model import Rubric, RubricIndicator


# Names every department-rubric formula may use for what the unit answers on the scoring table.
ANSWER_FIELDS: dict[str, Type] = {"answer.value": "number", "answer.out_of": "number", "answer.score": "number"}


class RubricError(DataFileError):
    """A rubric file that cannot be used."""


@dataclass(frozen=True)
class CompiledRubric:
    rubric: Rubric
    path: Path
    fields: dict[str, Formula] = field(default_factory=dict)
    formulas: dict[str, Formula] = field(default_factory=dict)


def _walk_nodes(node: Node) -> Iterator[Node]:
    yield node
    for child in getattr(node, "args", ()) or ():
        yield from _walk_nodes(child)
    for attr in ("left", "right", "operand"):
        if hasattr(node, attr):
            yield from _walk_nodes(getattr(node, attr))


def _has_division(formula: Formula) -> bool:
    """True when some divisor can be zero; dividing by a non-zero constant cannot."""
    return any(
        isinstance(n, Binary) and n.op == "/" and not (isinstance(n.right, Num) and n.right.value != 0)
        for n in _walk_nodes(formula.tree)
    )


def _divides(formula: Formula, fields: dict[str, Formula]) -> bool:
    """Whether ``formula``, or any field it names however deep, can divide by zero."""
    return _has_division(formula) or any(_divides(fields[n], fields) for n in formula.names if n in fields)


def _check_sum(problems: list[tuple[Loc, str]], loc: Loc, label: str, points: Decimal, parts: list[Decimal]) -> None:
    if parts and sum(parts, Decimal(0)) != points:
        problems.append((loc, f"{label}分值 {points} 与其下各项之和 {sum(parts, Decimal(0))} 不符"))


def _semantics(rubric: Rubric) -> tuple[dict[str, Formula], dict[str, Formula], list[tuple[Loc, str]]]:
    problems: list[tuple[Loc, str]] = []
    scope = Evaluation if rubric.kind == "department" else ProjectTable
    names: dict[str, Type] = dict(numeric_fields(scope))
    if rubric.kind == "department":
        names.update(ANSWER_FIELDS)

    fields: dict[str, Formula] = {}
    for name, text in rubric.fields.items():
        try:
            fields[name] = compile_formula(text, names, allow_list=True)
            names[name] = fields[name].type
        except FormulaError as exc:
            problems.append((("fields", name), str(exc)))

    formulas: dict[str, Formula] = {}
    seen: set[str] = set()

    def indicator(ind: RubricIndicator, loc: Loc) -> None:
        if ind.id in seen:
            problems.append((loc + ("id",), f"指标代码“{ind.id}”重复"))
        seen.add(ind.id)
        needs_formula = ind.scoring.method in FORMULA_METHODS
        if needs_formula and not ind.formula:
            problems.append((loc, f"指标“{ind.name}”的评分方法 {ind.scoring.method} 需要 formula"))
        if not needs_formula and ind.formula:
            problems.append((loc + ("formula",), f"评分方法 {ind.scoring.method} 不使用 formula，请删去或改用 {'/'.join(FORMULA_METHODS)}"))
        if ind.scoring.method == "ratio_to_target":
            problems.append((loc + ("scoring",), "ratio_to_target 只用于项目支出规则的 indicators.quantitative"))
        texts = {"formula": ind.formula} if ind.formula else {}
        if isinstance(ind.scoring, External):
            texts = {"scoring.score": ind.scoring.score, "scoring.out_of": ind.scoring.out_of}
        for key, text in texts.items():
            try:
                compiled = compile_formula(text, names)
            except FormulaError as exc:
                problems.append((loc + tuple(key.split(".")), str(exc)))
                continue
            if compiled.type != "number":
                problems.append((loc + tuple(key.split(".")), f"公式“{text}”的结果须为数值"))
            formulas[f"{ind.id}:{key}"] = compiled
            divides = _divides(compiled, fields)
            if (divides or isinstance(ind.scoring, External)) and ind.zero_denominator is None:
                problems.append((loc, f"指标“{ind.name}”的公式含除法，须用 zero_denominator 写明分母为 0 时的处理"))
        if isinstance(ind.scoring, Bands):
            for i, band in enumerate(ind.scoring.bands):
                if band.points > ind.points:
                    problems.append((loc + ("scoring", "bands", i), f"档次分 {band.points} 超过指标分值 {ind.points}"))

    level_points = []
    for i, level1 in enumerate(rubric.levels):
        loc1: Loc = ("levels", i)
        if (level1.points is None) != (rubric.weights == "table"):
            problems.append((loc1 + ("points",), f"一级指标“{level1.name}”"
                             + ("须写明分值" if level1.points is None else "的分值由表中权重决定（weights: table），此处不写")))
        level_points.append(level1.points or Decimal(0))
        for j, level2 in enumerate(level1.children):
            loc2 = loc1 + ("children", j)
            for k, ind in enumerate(level2.indicators):
                indicator(ind, loc2 + ("indicators", k))
            _check_sum(problems, loc2 + ("points",), f"二级指标“{level2.name}”", level2.points, [x.points for x in level2.indicators])
        if level1.points is not None:
            _check_sum(problems, loc1 + ("points",), f"一级指标“{level1.name}”", level1.points, [x.points for x in level1.children])
    if rubric.weights == "table":
        if rubric.kind != "project" or rubric.indicator_points is None:
            problems.append((("weights",), "按表中权重计分（weights: table）只用于项目表式的评分规则，并须用 indicator_points 写明权重合计"))
        else:
            level_points.append(rubric.indicator_points)
    elif rubric.indicator_points is not None:
        problems.append((("indicator_points",), "indicator_points 只在 weights: table 时使用"))
    if rubric.kind == "project":
        if rubric.indicators is None:
            problems.append(((), "项目支出评分规则须有 indicators（指标计分方法）"))
        if rubric.execution is not None:
            indicator(rubric.execution, ("execution",))
            level_points.append(rubric.execution.points)
            if rubric.execution.scoring.method not in ("threshold", "bands", "ratio"):
                problems.append((("execution", "scoring"), "预算执行率须用 threshold、bands 或 ratio 按公式计分"))
        if any(level.children for level in rubric.levels):
            problems.append((("levels",), "项目支出评分规则的一级指标下不列具体指标（由单位自设）"))
        known = {level.name for level in rubric.levels}
        if rubric.without_satisfaction and rubric.satisfaction_level not in known:
            problems.append((("satisfaction_level",), "设置了 without_satisfaction 时，须用 satisfaction_level 指明满意度一级指标"))
        for name in rubric.without_satisfaction:
            if name not in known:
                problems.append((("without_satisfaction", name), f"未知一级指标“{name}”"))
    elif rubric.execution is not None or rubric.indicators is not None:
        problems.append(((), "部门整体评分表不使用 execution / indicators，请改用 levels 列出全部指标"))
    _check_sum(problems, ("levels",), "评分表总", rubric.total, level_points)
    mins = [g.min for g in rubric.grades]
    if mins != sorted(mins, reverse=True) or mins[-1] != 0:
        problems.append((("grades",), "等级须按最低分从高到低排列，最后一级最低分为 0"))
    return fields, formulas, problems


def load_rubric(path: str | Path) -> CompiledRubric:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError([f"{path}: 无法读取（{exc}）"]) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise RubricError([f"{path}:{line}: YAML 格式错误：{exc.problem}"]) from None
    except (yaml.YAMLError, RecursionError):
        raise RubricError([f"{path}:1: YAML 格式错误或嵌套过深"]) from None
    if not isinstance(root, yaml.MappingNode):
        raise RubricError([f"{path}:1: 评分规则文件须是一个 YAML 映射"])
    lines: dict[Loc, int] = {}
    problems: list[tuple[Loc, str]] = []
    data = plain(root, (), lines, problems)
    if problems:
        raise RubricError([f"{path}:{line_of(lines, loc)}: {msg}" for loc, msg in problems])
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        messages = []
        for err in exc.errors(include_url=False):
            raw = err["loc"]
            # pydantic puts the discriminator's value after the field ("scoring", "threshold", …)
            loc = tuple(p for i, p in enumerate(raw) if not (i and p in _METHOD_TAGS and raw[i - 1] in _UNION_FIELDS))
            where = ".".join(str(p) for p in loc)
            messages.append(f"{path}:{line_of(lines, loc)}: {where}：{_message(err)}")
        raise RubricError(messages) from None
    fields, formulas, problems = _semantics(rubric)
    if rubric.id != path.stem:
        problems.append((("id",), f"id“{rubric.id}”须与文件名“{path.stem}”一致"))
    if problems:
        raise RubricError([f"{path}:{line_of(lines, loc)}: {msg}" for loc, msg in problems])
    return CompiledRubric(rubric, path, fields, formulas)


FORMULA_METHODS = ("threshold", "bands", "ratio", "deduct_per_count")
_UNION_FIELDS = {"scoring", "quantitative", "qualitative"}
_METHOD_TAGS = {"threshold", "bands", "ratio", "levels", "checklist", "deduct_per_count", "external", "manual", "ratio_to_target"}


def _message(err: dict) -> str:
    if err["type"] == "union_tag_invalid":
        return f"未知评分方法“{err['ctx']['tag']}”，可用：{'、'.join(sorted(_METHOD_TAGS))}"
    return error_text(err)


def rubric_dirs() -> list[Path]:
    """Where rubric files are looked up: $JIXIAO_RUBRICS (path list), then the shipped ones."""
    extra = [Path(p) for p in os.environ.get("JIXIAO_RUBRICS", "").split(os.pathsep) if p]
    return extra + [Path(str(files("jixiao") / "rubrics"))]


def rubric_files() -> list[Path]:
    return sorted(p for d in rubric_dirs() if d.is_dir() for p in d.glob("*.yaml"))


def find_rubric(ref: str) -> CompiledRubric:
    """A rubric by file path or by id."""
    if ref.endswith((".yaml", ".yml")) or os.sep in ref:
        return load_rubric(ref)
    for candidate in rubric_files():
        if candidate.stem == ref:  # load_rubric guarantees id == file stem
            return load_rubric(candidate)
    known = "、".join(p.stem for p in rubric_files()) or "（无）"
    raise RubricError([f"找不到评分规则“{ref}”；可用：{known}"])
