"""Hostile documents, made by generators (tests/support/hostile.py): each answers with one clear issue
in bounded time and memory, measured in a subprocess of its own.

The bounds are the issue's (30 s; memory half its 1 GiB), with room for a shared machine: the point is hang or no
hang, bounded or not, not speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import hostile

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 30.0
PEAK_MIB = 512.0  # half the issue's bound; the largest case (a 300,000-row DOCX table) peaks near 110 MiB


def measure(tmp_path: Path, data: bytes, name: str, env: dict[str, str] | None = None, sandbox: bool = False) -> dict:
    """Parse ``data`` in a fresh interpreter; its issues, seconds and peak memory."""
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.measure", str(path), *(["--sandbox"] if sandbox else [])],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout)


# (id, generator, file name, rule, start of the message, environment)
CASES: list[tuple[str, Callable[[], bytes], str, str, str, dict[str, str]]] = [
    *(
        (
            f"html-{tag}-20000-deep",
            lambda tag=tag: hostile.html_nested(tag, 20_000),
            "deep.html",
            "too_deep",
            "elements nested more than 1,000 deep, the limit (PARSE_MAX_DEPTH)",
            {},
        )
        for tag in ("table", "div", "span", "b", "li")
    ),
    (
        "html-500kb-unclosed-div",
        lambda: hostile.html_nested("div", 100_000, closed=False),
        "unclosed.html",
        "too_deep",
        "elements nested more than 1,000 deep, the limit (PARSE_MAX_DEPTH)",
        {},
    ),
    (
        "html-20000-sibling-tables",
        lambda: hostile.html_siblings("table", 20_000),
        "tables.html",
        "too_large",
        "document has more than 1,000 tables, the limit (PARSE_MAX_TABLES)",
        {},
    ),
    (
        "html-50000-list-items",
        lambda: hostile.html_siblings("li", 50_000),
        "list.html",
        "not_a_report",
        "no report title, section headings or template tables found",
        {},
    ),
    (
        "mhtml-nested-multiparts",
        lambda: hostile.mhtml_nested(2_000),
        "nested.mht",
        "too_deep",
        "MHTML archive holds more than 20 multipart containers (Word writes one)",
        {},
    ),
    (
        "docx-body-inflates-to-2gb",
        lambda: hostile.docx_bomb("word/document.xml"),
        "bomb.docx",
        "too_large",
        "DOCX word/document.xml passes the XML parser's limits (Resource limit exceeded: Text node too long",
        {},
    ),
    (
        "docx-core-inflates-to-2gb",
        lambda: hostile.docx_bomb("docProps/core.xml"),
        "core-bomb.docx",
        "too_large",
        "DOCX docProps/core.xml passes the XML parser's limits",
        {},
    ),
    (
        "docx-inflated-bytes-counted",
        lambda: hostile.docx_bomb("word/document.xml", inflated=8 << 20),
        "inflated.docx",
        "too_large",
        "document decompresses to more than 2.0 MiB, the limit (PARSE_MAX_INFLATED_BYTES)",
        {"GOVREPORTS_PARSE_MAX_INFLATED_BYTES": str(2 << 20)},
    ),
    (
        "docx-zip-header-lies",
        lambda: hostile.docx_bomb("word/document.xml", lie=True),
        "lie.docx",
        "unreadable",
        "DOCX is damaged (word/document.xml: BadZipFile: Bad CRC-32 for file 'word/document.xml')",
        {},
    ),
    (
        "docx-300000-row-table",
        lambda: hostile.docx_table(300_000),
        "rows.docx",
        "too_large",
        "document has more than 100,000 table cells, the limit (PARSE_MAX_CELLS)",
        {},
    ),
    (
        "docx-20000-tables",
        lambda: hostile.docx_table(1, tables=20_000),
        "tables.docx",
        "too_large",
        "document has more than 1,000 tables, the limit (PARSE_MAX_TABLES)",
        {},
    ),
    (
        "docx-entity-expansion",
        hostile.docx_entities,
        "laughs.docx",
        "too_large",
        "DOCX word/document.xml passes the XML parser's limits",
        {},
    ),
    (
        "pdf-20000-pages",
        lambda: hostile.pdf_pages(20_000),
        "pages.pdf",
        "too_large",
        "document has more than 500 pages, the limit (PARSE_MAX_PAGES)",
        {},
    ),
    (
        "pdf-content-inflates-to-1gb",
        lambda: hostile.pdf_content_bomb(1 << 30),
        "content-bomb.pdf",
        "too_large",
        "document decompresses to more than 128.0 MiB, the limit (PARSE_MAX_INFLATED_BYTES)",
        {},
    ),
    (
        "pdf-many-text-objects",
        lambda: hostile.pdf_content_bomb(5_000_000),
        "text-objects.pdf",
        "too_large",
        "document has more than 500,000 text-drawing operators, the limit (PARSE_MAX_TEXT_OBJECTS)",
        {},
    ),
    (
        "pdf-cyclic-page-tree",
        hostile.pdf_cyclic_pages,
        "cyclic.pdf",
        "unreadable",
        "PDF text cannot be extracted",
        {},
    ),
    (
        "doc-self-looping-fat",
        hostile.doc_fat_loop,
        "fat-loop.doc",
        "unsupported_format",
        "OLE file that holds no Word document",
        {},
    ),
    (
        "doc-looping-stream",
        hostile.doc_stream_loop,
        "stream-loop.doc",
        "unreadable",
        "legacy Word file is damaged (the WordDocument stream's sectors loop)",
        {},
    ),
    (
        "doc-negative-piece-block",
        hostile.doc_negative_prc,
        "negative.doc",
        "unreadable",
        "legacy Word file's piece table has a block of negative size",
        {},
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("gen", "name", "rule", "message", "env"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_document_is_one_issue_in_bounded_time_and_memory(
    tmp_path: Path, gen: Callable[[], bytes], name: str, rule: str, message: str, env: dict[str, str]
) -> None:
    got = measure(tmp_path, gen(), name, env)
    assert len(got["issues"]) == 1, got["issues"]
    assert got["issues"][0][:2] == [rule, "error"]
    assert got["issues"][0][2].startswith(message), got["issues"][0][2]
    assert got["seconds"] < SECONDS
    assert got["peak_mib"] < PEAK_MIB


@pytest.mark.slow
def test_doc_with_damaged_summary_is_read_without_its_title(tmp_path: Path) -> None:
    """The summary stream claims 2^31 properties at offsets past its end: only the title is lost."""
    got = measure(tmp_path, hostile.doc_bad_summary(), "summary.doc")
    assert got["template"] == "2021"
    assert [i for i in got["issues"] if i[1] == "error"] == []
    assert got["seconds"] < SECONDS and got["peak_mib"] < PEAK_MIB


@pytest.mark.slow
def test_zip_slip_names_write_nothing(tmp_path: Path) -> None:
    target = Path("/tmp/govreports-zip-slip")
    target.unlink(missing_ok=True)
    got = measure(tmp_path, hostile.docx_zip_slip(), "slip.docx")
    assert [i[0] for i in got["issues"]] == ["not_a_report"]
    assert not target.exists()


@pytest.mark.slow
def test_content_bomb_past_the_readers_limits_is_stopped_by_the_sandbox(tmp_path: Path) -> None:
    """With the reader's own limits raised out of the way, the worker's memory limit still holds."""
    env = {
        "GOVREPORTS_PARSE_MAX_INFLATED_BYTES": str(1 << 40),
        "GOVREPORTS_PARSE_MAX_TEXT_OBJECTS": str(10**12),
        "GOVREPORTS_PARSE_MEMORY": str(400 << 20),
    }
    got = measure(tmp_path, hostile.pdf_content_bomb(200_000_000), "bomb.pdf", env, sandbox=True)
    assert len(got["issues"]) == 1
    rule, severity, message = got["issues"][0]
    assert (rule, severity) in {("parser_crashed", "error"), ("out_of_memory", "error")}
    assert "400.0 MiB (PARSE_MEMORY)" in message
    assert got["seconds"] < SECONDS
    assert got["peak_mib"] < 400 + 50  # the address-space cap bounds what the worker ever held
