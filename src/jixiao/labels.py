"""Normalising labels for matching only; stored text always keeps what the user wrote."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s\u3000“”\"'‘’「」『』]+")


def normalize_label(text: str) -> str:
    """NFKC, no white space or line breaks, no quotes, ≧/≦ as ≥/≤."""
    text = unicodedata.normalize("NFKC", text).replace("≧", "≥").replace("≦", "≤")
    return _DROP.sub("", text)


def same_label(a: str, b: str) -> bool:
    return normalize_label(a) == normalize_label(b)
