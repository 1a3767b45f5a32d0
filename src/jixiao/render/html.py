"""The report and the forms as one self-contained HTML page (and, through WeasyPrint, PDF),
and as Markdown."""

from __future__ import annotations

import re
from html import escape

from ..model import Evaluation, NarrativeSection
from .layout import Form
from .marks import Marks

STYLE = """
@page{size:A4;margin:20mm 18mm}
@page forms{size:A4 landscape;margin:12mm 10mm}
body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","SimSun",serif;color:#000;line-height:1.6;font-size:12pt}
.cover{text-align:center;margin:4em 0 3em}.cover h1{font-size:22pt;margin:.2em}.cover p{font-size:14pt;margin:.2em}
h2{font-size:14pt;margin:1.2em 0 .4em;font-family:"Noto Sans CJK SC",sans-serif}
p.body{text-indent:2em;margin:.2em 0}
section.form{page:forms;page-break-before:always;font-family:"Noto Sans CJK SC",sans-serif}
section.form .annex{font-size:10pt;margin:0}section.form h3{text-align:center;font-size:15pt;margin:.2em 0 .4em}
section.form .line{font-size:10pt;margin:.1em 0}
table{border-collapse:collapse;width:100%;font-size:9pt;page-break-inside:auto;table-layout:fixed;margin:0}
table+table{margin-top:-1px}
thead{display:table-header-group}td.empty{height:1.4em}
.computed-value{display:block;font-size:7.5pt;color:#1f4e79;white-space:pre-line}
td,th{border:1px solid #000;padding:2px 4px;vertical-align:middle;white-space:pre-wrap}
th{font-weight:bold;text-align:center;background:#f2f2f2}td.num{text-align:right;white-space:nowrap}
tr{page-break-inside:avoid}
td.computed{background:#ddebf7}td.warning{background:#fce8b2}td.error{background:#f8c9c9}
.footer{font-size:10pt;margin-top:.6em}
@media screen{body{max-width:1100px;margin:2em auto}}
"""


def _parts(form: Form) -> list[tuple[int, int, bool]]:
    """The form as consecutive tables, (first row, end, first row is a repeated header): the
    block above the grid header, the rows that header heads, and the rows after them. Each
    is its own table because a browser repeats only a table's thead, and only a header that
    heads the rows below it may be repeated over them."""
    until = len(form.rows) if form.repeat_until is None else form.repeat_until
    bounds = sorted({0, form.repeat, until, len(form.rows)})
    parts = [(a, b, a in (0, form.repeat) and a < until) for a, b in zip(bounds, bounds[1:], strict=False)]
    return [part for part in parts if part[0] < part[1]]


def _groups(form: Form) -> list[int]:
    """The rows that begin a row group: each table's header row and its body."""
    return sorted({row for first, _, head in _parts(form) for row in ((first, first + 1) if head else (first,))} - {0})


def _rowspans(form: Form) -> dict[tuple[int, int], int]:
    """(row, grid column) of each cell that starts a vertical merge → rows it covers. A rowspan
    cannot leave its row group, so a merge is cut where a group begins and goes on from a blank
    cell there (else the rows below the grid header would lose a cell and shift left)."""
    spans: dict[tuple[int, int], int] = {}
    starts: dict[int, tuple[int, int]] = {}
    groups = _groups(form)
    for r, row in enumerate(form.rows):
        column = 0
        for cell in row:
            if cell.merged and column in starts and r not in groups:
                spans[starts[column]] += 1
            else:
                starts[column] = (r, column)
                spans[(r, column)] = 1
            column += cell.span
    return spans


