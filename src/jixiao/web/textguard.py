"""Text the database accepts, in one place for everything stored.

PostgreSQL refuses NUL in text and ``\\u0000`` in JSON; SQLite stores both. Control characters
(other than tab and newline) and the bidi overrides that can make a unit's name read backwards
carry nothing a form needs, so every text an app model saves — names, documents, notices,
summaries, comments, waiver reasons, change reasons — is cleaned before it is written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same characters as JSON writes them: an escape that is not itself an escaped backslash.
_ESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)\\u(?:00[01][0-8bcef]|001[0-9a-f]|007f|008[0-9a-f]|009[0-9a-f]|202[a-e]|206[6-9])", re.IGNORECASE)


def clean(value: Any) -> Any:
    """A text, list or mapping with the unwanted characters removed; anything else as it is."""
    if isinstance(value, str):
        return _UNWANTED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


def clean_json_text(text: str) -> str:
    """A JSON document with the unwanted characters removed from its strings, checked cheaply
    first: only a text that holds such an escape (or the raw character) is parsed again."""
    # The escape search is costly (a look-behind at every position); JSON as we write it holds
    # no "\\u" at all unless a string has a control character.
    if ("\\u" not in text or not _ESCAPED.search(text)) and not _UNWANTED.search(text):
        return text
    return json.dumps(clean(json.loads(text)), ensure_ascii=False, indent=2) + "\n"


def _guard(sender, instance, **kwargs) -> None:
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            value = getattr(instance, field.attname)
            if field.attname == "document" and isinstance(value, str):
                setattr(instance, field.attname, clean_json_text(value))
            else:
                setattr(instance, field.attname, clean(value))
    reason = getattr(instance, "_change_reason", None)
    if isinstance(reason, str):
        instance._change_reason = clean(reason)


def connect() -> None:
    """Every model of the app, the history tables simple-history keeps beside them included."""
    for model in apps.get_app_config("web").get_models():
        pre_save.connect(_guard, sender=model, dispatch_uid=f"textguard-{model._meta.label}")
