"""Import throughput on generated packages of realistic size.

Packages are built from the city sample (base data, department table, narrative) with a
varying number of project tables (5–40, as real units have) and perturbed figures, written
as text and as .docx. Reported: files per second and milliseconds per table, and — because
wall-clock figures depend on the machine — each as a ratio to a baseline measured in the
same process: reading and decoding the same bytes, and parsing the equivalent JSON.

    python bench/import_throughput.py [--files 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from office import write_docx  # noqa: E402  (the tests' form writer)

from jixiao.ingest import import_file  # noqa: E402
from jixiao.ingest.text import read_text  # noqa: E402
from jixiao.model import dump_evaluation, parse_evaluation  # noqa: E402

SAMPLE = (ROOT / "examples" / "hengyang-city-government-office-2022.txt").read_text(encoding="utf-8")


def package(rng: random.Random, projects: int) -> str:
    head, marker, rest = SAMPLE.partition("附件4")
    tables = [t for t in re.split(r"(?=\t项目支出绩效自评表)", rest) if "项目支" in t]
    chosen = [rng.choice(tables) for _ in range(projects)]
    text = head + marker + "".join(chosen)
    return re.sub(r"(?<=\t)(\d+\.\d+)", lambda m: f"{float(m.group(1)) * rng.uniform(0.8, 1.2):.2f}", text)


def timed(function, items) -> tuple[float, list]:
    start = time.perf_counter()
    results = [function(item) for item in items]
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        texts, docs = [], []
        for i in range(args.files):
            text = package(rng, rng.randint(5, 40))
            path = Path(tmp) / f"unit{i:03}.txt"
            path.write_text(text, encoding="utf-8")
            texts.append(path)
            docs.append(write_docx(read_text(text, path.name), Path(tmp) / f"unit{i:03}.docx"))

        baseline, _ = timed(lambda p: p.read_bytes().decode("utf-8").split("\n"), texts)
        text_time, results = timed(import_file, texts)
        docx_time, docx_results = timed(import_file, docs)
        jsons = [dump_evaluation(r.evaluation) for r in results]
        json_time, _ = timed(parse_evaluation, jsons)
        megabytes = sum(p.stat().st_size for p in texts) / 2**20

    assert all(r.ok for r in results + docx_results), "a generated package failed to import"
    tables = sum(r.found.projects + r.found.base_data + r.found.department_evaluation for r in results)
    print(f"{args.files} packages, {tables} tables, {megabytes:.1f} MB of text")
    rows = [
        ("read + decode (baseline)", baseline),
        ("JSON parse of the result", json_time),
        ("import text", text_time),
        ("import .docx", docx_time),
    ]
    print(f"{'step':28}{'files/s':>10}{'ms/table':>10}{'× baseline':>12}{'× JSON':>9}")
    for name, seconds in rows:
        print(f"{name:28}{args.files / seconds:>10.1f}{seconds * 1000 / tables:>10.3f}{seconds / baseline:>12.1f}{seconds / json_time:>9.1f}")


if __name__ == "__main__":
    main()
