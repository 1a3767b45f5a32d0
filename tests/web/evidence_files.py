"""Tiny valid files of each type evidence may be, and files that only pretend to be one."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
from PIL import Image


def pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, fmt)
    return out.getvalue()


def word() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("项目验收报告")
    document.save(out)
    return out.getvalue()


def workbook() -> bytes:
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "资金台账"
    book.save(out)
    return out.getvalue()


def rezipped(data: bytes, replace: tuple[bytes, bytes]) -> bytes:
    """An Office file with one string replaced in its [Content_Types].xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            body = source.read(member)
            target.writestr(member, body.replace(*replace) if member.filename == "[Content_Types].xml" else body)
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("决算报告.pdf", pdf())
    return out.getvalue()
