"""How fast the parser reads reports, per form, against a floor measured in the same run.

Corpus: ``--count`` synthetic reports (``govreports.testing``), each rendered as an HTML page (random
layout variations), as that page flattened one cell per line, and — where LibreOffice is installed —
as a PDF converted from the HTML in one ``soffice --headless --convert-to pdf`` batch, cached in
``benchmarks/.cache/``. The floor is selectolax alone parsing the same HTML and extracting its text
(``LexborHTMLParser(html).body.text()``): no parser of these pages can be faster than that.

Each form is parsed ``--repeat`` times, timed in CPU seconds of this one process (single-threaded,
so one core); the figures quoted are medians, and the ratio to the floor is taken per repeat. Each
form is timed taking turns with the floor, chunk by chunk (``CHUNK`` documents each), and its ratio is
to the floor timed alongside it: a burst of load from other jobs on a shared machine weighs on the
floor and the parser alike, and one form's pass does not cool the caches of another's.

    python benchmarks/parse_speed.py [--count 1000] [--repeat 5] [--forms html,text,pdf] [--profile html|text|pdf]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from govreports.parsers import parse_bytes
from govreports.testing import random_report, random_style, render_flat, render_html

CACHE = Path(__file__).parent / ".cache"
CHUNK = 50  # documents per turn of the floor and of each form within one repeat
TARGETS = {"html": 300, "text": 300, "pdf": 20}  # reports per second on one core
MAX_RATIO = 5.0  # HTML and text: at most this many times the selectolax floor


def corpus(count: int, seed: int = 2024) -> tuple[list[bytes], list[str], list[bytes]]:
    """HTML pages, their text as str (for the floor), and the flattened text, of ``count`` reports."""
    pages, texts, flats = [], [], []
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        report = random_report(
            rng,
            "2021" if rng.random() < 0.8 else "2019",
            empty_cells=0.2 if rng.random() < 0.2 else 0.0,
            placeholder="—",
        )
        style = random_style(rng)
        page = render_html(report, style)
        pages.append(page)
        texts.append(page.decode("gb18030" if style.encoding == "gbk" else "utf-8"))
        flats.append(render_flat(report).encode())
    return pages, texts, flats


def pdfs(pages: list[bytes]) -> list[bytes] | None:
    """The pages as PDFs, converted by LibreOffice once and cached by content; None without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    names = [hashlib.sha256(p).hexdigest()[:24] for p in pages]
    out = CACHE / "pdf"
    missing = [(n, p) for n, p in zip(names, pages, strict=True) if not (out / f"{n}.pdf").exists()]
    if missing:
        if soffice is None:
            print("pdf: skipped — LibreOffice (soffice) is not installed and the cache is empty", file=sys.stderr)
            return None
        src = CACHE / "html"
        src.mkdir(parents=True, exist_ok=True)
        out.mkdir(parents=True, exist_ok=True)
        for name, page in missing:
            (src / f"{name}.html").write_bytes(page)
        print(f"pdf: converting {len(missing)} pages with LibreOffice (once; cached in {out})", file=sys.stderr)
        for i in range(0, len(missing), 100):  # one soffice process converts a batch; very long ones stall
            subprocess.run(
                [
                    soffice,
                    "--headless",
                    "--convert-to",
                    "pdf:writer_web_pdf_Export",
                    "--outdir",
                    str(out),
                    *(str(src / f"{n}.html") for n, _ in missing[i : i + 100]),
                ],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=900,
            )
    found = [(out / f"{n}.pdf") for n in names]
    if not all(f.exists() for f in found):
        print("pdf: skipped — LibreOffice did not convert every page", file=sys.stderr)
        return None
    return [f.read_bytes() for f in found]


def timed(fn: Callable[[], object]) -> float:
    """CPU seconds of this process: other jobs on a shared machine inflate wall time, not this."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def parse_all(docs: list[bytes], content_type: str | None, start: int = 0) -> None:
    for i, doc in enumerate(docs, start):
        report = parse_bytes(doc, f"bench-{i}", content_type)
        if report.template is None:
            raise SystemExit(f"benchmark document {i} was not read: {report.issues}")


def floor(texts: list[str]) -> None:
    for text in texts:
        LexborHTMLParser(text).body.text()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--forms", default="html,text,pdf", help="comma-separated forms to time (default: all)")
    ap.add_argument("--profile", choices=["html", "text", "pdf"], help="print a cProfile of one pass and stop")
    args = ap.parse_args(argv)

    wanted = {args.profile} if args.profile else set(args.forms.split(","))
    pages, texts, flats = corpus(args.count)
    forms: dict[str, tuple[list[bytes], str | None]] = {}
    if "html" in wanted:
        forms["html"] = (pages, None)
    if "text" in wanted:
        forms["text"] = (flats, "text/plain")
    pdf = pdfs(pages) if "pdf" in wanted else None
    if pdf is not None:
        forms["pdf"] = (pdf, "application/pdf")

    if args.profile:
        docs, ctype = forms[args.profile]
        parse_all(docs[:50], ctype)  # warm: imports, compiled patterns
        prof = cProfile.Profile()
        prof.runcall(parse_all, docs, ctype)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0

    for docs, ctype in forms.values():  # warm-up pass: imports and compiled patterns are not the subject
        parse_all(docs[:50], ctype)
    floors: list[float] = []  # every floor pass, for the floor's own line
    times: dict[str, list[float]] = {k: [] for k in forms}
    ratios: dict[str, list[float]] = {k: [] for k in forms}
    for _ in range(args.repeat):
        for name, (docs, ctype) in forms.items():
            floor_s = spent = 0.0
            for a in range(0, args.count, CHUNK):
                floor_s += timed(lambda a=a: floor(texts[a : a + CHUNK]))
                spent += timed(lambda docs=docs, ctype=ctype, a=a: parse_all(docs[a : a + CHUNK], ctype, a))
            floors.append(floor_s)
            times[name].append(spent)
            ratios[name].append(spent / floor_s)

    n = args.count
    floor_s = statistics.median(floors)
    print(
        f"corpus: {n} synthetic reports per form, {args.repeat} repeats, medians; one core "
        f"(Python {sys.version.split()[0]})"
    )
    print(f"{'form':6} {'reports/s':>10} {'ms/report':>10} {'× floor':>8}  target")
    print(f"{'floor':6} {n / floor_s:10.0f} {1000 * floor_s / n:10.2f} {1.0:8.1f}  selectolax parse + body.text()")
    ok = True
    for name, ts in times.items():
        med = statistics.median(ts)
        ratio = statistics.median(ratios[name])
        rate = n / med
        goal = f"≥{TARGETS[name]}/s" + (f", ≤{MAX_RATIO:.0f}× floor" if name != "pdf" else "")
        met = rate >= TARGETS[name] and (name == "pdf" or ratio <= MAX_RATIO)
        ok &= met
        print(f"{name:6} {rate:10.0f} {1000 * med / n:10.2f} {ratio:8.1f}  {goal} {'met' if met else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
