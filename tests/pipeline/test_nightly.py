"""The nightly job without a database: every demo report parsed to exactly the numbers its site printed."""

from __future__ import annotations

from govreports.demo.farm import demo_sites
from govreports.demo.generic import JIAXING
from govreports.demo.server import Farm
from govreports.parsers import parse_path
from govreports.scraper.state import MemoryState
from tests.support import FIXTURES, values
from tests.support.crawling import settings, site_reports


def test_demo_job_loads_exact_facts(tmp_path) -> None:
    from govreports.pipeline import NightlyJob

    sites = demo_sites()
    loaded = []

    def loader(report, document, agency):
        loaded.append((agency.name, report, document))
        return "new"

    state = MemoryState()
    with Farm(sites) as farm:
        from govreports.demo.farm import agencies

        job = NightlyJob(settings(STORE_DIR=str(tmp_path)), state, loader)
        summary = job.run(agencies(farm, sites))
        again = job.run(agencies(farm, sites))
    assert summary.totals() == {
        "new": 15,
        "changed": 0,
        "unchanged": 0,
        "failed": 0,
        "unreadable": 0,
        "skipped": 1,
        "blocked": 1,
        "agencies": 5,
    }
    assert again.totals()["new"] == 0 and again.totals()["changed"] == 0 and len(loaded) == 15
    expected = {(r.agency, r.year): r for s in sites for r in site_reports(s)}
    jiaxing = parse_path(FIXTURES / "samples" / "jiaxing-eib-2022.txt")
    got = {}
    for name, report, document in loaded:
        assert report.agency == name
        got[(name, report.year)] = (report, document)
    assert sorted(got) == sorted([*expected, (JIAXING, 2022)])
    for key, (report, _document) in got.items():
        if key == (JIAXING, 2022):
            assert values(report) == values(jiaxing) and report.published == "2023-01-17"
            continue
        want = expected[key]
        assert (report.template, report.published) == (want.template, want.published), key
        assert values(report) == values(want.report), key
        assert report.issues == [], (key, report.issues)
    # the hanweb 2020 report exists only as a .doc attachment behind the download servlet
    _, doc = got[("江南市财政局", 2020)]
    assert doc.role == "attachment" and "filename=2020ndbg.doc" in doc.url
    # gkmlpt bodies come from the JSON-escaped config
    assert got[("岭南市交通运输局", 2022)][1].role == "extract"
    assert (tmp_path / got[("江南市生态环境局", 2021)][1].raw_path).read_bytes() == got[("江南市生态环境局", 2021)][
        1
    ].data
    assert [r.status for r in state.runs] == ["finished", "finished"]
    assert state.runs[0].counts["new"] == 15 and state.runs[0].agencies["江北市人民政府"]["blocked"]
    assert site_reports(sites[0])  # the helper reads the same data the site serves
