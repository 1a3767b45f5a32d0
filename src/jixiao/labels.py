"""Normalising labels for matching only; stored text always keeps what the user wrote."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DROP = re.compile(r"[\s\u3000“”\"'‘’「」『』]+")


def normalize_label(text: str) -> str:
    """NFKC, no white space or line breaks, no quotes, ≧/≦ as ≥/≤."""
    # Labels are short and few, and a page asks for the same ones hundreds of times.
    return _short_label(text) if len(text) <= 64 else _normalized(text)


def _normalized(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("≧", "≥").replace("≦", "≤")
    return _DROP.sub("", text)


_short_label = lru_cache(maxsize=16384)(_normalized)


def same_label(a: str, b: str) -> bool:
    return normalize_label(a) == normalize_label(b)
