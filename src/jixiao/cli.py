"""The command line: a thin front end over the library (read → model → score → render)."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from .audit import CHECKS
from .audit.catalogue import markdown
from .audit.report import selected
from .ingest import ImportResult, load_any
from .render.audit_html import audit_html
from .render.export import ExportError, export_document
from .render.audit_terminal import audit_view
from .model import DocumentError, Evaluation, dump_evaluation
from .render.terminal import package_view, rubric_view
from .rubric.loader import CompiledRubric, RubricError, find_rubric, load_rubric, rubric_files
from .rubric.choose import AUTO, ProjectRubrics, project_rubrics
from .cli_batch import JOBS, audit_file, each, import_one, score_file
from .cli_vocabulary import VOCABULARY, YEAR, vocabulary_app, vocabulary_from
from .cli_dataset import batch_app, dataset_app
from .web.server import THREADS

app = typer.Typer(help="Jixiao 预算绩效自评：导入、评分、审核、导出。", no_args_is_help=True, add_completion=False)
rubric_app = typer.Typer(help="评分规则（YAML）：列出、校验、查看。", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")
app.add_typer(vocabulary_app, name="vocabulary")
app.add_typer(dataset_app, name="dataset")
app.add_typer(batch_app, name="batch")

def _console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr)
    # piped to a file or a pager: do not squeeze tables into 80 columns
    return console if console.is_terminal else Console(stderr=stderr, width=160)


out = _console()
err = _console(stderr=True)

DEFAULT_DEPARTMENT_RUBRIC = "hengshan-2022-department"
PROJECT_RUBRIC = typer.Option(
    AUTO, "--project-rubric",
    help="项目表式的评分规则：编号或 YAML 文件；默认 auto，按导入时识别的表样选用（未识别时用 mof-2020-project）",
)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


def _fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]错误[/]：{escape(message)}", highlight=False, soft_wrap=True)  # a message is one line, however long its paths
    raise typer.Exit(code)


def _emit(text: str, path: Path | None) -> None:
    """To the file when one is given (a directory's entry or --output), else to stdout."""
    if path is None:
        print(text, end="")
    else:
        path.write_text(text, encoding="utf-8")


def _rubrics(rubric: str, project_rubric: str) -> tuple[CompiledRubric, ProjectRubrics]:
    """The department and project rubrics named on the command line, each of its own kind."""
    try:
        department, project = find_rubric(rubric), project_rubrics(project_rubric)
    except RubricError as exc:
        _fail(str(exc))
    if department.rubric.kind != "department":
        _fail(f"“{rubric}”不是部门整体评分规则")
    if project.default.rubric.kind != "project":
        _fail(f"“{project_rubric}”不是项目支出评分规则")
    return department, project


@app.command()
def schema() -> None:
    """打印绩效自评材料（交换格式）的 JSON Schema。"""
    print(json.dumps(Evaluation.model_json_schema(), ensure_ascii=False, indent=2))


@app.command()
def score(
    files: list[Path] = typer.Argument(..., help="绩效自评材料：JSON，或可导入的 .docx / .xlsx / 文本"),
    rubric: str = typer.Option(DEFAULT_DEPARTMENT_RUBRIC, "--rubric", "-r", help="部门整体评分规则：编号或 YAML 文件"),
    project_rubric: str = PROJECT_RUBRIC,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="输出格式"),
    detail: bool = typer.Option(False, "--detail", help="表格输出时逐项列出每个项目的指标"),
    explain: bool = typer.Option(False, "--explain", "-e", help="表格输出时给出每项的完整计算说明"),
    year: int | None = YEAR,
    vocabulary: list[Path] = VOCABULARY,
    jobs: int = JOBS,
) -> None:
    """按评分规则核算得分，逐项说明公式、代入数值、适用规则与扣分。多个文件逐个输出（jsonl 每行一份）。"""
    _rubrics(rubric, project_rubric)  # a wrong reference stops here, before any worker starts
    vocabulary_from(vocabulary)
    many = len(files) > 1 and fmt is Format.json
    if many:
        print("[")
    for index, (path, result, problem) in enumerate(each(files, score_file, (rubric, project_rubric, year, tuple(vocabulary)), jobs)):
        if problem is not None:
            _fail(problem if problem.startswith(path.name) else f"{path}：{problem}")
        if fmt is Format.table:
            out.print(package_view(result, detail, explain))
        elif fmt is Format.jsonl:
            print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False), flush=True)
        else:
            text = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2)
            print(("," if many and index else "") + text, flush=True)
    if many:
        print("]")


