"""A column cut off at CRAWL_MAX_LIST_PAGES is not marked walked: the cut is recorded, and the next
run goes on from where it stopped until the column's end, then the column counts as walked."""

from __future__ import annotations

from govreports.demo import trs
from govreports.demo.content import make_agency
from govreports.demo.server import Farm
from govreports.scraper.registry import Agency
from govreports.scraper.state import MemoryState
from tests.support.crawling import crawl


def test_a_cut_off_column_is_continued_next_run(tmp_path) -> None:
    data = make_agency("江南市水利局", list(range(2016, 2024)), seed=5)  # 8 reports, one a page
    site = trs.build(data, perpage=1, attachments=False)
    state = MemoryState()
    runs, handed = [], []
    with Farm([site]) as farm:
        agency = [Agency(name=site.name, start_url=farm.url(site, "/xxgk/zfxxgknb/index.html"))]
        for _ in range(4):
            results, sink, _ = crawl(
                farm, [site], tmp_path / "raw", state=state, agencies=agency, CRAWL_MAX_LIST_PAGES=3
            )
            handed += [found.url for found in sink.found]
            column = next(r for url, r in state.records.items() if url.startswith("column:"))
            runs.append((results[0].new, column.complete, column.size, results[0].errors))
    assert [(new, complete, size) for new, complete, size, _ in runs] == [
        (3, False, 3),  # pages 1-3: cut off, said
        (3, False, 6),  # pages 1-6 (the first three answer 304): three more reports
        (2, True, None),  # to the end: walked
        (0, True, None),  # an unchanged column: nothing new
    ]
    assert runs[0][3] == [
        f"{farm.url(site, '/xxgk/zfxxgknb/index.html')}: cut off after 3 list pages (CRAWL_MAX_LIST_PAGES); "
        "the next run goes on from there"
    ]
    assert runs[2][3] == runs[3][3] == []
    assert len(handed) == len(set(handed)) == 8  # every report once
