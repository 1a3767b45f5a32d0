"""Choosing a reader by what the file is, not what it is called, within safe limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .document import Document
from .docx import read_docx
from .notices import Notice
from .text import read_text
from .xlsx import read_xlsx

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 200 * 1024 * 1024  # an office file that inflates past this is refused (zip bomb)

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


class UnreadableFile(Exception):
    """A file no reader can take; the message says why and what to do, in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise UnreadableFile("file-too-large", f"{path.name}：解压后超过 {MAX_UNZIPPED // 2**20} MB，拒绝读取")
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
        raise UnreadableFile("file-too-large", f"{name}：文件 {size / 2**20:.1f} MB，超过 {max_bytes / 2**20:.0f} MB 的上限")
    suffix = path.suffix.lower()
    if head.startswith(_OLE) or head.startswith(b"%PDF") or suffix in _REFUSED:
        kind = _REFUSED.get(suffix, "PDF 文件" if head.startswith(b"%PDF") else "旧版 Office 文件")
        raise UnreadableFile("unsupported-format", f"{name}：{kind}无法直接导入。请在 Word/WPS 中“另存为” .docx（表格另存为 .xlsx）后再导入，或复制全文粘贴为文本文件")
    try:
        if head.startswith(b"PK\x03\x04"):
            kind = _zip_kind(path)
            return read_docx(str(path), name) if kind == "docx" else read_xlsx(str(path), name, notices)
        return read_text(_decode(path.read_bytes(), name, notices), name, notices)
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged office file can fail deep inside lxml/openpyxl
        raise UnreadableFile("unreadable-file", f"{name}：文件内容无法解析（{type(exc).__name__}），请用 Word/Excel 打开检查后重新保存") from None