@rubric_app.command("list")
def rubric_list() -> None:
    """列出可用的评分规则。"""
    for path in rubric_files():
        try:
            compiled = load_rubric(path)
        except RubricError as exc:
            err.print(f"[red]{escape(path.name)}：无效[/]（{escape(exc.problems[0])}）", highlight=False)
            continue
        r = compiled.rubric
        out.print(f"{r.id}\t{r.kind}\t{r.jurisdiction}\t{r.year or '不限'}\t{r.title}", highlight=False)


@rubric_app.command("check")
def rubric_check(files: list[Path] = typer.Argument(..., help="评分规则 YAML 文件")) -> None:
    """校验评分规则文件：分值加总、公式字段、评分方法、分母为 0 的处理……"""
    failed = False
    for path in files:
        try:
            compiled = load_rubric(path)
        except RubricError as exc:
            failed = True
            for problem in exc.problems:
                err.print(f"[red]✗[/] {escape(problem)}", highlight=False)
            continue
        rubric = compiled.rubric
        if rubric.kind == "project":
            what = ("预算执行率 + " if rubric.execution else "") + f"单位自设指标（{'、'.join(lv.name for lv in rubric.levels)}）"
        else:
            what = f"{len(rubric.all_indicators())} 个指标"
        out.print(f"[green]✓[/] {escape(str(path))}：{escape(rubric.title)}，{what}，总分 {rubric.total}", highlight=False)
    if failed:
        raise typer.Exit(1)


@rubric_app.command("show")
def rubric_show(ref: str = typer.Argument(..., help="评分规则编号或 YAML 文件")) -> None:
    """以评分表的形式显示评分规则。"""
    try:
        compiled = find_rubric(ref)
    except RubricError as exc:
        _fail(str(exc))
    out.print(rubric_view(compiled))