def form_html(form: Form, marks: Marks, show_computed: bool = True) -> str:
    """One form as a table; the computed value is printed under a stated one that differs,
    and the grid header repeats on every page."""
    spans = _rowspans(form)
    rows = []
    widths = form.widths or [1] * form.width
    colgroup = "<colgroup>" + "".join(f"<col style='width:{100 * w / sum(widths):.1f}%'>" for w in widths) + "</colgroup>"
    for r, row in enumerate(form.rows):
        cells, column = [], 0
        for cell in row:
            if not cell.merged or (r, column) in spans:
                tag = "th" if cell.header else "td"
                classes = ["num"] if cell.number is not None else []
                mark = marks.get(cell.key)
                title, extra = "", ""
                if mark is not None:
                    classes.append(mark.level)
                    title = f" title='{escape(mark.text)}'"
                    if show_computed and mark.level == "computed":
                        # 核算执行率 over its figure: the rate and score columns are five characters wide
                        label, _, value = mark.text.split("：")[0].split("（")[0].rpartition(" ")
                        shown = f"{escape(label)}\n{escape(value)}" if label else escape(value)
                        extra = f"<span class='computed-value'>{shown}</span>"
                if not cell.text and not extra:
                    classes.append("empty")
                attrs = (f" colspan='{cell.span}'" if cell.span > 1 else "") + (f" rowspan='{spans[(r, column)]}'" if spans.get((r, column), 1) > 1 else "")
                attrs += f" class='{' '.join(classes)}'" if classes else ""
                cells.append(f"<{tag}{attrs}{title}>{escape(cell.text)}{extra}</{tag}>")
            column += cell.span
        rows.append("<tr>" + "".join(cells) + "</tr>")
    lines = "".join(f"<p class='line'>{escape(line)}</p>" for line in form.lines)
    return (
        f"<section class='form'><p class='annex'>{escape(form.annex)}</p><h3>{escape(form.title)}</h3>{lines}"
        + "".join(
            f"<table>{colgroup}" + (f"<thead>{rows[first]}</thead>" if head else "")
            + f"<tbody>{''.join(rows[first + head : end])}</tbody></table>"
            for first, end, head in _parts(form)
        )
        + (f"<p class='footer'>{escape(form.footer)}</p>" if form.footer else "")
        + "</section>"
    )


def report_html(evaluation: Evaluation, sections: list[NarrativeSection], forms: list[Form], marks: Marks) -> str:
    body = [
        f"<div class='cover'><h1>{escape(evaluation.unit.name)}</h1><p>部门整体支出绩效自评报告</p><p>（{evaluation.fiscal_year}年度）</p></div>",
    ]
    for section in sections:
        body.append(f"<h2>{escape(section.heading)}</h2>")
        body += [f"<p class='body'>{escape(line)}</p>" for line in section.text.split("\n") if line.strip()]
    body += [form_html(form, marks) for form in forms]
    if marks.annex is not None:
        body.append(form_html(marks.annex, Marks()))
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{escape(evaluation.unit.name)} {evaluation.fiscal_year}年度绩效自评</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


# Markdown's own punctuation in a unit's text: links, images, emphasis, code, strike, tables;
# and what opens a heading or a list at a line's start. < > & become entities.
_MD_PUNCT = re.compile(r"([\\`*_\[\]~|])")
_MD_LINE = re.compile(r"^(\s*)([#+-]|\d+\.)", re.M)
# What a renderer turns into a link by itself (GFM autolinks): http://…, www.…, a@b.c
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<=\bwww)(\.)|(@)(?=[\w-]+\.)")


def _md(text: str) -> str:
    """A unit's text as Markdown shows it, letter for letter: never a tag, a link, an image,
    a table break, a heading or an accidental list."""
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
    text = _MD_LINE.sub(lambda m: m.group(1) + (m.group(2)[:-1] + "\\." if m.group(2)[-1] == "." else "\\" + m.group(2)), text)
    return escape(text, quote=False).replace("\n", "<br>")


def report_markdown(evaluation: Evaluation, sections: list[NarrativeSection], forms: list[Form], marks: Marks) -> str:
    out = [f"# {_md(evaluation.unit.name)} 部门整体支出绩效自评报告（{evaluation.fiscal_year}年度）", ""]
    for section in sections:
        out += [f"## {_md(section.heading)}", ""] + [_md(line) for line in section.text.split("\n") if line.strip()] + [""]
    for form in [*forms, *([marks.annex] if marks.annex else [])]:
        out += [f"## {_md(form.annex)}　{_md(form.title)}".rstrip(), ""] + [f"{_md(line)}  " for line in form.lines] + [""]
        grid = []
        for row in form.rows:
            cells = []
            for cell in row:
                value = "" if cell.merged else _md(cell.text)
                mark = marks.get(cell.key)
                if mark is not None and form is not marks.annex:
                    value += " ⚑"
                cells += [value] + [""] * (cell.span - 1)
            grid.append(cells + [""] * (form.width - len(cells)))
        out.append("| " + " | ".join(grid[0]) + " |")
        out.append("|" + "---|" * form.width)
        out += ["| " + " | ".join(cells) + " |" for cells in grid[1:]]
        out += ["", _md(form.footer), ""] if form.footer else [""]
    return "\n".join(out)
