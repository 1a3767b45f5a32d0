"""Evidence (佐证材料): files kept beside an evaluation, in the storage named "evidence" (the
data folder, or an S3-compatible bucket: see settings.py), each with its SHA-256.

The stored name is generated (a uuid and the extension of the sniffed type); the uploader's
name is kept only to show and to offer as the download's name. A download is checked against
the recorded hash before a byte is sent, and what is sent is the copy that was checked.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tempfile
from pathlib import PurePosixPath
from typing import BinaryIO
from uuid import uuid4

from django.core.files.storage import Storage, storages
from django.db import transaction
from django.http import FileResponse

from ..ingest.limits import describe_size
from ..labels import same_label
from ..model import Evaluation as Document
from ..model import parse_evaluation
from .models import Evaluation, Evidence, Kind
from .services import document
from .workflow import Refused
from .sniff import sniff

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    Kind.PDF: "application/pdf",
    Kind.PNG: "image/png",
    Kind.JPEG: "image/jpeg",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SUFFIXES = {Kind.PDF: (".pdf",), Kind.PNG: (".png",), Kind.JPEG: (".jpg", ".jpeg"), Kind.DOCX: (".docx",), Kind.XLSX: (".xlsx",)}
ACCEPT = ",".join(s for suffixes in SUFFIXES.values() for s in suffixes)  # the file picker's hint; the bytes decide
ALLOWED = "PDF、PNG 或 JPEG 图片、Word（.docx）和 Excel（.xlsx）文件"
CHUNK = 64 * 1024
SPOOL = 2 * 2**20  # a download up to this size is checked in memory, a larger one in a temporary file
PACKAGE = "整份材料"
TABLES = {"department_evaluation": "部门整体支出绩效自评表", "scorecard": "部门整体支出绩效评价评分表"}

# Control characters, and the invisible and bidi characters that can make "exe.pdf" show as
# "fdp.exe" or hide part of a name.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_INDEX = r"(?:0|[1-9]\d{0,5})"
_PATH = re.compile(rf"(projects\.{_INDEX}|department_evaluation|scorecard)(?:(\.indicators)?\.({_INDEX}))?")


def storage() -> Storage:
    return storages["evidence"]


def clean_name(name: str) -> str:
    """The uploader's file name fit to show and to download under: its last path segment,
    without control, invisible or bidi characters, at most 200 characters."""
    base = _UNSHOWN.sub("", name.replace("\\", "/")).rsplit("/", 1)[-1].strip(" .")
    dot = base.rfind(".")
    stem, suffix = (base[:dot], base[dot:]) if 0 < dot and len(base) - dot <= 12 else (base, "")
    return (stem[: 200 - len(suffix)] or "佐证材料") + suffix


def download_name(item: Evidence) -> str:
    """The kept name with the extension of what the file is: an .xlsx renamed .pdf downloads
    as .xlsx, so that it opens in the program that can read it."""
    path = PurePosixPath(item.name)
    if path.suffix.lower() in SUFFIXES[item.kind]:
        return item.name
    stem = item.name[: -len(path.suffix)] if path.suffix else item.name
    return stem + SUFFIXES[item.kind][0]


def _table(doc: Document, table: str) -> tuple[str, list[str], str] | None:
    """A table evidence may be attached to: its title, its rows' names and the path they sit under."""
    if table == "scorecard":
        return (TABLES[table], [r.name for r in doc.scorecard], "scorecard") if doc.scorecard else None
    if table == "department_evaluation":
        found = doc.department_evaluation
        return (TABLES[table], [i.name for i in found.indicators], f"{table}.indicators") if found else None
    index = int(table.split(".")[1])
    if index >= len(doc.projects):
        return None
    project = doc.projects[index]
    return project.name, [i.name for i in project.indicators], f"{table}.indicators"


def target(doc: Document, path: str) -> str | None:
    """The name of what ``path`` attaches to — the package, a table, or a table's indicator
    row (``表名 › 指标名``) — or None when the path names nothing evidence may be attached to."""
    if path == "":
        return PACKAGE
    match = _PATH.fullmatch(path)
    table = _table(doc, match[1]) if match else None
    if table is None:
        return None
    title, rows, under = table
    if match[3] is None:
        return title
    index = int(match[3])
    if match[1] + (match[2] or "") != under or index >= len(rows):
        return None
    return f"{title} › {rows[index] or f'第 {index + 1} 行'}"


