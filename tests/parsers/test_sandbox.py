"""The last line of defence: a document past the time or memory limit, or one that kills its worker,
is that document's issue; the worker is replaced and the next document parses."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
from click.testing import CliRunner

from govreports.cli import cli
from govreports.parsers.sandbox import Sandbox
from tests.support import JIAXING, values
from tests.support.hostile import html_nested

# lexbor's tree builder is quadratic in nesting: with the depth check raised out of the way this
# page takes minutes, which is what a hostile document the readers cannot see through looks like
SLOW = html_nested("div", 100_000, closed=False)
NO_DEPTH_CHECK = "GOVREPORTS_PARSE_MAX_DEPTH"


@pytest.fixture
def unbounded_depth(monkeypatch) -> None:
    monkeypatch.setenv(NO_DEPTH_CHECK, str(10**9))


def test_sandbox_parses_like_parse_bytes() -> None:
    from govreports.parsers import parse_path

    with Sandbox(timeout=60) as sandbox:
        report = sandbox.parse(JIAXING.read_bytes(), str(JIAXING))
    assert values(report) == values(parse_path(JIAXING))
    assert report.issues == []


@pytest.mark.slow
def test_too_slow_document_is_an_issue_and_the_next_one_parses(unbounded_depth) -> None:
    with Sandbox(timeout=2) as sandbox:
        start = time.monotonic()
        slow = sandbox.parse(SLOW, "slow.html")
        took = time.monotonic() - start
        good = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert [(i.rule, i.severity, i.message) for i in slow.issues] == [
        ("too_slow", "error", "parsing took longer than 2 seconds, the limit (PARSE_TIMEOUT)")
    ]
    assert slow.template is None and slow.content_hash is not None
    assert took < 15  # the worker is killed at the deadline, not waited for
    assert good.template == "2021" and good.issues == []


@pytest.mark.slow
def test_worker_killed_mid_document_is_parser_crashed(unbounded_depth) -> None:
    with Sandbox(timeout=60) as sandbox:
        sandbox.parse(b"warm up", "x.txt")
        pid = sandbox._process.pid  # the worker, killed from outside as a C library would kill it
        threading.Timer(1.0, os.kill, (pid, signal.SIGKILL)).start()
        crashed = sandbox.parse(SLOW, "slow.html")
        good = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert [(i.rule, i.message) for i in crashed.issues] == [
        (
            "parser_crashed",
            "the parser crashed on this document (SIGKILL); often memory beyond 1024.0 MiB (PARSE_MEMORY)",
        )
    ]
    assert good.template == "2021"


def test_worker_reads_the_limits_of_the_moment(monkeypatch) -> None:
    """Settings changed after the worker started still apply: they travel with each document."""
    with Sandbox(timeout=60) as sandbox:
        sandbox.parse(b"warm up", "x.txt")
        monkeypatch.setenv("GOVREPORTS_PARSE_MAX_BYTES", "100")
        report = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert report.issues[0].rule == "too_large"
    assert report.issues[0].message.endswith("over the 100 bytes limit (PARSE_MAX_BYTES)")


@pytest.mark.slow
def test_cli_parse_timeout_flag(tmp_path, unbounded_depth) -> None:
    slow = tmp_path / "slow.html"
    slow.write_bytes(SLOW)
    result = CliRunner().invoke(cli, ["parse", str(slow), str(JIAXING), "--timeout", "2"])
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["issues"][0]["rule"] if r["issues"] else None for r in reports] == ["too_slow", None]
    assert reports[1]["template"] == "2021"
    assert result.stderr == f"{slow}: too_slow: parsing took longer than 2 seconds, the limit (PARSE_TIMEOUT)\n"


# --- OCR in the worker ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def one_page_scan() -> bytes:
    """A PDF without a text layer: one picture of a report's table, as a scanner would make it."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed (make test installs it)")
    import io

    from PIL import Image

    from tests.support import FIXTURES

    out = io.BytesIO()
    Image.open(FIXTURES / "ocr" / "table-2021-review.png").convert("L").save(out, "PDF", resolution=150)
    return out.getvalue()


