"""How the scoring engine fares on the layout-variant corpus: which rubric family scores each
table, how many quantitative indicators the figures decide, how much of each table's points
they decide, and how often a table's weights do not fit its rubric — by layout family, with
the national rubric for every table (the old behaviour) beside the rubric chosen by layout.

    python bench/scoring_corpus.py [-n 400] [--start 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the corpus generator lives with the tests

from variants import generate  # noqa: E402
from variants.generator import check  # noqa: E402

from jixiao.rubric.choose import project_rubrics  # noqa: E402
from jixiao.rubric.score import score_package  # noqa: E402

QUANTITATIVE = ("number", "range", "relative", "deadline")


def _tally(tables, tally: Counter) -> None:
    for table in tables:
        tally["tables"] += 1
        tally[f"rubric:{table.rubric}"] += 1
        tally["weights off"] += table.weights_mismatch is not None
        tally["undetermined"] += table.total is None
        tally["points"] += table.coverage.points
        tally["points computed"] += table.coverage.points_computed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=400)
    parser.add_argument("--start", type=int, default=100_000)
    args = parser.parse_args()
    auto, national = project_rubrics(), project_rubrics("mof-2020-project")
    by_family: dict[str, dict[str, Counter]] = defaultdict(lambda: {"auto": Counter(), "national": Counter(), "indicators": Counter()})
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.start, args.start + args.count):
            variant = generate(seed)
            _, _, _, result = check(variant, Path(tmp))
            if result is None or result.evaluation is None:
                failed += 1
                continue
            evaluation = result.evaluation
            family = by_family[variant.family]
            for name, rubrics in (("auto", auto), ("national", national)):
                score = score_package(evaluation, None, rubrics)
                _tally(([score.department] if score.department else []) + score.projects, family[name])
                if name != "auto":
                    continue
                tables = [t for t in (evaluation.department_evaluation, *evaluation.projects) if t]
                scored = ([score.department] if score.department else []) + score.projects
                for table, result in zip(tables, scored, strict=True):
                    own = [item for item in result.indicators if item.id is None]
                    for ind, item in zip(table.indicators, own, strict=True):
                        family["indicators"]["all"] += 1
                        family["indicators"][item.status] += 1
                        quantitative = ind.kind == "quantitative" or (ind.kind is None and ind.target_value.kind in QUANTITATIVE)
                        if quantitative and any(c.isdigit() for c in ind.target or ""):
                            family["indicators"]["quantitative"] += 1
                            family["indicators"]["quantitative computed"] += item.status == "computed"
    print(f"{args.count} packages from seed {args.start}; {failed} did not import\n")
    print("| layout | tables | rubric chosen | weights off (national → chosen) | 无法核算 (national → chosen) | points decided by figures | indicators computed | quantitative computed |")
    print("|---|---|---|---|---|---|---|---|")
    for name, family in sorted(by_family.items()):
        a, n, ind = family["auto"], family["national"], family["indicators"]
        chosen = ", ".join(f"{k[7:]} {v}" for k, v in a.items() if k.startswith("rubric:"))
        share = a["points computed"] / a["points"] if a["points"] else Decimal(0)
        print(
            f"| {name} | {a['tables']} | {chosen} | {n['weights off']} → {a['weights off']} | {n['undetermined']} → {a['undetermined']} "
            f"| {share:.1%} | {ind['computed']}/{ind['all']} | {ind['quantitative computed']}/{ind['quantitative']} |"
        )


if __name__ == "__main__":
    main()
