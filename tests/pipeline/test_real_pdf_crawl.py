"""A real report published only as a PDF behind a download servlet, its title split over two lines,
is found, parsed and loaded by the nightly crawl with agency and year right.

The PDF is the real 洪泽区人民政府 2023 report (tests/fixtures/real/); the Hanweb imitation site
serves it the way such sites do: the article says 详见附件, the attachment link goes through
``/module/download/downfile.jsp`` and the servlet sends ``application/octet-stream``.
"""

from __future__ import annotations

from govreports.demo import hanweb
from govreports.demo.content import make_agency
from govreports.demo.farm import agencies
from govreports.demo.server import Farm
from govreports.pipeline import NightlyJob, SQLState, db_loader
from tests.support import FIXTURES
from tests.support.crawling import settings
from tests.support.db import facts_in
from tests.support.real_expected import HONGZE_2023

PDF = FIXTURES / "real" / "pdf" / "huaian-hongze-gov-2023.pdf"


def test_pdf_only_report_behind_servlet_is_crawled_parsed_and_loaded(engine, tmp_path) -> None:
    data = make_agency("洪泽区人民政府", [2022, 2023], seed=9)
    site = hanweb.build(data, pdf_only=(2023, PDF.read_bytes()))
    job = NightlyJob(settings(STORE_DIR=str(tmp_path / "raw")), SQLState(engine), db_loader(engine))
    with Farm([site]) as farm:
        first = job.run(agencies(farm, [site]))
    assert first.totals()["new"] == 2
    assert site.served(f"/module/download/downfile.jsp?classid=0&filename={hanweb.PDF_NAME}", 200)
    stored = facts_in(engine)
    assert ("洪泽区人民政府", 2023) in stored
    loaded = stored[("洪泽区人民政府", 2023)]
    # every cell the PDF prints and the parser places is in the database as printed
    assert {k: loaded[k] for k in HONGZE_2023 if loaded.get(k) is not None} == {
        k: v for k, v in HONGZE_2023.items() if loaded.get(k) is not None
    }
    assert sum(loaded.get(k) is not None for k in HONGZE_2023) >= len(HONGZE_2023) - 7
