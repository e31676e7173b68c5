"""How the parser does on real published reports: per document and in total.

For each document of ``tests/fixtures/real/`` (listed with its expected values, typed by eye, in
``tests/support/real_expected.py``): the template found, whether agency and year (and the printed
publication date) are right, the facts right / wrong / missing (and how many of the missing no
issue names), and the number of issues.

    python benchmarks/real_corpus.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govreports.parsers import parse_path  # noqa: E402
from tests.support.real_expected import REAL_REPORTS, score  # noqa: E402


def main() -> int:
    header = f"{'document':42} {'template':8} {'agency':6} {'year':4} {'date':4} {'right':>5} {'wrong':>5} "
    print(header + f"{'missing':>7} {'unrep':>5} {'issues':>6}")
    totals = dict(docs=0, agency=0, year=0, right=0, wrong=0, missing=0, unreported=0, expected=0)
    for real in REAL_REPORTS:
        s = score(parse_path(ROOT / "tests" / "fixtures" / "real" / real.path), real)
        yes = {True: "yes", False: "NO"}
        print(
            f"{real.path:42} {s.template or '-':8} {yes[s.agency_right]:6} {yes[s.year_right]:4} "
            f"{yes[s.published_right]:4} {s.right:5} {len(s.wrong):5} {len(s.missing):7} "
            f"{len(s.unreported):5} {s.issues:6}"
        )
        for line in s.wrong:
            print(f"    wrong: {line}")
        totals["docs"] += 1
        totals["agency"] += s.agency_right
        totals["year"] += s.year_right
        totals["right"] += s.right
        totals["wrong"] += len(s.wrong)
        totals["missing"] += len(s.missing)
        totals["unreported"] += len(s.unreported)
        totals["expected"] += len(real.facts)
    t = totals
    print(
        f"total: {t['docs']} documents, agency right {t['agency']}/{t['docs']}, year right {t['year']}/{t['docs']}; "
        f"facts {t['right']}/{t['expected']} right, {t['wrong']} wrong, {t['missing']} missing "
        f"({t['unreported']} of them unreported)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
