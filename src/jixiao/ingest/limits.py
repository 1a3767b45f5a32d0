"""Every limit on what an import reads, in one place, and the guards that hold them.

What a real package needs, measured on the samples this repository ships: the largest
(examples/hengyang-…) has 14 tables, at most 39 rows and 14 columns a table, 2,057 cells,
235 paragraphs, 2,859 lines and 19,008 characters of text; Word allows 63 columns a table.
Every limit sits far above that. The cell limits are also set by what the recognisers get
through: about 25,000 cells a second on a 2-core machine (and text is read at about 60,000
cells a second), so that a file just inside every limit still imports in a few seconds and
well under 300 MB. Whatever lies past a limit is refused *before* its cost is paid, by a
message in Chinese that names the file, the limit and the figure found.

Office files are parsed as they are inflated (``XmlStream``): the markup is counted before
libxml2 sees it, and each paragraph, row and table is released once read, so memory follows
the largest row, not the file. A merged range stays a range: it is never expanded cell by
cell, and a cell far to the right widens only its own row.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

MB = 2**20

# ---------------------------------------------------------------- sizes (code file-too-large)
MAX_FILE_BYTES = 20 * MB  # the upload, as before (the web may pass a lower one)
MAX_UNZIPPED = 200 * MB  # all members of an .docx/.xlsx together, from the zip's own directory
MAX_ZIP_MEMBER_BYTES = 100 * MB  # one XML part we parse; a package of 192 project tables has a 4 MB one
MAX_COMPRESSION_RATIO = 200  # generated packages' XML deflates 14–39×, a zip bomb's ~1,000×; parts over 1 MB
MAX_ZIP_MEMBERS = 5_000  # a .docx has ~20 parts, an .xlsx ~10 plus one per sheet
MAX_XML_TAGS = 10_000_000  # markup (“<”) in one part: bounds the parse time (1.4 s measured) whatever it holds
MAX_XML_PENDING = 100_000  # markup held before a paragraph, row or table is read and released: a real
# row holds a few thousand, so libxml2's tree stays under ~60 MB however the part is built
MAX_TEXT_CHARS = 10_000_000  # characters of text a file may hold (500× the largest sample)
MAX_TEXT_LINES = 50_000  # lines of pasted text (17× the largest sample); read at 25,000–100,000 a second


@dataclass(frozen=True)
class Limit:
    """A count the importer will not go past, with the words that name it in a refusal."""

    value: int
    unit: str  # 行, 列, 个单元格 …
    scope: str  # 每个表格, 每个文件 …

    def check(self, figure: int, where: str, what: str, exact: bool = True) -> None:
        if figure > self.value:
            raise self.refusal(figure, where, what, exact)

    def refusal(self, figure: int, where: str, what: str, exact: bool = True) -> UnreadableFile:
        # exact=False: reading stopped as soon as the limit was passed, so the figure is a floor
        has = ("有" if exact else "至少有") if not what[-1:].isascii() else (" 有" if exact else " 至少有")
        return UnreadableFile(
            "over-limit", f"{where}：{what}{has} {figure:,} {self.unit}，超过{self.scope} {self.value:,} {self.unit}的上限，未导入"
        )


# ---------------------------------------------------------------- counts (code over-limit)
MAX_TABLES = Limit(1_000, "个表格", "每个文件")  # sheets of a workbook count as tables; 70× the samples
MAX_ROWS_PER_TABLE = Limit(5_000, "行", "每个表格")  # rows with content; 130× the longest sample table
MAX_COLUMNS = Limit(256, "列", "每个表格")  # the column of a filled cell (Excel 2003's IV); Word stops at 63
MAX_CELLS_PER_TABLE = Limit(50_000, "个单元格", "每个表格")  # cells read, empty ones inside a row too: 5,000 rows of 10
MAX_CELLS_PER_FILE = Limit(60_000, "个单元格", "每个文件")  # 29× the samples; ~3 s of recognising
MAX_PARAGRAPHS = Limit(50_000, "个段落", "每个文件")  # Word paragraphs, inside cells too
MAX_MERGED_AREA = Limit(1_048_576, "个单元格", "每个合并区域")  # a whole column or row merges; a sheet does not
MAX_MERGES = Limit(10_000, "个合并区域", "每个工作表")  # a real sheet has a few hundred at most
MAX_SHARED_STRINGS = Limit(1_000_000, "条文字", "每个工作簿")  # .xlsx shared strings, each held in memory
MAX_NOTICES = 1_000  # notices listed per file; the rest are counted in one summary notice


class UnreadableFile(Exception):
    """A file no reader can take; the message says why and what to do, in Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def describe_size(size: int, limit: int) -> tuple[str, str]:
    """The size and the limit in words, the size never shown as equal to the limit it passed
    (20,971,521 bytes is not “20.0 MB，超过 20 MB”); the limit is followed by “的上限”."""
    unit, scale = next(((u, s) for u, s in (("GB", 2**30), ("MB", MB), ("KB", 1024)) if limit >= s), ("字节", 1))
    cap = f"{limit / scale:.1f}".removesuffix(".0") if scale > 1 else f"{limit:,}"
    if scale > 1:
        for places in (1, 2, 3):
            shown = f"{size / scale:.{places}f}"
            if float(shown) > limit / scale:
                return f"{shown} {unit}", f"{cap} {unit} "
    return f"{size:,} 字节", f"{cap} {unit}" + (f"（{limit:,} 字节）" if scale > 1 else " ")


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """What the zip's own directory says, before any member is inflated. Python's zipfile never
    inflates a member past the size its directory gives, so these figures hold."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UnreadableFile("file-too-large", f"{name}：压缩包内有 {len(infos):,} 个文件，超过 {MAX_ZIP_MEMBERS:,} 个的上限，未导入")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED:
        size, cap = describe_size(total, MAX_UNZIPPED)
        raise UnreadableFile("file-too-large", f"{name}：解压后共 {size}，超过解压后 {cap}的上限，拒绝读取")


def _check_member(info: zipfile.ZipInfo, name: str) -> None:
    if info.file_size > MAX_ZIP_MEMBER_BYTES:
        size, cap = describe_size(info.file_size, MAX_ZIP_MEMBER_BYTES)
        raise UnreadableFile("file-too-large", f"{name}：其中 {info.filename} 解压后 {size}，超过单个部件 {cap}的上限，拒绝读取")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MB and ratio > MAX_COMPRESSION_RATIO:
        raise UnreadableFile(
            "file-too-large",
            f"{name}：其中 {info.filename} 的压缩比为 {ratio:,.0f} 倍，超过 {MAX_COMPRESSION_RATIO} 倍的上限（疑为压缩炸弹），拒绝读取",
        )


class XmlStream:
    """One XML part of an office file, parsed as it is inflated, yielding ``(event, element)``
    for ``tags``. The reader calls ``release`` on each paragraph, row or table it has read:
    that element and everything before it in its parent are freed."""

    CHUNK = 1 << 16

    def __init__(self, archive: zipfile.ZipFile, member: str, source: str, tags: tuple[str, ...], events=("end",)):
        self.info = archive.getinfo(member)
        _check_member(self.info, source)
        self.archive, self.source, self.tags, self.events = archive, source, tags, events
        self.pending = 0

    def __iter__(self) -> Iterator[tuple[str, etree._Element]]:
        # no entities resolved, no network, libxml2's own depth and text-node limits kept
        parser = etree.XMLPullParser(events=self.events, tag=self.tags, resolve_entities=False, no_network=True, huge_tree=False)
        total = 0
        with self.archive.open(self.info) as stream:
            while chunk := stream.read(self.CHUNK):
                count = chunk.count(b"<")
                total += count
                self.pending += count
                if total > MAX_XML_TAGS:
                    raise self._refusal(f"有超过 {MAX_XML_TAGS:,} 个 XML 标记")
                parser.feed(chunk)
                yield from parser.read_events()
                if self.pending > MAX_XML_PENDING:
                    raise self._refusal(f"有一段超过 {MAX_XML_PENDING:,} 个 XML 标记而不成段落或表格行")
            parser.close()
            yield from parser.read_events()

    def _refusal(self, what: str) -> UnreadableFile:
        return UnreadableFile("over-limit", f"{self.source}：其中 {self.info.filename} {what}，超出上限（文件结构异常），未导入")

    def release(self, element: etree._Element) -> None:
        element.clear()
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]
        self.pending = 0
