"""Writes the default Word template, src/jixiao/render/templates/report.docx.

A finance bureau can make its own the same way — any .docx whose text uses these Jinja tags:
``{{ unit }}``, ``{{ year }}``, a ``{%p for section in sections %}`` loop over
``section.heading`` and ``section.lines``, and ``{{p forms }}`` where the forms go.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "render" / "templates" / "report.docx"


def main() -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, not python-docx's US Letter
    section.left_margin = section.right_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for text, size in (("{{ unit }}", 22), ("部门整体支出绩效自评报告", 18), ("（{{ year }}年度）", 14)):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = True
    doc.add_paragraph("{%p for section in sections %}")
    heading = doc.add_paragraph()
    run = heading.add_run("{{ section.heading }}")
    run.bold = True
    run.font.size = Pt(14)
    doc.add_paragraph("{%p for line in section.lines %}")
    body = doc.add_paragraph("{{ line }}")
    body.paragraph_format.first_line_indent = Pt(24)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{{p forms }}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)


if __name__ == "__main__":
    main()
