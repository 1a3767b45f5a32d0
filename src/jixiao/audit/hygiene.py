"""Text hygiene: what the importer could not read cleanly, placeholders, doubled words,
wrong years, and counts in prose that disagree with the list that follows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..ingest.vocabulary import default_vocabulary
from ..labels import normalize_label
from ..lru import by_text
from .finding import Location
from .registry import Check, Context, Result, check

_PLACEHOLDER = re.compile(r"[XＸxｘ×＊*]{2,}|此处填写|请填写|待填|待定|某某|XXX|（略）|\(略\)")
_DOUBLED = re.compile(r"([一-鿿]{2,4})\1")
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_COUNT = re.compile(r"([一二两三四五六七八九十\d]{1,3})\s*(?:个|项|条|大)([一-鿿]{0,8}?(?:目标|任务|问题|措施|方面|重点))")
_ITEM = re.compile(r"^\s*(?:目标\s*\d+|\d+\s*[.、．]|（\d+）|\(\d+\)|[①②③④⑤⑥⑦⑧⑨⑩])")


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text in _NUMERALS:
        return _NUMERALS[text]
    if len(text) == 2 and text[0] == "十":
        return 10 + _NUMERALS.get(text[1], 0)
    if len(text) == 2 and text[1] == "十":
        return _NUMERALS.get(text[0], 0) * 10
    return None


def _texts(ctx: Context) -> Iterator[tuple[dict, str]]:
    """Every text of the package with where it stands, as Location's fields: a Location is
    made only for a text that has something to say (most have nothing)."""
    evaluation = ctx.evaluation
    for section in evaluation.narrative:
        yield {"part": "narrative", "section": section.heading}, section.text
    tables = ([("department_evaluation", None, evaluation.department_evaluation)] if evaluation.department_evaluation else []) + [
        ("project", p.name, p) for p in evaluation.projects
    ]
    for part, name, table in tables:
        for goal in table.goals:
            for text in (goal.expected, goal.adjusted, goal.actual):
                if text:
                    yield {"part": part, "project": name, "row": "年度总体目标"}, text
        if table.execution.reason:
            yield {"part": part, "project": name, "row": "预算执行率", "column": "原因"}, table.execution.reason
        for row, text in (("项目实施内容及过程概述", table.implementation), ("评价结论", table.conclusion), ("存在问题", table.problems), ("改进措施", table.measures)):
            if text:
                yield {"part": part, "project": name, "row": row}, text
        for indicator in table.indicators:
            for column, text in (("年度指标值", indicator.target), ("实际完成值", indicator.actual), ("偏差原因分析及改进措施", indicator.deviation)):
                if text:
                    yield {"part": part, "project": name, "indicator": indicator.name, "column": column}, text


@check(
    "hygiene.import",
    "warning",
    "导入时发现的问题",
    "导入时读不懂或未归位的表格内容（格式有误的数字、应为数字却不是数字的单元格、未归入任何字段的带数字的单元格），请核对原文。"
    "表格以外未归位的段落（签名、日期）只在导入时提示。",
)
def imported(self: Check, ctx: Context) -> Iterator[Result]:
    for notice in ctx.notices:
        if notice.severity == "info" or notice.paragraph:
            continue
        yield self.finding(notice.message, Location(part="import", row=notice.where), {"notice": notice.code, "text": notice.text}, severity=notice.severity)


# What each text holds, remembered by the text: a package is audited again after every edit,
# and all its texts but one are as before.
TEXTS_HELD = 4_000_000


@by_text(TEXTS_HELD)
def _placeholders(text: str) -> tuple[str, ...]:
    return tuple(m.group() for m in _PLACEHOLDER.finditer(text))


@by_text(TEXTS_HELD)
def _template_line(text: str) -> tuple[str, ...]:
    """The first line that is a form's filling instruction, if any."""
    patterns = [p for p, _ in default_vocabulary().patterns.get("template-text", ())]
    for line in text.split("\n"):
        label = normalize_label(line)  # once per line, not once per pattern
        if any(p.fullmatch(label) for p in patterns):
            return (line,)
    return ()


