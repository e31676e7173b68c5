"""Fuzzing each reader with hypothesis, seeded from the real fixtures: whatever the mutation, the
parser answers with a report (an issue where it cannot read), never an exception, a hang or a crash.

Each example is parsed in a sandbox worker (``govreports.parsers.Sandbox``), so a hang shows as
``too_slow`` and a crash in a C library as ``parser_crashed`` — both fail the test with the example
hypothesis shrank to. ``GOVREPORTS_FUZZ_EXAMPLES`` sets the examples per reader (default 25, which
keeps CI's run bounded); raise it for a longer session: ``GOVREPORTS_FUZZ_EXAMPLES=2000 pytest -m fuzz``.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreports.parsers import Sandbox
from tests.support import FIXTURES

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

EXAMPLES = int(os.environ.get("GOVREPORTS_FUZZ_EXAMPLES", "25"))
SEVERITIES = {"error", "warning", "info"}
FAILURES = {"too_slow", "parser_crashed", "parser_error", "out_of_memory"}  # what the readers must never reach

SEEDS = {
    "html": sorted((FIXTURES / "html").glob("*.html")),
    "mhtml": [FIXTURES / "html" / "mouxian-gov-2020-word-mht.doc"],
    "text": sorted((FIXTURES / "text").glob("*.txt")),
    "pdf": [FIXTURES / "pdf" / "report-2019.pdf", FIXTURES / "pdf" / "report-2021.pdf"],
    "doc": sorted((FIXTURES / "doc").glob("*.doc")),
    "docx": sorted((FIXTURES / "docx").glob("*.docx")),
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(timeout=30, memory=1 << 30) as box:
        yield box


def mutations(size: int) -> st.SearchStrategy[list[tuple[str, int, int, bytes]]]:
    """Edits of a byte string: overwrite, insert, delete, duplicate a slice, truncate."""
    at = st.integers(0, max(0, size - 1))
    return st.lists(
        st.tuples(
            st.sampled_from(["overwrite", "insert", "delete", "duplicate", "truncate"]),
            at,
            st.integers(1, 4096),
            st.binary(min_size=1, max_size=64),
        ),
        min_size=1,
        max_size=8,
    )


def mutate(data: bytes, edits: list[tuple[str, int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, at, length, blob in edits:
        at = min(at, len(out))
        if kind == "overwrite":
            out[at : at + len(blob)] = blob
        elif kind == "insert":
            out[at:at] = blob
        elif kind == "delete":
            del out[at : at + length]
        elif kind == "duplicate":
            out[at:at] = out[at : at + length] * 8
        else:
            del out[at + length :]
    return bytes(out)


def rezip_with(docx: bytes, part: str, data: bytes) -> bytes:
    """The DOCX with one part replaced (mutated XML inside a valid zip reaches the XML reader)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == part else src.read(info))
    return out.getvalue()


def check(sandbox: Sandbox, data: bytes, name: str) -> None:
    report = sandbox.parse(data, name)
    rules = [i.rule for i in report.issues]
    assert not FAILURES & set(rules), [(i.rule, i.message) for i in report.issues]
    assert all(i.severity in SEVERITIES and i.message for i in report.issues)
    if report.template is None:
        assert any(i.severity == "error" for i in report.issues), "a document not read as a report says why"


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the sandbox's timeout is the deadline
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    derandomize="GOVREPORTS_FUZZ_RANDOM" not in os.environ,  # CI repeats the same examples; set it to explore
)


@pytest.mark.parametrize("form", ["html", "mhtml", "text", "pdf", "doc"])
@FUZZ
@given(data=st.data())
def test_mutated_documents_are_answered(sandbox: Sandbox, form: str, data: st.DataObject) -> None:
    seed: Path = data.draw(st.sampled_from(SEEDS[form]), label="seed")
    raw = seed.read_bytes()
    edits = data.draw(mutations(len(raw)), label="edits")
    check(sandbox, mutate(raw, edits), seed.name)


@FUZZ
@given(data=st.data())
def test_mutated_docx_xml_is_answered(sandbox: Sandbox, data: st.DataObject) -> None:
    seed: Path = data.draw(st.sampled_from(SEEDS["docx"]), label="seed")
    docx = seed.read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml")
    edits = data.draw(mutations(len(xml)), label="edits")
    check(sandbox, rezip_with(docx, "word/document.xml", mutate(xml, edits)), seed.name)
