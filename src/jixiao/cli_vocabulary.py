"""``jixiao vocabulary``: check a bureau's vocabulary file, show the labels in force."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .ingest.vocabulary import GROUPS, Vocabulary, VocabularyError, build, load_vocabulary

vocabulary_app = typer.Typer(help="表格词表（YAML）：各地表头与行名的写法。校验、查看。", no_args_is_help=True)
_err = Console(stderr=True, width=160)
_out = Console(width=160)

YEAR = typer.Option(None, "--year", help="评价年度（文件中找不到时指定）")
VOCABULARY = typer.Option([], "--vocabulary", help="补充的词表 YAML（可重复；也可用环境变量 JIXIAO_VOCABULARY）")


def _fail(message: str) -> None:
    _err.print(f"[bold red]错误[/]：{escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def vocabulary_from(paths: list[Path]) -> Vocabulary:
    """The shipped vocabulary with $JIXIAO_VOCABULARY's files and ``paths``; a bad file stops."""
    try:
        return load_vocabulary(paths)
    except VocabularyError as exc:
        _fail("词表有误：\n" + str(exc))
        raise  # unreachable: _fail exits


@vocabulary_app.command("check")
def vocabulary_check(files: list[Path] = typer.Argument(..., help="词表 YAML 文件")) -> None:
    """校验词表文件（与内置词表一起）：错误指明文件和行号。"""
    texts = []
    for path in files:
        try:
            texts.append((str(path), path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{path}：无法读取（{exc}）")
    try:
        vocabulary = build(texts)
    except VocabularyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)  # one line each, never wrapped: editors jump to file:line
        raise typer.Exit(1) from None
    labels = sum(len(v) for keys in vocabulary.written.values() for v in keys.values())
    _out.print(f"词表有效：{len(files)} 个文件，连同内置词表共 {labels} 个标签、{len(vocabulary.layouts)} 种表样", highlight=False)


@vocabulary_app.command("show")
def vocabulary_show(
    group: str | None = typer.Option(None, "--group", "-g", help="只显示这一分组（如 fund.columns）"),
    vocabulary: list[Path] = VOCABULARY,
) -> None:
    """列出生效的词表：每个分组、字段及其各种写法。"""
    words = vocabulary_from(vocabulary)
    if group is not None and group not in GROUPS:
        _fail(f"没有分组“{group}”，可用：{'、'.join(GROUPS)}")
    table = Table(title="表格词表", title_justify="left")
    for header in ("分组", "字段", "标签"):
        table.add_column(header, overflow="fold")
    for name, keys in GROUPS.items():
        if group is not None and name != group:
            continue
        for key in keys:
            labels = words.labels(name, key)
            if labels:
                table.add_row(name, key, escape("、".join(labels)))
    _out.print(table)
    if group is None:
        layouts = Table(title="表样", title_justify="left")
        for header in ("编号", "名称", "见于", "特征标签"):
            layouts.add_column(header, overflow="fold")
        for layout in words.layouts.values():
            layouts.add_row(layout.id, escape(layout.title), escape(layout.seen), escape("、".join(layout.markers)))
        _out.print(layouts)
    _out.print("来源：" + "、".join(words.sources), highlight=False)
