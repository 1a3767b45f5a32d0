"""Analyses of stored versions, shared by every worker process through the database.

A version is scored and audited once (usually by the save that made it) and stored beside the
evaluation, compressed; any worker serving a page of that version reads it back (a few ms for a
city package, against ~35 ms to compute). Each process also keeps the last few in memory,
bounded by the size of their documents, so that a page and the edits after it skip even that.
The stored bytes are pickles written by this module only, never anything a user sent. An
analysis is a tuple whose first item is the document analysed; it is stored as the document's
JSON text, which the evaluation row holds already and which reads back faster than a pickle."""

from __future__ import annotations

import hashlib
import logging
import pickle
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import DatabaseError

from .. import __version__
from ..lru import Lru
from ..rubric.loader import rubric_files
from . import memo
from .models import Analysed, Evaluation

LOCAL_MAX = 8  # analyses per process
LOCAL_CHARS = 16_000_000  # and the characters of their documents, together
PAYLOAD_MAX = 32 * 1024 * 1024  # compressed bytes; a larger analysis is recomputed, not stored
# Kept per evaluation: the analyses of the last versions, which the pages open on it were
# rendered from (a live edit's reply sends only what differs); only the last two when large.
KEEP_VERSIONS, KEEP_LARGE, LARGE = 64, 2, 256 * 1024

log = logging.getLogger(__name__)
_local = Lru(LOCAL_MAX, LOCAL_CHARS)  # shared by a worker's threads (gunicorn gthread)


def _rubrics_digest() -> str:
    return _digest_of(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in rubric_files()))


@lru_cache(maxsize=4)
def _digest_of(files: tuple[tuple[Path, int, int], ...]) -> str:
    h = hashlib.blake2b(digest_size=8)
    for path, _, _ in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def key_of(evaluation: Evaluation, parts: tuple) -> str:
    """What an analysis was computed from: the evaluation's version and text, the rubrics and
    anything else in ``parts``, and the code and rubric files doing it (an upgrade or an edited
    rubric file never reads an old analysis)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((__version__, _rubrics_digest(), evaluation.pk, evaluation.version, parts)).encode())
    h.update(evaluation.document.encode())
    return h.hexdigest()


def _remember(key: str, size: int, value: Any) -> None:
    _local.put(key, value, size)


def _recall(key: str) -> Any | None:
    return _local.get(key)


def _read(evaluation: Evaluation, key: str) -> Any | None:
    payload = Analysed.objects.filter(evaluation_id=evaluation.pk, key=key).values_list("payload", flat=True).first()
    if payload is None:
        return None
    try:
        text, *rest = pickle.loads(zlib.decompress(bytes(payload)))
        return (memo.document(text, str(evaluation)), *rest)
    except Exception:  # written by another release of the code: computed again
        return None


def payload_of(value: tuple, document: str) -> bytes | None:
    """The analysis as stored, ``document`` being its document's JSON; None when too large to keep."""
    payload = zlib.compress(pickle.dumps((document, *value[1:]), protocol=pickle.HIGHEST_PROTOCOL), 1)
    return payload if len(payload) <= PAYLOAD_MAX else None


def write(evaluation: Evaluation, key: str, payload: bytes | None) -> None:
    """Keep an analysis for every worker (within the caller's transaction, if any)."""
    if payload is None:
        return
    # Two workers computing the same version at once both try; the second is ignored.
    Analysed.objects.bulk_create(
        [Analysed(evaluation_id=evaluation.pk, key=key, version=evaluation.version, payload=payload)], ignore_conflicts=True,
    )
    keep = KEEP_VERSIONS if len(payload) <= LARGE else KEEP_LARGE
    Analysed.objects.filter(evaluation_id=evaluation.pk, version__lte=evaluation.version - keep).delete()


def write_after(evaluation: Evaluation, key: str, value: tuple, document: str) -> None:
    """write(), once the save that computed it has committed: failing here loses a copy every
    worker could share (the next one needing it computes it), never the save."""
    try:
        write(evaluation, key, payload_of(value, document))
    except DatabaseError:
        log.warning("evaluation %s version %s: analysis not stored", evaluation.pk, evaluation.version, exc_info=True)


def computed(evaluation: Evaluation, parts: tuple, compute: Callable[[], Any]) -> tuple[str, Any, bool]:
    """The analysis of the evaluation's stored version and its key: from this process, else
    from the database, else ``compute()``d; and whether it was computed just now (the caller
    then stores it for every process with write())."""
    key = key_of(evaluation, parts)
    value = by_key(evaluation, key)
    if value is not None:
        return key, value, False
    value = compute()
    _remember(key, len(evaluation.document), value)
    return key, value, True


def by_key(evaluation: Evaluation, key: str) -> Any | None:
    value = _recall(key)
    if value is not None:
        return value
    value = _read(evaluation, key)
    if value is not None:
        _remember(key, len(evaluation.document), value)
    return value


def forget_local() -> None:
    """Empty this process's copies (tests use it to stand in for another worker)."""
    _local.clear()
