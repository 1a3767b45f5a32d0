"""Mutated documents: the importer never crashes or hangs; every failure is a notice."""

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from jixiao.ingest import import_file
from jixiao.ingest.text import read_text
from office import write_docx

TOWN = (EXAMPLES / "hengshan-kaiyun-town-2022.txt").read_text(encoding="utf-8").split("\n")
CITY = (EXAMPLES / "hengyang-city-government-office-2022.txt").read_text(encoding="utf-8").split("\n")

fuzz = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

edits = st.lists(
    st.tuples(
        st.sampled_from(["drop", "duplicate", "swap", "insert", "untab", "tab", "garble"]),
        st.integers(min_value=0, max_value=10**6),
        st.text(alphabet=st.sampled_from("\t\n 　0123456789.%：分万元总计一二三指标（）…-"), max_size=12),
    ),
    max_size=25,
)


def mutate(lines, operations):
    lines = list(lines)
    for op, at, text in operations:
        if not lines:
            break
        i = at % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = (at // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, text)
        elif op == "untab":
            lines[i] = lines[i].lstrip("\t")
        elif op == "tab":
            lines[i] = "\t" + lines[i]
        else:
            lines[i] = lines[i][: len(text)] + text
    return "\n".join(lines)


def check(result):
    assert result.evaluation is not None or any(n.severity == "error" for n in result.notices)
    for notice in result.notices:
        assert notice.message and notice.where and "Traceback" not in notice.message


@fuzz
@given(st.sampled_from([TOWN, CITY]), edits)
def test_mutated_text_imports_or_says_why(tmp_path_factory, sample, operations):
    path = tmp_path_factory.mktemp("fuzz") / "mutated.txt"
    path.write_text(mutate(sample, operations), encoding="utf-8")
    check(import_file(path))


@fuzz
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "any.docx"
    path.write_bytes(data)
    check(import_file(path))


def _town_docx(tmp: Path) -> bytes:
    path = write_docx(read_text("\n".join(TOWN), "t.txt"), tmp / "town.docx")
    return path.read_bytes()


@fuzz
@given(st.data())
def test_mutated_docx_xml(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("docx")
    original = _town_docx(tmp)
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["word/document.xml"]
    start = data.draw(st.integers(min_value=0, max_value=len(xml) - 1))
    length = data.draw(st.integers(min_value=1, max_value=400))
    replacement = data.draw(st.binary(max_size=20))
    parts["word/document.xml"] = xml[:start] + replacement + xml[start + length :]
    path = tmp / "mutated.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    check(import_file(path))
