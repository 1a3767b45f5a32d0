"""Choosing a reader by what the file is, not what it is called, within safe limits.

Every limit lives in ``limits.py``; here the file's size, its zip directory and, for text,
its lines are checked before a reader starts, and the document a reader returns is checked
against the limits on tables, rows, cells and paragraphs (the office readers already stop
at them as they stream; pasted text is checked here).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .document import Document, Table
from .docx import read_docx
from .limits import (
    MAX_CELLS_PER_FILE, MAX_CELLS_PER_TABLE, MAX_FILE_BYTES, MAX_PARAGRAPHS, MAX_ROWS_PER_TABLE, MAX_TABLES,
    MAX_TEXT_CHARS, MAX_TEXT_LINES, MAX_UNZIPPED, UnreadableFile, check_archive, describe_size,
)
from .notices import Notice
from .text import read_text
from .xlsx import read_xlsx

MAX_BYTES = MAX_FILE_BYTES
__all__ = ["MAX_BYTES", "MAX_UNZIPPED", "UnreadableFile", "read_document"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REFUSED = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "WPS 文字文档（.wps）",
    ".xls": "旧版 Excel 工作簿（.xls）",
    ".et": "WPS 表格（.et）",
    ".pdf": "PDF 文件",
    ".odt": "OpenDocument 文档（.odt）",
    ".rtf": "RTF 文档",
}
_KINDS = {"docx": "Word 文档（.docx）", "xlsx": "Excel 工作簿（.xlsx）", "text": "文本"}


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_archive(archive, path.name)
    except zipfile.BadZipFile:
        raise UnreadableFile("unreadable-file", f"{path.name}：文件已损坏（不是有效的 Office 文件），请重新保存后再导入") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise UnreadableFile("unsupported-format", f"{path.name}：是压缩包但不是 Word（.docx）或 Excel（.xlsx）文件")


def _decode(data: bytes, name: str, notices: list[Notice]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's “Unicode”: UTF-16 with its byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile("unreadable-file", f"{name}：UTF-16 文本已损坏，请另存为 UTF-8 文本") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            notices.append(Notice.at("unreadable-file", "info", name, "文本不是 UTF-8 编码，已按 GB18030（GBK）读取"))
        return text
    raise UnreadableFile("unreadable-file", f"{name}：无法识别文本编码（不是 UTF-8 也不是 GBK），请另存为 UTF-8 文本")


def _text_limits(text: str, name: str) -> None:
    """Pasted text is read at ~60,000 cells a second: its size is bounded before reading."""
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableFile("over-limit", f"{name}：文本有 {len(text):,} 个字符，超过每个文件 {MAX_TEXT_CHARS:,} 个字符的上限，未导入")
    lines = text.count("\n") + 1
    if lines > MAX_TEXT_LINES:
        raise UnreadableFile("over-limit", f"{name}：文本有 {lines:,} 行，超过每个文件 {MAX_TEXT_LINES:,} 行的上限，未导入")
    # a cell is at most one separator (tab, bar, comma) or one line: twice the cell limit leaves
    # room for the commas of figures and prose, and stops a file of a million tabs before reading
    separators = text.count("\t") + text.count("|") + text.count(",")
    if separators > 2 * MAX_CELLS_PER_FILE.value:
        what = f"{name}：文本有 {separators:,} 个分隔符（制表符、竖线、逗号），即远超每个文件 {MAX_CELLS_PER_FILE.value:,} 个单元格的上限，未导入"
        raise UnreadableFile("over-limit", what)


def check_document(document: Document, name: str) -> None:
    """The limits on what a reader returned (the office readers stop at them as they stream)."""
    tables = [b for b in document.blocks if isinstance(b, Table)]
    MAX_TABLES.check(len(tables), name, "文件")
    MAX_PARAGRAPHS.check(len(document.blocks) - len(tables), name, "文件")
    cells = 0
    for table in tables:
        what = f"第 {table.where.table} 个表格" if table.where.table is not None else "一个表格"
        MAX_ROWS_PER_TABLE.check(len(table.rows), name, what)
        count = sum(len(row) for row in table.rows)
        MAX_CELLS_PER_TABLE.check(count, name, what)
        cells += count
    MAX_CELLS_PER_FILE.check(cells, name, "文件")


def _renamed(name: str, suffix: str, kind: str, notices: list[Notice]) -> None:
    """A file is read by what it holds; a name that says otherwise is pointed out."""
    named = {".docx": "docx", ".xlsx": "xlsx"}.get(suffix)
    if named is not None and named != kind:
        message = f"{name}：扩展名是 {suffix}，内容却是{_KINDS[kind]}，已按{_KINDS[kind]}读取"
        notices.append(Notice.at("renamed-file", "info", name, message))


def read_document(path: str | Path, notices: list[Notice], max_bytes: int = MAX_BYTES) -> Document:
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise UnreadableFile("unreadable-file", f"{name}：无法打开（{exc.strerror}）") from None
    if size > max_bytes:
        shown, cap = describe_size(size, max_bytes)
        raise UnreadableFile("file-too-large", f"{name}：文件 {shown}，超过 {cap}的上限")
    suffix = path.suffix.lower()
    if head.startswith(_OLE) or head.startswith(b"%PDF") or suffix in _REFUSED:
        kind = _REFUSED.get(suffix, "PDF 文件" if head.startswith(b"%PDF") else "旧版 Office 文件")
        raise UnreadableFile("unsupported-format", f"{name}：{kind}无法直接导入。请在 Word/WPS 中“另存为” .docx（表格另存为 .xlsx）后再导入，或复制全文粘贴为文本文件")
    try:
        if head.startswith(b"PK\x03\x04"):
            kind = _zip_kind(path)
            _renamed(name, suffix, kind, notices)
            return read_docx(str(path), name) if kind == "docx" else read_xlsx(str(path), name, notices)
        _renamed(name, suffix, "text", notices)
        text = _decode(path.read_bytes(), name, notices)
        _text_limits(text, name)
        document = read_text(text, name, notices)
        check_document(document, name)
        return document
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged office file can fail deep inside lxml/openpyxl
        raise UnreadableFile("unreadable-file", f"{name}：文件内容无法解析（{type(exc).__name__}），请用 Word/Excel 打开检查后重新保存") from None
