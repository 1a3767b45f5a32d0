"""How much of the layout-variant corpus imports exactly.

Generates N packages (tests/variants: every layout family in every source format, with the
variations published tables show), imports each and prints the exact-import share overall
and per family × format, and the commonest failure classes (grouped by the first path at
which the import differs from what the layout says). ``--show CLASS`` prints the full
difference for up to five variants of one class.

    python bench/layout_corpus.py [-n 2000] [--start 100000] [--show 'projects[*].goals[*]']
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the corpus generator lives with the tests

from variants import generate, run_corpus
from variants.generator import check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=2000)
    parser.add_argument("--start", type=int, default=100_000, help="first seed (the default run's sample is 0–149)")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--show", help="a failure class to print in full")
    args = parser.parse_args()
    began = time.perf_counter()
    report = run_corpus(args.count, args.start)
    print(report.render(args.top))
    print(f"\n{report.total} packages in {time.perf_counter() - began:.1f} s")
    if args.show:
        shown = 0
        with tempfile.TemporaryDirectory() as tmp:
            for seed in range(args.start, args.start + args.count):
                ok, name, message, _ = check(generate(seed), Path(tmp))
                if not ok and name == args.show:
                    print("\n" + message)
                    shown += 1
                    if shown == 5:
                        break


if __name__ == "__main__":
    main()
