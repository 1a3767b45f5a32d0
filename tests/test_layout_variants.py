"""Import tested on every published layout family and source format, not only on two samples.

The generated corpus (tests/variants) writes one package per seed with the evaluation the
importer must produce. The default run imports a fixed sample of 150 (every family × format
seven or eight times); ``pytest -m corpus`` imports thousands and reports the share.
"""

from __future__ import annotations

import os

import pytest
from variants import FAMILIES, FORMATS, generate, run_corpus
from variants.generator import check
from variants.writers import NBSP, Para, shown_rows, write

from jixiao.ingest.notices import Notice
from jixiao.ingest.readers import read_document

SAMPLE = [generate(seed) for seed in range(150)]


@pytest.mark.parametrize("variant", SAMPLE, ids=[v.id for v in SAMPLE])
def test_variant_imports_exactly(tmp_path, variant):
    ok, name, message, _ = check(variant, tmp_path)
    assert ok, f"{variant.family} / {variant.fmt} [{', '.join(variant.variations) or 'plain'}]: {name}\n{message}"


@pytest.mark.corpus
def test_corpus_share(tmp_path, capsys):
    count = int(os.environ.get("JIXIAO_CORPUS", "2000"))
    report = run_corpus(count, start=100_000, directory=tmp_path)
    with capsys.disabled():
        print("\n" + report.render())
    assert report.total == count


# ---------------------------------------------------------------- the generator itself


def test_generation_is_deterministic():
    for seed in (0, 7, 41, 1234):
        first, again = generate(seed), generate(seed)
        assert (first.id, first.variations, first.blocks) == (again.id, again.variations, again.blocks)
        assert first.expected == again.expected


def test_sample_reaches_every_family_and_format():
    assert {(v.family, v.fmt) for v in SAMPLE} == {(f, m) for f in FAMILIES for m in FORMATS}
    varied = {name for v in SAMPLE for name in v.variations}
    assert {"split", "synonyms", "right-merge", "placeholders", "extra-column", "wrapped", "multiline"} <= varied


def test_expected_is_what_the_layout_says():
    """Spot checks of the contract on the expected side: levels lose their points, rates are
    the printed figure, every table names its layout."""
    for variant in SAMPLE:
        tables = variant.expected.projects or [variant.expected.department_evaluation]
        assert {t.layout for t in tables} == {variant.family}
        for table in tables:
            assert table.indicators
            for indicator in table.indicators:
                assert "分" not in (indicator.level1 or "") and "分" not in (indicator.level2 or "")
                assert indicator.name and not indicator.name.startswith("指标") and "\n" not in indicator.name
            assert table.execution.rate_stated is not None and table.execution.rate_stated > 1


# ---------------------------------------------------------------- the writers, read back


def _office_rows(blocks, fmt: str) -> list[list[list[tuple[str, int, int, bool]]]]:
    """The tables the reader should see: docx one per grid, xlsx one per sheet (title rows
    first, a split's second part on the same sheet, empty rows not kept)."""
    tables, titles, width = [], [], 1
    for block in blocks:
        if isinstance(block, Para):
            if tables and fmt == "xlsx":
                tables[-1].append([(block.text, 0, width, False)])
            else:
                titles.append(block.text)
            continue
        width = block.width
        rows = [[("" if c.cont else c.text, c.col, c.span, c.cont) for c in row] for row in block.rows]
        if fmt == "docx":
            tables.append(rows)
            continue
        rows = [[(t, 0, block.width, False)] for t in titles] + rows
        titles = []
        rows = [row for row in rows if any(text.strip() for text, *_ in row)]
        if block.joined:
            tables[-1] += rows
        else:
            tables.append(rows)
    return tables


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_writers_keep_the_grid(tmp_path, fmt):
    for seed in range(0, 80, 3):
        variant = generate(seed)
        path = write(variant.blocks, fmt, tmp_path / f"{seed}.{fmt}", numbers=seed % 2 == 0)
        notices: list[Notice] = []
        document = read_document(path, notices)
        got = [[[(c.text, c.col, c.span, c.merged) for c in row] for row in table.rows] for table in document.tables]
        assert got == _office_rows(variant.blocks, fmt), variant.id
        if fmt == "docx":
            assert [p.text for p in document.paragraphs if p.text] == [b.text for b in variant.blocks if isinstance(b, Para)]


def _parse(text: str, fmt: str) -> list[tuple[str, list[str]]]:
    """A literal reading of our own text formats, to check their line structure."""
    items: list[tuple[str, list[str]]] = []
    if fmt == "tab":
        for chunk in text.split("\n\n"):
            cells: list[str] = []
            for line in chunk.split("\n"):
                if line.startswith("\t"):
                    cells.append(line[1:])
                elif cells:
                    cells[-1] += "\n" + line
                elif line:
                    items.append(("para", [line]))
            if cells:
                items.append(("row", cells))
    elif fmt == "pipe":
        for line in text.split("\n"):
            if line and not line.startswith("|---"):
                items.append(("row", line.split(" | ")) if " | " in line else ("line", [line]))
    else:
        items = [("chunk", chunk.split("\n")) for chunk in text.strip("\n").split("\n\n")]
    return items


def _expected_items(blocks, fmt: str) -> list[tuple[str, list[str]]]:
    items = []
    for block in blocks:
        if isinstance(block, Para):
            items.append(("para" if fmt == "tab" else "line" if fmt == "pipe" else "chunk", [block.text]))
            continue
        for row in shown_rows(block, fmt):
            kind = "chunk" if fmt == "lines" else "line" if fmt == "pipe" and len(row) == 1 else "row"
            items.append((kind, row))
    return items


@pytest.mark.parametrize("fmt", ["tab", "pipe", "lines"])
def test_text_writers_line_structure(tmp_path, fmt):
    for seed in range(0, 120, 5):
        variant = generate(seed)
        text = write(variant.blocks, fmt, tmp_path / f"{seed}.txt", rule=seed % 2 == 0).read_text(encoding="utf-8")
        assert _parse(text, fmt) == _expected_items(variant.blocks, fmt), variant.id
        if fmt == "lines":
            assert all(line.strip(" \u3000") or line == "" or line == NBSP for line in text.split("\n"))
