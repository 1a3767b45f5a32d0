"""What an uploaded file really is, read from its bytes: never from its name or from the
Content-Type the browser sends, both of which the uploader chooses.

Word and Excel files are zips. Of a zip only the central directory and the package's
``[Content_Types].xml`` (at most 1 MB, read through a capped stream) are read: the part that
names the main document, which tells a .docx from an .xlsx, a macro-enabled file or any other
zip. Nothing else is inflated, so a zip bomb is never expanded.
"""

from __future__ import annotations

import codecs
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from lxml import etree

from ..ingest.limits import MAX_UNZIPPED, MB
from .models import Kind

HEAD = 512  # bytes read for the magic numbers and to tell text from binary
MAX_CONTENT_TYPES = 2**20  # a real [Content_Types].xml is 1–3 kB
MAX_MEMBERS = 10_000  # a .docx has ~20 parts, an .xlsx ~10 plus one per sheet

MAGIC = ((b"%PDF-", Kind.PDF), (b"\x89PNG\r\n\x1a\n", Kind.PNG), (b"\xff\xd8\xff", Kind.JPEG))
ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# What people mistake for an allowed file, named so that they know what to convert it to.
REFUSED = (
    (b"MZ", "Windows 可执行程序（.exe/.dll）"),
    (b"\x7fELF", "可执行程序（ELF）"),
    (b"#!", "脚本程序"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文件（.doc/.xls/.ppt，请另存为 .docx 或 .xlsx）"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"{\\rtf", "RTF 文档"),
)
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": Kind.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": Kind.XLSX,
}
OTHER_PARTS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "启用宏的 Word 文档（.docm）",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "Word 模板（.dotx）",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "启用宏的 Excel 工作簿（.xlsm）",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "Excel 模板（.xltx）",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "PowerPoint 演示文稿（.pptx）",
}
# No DTD is loaded, no entity expanded, nothing fetched: the part is the uploader's text.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Sniffed:
    kind: Kind | None  # None: not a type evidence may be
    what: str  # the file's type in words, for the message that refuses it


def sniff(file: BinaryIO) -> Sniffed:
    """The type of a seekable file, from its first bytes (and for a zip, its content types)."""
    file.seek(0)
    head = file.read(HEAD)
    if not head:
        return Sniffed(None, "空文件")
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return Sniffed(kind, kind.label)
    if head.startswith(ZIP):
        return _office(file)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed(None, "WebP 图片")
    if head[4:8] == b"ftyp":
        heic = head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif")
        return Sniffed(None, "HEIC 图片（手机照片，请转存为 JPEG）" if heic else "视频或音频文件")
    return Sniffed(None, next((what for magic, what in REFUSED if head.startswith(magic)), None) or _text(head))


def _text(head: bytes) -> str:
    if b"\x00" in head:
        return "无法识别的二进制文件"
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head).lstrip("\ufeff \t\r\n").lower()
    except UnicodeDecodeError:
        return "无法识别的文件"
    if text.startswith(("<!doctype html", "<html")):
        return "网页（HTML）"
    if text.startswith(("<?xml", "<svg")):
        return "XML 或 SVG 文件"
    return "文本文件"


def _office(file: BinaryIO) -> Sniffed:
    plain = Sniffed(None, "ZIP 压缩包")
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                return plain
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                # never inflated here, but whoever downloads it would: a zip bomb is no evidence
                return Sniffed(None, f"解压后超过 {MAX_UNZIPPED // MB} MB 的压缩文件（可能是“压缩炸弹”）")
            names = {m.filename.lower() for m in members}
            listed = next((m for m in members if m.filename == "[Content_Types].xml"), None)
            if listed is None or listed.file_size > MAX_CONTENT_TYPES:
                return plain
            with archive.open(listed) as part:
                data = part.read(MAX_CONTENT_TYPES + 1)  # the directory's size may lie; the read may not
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError, zlib.error):
        return Sniffed(None, "损坏的 ZIP 文件")
    if len(data) > MAX_CONTENT_TYPES:
        return plain
    for part, content_type in _overrides(data):
        if part.lstrip("/").lower() not in names:
            continue  # a part named in the list but missing from the zip is no main part
        if content_type in MAIN_PARTS:
            kind = MAIN_PARTS[content_type]
            return Sniffed(kind, kind.label)
        if content_type in OTHER_PARTS:
            return Sniffed(None, OTHER_PARTS[content_type])
    return plain


def _overrides(data: bytes) -> list[tuple[str, str]]:
    """The (part name, content type) pairs a [Content_Types].xml lists one by one."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return []
    if root.getroottree().docinfo.doctype:  # Office never writes one
        return []
    return [(o.get("PartName", ""), (o.get("ContentType") or "").strip()) for o in root.iterchildren(f"{CONTENT_TYPES_NS}Override")]
