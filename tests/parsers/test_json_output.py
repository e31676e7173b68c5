"""``Report.to_json``: the spec's object, written without ``dataclasses.asdict``, byte for byte as before.

The reference below is the former implementation (asdict, then ``page``/``expected``/``actual``
dropped when None, and ``sources`` — added later — dropped when empty, as the spec has it: present
only for a report parsed with a context); every fixture and synthetic reports with issues, inferred
cells and PDF pages must serialise to exactly the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from govreports.parsers import Context, Report, model, parse_bytes, parse_path
from govreports.parsers.model import Issue
from govreports.testing import random_report, render_flat
from tests.support import FIXTURES

DOCUMENTS = sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".html", ".txt", ".pdf", ".docx", ".doc"})


def reference_json(report: Report) -> str:
    d = dataclasses.asdict(report)
    for f in d["facts"]:
        if f["page"] is None:
            del f["page"]
        if not f["ocr"]:  # the OCR keys only where OCR read the cell (docs/spec.md)
            del f["ocr"], f["confidence"]
    for i in d["issues"]:
        for k in ("expected", "actual"):
            if i[k] is None:
                del i[k]
    if not d["sources"]:
        del d["sources"]
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_json_is_byte_identical_to_asdict(path) -> None:
    report = parse_path(path)
    assert report.to_json() == reference_json(report)


def test_synthetic_and_edge_reports_are_byte_identical() -> None:
    reports = []
    for seed in range(30):
        rng = random.Random(seed)
        want = random_report(rng, "2021" if seed % 2 else "2019", break_rules=seed % 3 == 0, empty_cells=0.2)
        reports.append(parse_bytes(render_flat(want).encode(), f"synthetic-{seed}", "text/plain"))
    edge = Report(source='引号"\\\n\u2028', facts=[], sections={"一": "\t"}, year=2022)
    edge.issues.append(Issue("A1", "error", "x", cells=["a/b/c"], expected=None, actual=3.5))
    edge.issues.append(Issue("A2", "error", "y", expected=0, actual=None))
    reports.append(edge)
    with_context = parse_path(FIXTURES / "samples" / "jiaxing-eib-2022.txt", Context(agency="某局", year=2022))
    assert with_context.sources  # document / context per field, and a context_disagrees warning
    reports.append(with_context)
    assert any(i.expected is not None for r in reports for i in r.issues)
    assert any(f.inferred for r in reports for f in r.facts)
    for report in reports:
        assert report.to_json() == reference_json(report)


def test_to_dict_does_not_deep_copy_through_asdict(monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("dataclasses.asdict deep-copies every fact; build the dict directly")

    monkeypatch.setattr(model, "asdict", boom, raising=False)
    monkeypatch.setattr(dataclasses, "asdict", boom)
    report = parse_path(FIXTURES / "samples" / "jiaxing-eib-2022.txt")
    assert json.loads(report.to_json())["facts"][0]["table"] == "active"


def test_numbers_orjson_refuses_are_written_by_the_standard_library() -> None:
    """orjson writes the JSON; an integer past 64 bits (a hostile or misprinted cell) is still written whole."""
    from govreports.parsers.model import Fact

    report = Report(source="huge", template="2021")
    report.facts = [
        Fact("active", "规章", "本年制发件数", 10**20, "100000000000000000000"),
        Fact("active", "规章", "现行有效件数", 2722529.0916, "2722529.0916"),
    ]
    text = report.to_json()
    assert text == reference_json(report)
    assert [f["value"] for f in json.loads(text)["facts"]] == [100000000000000000000, 2722529.0916]


def test_a_report_crosses_a_process_boundary_whole() -> None:
    """Pickled (the parse worker's answer to its caller) with its facts as tuples: nothing lost on the way."""
    import pickle

    from govreports.parsers.model import Fact

    report = parse_path(FIXTURES / "samples" / "jiaxing-eib-2022.txt", Context(agency="某局", year=2022))
    report.facts.append(Fact("review", "结果", "纠正", 3, "3", inferred=True, page=4, ocr=True, confidence=0.93))
    copy = pickle.loads(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == report
    assert copy.facts[-1] == Fact("review", "结果", "纠正", 3, "3", True, 4, True, 0.93)
    assert copy.sources == report.sources and copy.issues == report.issues
    assert len(copy.facts) == len(report.facts) > 100