SEVERITY = {"error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "dim")}


def _summary() -> Table:
    table = Table(title="导入结果", title_justify="left")
    for header in ("文件", "单位", "年度", "识别出的表格", "数字单元格读取", "错误", "警告", "提示"):
        table.add_column(header, overflow="fold")
    return table


def _summary_row(table: Table, r: ImportResult) -> None:
    count = {k: sum(1 for n in r.notices if n.severity == k) for k in SEVERITY}
    unit = r.evaluation.unit.name if r.evaluation else "—"
    year = str(r.evaluation.fiscal_year) if r.evaluation else "—"
    cover = r.found.coverage
    table.add_row(
        escape(r.source), escape(unit), year, escape(r.found.describe()),
        f"{cover.placed}/{cover.seen}" if cover.seen else "—",
        f"[red]{count['error']}[/]" if count["error"] else "0", str(count["warning"]), str(count["info"]),
    )


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="要导入的文件：.docx、.xlsx 或从 Word 复制出的文本"),
    output: Path | None = typer.Option(None, "--output", "-o", help="单个文件时，写出的 JSON 路径"),
    outdir: Path | None = typer.Option(None, "--outdir", "-d", help="多个文件时，JSON 写入的目录"),
    year: int | None = YEAR,
    unit: str | None = typer.Option(None, "--unit", help="单位名称（文件中找不到时指定）"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="列出全部提示（含“提示”级）"),
    vocabulary: list[Path] = VOCABULARY,
    report: Path | None = typer.Option(None, "--report", help="导入报告（JSON）：识别出的表格、数字单元格读取率、全部提示"),
    jobs: int = JOBS,
) -> None:
    """导入单位已有的 Word / Excel / 文本材料，识别各张表格，输出交换格式 JSON（每个文件读完即写出）。"""
    vocabulary_from(vocabulary)
    if len(files) > 1 and output is not None:
        _fail("多个文件请用 --outdir 指定输出目录")
    if outdir is not None:
        outdir.mkdir(parents=True, exist_ok=True)
    summary, reports, ok = _summary(), [], True
    with Progress(console=err, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("导入中", total=len(files))
        for path, result, problem in each(files, import_one, (year, unit, tuple(vocabulary)), jobs):
            progress.advance(task)
            if result is None:
                err.print(f"[bold red]错误[/] {escape(path.name)}：{escape(problem or '')}", highlight=False)
                ok = False
                continue
            for notice in result.notices:
                if notice.severity != "info" or verbose:
                    label, style = SEVERITY[notice.severity]
                    err.print(f"[{style}]{label}[/] {escape(notice.where)}：{escape(notice.message)}", highlight=False)
            if result.evaluation is not None:
                _emit(dump_evaluation(result.evaluation), outdir / f"{path.stem}.json" if outdir else output)
            _summary_row(summary, result)
            ok = ok and result.ok
            if report is not None:
                reports.append(result.report())
    err.print(summary)
    if report is not None:
        report.write_text(json.dumps(reports, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if not ok:
        raise typer.Exit(1)


class AuditFormat(str, Enum):
    table = "table"
    json = "json"
    html = "html"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


@app.command("audit")
def audit_command(
    files: list[Path] = typer.Argument(..., help="绩效自评材料：JSON，或可导入的 .docx / .xlsx / 文本"),
    rubric: str = typer.Option(DEFAULT_DEPARTMENT_RUBRIC, "--rubric", "-r", help="部门整体评分规则：编号或 YAML 文件"),
    project_rubric: str = PROJECT_RUBRIC,
    fmt: AuditFormat = typer.Option(AuditFormat.table, "--format", "-f", help="输出格式"),
    output: Path | None = typer.Option(None, "--output", "-o", help="写入文件（单个材料）"),
    outdir: Path | None = typer.Option(None, "--outdir", "-d", help="写入目录（多个材料，每份一个文件）"),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="有此级别（及以上）的问题时退出码为 1"),
    select: list[str] = typer.Option([], "--select", help="只运行这些检查（代码或类别，可重复）"),
    skip: list[str] = typer.Option([], "--skip", help="不运行这些检查（代码或类别，可重复）"),
    year: int | None = YEAR,
    vocabulary: list[Path] = VOCABULARY,
    jobs: int = JOBS,
    previous: Path | None = typer.Option(None, "--previous", "-p", help="该单位上一年度的自评材料，用于与上年对照（只审核一份材料时）"),
) -> None:
    """审核绩效自评材料：找出表内、表间、评分规则、目标质量与文字规范问题，并按评分规则重新核算。"""
    _rubrics(rubric, project_rubric)
    vocabulary_from(vocabulary)
    if previous is not None and len(files) > 1:
        _fail("--previous 只能与一份材料对照")
    if not selected(CHECKS, select, skip):
        _fail("--select / --skip 之后没有剩下任何检查")
    if len(files) > 1 and output is not None:
        _fail("多个材料请用 --outdir 指定输出目录")
    render = {
        AuditFormat.json: lambda r: json.dumps(r.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        AuditFormat.html: audit_html,
    }.get(fmt)
    if outdir is not None:
        outdir.mkdir(parents=True, exist_ok=True)
    worst = {FailOn.error: ("error",), FailOn.warning: ("error", "warning"), FailOn.never: ()}[fail_on]
    summary = Table(title="审核汇总", title_justify="left")
    for header in ("材料", "单位", "错误", "警告", "提示", "填报总分", "核算总分"):
        summary.add_column(header)
    failing = False
    work = (rubric, project_rubric, year, tuple(vocabulary), tuple(select), tuple(skip), previous)
    with Progress(console=err, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("审核中", total=len(files))
        for path, report, problem in each(files, audit_file, work, jobs):
            progress.advance(task)
            if problem is not None:  # each report is written and let go before the next is read
                failing = True
                err.print(f"[bold red]错误[/]：{escape(problem if problem.startswith(path.name) else f'{path.name}：{problem}')}", highlight=False)
                continue
            if render is None:
                out.print(audit_view(report))
            else:
                _emit(render(report), outdir / f"{Path(report.source).stem}.{fmt.value}" if outdir else output)
            dept = report.rescore.department
            summary.add_row(
                escape(report.source), escape(report.unit), *(str(report.stats[k]) for k in ("error", "warning", "info")),
                str(dept.stated_total if dept and dept.stated_total is not None else "—"), dept.total_shown if dept else "—",
            )
            failing = failing or any(report.stats[level] for level in worst)
    if len(files) > 1:
        err.print(summary)
    if failing:
        raise typer.Exit(1)


@app.command("checks")
def checks_command() -> None:
    """打印审核检查目录（Markdown），即 docs/checks.md 的内容。"""
    print(markdown(), end="")


@app.command("export")
def export_command(
    file: Path = typer.Argument(..., help="绩效自评材料：JSON，或可导入的 .docx / .xlsx / 文本"),
    to: str = typer.Option(..., "--to", "-t", help="导出格式：xlsx、docx、pdf、html、md"),
    output: Path = typer.Option(..., "--output", "-o", help="输出文件"),
    template: Path | None = typer.Option(None, "--template", help="Word 模板（docxtpl），默认使用内置模板"),
    highlight: bool = typer.Option(False, "--highlight", help="在相应单元格上标出审核发现的问题"),
    rubric: str = typer.Option(DEFAULT_DEPARTMENT_RUBRIC, "--rubric", "-r", help="部门整体评分规则：编号或 YAML 文件"),
    project_rubric: str = PROJECT_RUBRIC,
    year: int | None = YEAR,
    vocabulary: list[Path] = VOCABULARY,
) -> None:
    """导出正式表格和自评报告：Excel（各表一页）、Word（报告 + 表格）、PDF、HTML、Markdown。"""
    department, project = _rubrics(rubric, project_rubric)
    try:
        evaluation = load_any(file, year, vocabulary_from(vocabulary))
        exported = export_document(evaluation, to, department, project, template, highlight)
    except (DocumentError, ExportError) as exc:
        _fail(str(exc))
    output.write_bytes(exported.data)
    err.print(f"已导出 {escape(str(output))}（{len(exported.data) // 1024} KB）", highlight=False)
    for note in exported.notes():  # what the report lacks is told here, not printed as filler in it
        err.print(f"[yellow]注意[/]：{escape(note)}", highlight=False, soft_wrap=True)


@app.command("demo")
def demo_command() -> None:
    """载入示例数据（幂等）：财政局、两个示例单位及其自评材料、各角色示例账号。"""
    from .web.server import migrate, setup

    setup()
    migrate()
    from .web.demo import load_demo

    for line in load_demo():
        out.print(line, highlight=False)


@app.command("remind")
def remind_command(
    today: str = typer.Option("", "--today", help="按这一天计算（YYYY-MM-DD），默认今天；补发漏掉的一天时用"),
) -> None:
    """截止前三天提醒尚未报送的参加单位（站内消息，有邮箱的同时发邮件）；每天运行一次，重复运行不会重复提醒。"""
    from datetime import date

    from .web.server import setup

    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        _fail(f"--today 应为 YYYY-MM-DD：{today}")
    setup()
    from .web import campaigns

    count = campaigns.remind(day or campaigns.today())
    out.print(f"已提醒 {count} 个单位" if count else "没有需要提醒的单位", highlight=False)


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址"),
    port: int = typer.Option(8000, "--port", help="端口"),
    workers: int = typer.Option(0, "--workers", "-w", help="进程数；0 表示按 CPU 核数"),
    threads: int = typer.Option(THREADS, "--threads", min=1, max=32, help="每个进程的线程数"),
) -> None:
    """启动网页应用（先执行未应用的数据库迁移），每个 CPU 核一个进程。"""
    from .web.server import migrate, serve, setup

    setup()
    migrate()
    err.print(f"绩效自评系统：http://{host}:{port}/  （Ctrl+C 停止）", highlight=False)
    serve(host, port, workers or None, threads)
