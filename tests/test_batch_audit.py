"""Vectorised batch audit: which checks are vectorised, the places column they read, the dataset
version they need, and 得分系数 (in no synth table); the synth differential is in
test_batch_differential."""

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit import CHECKS
from jixiao.batch.audit import PER_PACKAGE, VECTORISED, registry
from jixiao.batch.build import DatasetVersionError, check_version, scan
from jixiao.batch.differential import compare_audit, write_dataset

sys.path.insert(0, str(Path(__file__).parent))
from synth import RUBRICS, corpus  # noqa: E402


def test_every_check_is_listed_once_with_why_it_runs_per_package():
    listed = registry()
    assert [code for code, *_ in listed] == [c.code for c in CHECKS]
    assert {code for code, _, vectorised, _ in listed if vectorised} == set(VECTORISED)
    families = {c.code for c in CHECKS if c.family in ("arithmetic", "agreement", "rules")}
    assert set(PER_PACKAGE) == families - set(VECTORISED)  # each says why it is not vectorised


def test_each_figure_keeps_the_decimals_it_was_written_with(tmp_path):
    ev = next(corpus(1))
    ev.projects[0].funds.total.executed = Decimal("3393.90")
    ev.projects[0].funds.total.initial_budget = Decimal("1E+2")
    write_dataset([ev], tmp_path)
    row = scan(tmp_path, "projects").collect()
    row = row.filter(row["table"] == 0).to_dicts()[0]
    assert (row["funds.total.executed"], row["funds.total.executed_places"]) == (3_393_900_000, 2)
    assert (row["funds.total.initial_budget"], row["funds.total.initial_budget_places"]) == (100_000_000, -2)


def test_a_dataset_of_an_older_schema_is_refused_in_chinese(tmp_path):
    write_dataset(corpus(1), tmp_path)
    check_version(tmp_path)
    (tmp_path / "dataset.json").unlink()
    with pytest.raises(DatasetVersionError, match="重新生成"):
        check_version(tmp_path)


def _with_coefficients(evaluations):
    """Synthetic units whose tables carry 得分系数, the score right, rounded or wrong."""
    coefficients = [Decimal("100"), Decimal("85"), Decimal("92.5"), Decimal("60.00"), Decimal("0"), Decimal("33.3")]
    for n, ev in enumerate(evaluations):
        for t, table in enumerate([*ev.projects, *([ev.department_evaluation] if ev.department_evaluation else [])]):
            for i, ind in enumerate(table.indicators):
                if ind.points is None:
                    continue
                c = coefficients[(n + t + i) % len(coefficients)]
                exact = c * ind.points / 100
                ind.coefficient = c
                ind.score = [exact, exact.quantize(Decimal("0.1")), exact.quantize(Decimal("1")), exact + 1, ind.score][(n + i) % 5]
        yield ev


def test_coefficient_checks_give_the_per_package_records():
    # negative weights among them: 0% × −5 is −0 to Decimal, and the message shows it
    result = compare_audit(list(_with_coefficients(corpus(300, start=30_000))), RUBRICS[1], RUBRICS[0])
    assert result.disagreements == []
    assert result.by_code["rules.coefficient-times-weight"][0] > 50


def test_a_dataset_of_many_parts_is_audited_part_by_part_with_the_same_findings(tmp_path, monkeypatch):
    """The vectorised checks read one part at a time (memory bounded by a part: the whole of a
    million units at once took 23 GB); the findings are those of the dataset read whole."""
    import polars as pl

    from jixiao.batch import build as building
    from jixiao.batch.audit_run import audit_directory
    from jixiao.batch.build import build, flatten_file
    from jixiao.cli_batch import each
    from jixiao.model import dump_evaluation

    files = []
    for n, ev in enumerate(corpus(40, 500, edge=0.05)):
        ev.unit.code = f"parts-{n}"
        files.append(tmp_path / f"{n}.json")
        files[-1].write_text(dump_evaluation(ev), encoding="utf-8")
    department, project = RUBRICS[0].rubric.id, "auto"
    found = {}
    for chunk in (7, 1000):
        monkeypatch.setattr(building, "CHUNK", chunk)
        out = tmp_path / f"ds-{chunk}"
        build(files, out, each(files, flatten_file, (None,), 1))
        run = audit_directory(out, department, project)
        rows = pl.read_parquet(out / "results" / "findings" / "*.parquet").drop("engine")
        found[chunk] = (sorted(rows.rows()), run.findings, pl.read_csv(out / "results" / "findings_summary.csv").sort("code").rows())
    assert len(list((tmp_path / "ds-7" / "units").glob("*.parquet"))) == 6
    assert found[7][2] == found[1000][2], set(found[7][2]) ^ set(found[1000][2])
    assert found[7] == found[1000] and found[7][1] > 100
