"""Which rubric scores which table, and each rubric compiled once for an engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..rubric.choose import ProjectRubrics
from ..rubric.loader import CompiledRubric
from .compile import Compiler, NotCompilable, rational
from .indicators import finish_stages, score_columns
from .ir import Expr
from .schema import SCALE, scaled


@dataclass
class RubricPlan:
    """One rubric's expressions: own indicators, the execution rate, and the table's total."""

    compiled: CompiledRubric
    compiler: Compiler
    indicator: list[dict[str, Expr]]
    execution: list[dict[str, Expr]] | None
    execution_points: int | None
    reads: frozenset[str]  # the table's figures this rubric's scoring reads (besides its indicators')


@dataclass
class Plan:
    plans: dict[str, RubricPlan] = field(default_factory=dict)
    not_compiled: dict[str, str] = field(default_factory=dict)  # rubric id → why (Chinese)
    layouts: dict[str, str] = field(default_factory=dict)  # layout → rubric id
    default: str = ""


def rubrics_of(project: ProjectRubrics) -> dict[str, CompiledRubric]:
    found = {project.default.rubric.id: project.default}
    for compiled in project.by_layout.values():
        found.setdefault(compiled.rubric.id, compiled)
    return found


def make_plan(ops: Any, project: ProjectRubrics, layouts: set[str | None] | None = None) -> Plan:
    """Every rubric ``project`` may choose, or only those for ``layouts`` (the data's)."""
    plan = Plan(layouts={k: v.rubric.id for k, v in project.by_layout.items()}, default=project.default.rubric.id)
    wanted = None if layouts is None else {plan.layouts.get(k or "", plan.default) for k in layouts}
    for rid, compiled in rubrics_of(project).items():
        if wanted is not None and rid not in wanted:
            continue
        try:
            c = Compiler(ops, compiled)
            ex = compiled.rubric.execution
            points = scaled(ex.points) if ex else None
            execution = None
            if ex:
                execution = [*c.execution(), *finish_stages(c, ops.col("computed"), ops.col("points"),
                                                             ops.col("stated_score"), ops.col("xstatus"))]
            stated = {"total_stated", "execution.score_stated"} if ex else {"total_stated"}
            plan.plans[rid] = RubricPlan(compiled, c, score_columns(c), execution, points, frozenset(c.reads | stated))
        except NotCompilable as exc:
            plan.not_compiled[rid] = str(exc)
    return plan


def table_aggregates(o: Any) -> dict[str, Expr]:
    P, status, score = o.fill(o.col("points"), 0), o.col("status"), o.col("score")
    applies = status != "not_applicable"
    zero = o.lit(0)
    return {
        "points_sum": o.agg_sum(P),
        "applicable": o.agg_sum(o.when((applies, P), otherwise=zero)),
        "raw": o.agg_sum(o.fill(score, 0)),
        "excluded": o.agg_any(~applies),
        "indicators_applicable": o.agg_count(applies),
        "indicators_computed": o.agg_count(status == "computed"),
        "points_computed": o.agg_sum(o.when((status == "computed", P), otherwise=zero)),
        "unscored": o.agg_count(applies & o.is_null(score)),
    }


def grade(o: Any, compiled: CompiledRubric, total: Expr) -> Expr:
    ordered = sorted(compiled.rubric.grades, key=lambda g: g.min, reverse=True)
    return o.when((o.is_null(total), o.null()), *[(total >= scaled(g.min), o.lit(g.grade)) for g in ordered],
                  otherwise=o.lit(compiled.rubric.grades[-1].grade))


def table_verdict(p: RubricPlan) -> list[dict[str, Expr]]:
    """After the aggregates: total (rescaled when some indicator does not apply, capped at the
    rubric's total, rounded once), coverage share, and the grade when the coverage allows."""
    c, o, rubric = p.compiler, p.compiler.o, p.compiled.rubric
    TM = scaled(rubric.total)
    applicable, raw = o.wide(o.col("applicable")), o.wide(o.col("raw"))
    rescale = o.col("excluded") & (o.col("applicable") > 0)
    n = o.when((rescale, raw * TM), otherwise=raw)
    d = o.when((rescale, applicable), otherwise=o.wide(o.lit(1)))
    fraction = {"tn": n, "td": d}
    n, d = o.col("tn"), o.col("td")
    total = o.when((n > d * TM, o.lit(TM)), otherwise=c.rounded(n, d))
    mn, md = rational(rubric.min_coverage)
    share4 = o.narrow(o.idiv(o.wide(o.col("points_computed")) * 20000 + applicable, applicable * 2))
    enough = o.fill((o.col("applicable") > 0) & (o.wide(o.col("share4")) * md >= mn * 10**4), False)
    return [
        {**fraction, "share4": o.when((o.col("applicable") > 0, share4), otherwise=o.null())},
        {"total": o.when((enough, total), otherwise=o.null()),
         "coverage_share": o.col("share4") * (SCALE // 10**4),
         "complete": o.col("unscored") == 0,
         "stated_grade": grade(o, p.compiled, o.col("total_stated"))},
        {"grade": grade(o, p.compiled, o.col("total"))},
    ]
