"""Does the parser still give byte-identical output? A guard for speed work on ``parsers/``.

``record`` parses a fixed corpus and stores each report's JSON (``Report.to_json``, what
``govreports parse --format json`` prints) in ``benchmarks/.cache/equivalence.jsonl``; ``check``
parses it again and fails on the first documents whose JSON differs. Record with the code you
trust (main), optimise, check after every step.

Corpus: every fixture under ``tests/fixtures`` and six damaged copies of each (truncated, cut,
bytes flipped, a stretch repeated), and ``--count`` synthetic reports (``govreports.testing``; both
templates, broken rules, empty cells with and without placeholders), each as an HTML page, as the
page flattened one cell per line (with and without split header cells), as ``|`` text, and —
for one in ten — damaged copies of the page and the flattened text and the page re-encoded or
re-wrapped (UTF-8 with a BOM, UTF-16, no charset declared, a wrong one declared, GB18030 bytes
inside UTF-8, the article inside a layout table, comments between cells).

    python benchmarks/parse_equivalence.py record|check [--count 1500]

Not a test: it takes about a minute. To record main's output from another branch, put a copy of
main's ``parsers`` first on the path: ``git archive main parsers | tar -x -C /tmp/main`` and
``PYTHONPATH=/tmp/main python benchmarks/parse_equivalence.py record``.
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from govreports.parsers import parse_bytes
from govreports.testing import RULE_IDS, damage, random_report, random_style, render_flat, render_html, render_pipes

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
STORE = Path(__file__).parent / ".cache" / "equivalence.jsonl"


def corpus(count: int) -> Iterator[tuple[str, bytes, str | None]]:
    """(name, bytes, content type) of every document, in a fixed order."""
    for path in sorted(p for p in FIXTURES.glob("*/*.*") if p.suffix not in (".py", ".md", ".csv")):
        data = path.read_bytes()
        name = str(path.relative_to(FIXTURES))
        yield name, data, None
        rng = random.Random(name)
        for k in range(6):
            yield f"{name}#damaged{k}", damage(data, rng), None
    for i in range(count):
        rng = random.Random(7_919 * i + 1)
        template = "2021" if i % 2 else "2019"
        broken = [r for r in RULE_IDS if rng.random() < 0.3] if rng.random() < 0.3 else ()
        empty = rng.choice((0.0, 0.0, 0.2, 0.5, 1.0))
        placeholder = rng.choice((None, None, "—", "/", "-"))
        report = random_report(rng, template, break_rules=broken, empty_cells=empty, placeholder=placeholder)
        style = random_style(rng)
        page = render_html(report, style)
        flat = render_flat(report, split_headers=rng.random() < 0.7).encode()
        yield f"synth-{i}.html", page, None
        yield f"synth-{i}.txt", flat, "text/plain"
        yield f"synth-{i}.pipes.txt", render_pipes(report, border=rng.random() < 0.7).encode(), "text/plain"
        if i % 10 == 0:
            yield f"synth-{i}.html#damaged", damage(page, rng), None
            yield f"synth-{i}.txt#damaged", damage(flat, rng), "text/plain"
            for variant, data in variants(page.decode("gb18030" if style.encoding == "gbk" else "utf-8")):
                yield f"synth-{i}.html#{variant}", data, None


def variants(text: str) -> Iterator[tuple[str, bytes]]:
    """The page as other encodings and wrappings that reach the reader by other paths."""
    utf8 = text.encode()
    yield "bom", codecs.BOM_UTF8 + utf8
    yield "utf16", text.encode("utf-16")
    yield "undeclared", re.sub(rb"charset=[\w-]+", b"", utf8)
    yield "cp1252", re.sub(rb"charset=[\w-]+", b"charset=windows-1252", utf8)
    n = len(text)
    yield "mixed", text[: n // 2].encode() + text[n // 2 : 2 * n // 3].encode("gb18030") + text[2 * n // 3 :].encode()
    yield (
        "layout",
        (
            utf8.replace(b'<div class="content" id="zoom">', b'<table><tr><td><div class="content" id="zoom">').replace(
                b"</body>", b"</td></tr></table></body>"
            )
        ),
    )
    yield "comments", utf8.replace(b"<tr>", b"<tr><!-- c -->", 5).replace(b"<p ", b"<!-- x --><p ", 9)


def outputs(count: int) -> Iterator[str]:
    for name, data, ctype in corpus(count):
        yield json.dumps([name, parse_bytes(data, name, ctype).to_json()], ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["record", "check"])
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--store", type=Path, default=STORE)
    args = ap.parse_args(argv)
    if args.mode == "record":
        args.store.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        with args.store.open("w", encoding="utf-8") as out:
            for line in outputs(args.count):
                out.write(line + "\n")
                n += 1
        print(f"recorded {n} reports in {args.store}")
        return 0
    if not args.store.exists():
        print(f"no recorded outputs at {args.store}: run `record` on the reference code first", file=sys.stderr)
        return 2
    want = args.store.read_text(encoding="utf-8").splitlines()
    n = differ = 0
    for got, expected in zip(outputs(args.count), want, strict=False):
        n += 1
        if got != expected:
            differ += 1
            if differ <= 5:
                name = json.loads(expected)[0]
                print(f"DIFFERS: {name}\n  want {json.loads(expected)[1][:600]}\n  got  {json.loads(got)[1][:600]}")
    if n != len(want):
        print(f"{n} reports parsed, {len(want)} recorded: run with the --count used to record", file=sys.stderr)
        return 1
    print(f"{n} reports: {n - differ} identical, {differ} differ")
    return 0 if differ == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
