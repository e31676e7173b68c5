"""OFD (GB/T 33190) attachments: a real OFD file as an OFD producer wrote it (a Word document
exported; ``tests/fixtures/ofd/real-docx-export.ofd``, source in the fixtures README) read line by
line, the 2021 PDF report converted to OFD (``make_ofd.py``) read to the same report as the PDF,
and hostile or damaged packages refused with one issue."""

from __future__ import annotations

import io
import zipfile

from govreports.parsers import parse_bytes, parse_path, sniff
from govreports.parsers.ofd import _deltas, read_ofd
from tests.support import FIXTURES

OFD = FIXTURES / "ofd"
REAL = OFD / "real-docx-export.ofd"


def test_real_ofd_reads_in_reading_order() -> None:
    """Lines as the page shows them (read from its Content.xml by eye): runs in several fonts on one
    baseline make one line; bold runs, brackets and the Latin comma join their neighbours."""
    doc = read_ofd(REAL.read_bytes())
    texts = ["".join(ln.cells) for ln in doc.lines]
    assert texts[:3] == [
        "电子文档测评新需求",
        "1.业务管理员(最新测评需要该角色)",
        "定义：业务管理员区别于管理三员（管理三员不会参与具体的系统业务，而业务管理员可管理和介入所有系统业务）",
    ]
    assert texts[3].startswith("业务管理员作用：管理，查看及介入所有系统业务,以电子文档使用场景举例（1.查看系统业务")
    assert "2.电子文档与三集中管理" in texts
    assert {ln.page for ln in doc.lines} == {1}
    assert doc.meta == {"title": "电子文档公司涉密内网使用及测评新需求.docx"}


def test_real_ofd_that_is_no_report_says_so() -> None:
    report = parse_path(REAL)
    assert (report.format, report.template) == ("ofd", None)
    assert [i.rule for i in report.issues] == ["not_a_report"]


def test_report_as_ofd_reads_like_the_pdf_it_was_converted_from() -> None:
    ofd, pdf = parse_path(OFD / "report-2021.ofd"), parse_path(FIXTURES / "pdf" / "report-2021.pdf")
    assert (ofd.format, ofd.template, ofd.issues) == ("ofd", "2021", [])
    for field in ("template", "title", "agency", "year", "published", "facts", "issues", "sections"):
        assert getattr(ofd, field) == getattr(pdf, field), field
    # what the page prints, as written in tests/parsers/test_pdf.py: a few numbers and their pages
    assert (ofd.agency, ofd.year, ofd.published) == ("青田县自然资源和规划局", 2023, "2024-01-18")
    assert ofd.value("active", "licensing", "decisions") == 1362
    assert ofd.value("applications", "total_processed", "total") == 51
    assert ofd.fact("applications", "rejected_repeated", "natural_person").page == 3


def test_sniffed_by_content() -> None:
    data = (OFD / "report-2021.ofd").read_bytes()
    assert sniff(data) == "ofd"
    assert parse_bytes(data, "download.do?id=7", "application/octet-stream").template == "2021"


def test_delta_repeats() -> None:
    assert _deltas("g 3 3.72 3.64 g 2 1.5") == [3.72, 3.72, 3.72, 3.64, 1.5, 1.5]
    assert _deltas(None) == []
    assert _deltas("1 2 x 3") == [1.0, 2.0]  # stops at what is not a number


def _package(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in files.items():
            z.writestr(name, body)
    return out.getvalue()


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(REAL) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_zip_bomb_page_is_refused_by_counting_bytes(monkeypatch) -> None:
    monkeypatch.setenv("GOVREPORTS_PARSE_MAX_INFLATED_BYTES", str(4 << 20))
    parts = _parts()
    parts["Doc_0/Page_1/Content.xml"] = b"<a>" + b" " * ((4 << 20) + 1) + b"</a>"
    report = parse_bytes(_package(parts), "bomb.ofd")
    assert [(i.rule, i.message) for i in report.issues] == [
        ("too_large", "document decompresses to more than 4.0 MiB, the limit (PARSE_MAX_INFLATED_BYTES)")
    ]


def test_broken_packages_are_one_issue() -> None:
    parts = _parts()
    cases = {
        "no DocRoot": {**parts, "OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'},
        "page missing": {k: v for k, v in parts.items() if not k.endswith("Content.xml")},
        "page not XML": {**parts, "Doc_0/Page_1/Content.xml": b"<ofd:Page><unclosed>"},
        "page outside": {**parts, "Doc_0/Document.xml": parts["Doc_0/Document.xml"].replace(b"Page_1/", b"../../x/")},
        "no text": {**parts, "Doc_0/Page_1/Content.xml": b'<Page xmlns="http://www.ofdspec.org/2016"/>'},
    }
    for name, files in cases.items():
        report = parse_bytes(_package(files), f"{name}.ofd")
        assert report.template is None and len(report.issues) == 1, name
        assert report.issues[0].severity == "error", name
    assert "leaves the package" in parse_bytes(_package(cases["page outside"]), "x.ofd").issues[0].message
    assert parse_bytes(_package(cases["no text"]), "x.ofd").issues[0].rule == "scanned_pdf"


def test_entities_are_not_expanded() -> None:
    """An XML bomb in a page (billion laughs) is not expanded."""
    parts = _parts()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;">'
        b'<!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;"><!ENTITY l4 "&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;&l3;">'
        b'<!ENTITY l5 "&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;&l4;">]>'
        b'<Page><TextObject Boundary="0 0 10 10" Size="3"><TextCode X="0" Y="3">&l5;</TextCode></TextObject></Page>'
    )
    parts["Doc_0/Page_1/Content.xml"] = laughs
    report = parse_bytes(_package(parts), "laughs.ofd")
    assert report.template is None and len(report.issues) == 1
