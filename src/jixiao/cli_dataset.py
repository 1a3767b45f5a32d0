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
    with _progress() as bar:
        task = bar.add_task("构建数据集", total=len(files))
        report = build(files, output, each(files, flatten_file, (year,), jobs), lambda _: bar.advance(task))
    for name, reason in report.failed:
        err.print(f"[yellow]跳过[/] {escape(name)}：{escape(reason)}", highlight=False, soft_wrap=True)
    rate = (report.added + report.replaced) / report.seconds if report.seconds else 0
    print(f"新增 {report.added} 份，替换 {report.replaced} 份，失败 {len(report.failed)} 份；"
          f"用时 {report.seconds:.1f} 秒（{rate:.0f} 份/秒）→ {output}")
    if report.failed:
        raise typer.Exit(1)


batch_app = typer.Typer(help="在数据集上批量评分、审核、查询。", no_args_is_help=True)
