"""The narrative report (自评报告): numbered sections, and every amount stated in them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ...lru import by_text
from ...model import NarrativeSection
from ..document import Paragraph
from .common import Ctx

_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?[一二三四五六七八九十]+\)|\d+、)")
_END = re.compile(r"^\s*附件\s*\d*|^\s*\S.{0,40}(评价基础数据表|自评表|评分表)\s*$")
_AMOUNT = re.compile(r"([一-鿿、“”（）()]{2,30}?)(?:为|是|达|共计|合计|：|:)?\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万(?:元|(?=[，。；、,.;：:\s）)]|$))")
_LEADING = ("其中",)

# The heading suffix of a report section Jixiao's export wrote from the forms (render/report.py
# adds it): the text under it is Jixiao's, not the unit's, so an import skips the section.
GENERATED = "（由系统根据所附表格数据生成）"


def is_generated(heading: str) -> bool:
    return unicodedata.normalize("NFKC", GENERATED) in unicodedata.normalize("NFKC", heading)


def is_heading(text: str) -> bool:
    return bool(_HEADING.match(text)) and len(text.strip()) <= 40 and not text.strip().endswith(("。", "；"))


def read_narrative(paragraphs: list[Paragraph], ctx: Ctx) -> list[NarrativeSection]:
    """Sections from the first numbered heading to the first 附件 paragraph; a section that
    Jixiao's export generated is read past (placed, so no notice) and not kept."""
    sections: list[NarrativeSection] = []
    heading: str | None = None
    body: list[str] = []
    for paragraph in paragraphs:
        text = paragraph.text.strip(" \u3000\t")
        if _END.match(text):
            break
        if is_heading(text) or is_generated(text):  # a marked heading is one, however long
            if heading is not None and not is_generated(heading):
                sections.append(NarrativeSection(heading=heading, text="\n".join(body)))
            heading, body = text, []
        elif heading is not None and text:
            body.append(text)
        else:
            continue
        ctx.placed.add(id(paragraph))
    if heading is not None and not is_generated(heading):
        sections.append(NarrativeSection(heading=heading, text="\n".join(body)))
    return sections


@dataclass(frozen=True)
class StatedAmount:
    label: str
    amount: Decimal
    sentence: str


@by_text(4_000_000)  # the audit reads a report's sentences again after every edit of the package
def narrative_amounts(text: str) -> tuple[StatedAmount, ...]:
    """Every ``…万元`` figure with the words that name it (基本支出决算数为3443.65万元)."""
    found: list[StatedAmount] = []
    for sentence in re.split(r"(?<=[。；;！!？?\n])", unicodedata.normalize("NFKC", text)):
        for match in _AMOUNT.finditer(sentence):
            label = match.group(1)
            for word in _LEADING:
                label = label.removeprefix(word)
            if label.startswith("年") and not label.startswith("年初") and sentence[: match.start(1)][-1:].isdigit():
                label = label[1:]  # the 年 of “2022年基本支出…”
            found.append(StatedAmount(label.strip("，,、"), Decimal(match.group(2).replace(",", "")), sentence.strip()))
    return tuple(found)
