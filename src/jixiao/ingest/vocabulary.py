"""The form vocabulary: which printed labels name which field of the model, kept as data.

The shipped files live in ``jixiao/vocabulary/*.yaml``; a bureau adds its own file (or
text, from the web) and ``$JIXIAO_VOCABULARY`` names more. Files only ever add labels: a
label that two files give to different fields of one group is an error, as is a group or
field the recognisers do not know, each reported as ``file:line: message``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..labels import normalize_label
from ..yamldata import DataFileError, Loc, line_of, plain

# Every group the recognisers read, and the fields (model keys) each may name.
GROUPS: dict[str, tuple[str, ...]] = {
    "form.names": ("project", "department"),
    "form.header": ("department", "implementer", "total_stated", "total_reviewed"),
    "fund.block": ("block",),
    "fund.columns": ("label", "initial_budget", "full_year_budget", "executed", "points", "rate", "score", "reason"),
    "fund.rows": ("total", "fiscal", "carried_over", "special_account", "unit_funds", "other"),
    "goal.columns": ("block", "expected", "adjusted", "actual"),
    "grid.columns": (
        "block", "level1", "level2", "name", "nature", "direction", "target", "target_adjusted", "unit", "actual",
        "points", "coefficient", "score", "deviation", "core",
    ),
    "grid.totals": ("total",),
    "indicator.nature": ("quantitative", "qualitative", "operator", "polarity"),
    "indicator.core": ("yes", "no"),
    "form.closing": ("implementation", "conclusion", "problems", "measures"),
    "department.rows": (
        "budget", "by_source", "by_use", "fiscal", "special_account", "unit_funds", "other_source", "basic_budget", "project_budget", "duties", "goal",
    ),
    "unit.labels": ("unit",),
    "signatures": ("project_lead", "finance_lead", "filler", "phone", "date", "head"),
    "placeholders": ("indicator",),
    "template-text": ("instruction",),
    "base.anchors": ("anchor",),
    "base.columns": ("budget", "adjusted_budget", "final", "prior"),
    "base.staffing": ("authorized", "actual", "rate"),
    "base.rows": (
        "three_public.total", "three_public.vehicle", "three_public.vehicle_purchase", "three_public.vehicle_operation",
        "three_public.overseas", "three_public.reception", "project_expenditure", "basic_expenditure", "public_funds", "procurement",
    ),
    "base.categories": ("category",),
    "base.execution": ("carried_over", "initial_budget", "supplementary", "year_end_balance"),
    "base.buildings": (
        "block", "name", "approved_area", "actual_area", "area_rate_stated", "approved_investment", "actual_investment", "investment_rate_stated",
    ),
    "base.frugality": ("measures",),
    "base.placeholders": ("row",),
    "scorecard.columns": ("level1", "level2", "name", "points", "criteria", "description", "score", "number"),
    "scorecard.totals": ("total",),
}

_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|\d+[、.．](?!\d)|（[一二三四五六七八九十\d]+）|\([一二三四五六七八九十\d]+\))")
_NOTE = re.compile(r"\([^()]*\)$")


def label(text: str | None) -> str:
    """A printed label as compared: normalised, its numbering, 其中 and colon gone."""
    text = normalize_label(text or "").rstrip(":：")
    text = _NUMBERING.sub("", text)
    for prefix in ("其中:", "其中"):
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix):]
            break
    return text


def bare(text: str) -> str:
    """A label without its trailing note: 执行率(B/A) → 执行率, 全年预算数(万元) → 全年预算数."""
    return _NOTE.sub("", text)


class VocabularyError(DataFileError):
    """A vocabulary file that cannot be used."""


@dataclass(frozen=True)
class Layout:
    id: str
    title: str
    seen: str
    markers: tuple[str, ...]


@dataclass
class Vocabulary:
    sources: list[str] = field(default_factory=list)
    exact: dict[str, dict[str, str]] = field(default_factory=dict)  # group → normalised label → key
    patterns: dict[str, list[tuple[re.Pattern[str], str]]] = field(default_factory=dict)
    written: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # group → key → labels as written
    layouts: dict[str, Layout] = field(default_factory=dict)

    def key(self, group: str, text: str | None, prefix: bool = True) -> str | None:
        """The field a printed label names in ``group``: exact, without its trailing note, by
        pattern, or (unless ``prefix`` is off) by the longest known label it begins with
        (财政拨款资金 → 财政拨款)."""
        return self._key(group, text or "", prefix)

    @lru_cache(maxsize=65536)  # noqa: B019 - vocabularies are few and live as long as the process
    def _key(self, group: str, printed: str, prefix: bool) -> str | None:
        text = label(printed)
        if not text:
            return None
        exact = self.exact.get(group, {})
        for candidate in (text, bare(text)):
            if candidate in exact:
                return exact[candidate]
        for pattern, key in self.patterns.get(group, ()):
            if pattern.fullmatch(text) or pattern.fullmatch(bare(text)):
                return key
        if not prefix:
            return None
        start = max((k for k in exact if len(k) >= 2 and text.startswith(k)), key=len, default=None)
        return exact[start] if start else None

    def matches(self, group: str, key: str, text: str) -> bool:
        """Whether ``text`` (already a label) is exactly one of ``key``'s labels or patterns,
        without the prefix rule: for values such as placeholders, not for headers."""
        text = label(text)
        if self.exact.get(group, {}).get(text) == key:
            return True
        return any(k == key and p.fullmatch(text) for p, k in self.patterns.get(group, ()))

    def labels(self, group: str, key: str) -> list[str]:
        return self.written.get(group, {}).get(key, [])

    def __hash__(self) -> int:  # for the lookup cache: a vocabulary is not changed once loaded
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


def _compile(entry: str) -> re.Pattern[str] | str:
    if len(entry) > 2 and entry.startswith("/") and entry.endswith("/"):
        return re.compile(entry[1:-1])
    return label(entry)


def _add(vocabulary: Vocabulary, name: str, text: str, owners: dict[tuple[str, str], tuple[str, str]]) -> list[str]:
    problems: list[tuple[Loc, str]] = []
    lines: dict[Loc, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [f"{name}:{mark.line + 1 if mark else 1}: 不是合法的 YAML（{getattr(exc, 'problem', None) or exc}）"]
    data = plain(root, (), lines, problems) if root is not None else None
    if not isinstance(data, dict):
        return [f"{name}:1: 词表应为键值映射（id、groups 或 layouts）"]
    for top in data:
        if top not in ("id", "title", "source", "groups", "layouts"):
            problems.append(((top,), f"未知的键“{top}”，可用：id、title、source、groups、layouts"))
    groups = data.get("groups") or {}
    if not isinstance(groups, dict):
        problems.append((("groups",), "groups 应为“分组: {字段: [标签…]}”"))
        groups = {}
    for group, keys in groups.items():
        loc: Loc = ("groups", group)
        if group not in GROUPS:
            problems.append((loc, f"未知的分组“{group}”，可用：{'、'.join(GROUPS)}"))
            continue
        if not isinstance(keys, dict):
            problems.append((loc, f"分组“{group}”应为“字段: [标签…]”"))
            continue
        for key, entries in keys.items():
            if key not in GROUPS[group]:
                problems.append((loc + (key,), f"分组“{group}”没有字段“{key}”，可用：{'、'.join(GROUPS[group])}"))
                continue
            if not isinstance(entries, list) or not entries:
                problems.append((loc + (key,), f"字段“{key}”应为非空的标签列表"))
                continue
            for i, entry in enumerate(entries):
                where = loc + (key, i)
                if not isinstance(entry, str) or not entry.strip():
                    problems.append((where, f"标签应为非空文字，实际为“{entry}”"))
                    continue
                try:
                    compiled = _compile(entry)
                except re.error as exc:
                    problems.append((where, f"正则表达式“{entry}”有误：{exc}"))
                    continue
                vocabulary.written.setdefault(group, {}).setdefault(key, []).append(entry)
                if isinstance(compiled, str):
                    owner = owners.get((group, compiled))
                    if owner is not None and owner[0] != key:
                        problems.append((where, f"标签“{entry}”在分组“{group}”中已属于字段“{owner[0]}”（{owner[1]}）"))
                        continue
                    owners[(group, compiled)] = (key, f"{name}:{line_of(lines, where)}")
                    vocabulary.exact.setdefault(group, {})[compiled] = key
                else:
                    vocabulary.patterns.setdefault(group, []).append((compiled, key))
    layouts = data.get("layouts") or {}
    for layout_id, spec in layouts.items() if isinstance(layouts, dict) else ():
        loc = ("layouts", layout_id)
        markers = spec.get("markers") if isinstance(spec, dict) else None
        if not isinstance(markers, list) or not all(isinstance(m, str) and m for m in markers):
            problems.append((loc, f"表样“{layout_id}”应有 markers（标签列表）"))
            continue
        vocabulary.layouts[layout_id] = Layout(layout_id, str(spec.get("title") or layout_id), str(spec.get("seen") or ""), tuple(label(m) for m in markers))
    vocabulary.sources.append(name)
    return [f"{name}:{line_of(lines, loc)}: {message}" for loc, message in problems]


def _shipped() -> list[tuple[str, str]]:
    folder = resources.files("jixiao") / "vocabulary"
    return sorted((f"vocabulary/{entry.name}", entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def _files(paths: list[Path]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for path in paths:
        found = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        for item in found:
            try:
                out.append((str(item), item.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                raise VocabularyError([f"{item}:1: 无法读取（{exc}）"]) from None
    return out


def env_paths() -> list[Path]:
    return [Path(p) for p in os.environ.get("JIXIAO_VOCABULARY", "").split(os.pathsep) if p]


def build(texts: list[tuple[str, str]]) -> Vocabulary:
    """A vocabulary from (name, YAML text) pairs, the shipped files first."""
    vocabulary = Vocabulary()
    owners: dict[tuple[str, str], tuple[str, str]] = {}
    problems: list[str] = []
    for name, text in _shipped() + texts:
        problems += _add(vocabulary, name, text, owners)
    if problems:
        raise VocabularyError(problems)
    return vocabulary


def load_vocabulary(paths: list[Path] | None = None, texts: list[tuple[str, str]] | None = None) -> Vocabulary:
    """The shipped vocabulary, then $JIXIAO_VOCABULARY's files, then ``paths`` and ``texts``."""
    extra = _files(env_paths() + list(paths or [])) + list(texts or [])
    return _default(tuple(extra))


@lru_cache(maxsize=16)
def _default(extra: tuple[tuple[str, str], ...]) -> Vocabulary:
    return build(list(extra))


def default_vocabulary() -> Vocabulary:
    return load_vocabulary()