@pytest.mark.slow
def test_ocr_runs_in_the_worker_under_its_own_memory_limit(one_page_scan) -> None:
    """onnxruntime needs more address space than PARSE_MEMORY: OCR_MEMORY applies while OCR reads,
    and the worker that ran OCR is replaced, so the next document has PARSE_MEMORY again."""
    gib = 1024**3
    with Sandbox(timeout=300, memory=gib, ocr_memory=3 * gib) as sandbox:
        sandbox.parse(b"warm up", "x.txt")
        read = sandbox.parse(one_page_scan, "scan.pdf", "application/pdf")
        assert sandbox._process is None  # retired after OCR
        good = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    # read by OCR (a table alone is no report); with OCR off it would be scanned_pdf
    assert [i.rule for i in read.issues] == ["not_a_report"]
    assert good.template == "2021"
    with Sandbox(timeout=300, memory=gib, ocr_memory=gib) as narrow:
        failed = narrow.parse(one_page_scan, "scan.pdf", "application/pdf")
    assert [i.rule for i in failed.issues] in (["parser_error"], ["out_of_memory"], ["parser_crashed"])
    assert "OCR_MEMORY" in failed.issues[0].message or "ONNXRuntimeError" in failed.issues[0].message


@pytest.fixture(scope="module")
def long_scan() -> bytes:
    """A scanned PDF of 30 pages (the most OCR reads): seconds of OCR on any machine, whatever its speed."""
    pytest.importorskip("rapidocr_onnxruntime", reason="the ocr extra is not installed (make test installs it)")
    import io

    from PIL import Image

    from tests.support import FIXTURES

    page = Image.open(FIXTURES / "ocr" / "table-2021-review.png").convert("L")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150, save_all=True, append_images=[page] * 29)
    return out.getvalue()


@pytest.mark.slow
def test_ocr_document_gets_ocr_timeout_not_parse_timeout(long_scan) -> None:
    # PARSE_TIMEOUT covers the work before OCR begins (opening the PDF, finding no text layer: well under
    # a second, 4 s leave room for a loaded machine); once OCR has begun its deadline is OCR_TIMEOUT's
    with Sandbox(timeout=4, ocr_timeout=5) as sandbox:
        sandbox.parse(b"warm up", "x.txt")
        slow = sandbox.parse(long_scan, "scan.pdf", "application/pdf")
        good = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert [(i.rule, i.message) for i in slow.issues] == [
        ("too_slow", "reading this document by OCR took longer than 5 seconds, the limit (OCR_TIMEOUT)")
    ]
    assert good.template == "2021"


def test_worker_forgets_a_setting_unset_since_the_last_document(monkeypatch) -> None:
    """The worker applies the caller's settings only when they change, so a setting removed must go too."""
    with Sandbox(timeout=60) as sandbox:
        monkeypatch.setenv("GOVREPORTS_PARSE_MAX_BYTES", "100")
        limited = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
        again = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
        monkeypatch.delenv("GOVREPORTS_PARSE_MAX_BYTES")
        unlimited = sandbox.parse(JIAXING.read_bytes(), "jiaxing.txt")
    assert [limited.issues[0].rule, again.issues[0].rule] == ["too_large", "too_large"]
    assert unlimited.template == "2021" and unlimited.issues == []


def test_worker_keeps_its_heap_unless_told_otherwise(monkeypatch) -> None:
    """The worker's malloc keeps freed memory for the next document, unless the caller set GLIBC_TUNABLES."""
    from govreports.parsers.sandbox import _worker_environment

    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    assert _worker_environment()["GLIBC_TUNABLES"] == "glibc.malloc.trim_threshold=67108864"
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
    assert _worker_environment()["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2"
