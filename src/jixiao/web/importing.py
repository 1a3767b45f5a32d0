"""Importing an uploaded file into an evaluation: size and type checked before a byte is
parsed, the file's unit and year checked against the evaluation's, then stored as a version."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..ingest import ImportResult, Notice, import_file
from ..ingest.limits import describe_size
from ..ingest.vocabulary import Vocabulary, VocabularyError
from ..labels import same_label
from ..model import Evaluation as Document
from .models import Evaluation
from .services import store

UPLOAD_SUFFIXES = (".docx", ".xlsx", ".txt", ".text")


def _safe_name(name: str) -> str:
    # The importer names the file in its messages; keep the user's name but nothing path-like.
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f/:*?\"<>|]", "_", base).strip(". ") or "upload"
    return base[-120:]


def read_upload(upload, fiscal_year: int | None, limit: int, vocabulary: Vocabulary | None = None) -> ImportResult:
    """Import an uploaded file. Size and type are checked before a byte is parsed."""
    name = _safe_name(upload.name or "upload")
    if upload.size is not None and upload.size > limit:
        size, cap = describe_size(upload.size, limit)
        return ImportResult(name, None, [Notice.at("file-too-large", "error", name, f"{name}：文件 {size}，超过上传上限 {cap.strip()}")])
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        return ImportResult(name, None, [Notice.at("unsupported-format", "error", name, f"{name}：只能导入 .docx、.xlsx 或从 Word 复制出的文本（.txt）；.doc、.wps、.xls、.pdf 请先另存为 .docx 或 .xlsx")])
    with tempfile.TemporaryDirectory(prefix="jixiao-upload-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        # The file's own year wins, so that a 2022 package is never filed as 2023; the
        # evaluation's year only stands in when the file names none.
        result = import_file(path, None, None, max_bytes=limit, vocabulary=vocabulary)
        if fiscal_year is not None and any(n.code == "year-not-found" for n in result.notices):
            result = import_file(path, fiscal_year, None, max_bytes=limit, vocabulary=vocabulary)
            result.notices.append(Notice.at("year-not-found", "info", name, f"{name}：文件中未写明年度，按 {fiscal_year} 年度导入"))
        return result


def import_into(evaluation: Evaluation, upload, version: int, limit: int) -> ImportResult:
    """Replace the evaluation's figures with an imported file's; nothing is saved on errors."""
    result = read_for(evaluation, upload, limit)
    if result.ok:
        apply_import(evaluation, result.evaluation, result.notices, result.source, version)
    return result


def apply_import(evaluation: Evaluation, doc: Document, notices: list[Notice], source: str, version: int) -> None:
    # an imported file's totals are the unit's own: none follows its scores until the unit says so
    store(evaluation, doc, version, f"导入 {source}", notices, source, auto_totals=[])


def read_for(evaluation: Evaluation, upload, limit: int) -> ImportResult:
    """An uploaded file read as this evaluation's package: the unit's and the year's, or errors."""
    try:
        words = evaluation.unit.bureau.words()
    except VocabularyError as exc:  # saved before it was checked, or the shipped files changed since
        return ImportResult(upload.name or "upload", None, [Notice.at("unreadable-file", "error", "词表", f"本局的补充词表有误，请管理员修改：{exc.problems[0]}")])
    result = read_upload(upload, evaluation.fiscal_year, limit, words)
    if not result.ok:
        return result
    named = not any(n.code == "unit-not-found" for n in result.notices)
    if named and not same_label(result.evaluation.unit.name, evaluation.unit.name):
        result.notices.append(Notice.at(
            "unit-not-found", "error", result.source,
            f"{result.source}：文件是“{result.evaluation.unit.name}”的自评材料，不能导入“{evaluation.unit.name}”的自评",
        ))
        return result
    if not named:  # the file names no unit: it is this unit's, as the user uploaded it here
        result.notices[:] = [n for n in result.notices if n.code != "unit-not-found"]
    result.evaluation.unit.name = evaluation.unit.name
    if result.evaluation.fiscal_year != evaluation.fiscal_year:
        result.notices.append(Notice.at(
            "year-not-found", "error", result.source,
            f"{result.source}：文件是 {result.evaluation.fiscal_year} 年度的自评材料，不能导入 {evaluation.fiscal_year} 年度",
        ))
        return result
    return result