@by_text(TEXTS_HELD)
def _doubled(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((m.group(), m.group(1)) for m in _DOUBLED.finditer(text))


@by_text(TEXTS_HELD)
def _years(text: str) -> tuple[tuple[str, int], ...]:
    return tuple((m.group(), int(m.group(1))) for m in _YEAR.finditer(text))


@check("hygiene.placeholder", "warning", "占位符未替换", "文字中留有“XX”“某某”“请填写”“待定”等占位内容。")
def placeholder(self: Check, ctx: Context) -> Iterator[Result]:
    for where, text in _texts(ctx):
        for found in _placeholders(text):
            yield self.finding(f"留有占位内容“{found}”", Location(**where), {"text": found})


@check(
    "hygiene.template-text",
    "warning",
    "表样填写说明未替换",
    "单元格中仍是表样的填写说明（如“……（200字以内）”“对照年度目标，说明……”），而不是单位填写的内容。"
    "说明的写法来自词表（template-text），各地可补充。",
)
def template_text(self: Check, ctx: Context) -> Iterator[Result]:
    for where, text in _texts(ctx):
        if where["part"] == "narrative":
            continue  # a report's prose may well say 应说明…; the instructions are the forms' cells
        for line in _template_line(text):
            yield self.finding(f"仍是表样的填写说明“{line[:40]}”，应填写实际内容", Location(**where), {"text": line})


@check("hygiene.doubled-word", "info", "词语重复", "同一词语连写两遍（如“经费经费”），多为录入错误。")
def doubled_word(self: Check, ctx: Context) -> Iterator[Result]:
    for where, text in _texts(ctx):
        for whole, word in _doubled(text):
            yield self.finding(f"“{whole}”中“{word}”重复", Location(**where), {"text": whole})


@check(
    "hygiene.wrong-year",
    "warning",
    "年份与评价年度不符",
    "评价年度为 N 时，文字中出现的年份应为 N−1（上年）、N 或 N+1（报告年份）；其他年份多为沿用旧表未改。",
)
def wrong_year(self: Check, ctx: Context) -> Iterator[Result]:
    year = ctx.evaluation.fiscal_year
    for where, text in _texts(ctx):
        for said, found in _years(text):
            if abs(found - year) > 1:
                yield self.finding(f"出现“{said}”，评价年度为 {year} 年", Location(**where), {"year": found, "fiscal_year": year}, year)


@check(
    "hygiene.count-mismatch",
    "warning",
    "文中数量与所列条目不符",
    "“以下六个绩效目标”之类的数量，应与其后列出的条目数一致。",
)
def count_mismatch(self: Check, ctx: Context) -> Iterator[Result]:
    for section in ctx.evaluation.narrative:
        lines = [line for line in section.text.split("\n") if line.strip()]
        unread: list[str] = []
        for index, line in enumerate(lines):
            for match in _COUNT.finditer(line):
                said = _number(match.group(1))
                following = 0
                for later in lines[index + 1 :]:
                    if not _ITEM.match(later):
                        break
                    following += 1
                if said is None and following >= 2:
                    unread.append(f"“{match.group()}”（其后列出 {following} 条）")
                if said is not None and following >= 2 and following != said:
                    yield self.finding(
                        f"写“{match.group()}”，其后列出 {following} 条",
                        Location(part="narrative", section=section.heading),
                        {"said": said, "listed": following},
                        following,
                    )
        if unread:
            yield self.skip(f"报告“{section.heading}”中{''.join(unread)}的数量无法识别，无法核对", Location(part="narrative", section=section.heading))


CHECKS = (imported, placeholder, template_text, doubled_word, wrong_year, count_mismatch)
