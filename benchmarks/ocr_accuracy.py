"""How many facts OCR gets right on the rendered fixtures, and how long a scanned page takes.

Corpus: ``tests/fixtures/ocr/`` — the two text-PDF reports of ``tests/fixtures/pdf`` (every number
known: ``tests/support/expected.py``) printed to images at 150 and 300 dpi, turned and noisy
(``make_scans.py``), as image-only PDFs, plus the 图片版 page whose tables are two PNG pictures.

Per document: facts right (the value printed), wrong and silent (a different value, in no issue's
cells), wrong but named (a different value or a blank, in the cells of an issue: the reader said
it was in doubt), and whether every rule passed. Goals: 99.5 % right; 0 wrong where all rules pass.

Speed: CPU seconds of this process per page (onnxruntime on one thread, ``OMP_NUM_THREADS=1``), so
one core; the floor is rendering the page and decoding it to pixels alone (what any OCR must do
first), timed in the same run. Goal: a 6-page scanned report in under 15 s, 2.5 s a page.

    OMP_NUM_THREADS=1 python benchmarks/ocr_accuracy.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreports import settings  # noqa: E402
from govreports.parsers import Report, parse_path  # noqa: E402
from tests.support.expected import (  # noqa: E402
    ACTIVE_2019,
    APPLICATIONS_2019,
    PDF_2021,
    PRINTED_2019_ROWS,
    REVIEW_2019,
    pdf_facts,
)

OCR = ROOT / "tests" / "fixtures" / "ocr"
PRINTED_2021 = PDF_2021
PRINTED_2019 = pdf_facts(ACTIVE_2019, {**APPLICATIONS_2019, **PRINTED_2019_ROWS}, REVIEW_2019)
CORPUS = [
    ("scanned-2021-150.pdf", PRINTED_2021),
    ("scanned-2021-300.pdf", PRINTED_2021),
    ("scanned-2019-150.pdf", PRINTED_2019),
    ("scanned-2019-300.pdf", PRINTED_2019),
    ("imitation-2021.html", PRINTED_2021),
]
RULES = ("A1", "A2", "A3", "R1")
GOAL_RIGHT, GOAL_PAGE_SECONDS = 0.995, 15 / 6


def score(report: Report, printed: dict) -> tuple[int, int, int, list[str]]:
    """(right, wrong and silent, wrong but named by an issue, the silent cells)."""
    named = {c for i in report.issues for c in i.cells}
    right = silent = flagged = 0
    silent_cells = []
    for f in report.facts:
        key = (f.table, f.row, f.column)
        if f.value == printed.get(key):
            right += 1
        elif f.cell in named or f"{f.table}/{f.row}" in named or f.table in named:
            flagged += 1
        else:
            silent += 1
            silent_cells.append(f"{f.cell}={f.value!r} (printed {printed.get(key)!r})")
    return right, silent, flagged, silent_cells


def pages(path: Path) -> int:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        return len(pdfium.PdfDocument(path.read_bytes()))
    return len(list(OCR.glob("table-2021-*.png")))  # the 图片版 page: one picture per table and page


def floor_seconds(path: Path) -> float:
    """Render and decode the pages to pixels, nothing else: the part of OCR no reader avoids."""
    import numpy as np

    started = time.process_time()
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        scale = float(settings.get("OCR_RENDER_DPI")) / 72
        for page in pdfium.PdfDocument(path.read_bytes()):
            np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    else:
        from govreports.parsers.ocr import decode_image

        for png in sorted(OCR.glob("table-2021-*.png")):
            decode_image(png.read_bytes())
    return time.process_time() - started


def main() -> None:
    from govreports.parsers import ocr

    ocr._engine(int(settings.get("OCR_THREADS")))  # model loading is once per process: not per page
    total_right = total = total_silent = 0
    clean_silent = 0
    seconds = page_count = floor = 0.0
    print(f"{'document':24} {'pages':>5} {'s/page':>7} {'right':>9} {'silent':>6} {'named':>5}  rules")
    for name, printed in CORPUS:
        path = OCR / name
        n = pages(path)
        started = time.process_time()
        report = parse_path(path)
        spent = time.process_time() - started
        floor += floor_seconds(path)
        right, silent, flagged, cells = score(report, printed)
        broken = sorted({i.rule for i in report.issues if i.rule in RULES})
        clean = not broken and not report.issues_for("ocr_inconsistent")
        total_right += right
        total += len(report.facts) or len(printed)
        total_silent += silent
        clean_silent += silent if clean else 0
        seconds += spent
        page_count += n
        print(
            f"{name:24} {n:5d} {spent / n:7.2f} {right:4d}/{len(report.facts):<4d} {silent:6d} {flagged:5d}  "
            f"{'all pass' if clean else 'broken: ' + ', '.join(broken or ['ocr_inconsistent'])}"
        )
        for c in cells:
            print(f"    silent: {c}")
    share = total_right / total if total else 0.0
    per_page = seconds / page_count
    print(f"\nfacts right: {total_right}/{total} = {share:.2%} (goal {GOAL_RIGHT:.1%})")
    print(f"wrong and silent: {total_silent}; of them where all rules pass: {clean_silent} (goal 0)")
    print(
        f"CPU seconds per page: {per_page:.2f} (goal {GOAL_PAGE_SECONDS:.2f}); a 6-page report: {6 * per_page:.1f} s; "
        f"floor (render + decode only): {floor / page_count:.3f} s/page, ratio {per_page / (floor / page_count):.0f}x"
    )


if __name__ == "__main__":
    main()