def attach(evaluation: Evaluation, upload, path: str, user, limit: int, seen: int | None = None) -> Evidence:
    """Keep an uploaded file as evidence at ``path`` (as it was in version ``seen``, the one the
    uploader's page showed); raises Refused with the reason. The size is checked before a byte
    is read, the type from the bytes before anything is stored."""
    name = clean_name(upload.name or "")
    if upload.size is None or upload.size > limit:
        size, cap = describe_size(upload.size or 0, limit)
        raise Refused(f"{name}：文件 {size}，超过佐证材料 {cap}的上限，未上传")
    row = _row(evaluation, path, seen)
    if row is None:
        raise Refused(f"{name}：要附上的行已被删除、移动或改名（页面不是最新的），未上传；请刷新页面后重新选择")
    found = sniff(upload)
    if found.kind is None:
        raise Refused(f"{name}：文件内容实际是{found.what}，不能作为佐证材料上传。佐证材料只接受{ALLOWED}")
    digest, size = _hash(upload)
    upload.seek(0)
    stored = storage().save(f"{evaluation.pk}/{uuid4().hex}{SUFFIXES[found.kind][0]}", upload)
    try:
        with transaction.atomic():
            # Checked again in the write transaction: a submission that happened since the page
            # was checked must not be followed by a file that then counts as never submitted.
            if not Evaluation.objects.select_for_update().get(pk=evaluation.pk).editable:
                raise Refused(f"{name}：材料已提交，不能再上传佐证材料")
            item = Evidence(
                evaluation=evaluation, path=path, row=row, name=name, stored=stored, kind=found.kind,
                size=size, sha256=digest, uploader=user,
            )
            item._change_reason = f"上传佐证材料 {name}（{row}）"
            item.save()
    except BaseException:
        storage().delete(stored)
        raise
    return item


def _row(evaluation: Evaluation, path: str, seen: int | None) -> str | None:
    """What ``path`` names now, provided it named the same in version ``seen``: a row removed
    above it since the page was shown must not make the file land on its neighbour."""
    row = target(document(evaluation), path)
    if row is None or seen is None or seen == evaluation.version or path == "":
        return row
    then = evaluation.history.filter(version=seen).order_by("-history_id").first()
    return row if then is not None and target(parse_evaluation(then.document), path) == row else None


def _hash(file: BinaryIO) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    while chunk := file.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def remove(item: Evidence) -> None:
    """Delete an attachment the unit no longer wants, while the package is being filled in and
    only if it was never part of a submission; the history keeps the record of it."""
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=item.evaluation_id)
        current = Evidence.objects.filter(pk=item.pk).first()
        if current is None:
            raise Refused(f"佐证材料 {item.name} 已被删除")
        if current.submitted:
            raise Refused(f"佐证材料 {item.name} 已随材料提交，不能删除")
        if not evaluation.editable:
            raise Refused(f"该自评材料{evaluation.get_state_display()}，佐证材料不能删除")
        current._change_reason = f"删除佐证材料 {current.name}（{current.row}）"
        current.delete()
        # The bytes go only once the deletion is committed: a rollback keeps row and file.
        transaction.on_commit(lambda: storage().delete(current.stored))


def checked_copy(item: Evidence):
    """A copy of the stored file whose size and SHA-256 match the record; raises Refused when
    they do not (the file was changed or damaged where it is kept) or the file is missing."""
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL)
    digest = hashlib.sha256()
    try:
        with storage().open(item.stored, "rb") as stored:
            while (chunk := stored.read(CHUNK)) and copy.tell() <= item.size:
                digest.update(chunk)
                copy.write(chunk)
    except OSError:
        copy.close()
        logger.error("evidence %s: stored file %s cannot be read", item.pk, item.stored, exc_info=True)
        raise Refused(f"{item.name}：存储中找不到这个文件，未能下载。请联系系统管理员。") from None
    if copy.tell() != item.size or digest.hexdigest() != item.sha256:
        copy.close()
        logger.error("evidence %s: stored file %s does not match its SHA-256 %s", item.pk, item.stored, item.sha256)
        raise Refused(f"{item.name}：文件校验未通过（与上传时记录的 SHA-256 不一致），文件可能已被改动或损坏，未提供下载。请联系系统管理员。")
    copy.seek(0)
    return copy


def as_download(item: Evidence, copy) -> FileResponse:
    """The checked copy, streamed as an attachment of the type its bytes are."""
    response = FileResponse(copy, as_attachment=True, filename=download_name(item), content_type=CONTENT_TYPES[item.kind])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def has_moved(doc: Document, item: Evidence) -> bool:
    """Whether the row or table at the attachment's path is no longer the one it was put on."""
    return bool(item.path) and not same_label(target(doc, item.path) or "", item.row)


def place(evaluation: Evaluation, doc: Document, sheets: list) -> list[Evidence]:
    """Hang each attachment on the shown table or row it belongs to; return, for the package's
    list, those of the package and those whose row has changed since (marked ``moved``)."""
    holders = {}
    for sheet in sheets:
        if sheet.evidence:
            holders[sheet.evidence] = sheet
        holders.update((row.evidence, row) for row in sheet.rows if row.evidence)
    package = []
    for item in evaluation.evidence.select_related("uploader"):
        item.moved = has_moved(doc, item)
        if not item.path or item.moved:
            package.append(item)
        elif item.path in holders:
            holders[item.path].attachments.append(item)
    return package
