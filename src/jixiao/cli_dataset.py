"""``jixiao dataset build`` and ``jixiao batch score|audit|query|explain``: the columnar path."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .batch.build import build, flatten_file, input_files
from .cli_batch import JOBS, each
from .cli_vocabulary import YEAR

dataset_app = typer.Typer(help="评价材料的列式数据集（Parquet）：构建、追加。", no_args_is_help=True)
err = Console(stderr=True)


def fail(message: str) -> None:
    err.print(f"[bold red]错误[/]：{escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


@dataset_app.command("build")
def dataset_build(
    inputs: list[Path] = typer.Argument(..., help="评价材料：JSON 或可导入的文件，或其所在目录"),
    output: Path = typer.Option(..., "--output", "-o", help="数据集目录（已有则追加；同一单位同一年度的材料替换旧的）"),
    year: int | None = YEAR,
    jobs: int = JOBS,
) -> None:
    """把任意多份评价材料转换为 Parquet 数据集（单位、基础数据、评分表、项目、指标、报告金额）。"""
    missing = [p for p in inputs if not p.exists()]
    if missing:
        fail(f"找不到输入：{'、'.join(str(p) for p in missing)}")
    files = input_files(inputs)
    if not files:
        fail(f"{'、'.join(str(p) for p in inputs)} 中没有可读取的评价材料")
    if output.exists() and not output.is_dir():
        fail(f"{output} 不是目录")
    from .batch.build import DatasetVersionError, check_version

    try:  # appending to a dataset of another version would mix two schemas
        check_version(output)
    except DatasetVersionError as exc:
        fail(str(exc))
    with _progress() as bar:
        task = bar.add_task("构建数据集", total=len(files))
        report = build(files, output, each(files, flatten_file, (year,), jobs), lambda _: bar.advance(task))
    for name, reason in report.failed:
        err.print(f"[yellow]跳过[/] {escape(name)}：{escape(reason)}", highlight=False, soft_wrap=True)
    for name, earlier in report.repeated:
        err.print(f"[yellow]同一单位同一年度[/] {escape(name)} 替换了本次较早读入的 {escape(earlier)}", highlight=False, soft_wrap=True)
    rate = (report.added + report.replaced) / report.seconds if report.seconds else 0
    print(f"新增 {report.added} 份，替换 {report.replaced} 份（本次重复 {len(report.repeated)} 份），失败 {len(report.failed)} 份；"
          f"用时 {report.seconds:.1f} 秒（{rate:.0f} 份/秒）→ {output}")
    if report.failed:
        raise typer.Exit(1)


batch_app = typer.Typer(help="在数据集上批量评分、审核、查询。", no_args_is_help=True)


def _dataset(directory: Path) -> Path:
    if not (directory / "units").is_dir():
        fail(f"{directory} 不是数据集目录（其中没有 units 表）；请先运行 jixiao dataset build … -o {directory}")
    from .batch.build import DatasetVersionError, check_version

    try:
        check_version(directory)
    except DatasetVersionError as exc:
        fail(str(exc))
    return directory


RUBRIC = typer.Option("hengshan-2022-department", "--rubric", help="部门整体评分规则：编号或 YAML 文件")
PROJECT = typer.Option("auto", "--project-rubric", help="项目表式评分规则；auto 按表样选用")


@batch_app.command("score")
def batch_score(
    directory: Path = typer.Argument(..., help="数据集目录（jixiao dataset build 的输出）"),
    rubric: str = RUBRIC,
    project_rubric: str = PROJECT,
    engine: str = typer.Option("polars", "--engine", help="polars（本机）或 spark"),
    master: str | None = typer.Option(None, "--master", help="Spark master URL（默认 local[*]）"),
    jobs: int = JOBS,
) -> None:
    """用编译后的评分规则为数据集中的全部表评分；结果写入 DIR/results/。"""
    from .batch.results import read, score_directory, summary
    from .rubric.loader import RubricError

    if engine not in ("polars", "spark"):
        fail(f"未知的计算引擎“{engine}”，可用：polars、spark")
    try:
        run = score_directory(_dataset(directory), rubric, project_rubric, jobs, engine, master)
    except RubricError as exc:
        fail(str(exc))
    for name, reason in run.failed:
        err.print(f"[yellow]未评分[/] {escape(name)}：{escape(reason)}", highlight=False, soft_wrap=True)
    print(f"{run.units} 个单位、{run.tables} 张表、{run.indicators} 项指标；"
          f"批量计算 {run.units - run.fallback} 个单位，逐份计算 {run.fallback} 个单位；用时 {run.seconds['total']:.1f} 秒 → {directory / 'results'}")
    for row in summary(read(directory, "unit_scores")).iter_rows():
        print(f"  {row[0]}：{row[1]}")
    if run.failed:
        raise typer.Exit(1)


@batch_app.command("explain")
def batch_explain(ref: str = typer.Argument(..., help="评分规则（项目表式或部门整体评分表）：编号或 YAML 文件")) -> None:
    """显示评分规则编译成的列表达式（Polars）。"""
    from .batch.ir import PolarsOps
    from .batch.plan import make_plan
    from .rubric.choose import AUTO, project_rubrics
    from .rubric.loader import RubricError, find_rubric

    try:
        if ref != AUTO and find_rubric(ref).rubric.kind == "department":
            _explain_department(find_rubric(ref))
            return
        plan = make_plan(PolarsOps(), project_rubrics(ref))
    except RubricError as exc:
        fail(str(exc))
    for rid, why in plan.not_compiled.items():
        print(f"{rid}：未编译（{why}）")
    for rid, p in plan.plans.items():
        print(f"# {rid}")
        for part, stages in (("指标", p.indicator), ("预算执行率", p.execution or [])):
            for number, stage in enumerate(stages, 1):
                for name, expr in stage.items():
                    print(f"{part}·第{number}步 {name} = {expr}")


def _explain_department(compiled) -> None:
    from .batch.compile import NotCompilable
    from .batch.department import DepartmentPlan
    from .batch.ir import PolarsOps

    try:
        plan = DepartmentPlan(PolarsOps(), compiled)
    except NotCompilable as exc:
        print(f"{compiled.rubric.id}：未编译（{exc}），有评分表的单位逐份评分")
        return
    print(f"# {compiled.rubric.id}（评分表，每个指标对应评分表中名称相同的一行）")
    for ind, stages in plan.indicators:
        for number, stage in enumerate(stages, 1):
            for name, expr in stage.items():
                print(f"{ind.name}·第{number}步 {name} = {expr}")


@batch_app.command("audit")
def batch_audit(
    directory: Path = typer.Argument(..., help="数据集目录"),
    rubric: str = RUBRIC,
    project_rubric: str = PROJECT,
    jobs: int = JOBS,
    checks: bool = typer.Option(False, "--checks", help="只列出各项检查是否已向量化，不运行"),
) -> None:
    """批量审核：可向量化的检查在整个数据集上一次算完，其余检查逐份运行；结果写入 DIR/results/findings/。"""
    from .batch.audit import registry
    from .batch.audit_run import audit_directory
    from .rubric.loader import RubricError

    if checks:
        for code, title, vectorised, why in registry():
            print(f"{code}\t{title}\t{'向量化' if vectorised else '逐份运行'}" + ("" if vectorised else f"\t{why}"))
        return
    try:
        run = audit_directory(_dataset(directory), rubric, project_rubric, jobs)
    except RubricError as exc:
        fail(str(exc))
    for name, reason in run.failed:
        err.print(f"[yellow]未审核[/] {escape(name)}：{escape(reason)}", highlight=False, soft_wrap=True)
    print(f"{run.units} 个单位，{run.findings} 条发现（向量化 {run.vectorised} 条，逐份 {run.per_package} 条），"
          f"{run.not_checked} 条未能检查 → {directory / 'results' / 'findings'}、{directory / 'results' / 'not_checked'}")
    if run.failed:
        raise typer.Exit(1)


@batch_app.command("query")
def batch_query(
    directory: Path = typer.Argument(..., help="已评分（及审核）的数据集目录"),
    report: str = typer.Argument(..., help="报表：grades、overstated、missed、execution、findings"),
    over: int | None = typer.Option(None, "--over", "-n", help="overstated：高出的分数；missed/findings：列出前 N 项"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写入 .csv 或 .xlsx 文件；省略则以 CSV 输出到屏幕"),
) -> None:
    """常用报表：等级分布、填报总分虚高、最常未达标指标、执行率分段、常见审核发现。"""
    from .batch.query import REPORTS, QueryError, write

    if report not in REPORTS:
        fail(f"未知报表“{report}”，可用：{'、'.join(f'{k}（{v[0]}）' for k, v in REPORTS.items())}")
    if output is not None and output.suffix.lower() not in (".csv", ".xlsx"):
        fail(f"{output}：只能写入 .csv 或 .xlsx 文件")
    title, make, default = REPORTS[report]
    try:
        frame = make(_dataset(directory), default if over is None else over)
    except QueryError as exc:
        fail(str(exc))
    if output is None:
        print(frame.write_csv(), end="")
    else:
        write(frame, output, title)
        print(f"{title}：{frame.height} 行 → {output}")


@batch_app.command("refresh")
def batch_refresh(
    bureau: str | None = typer.Option(None, "--bureau", help="只重建这个财政局的数据集（名称）；默认全部"),
    jobs: int = JOBS,
) -> None:
    """用网页系统中的评价材料重建各财政局各年度的批量数据集（JIXIAO_BATCH_DIR），并评分、审核；建议每晚运行。"""
    from django.conf import settings

    from .web.server import setup

    setup()
    from .web.batch_refresh import refresh

    if settings.BATCH_DIR is None:
        fail("未设置 JIXIAO_BATCH_DIR：请指定批量数据集所在的目录")
    done = 0
    for line in refresh(settings.BATCH_DIR, bureau, jobs):
        print(line)
        done += 1
    if not done:
        fail(f"没有可处理的评价材料{f'（财政局“{bureau}”）' if bureau else ''}")
