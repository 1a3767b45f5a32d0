"""The lines under a form: 项目负责人：A　财务负责人：B　填表人：C　联系电话：D … kept as data.

A line is read only when it starts with one of the vocabulary's signature labels, so that
a sentence that happens to mention 填表人 is left alone. A label left blank reads as None.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..numbers import clean
from ..vocabulary import Vocabulary
from .common import Ctx, Row


@lru_cache(maxsize=16)
def _pattern(vocabulary: Vocabulary) -> tuple[re.Pattern[str], dict[str, str]]:
    owner: dict[str, str] = {}
    for key, labels in vocabulary.written.get("signatures", {}).items():
        for text in labels:
            owner[unicodedata.normalize("NFKC", text)] = key
    names = "|".join(re.escape(t) for t in sorted(owner, key=len, reverse=True))
    return re.compile(rf"({names})\s*[:：]"), owner


def parse_signatures(vocabulary: Vocabulary, text: str) -> dict[str, str | None]:
    """``填表人：彭思玲    填报日期：2023.8.1`` → {filler: 彭思玲, date: 2023.8.1}; {} when the
    text does not start with a signature label."""
    pattern, owner = _pattern(vocabulary)
    text = unicodedata.normalize("NFKC", text).strip()
    found = list(pattern.finditer(text))
    if not found or found[0].start() != 0:
        return {}
    out: dict[str, str | None] = {}
    for match, following in zip(found, found[1:] + [None], strict=True):
        value = text[match.end() : following.start() if following else len(text)]
        value = re.sub(r"[\s_＿]+", " ", value).strip(" \t")
        out.setdefault(owner[match.group(1)], value or None)
    return out


def read_signatures(ctx: Ctx, row: Row) -> dict[str, str | None]:
    """Signature lines in a table row: one cell per label (项目负责人：张三 | 财务负责人：李四),
    or label and value in cells side by side (项目负责人 | 张三)."""
    found: dict[str, str | None] = {}
    filled = [c for c in row if clean(c.text)]
    if not filled:
        return found
    if parse_signatures(ctx.vocab, filled[0].text):
        for cell in filled:
            parsed = parse_signatures(ctx.vocab, cell.text)
            if parsed:
                ctx.use(cell)
                found.update({k: v for k, v in parsed.items() if k not in found or v})
        return found
    keys = [ctx.key("signatures", c, prefix=False) for c in filled]
    if keys[0] is None:
        return found
    for index, (cell, key) in enumerate(zip(filled, keys, strict=True)):
        if key is None:
            continue
        ctx.use(cell)
        value = filled[index + 1] if index + 1 < len(filled) and keys[index + 1] is None else None
        found[key] = ctx.text(value)
    return found
