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

Then the same documents go through the command line, end to end: each form is written to a folder
(``.html``, ``.txt``, ``.pdf`` files) and ``govreports parse DIR --format json`` runs over it in a
child process, its JSON Lines going to a pipe that is read and dropped. Its floor, timed in turns
with it, is a child Python process that imports selectolax, reads the same HTML pages from files
(as UTF-8) and writes their ``body.text()`` to the same kind of pipe: startup, file reading and
output are on both sides. Times are the CPU seconds of the child (user + system, from
``getrusage(RUSAGE_CHILDREN)``); wall time is printed beside them. The targets are the same.

    python benchmarks/parse_speed.py [--count 1000] [--repeat 5] [--forms html,text,pdf] [--profile html|text|pdf]
                                     [--no-cli | --cli-only]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
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
SUFFIXES = {"html": ".html", "text": ".txt", "pdf": ".pdf"}
CLI = [sys.executable, "-c", "from govreports.cli import main; main()"]  # the `govreports` entry point
CLI_FLOOR = (
    "import sys, pathlib\n"
    "from selectolax.lexbor import LexborHTMLParser\n"
    "out = sys.stdout\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
    "    out.write(LexborHTMLParser(p.read_text(encoding='utf-8')).body.text())\n"
)


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
    side = ap.add_mutually_exclusive_group()
    side.add_argument("--no-cli", action="store_true", help="time the parser in process only")
    side.add_argument("--cli-only", action="store_true", help="time `govreports parse DIR --format json` only")
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

    ok = True
    if not args.cli_only:
        ok &= in_process(forms, texts, args.count, args.repeat)
    if not args.no_cli:
        ok &= end_to_end(forms, texts, args.count, args.repeat)
    return 0 if ok else 1


def in_process(forms: dict[str, tuple[list[bytes], str | None]], texts: list[str], n: int, repeat: int) -> bool:
    """Each form parsed in this process, in turns with the floor; prints the table, True if targets are met."""
    for docs, ctype in forms.values():  # warm-up pass: imports and compiled patterns are not the subject
        parse_all(docs[:50], ctype)
    floors: list[float] = []  # every floor pass, for the floor's own line
    times: dict[str, list[float]] = {k: [] for k in forms}
    ratios: dict[str, list[float]] = {k: [] for k in forms}
    for _ in range(repeat):
        for name, (docs, ctype) in forms.items():
            floor_s = spent = 0.0
            for a in range(0, n, CHUNK):
                floor_s += timed(lambda a=a: floor(texts[a : a + CHUNK]))
                spent += timed(lambda docs=docs, ctype=ctype, a=a: parse_all(docs[a : a + CHUNK], ctype, a))
            floors.append(floor_s)
            times[name].append(spent)
            ratios[name].append(spent / floor_s)
    print(
        f"in process: {n} synthetic reports per form, {repeat} repeats, medians; one core (Python {sys.version.split()[0]})"
    )
    return report_table(n, floors, times, ratios, floor_label="selectolax parse + body.text()")


def end_to_end(forms: dict[str, tuple[list[bytes], str | None]], texts: list[str], n: int, repeat: int) -> bool:
    """``govreports parse DIR --format json`` per form in a child process, in turns with a child floor."""
    with tempfile.TemporaryDirectory(prefix="parse-speed-") as tmp:
        root = Path(tmp)
        write_folder(root / "floor", [t.encode() for t in texts], ".html")
        for name, (docs, _) in forms.items():
            write_folder(root / name, docs, SUFFIXES[name])
        run_child([*CLI, "parse", str(root / "floor"), "--format", "json"])  # warm the page cache and .pyc files
        floors: list[float] = []
        walls: dict[str, list[float]] = {k: [] for k in forms}
        times: dict[str, list[float]] = {k: [] for k in forms}
        ratios: dict[str, list[float]] = {k: [] for k in forms}
        for _ in range(repeat):
            for name in forms:
                floor_s, _wall = run_child([sys.executable, "-c", CLI_FLOOR, str(root / "floor")])
                spent, wall = run_child([*CLI, "parse", str(root / name), "--format", "json"])
                floors.append(floor_s)
                times[name].append(spent)
                walls[name].append(wall)
                ratios[name].append(spent / floor_s)
    print(f"\nend to end: `govreports parse DIR --format json` over {n} files per form, {repeat} repeats, medians")
    met = report_table(n, floors, times, ratios, floor_label="python + selectolax over the files, text to a pipe")
    print("wall-clock: " + ", ".join(f"{k} {n / statistics.median(v):.0f}/s" for k, v in walls.items()))
    return met


def write_folder(folder: Path, docs: list[bytes], suffix: str) -> None:
    folder.mkdir(parents=True)
    for i, doc in enumerate(docs):
        (folder / f"{i:05d}{suffix}").write_bytes(doc)


def run_child(cmd: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and wall seconds of one child process; its output is read and dropped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[3:])}: exit {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def report_table(
    n: int, floors: list[float], times: dict[str, list[float]], ratios: dict[str, list[float]], floor_label: str
) -> bool:
    """Print reports/s, ms/report and the ratio to the floor per form; True when every target is met."""
    floor_s = statistics.median(floors)
    print(f"{'form':6} {'reports/s':>10} {'ms/report':>10} {'× floor':>8}  target")
    print(f"{'floor':6} {n / floor_s:10.0f} {1000 * floor_s / n:10.2f} {1.0:8.1f}  {floor_label}")
    ok = True
    for name, ts in times.items():
        med = statistics.median(ts)
        ratio = statistics.median(ratios[name])
        rate = n / med
        goal = f"≥{TARGETS[name]}/s" + (f", ≤{MAX_RATIO:.0f}× floor" if name != "pdf" else "")
        met = rate >= TARGETS[name] and (name == "pdf" or ratio <= MAX_RATIO)
        ok &= met
        print(f"{name:6} {rate:10.0f} {1000 * med / n:10.2f} {ratio:8.1f}  {goal} {'met' if met else 'NOT MET'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
