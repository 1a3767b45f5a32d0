"""Who fills the package in and for which year: read from its titles, its tables' own
labels and, for the year, its columns or the file name — never guessed from the 主管部门."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

from ..document import Document
from ..numbers import clean
from ..vocabulary import Vocabulary
from .common import Ctx

_YEAR = re.compile(r"(20\d\d)\s*年")
_ORGANISATION = ("政府", "办公室", "局", "委员会", "委", "中心", "院", "所", "站", "队", "学校", "医院", "协会", "镇", "乡", "街道办事处")


def texts(document: Document) -> list[str]:
    titles = [p.text for p in document.paragraphs]
    for table in document.tables:
        titles += [c.text for row in table.rows[:3] for c in row]
    return titles


def fiscal_year_of(document: Document) -> int | None:
    """The year the titles name (（2023年度）, 2023年度…自评表); failing that, the latest year
    of a figure's column (2023年决算数, 2023年实际在职人数); failing that, the file name's."""
    titles: Counter[int] = Counter()
    columns: set[int] = set()
    for text in texts(document):
        if any(word in text for word in ("绩效", "自评", "年度", "填报单位")):
            titles.update(int(y) for y in _YEAR.findall(text))
        elif re.search("预算|决算|在职人数|执行数", text) and len(text) <= 30:
            columns.update(int(y) for y in _YEAR.findall(text))
    if titles:
        return titles.most_common(1)[0][0]
    if columns:
        return max(columns)
    named = re.findall(r"(?<!\d)(20\d\d)(?!\d)", Path(document.source).stem)
    return int(named[0]) if len(set(named)) == 1 else None


def _unit_pattern(vocabulary: Vocabulary) -> re.Pattern[str]:
    names = sorted((unicodedata.normalize("NFKC", t) for t in vocabulary.labels("unit.labels", "unit")), key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(re.escape(n) for n in names)})\s*[:：]\s*([^\t(（]+?)\s*(\t|单位[:：]|[(（]|$)")


def unit_of(ctx: Ctx, document: Document, parts: dict) -> str | None:
    """The unit that fills in the package: the department table's, the one a title names
    (填报单位：X), or the projects' 实施单位 — never their 主管部门."""
    department = parts.get("department_evaluation")
    if department is not None and department.name:
        return department.name
    pattern = _unit_pattern(ctx.vocab)
    for text in texts(document):
        match = pattern.search(unicodedata.normalize("NFKC", text))
        if match and clean(match.group(1)) and "盖章" not in match.group(1):
            return clean(match.group(1))
    implementers = Counter(p.implementer for p in parts.get("projects", []) if p.implementer)
    if implementers:
        return implementers.most_common(1)[0][0]
    for paragraph in document.paragraphs[:5]:
        text = clean(paragraph.text)
        if text.endswith(_ORGANISATION) and len(text) <= 30:
            return text
    return None


def supervisor_of(ctx: Ctx, document: Document, parts: dict, unit: str | None) -> str | None:
    """The 主管部门 a title line names (填报单位：X　主管部门：Y), else the projects' own."""
    names = sorted((unicodedata.normalize("NFKC", t) for t in ctx.vocab.labels("form.header", "department")), key=len, reverse=True)
    pattern = re.compile(rf"(?:{'|'.join(re.escape(n) for n in names)})\s*[:：]\s*([^\t(（]+?)\s*(\t|\s{{2,}}|[(（]|$)")
    named: list[str] = []
    for paragraph in document.paragraphs:
        match = pattern.search(unicodedata.normalize("NFKC", paragraph.text))
        if match and clean(match.group(1)):
            ctx.placed.add(id(paragraph))  # each form's title line says it again
            named.append(clean(match.group(1)))
    for text in texts(document) if not named else ():
        match = pattern.search(unicodedata.normalize("NFKC", text))
        if match and clean(match.group(1)):
            named.append(clean(match.group(1)))
    if named:
        return named[0] if named[0] != unit else None
    owners = Counter(p.department for p in parts.get("projects", []) if p.department)
    if not owners:
        return None
    owner = owners.most_common(1)[0][0]
    return owner if owner != unit else None
