"""Which version is current: the latest published, the later load on equal or unknown dates."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text

from govreports import parsers
from govreports.db.load import DocumentInfo, load_report, load_reports
from govreports.db.models import Report
from govreports.db.versioning import Version, publication_order
from govreports.testing import synthetic_batch
from tests.support import JIAXING, MULTIYEAR
from tests.support.db import check_versions, counts

REVISED = MULTIYEAR / "jiaxing-eib-2022-revised.txt"  # published 2023-02-03, granted 4 (the original: 2023-01-17, 3)


def _load_text(engine, body: str, source: str):
    report = parsers.parse_text(body, source)
    return load_report(engine, report, DocumentInfo.from_bytes(body.encode(), report))


def _load(engine, path, source: str | None = None):
    return _load_text(engine, path.read_text(encoding="utf-8"), source or str(path))


def _versions(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(Report.version, Report.published, Report.is_current, Report.superseded_by, Report.id).order_by(
                    Report.version
                )
            )
        ]


def _current_granted(engine) -> float:
    with engine.connect() as conn:
        return conn.execute(text("SELECT granted_total FROM applications_by_year")).scalar_one()


def test_an_old_copy_loaded_after_its_revision_is_kept_but_not_current(engine) -> None:
    revised = _load(engine, REVISED)
    old = _load(engine, JIAXING)
    assert (revised.status, revised.version) == ("new", 1)
    assert (old.status, old.version) == ("revised", 2)
    assert old.reason == "kept, not current: version 1 (published 2023-02-03) is newer"
    assert _versions(engine) == [
        (1, date(2023, 2, 3), True, None, revised.report_id),
        (2, date(2023, 1, 17), False, revised.report_id, old.report_id),
    ]
    assert _current_granted(engine) == 4  # the revision's figure, not the old copy's 3
    assert counts(engine)["facts"] == 400
    check_versions(engine)
    again = _load_text(engine, JIAXING.read_text(encoding="utf-8") + "\n", "again.txt")  # other bytes, same content
    assert (again.status, again.report_id, again.reason) == ("unchanged", old.report_id, "same content as version 2")
    assert counts(engine)["reports"] == 2 and _current_granted(engine) == 4


def test_a_revision_loaded_after_the_original_becomes_current(engine) -> None:
    old = _load(engine, JIAXING)
    revised = _load(engine, REVISED)
    assert (revised.status, revised.version, revised.reason) == ("revised", 2, None)
    assert _versions(engine) == [
        (1, date(2023, 1, 17), False, revised.report_id, old.report_id),
        (2, date(2023, 2, 3), True, None, revised.report_id),
    ]
    check_versions(engine)


def test_on_the_same_published_date_the_later_load_wins(engine) -> None:
    same_day = REVISED.read_text(encoding="utf-8").replace("发布日期:2023-02-03 09:30", "发布日期:2023-01-17 09:12")
    first = _load(engine, JIAXING)
    second = _load_text(engine, same_day, "same-day.txt")
    assert second.status == "revised" and second.reason is None
    assert _versions(engine) == [
        (1, date(2023, 1, 17), False, second.report_id, first.report_id),
        (2, date(2023, 1, 17), True, None, second.report_id),
    ]
    assert _current_granted(engine) == 4
    third = _load_text(engine, JIAXING.read_text(encoding="utf-8") + "\n", "again.txt")  # version 1's content again
    assert (third.status, third.report_id) == ("unchanged", first.report_id)  # not a third version
    assert third.reason == "same content as version 1"
    assert _current_granted(engine) == 4 and counts(engine)["reports"] == 2
    check_versions(engine)


def test_a_version_without_a_date_counts_as_no_older_than_those_loaded_before(engine) -> None:
    undated = REVISED.read_text(encoding="utf-8").replace("发布日期:2023-02-03 09:30 ", "")
    assert parsers.parse_text(undated, "x.txt").published is None
    dated = _load(engine, JIAXING)  # 2023-01-17
    later = _load_text(engine, undated, "undated.txt")  # no date, loaded later: current
    assert (later.status, later.reason) == ("revised", None)
    assert [v[:4] for v in _versions(engine)] == [(1, date(2023, 1, 17), False, later.report_id), (2, None, True, None)]
    # an older dated copy after it (2023-01-10 < 2023-01-17, the latest date before the undated one)
    older = _load_text(engine, JIAXING.read_text(encoding="utf-8").replace("2023-01-17", "2023-01-10"), "older.txt")
    assert older.status == "revised" and older.reason.startswith("kept, not current")
    # the versions by publication: older (01-10) → dated (01-17) → undated (counts as 01-17, loaded later)
    assert [v[:4] for v in _versions(engine)] == [
        (1, date(2023, 1, 17), False, later.report_id),
        (2, None, True, None),
        (3, date(2023, 1, 10), False, dated.report_id),
    ]
    # a dated copy published later than anything before the undated one replaces it
    newer = _load_text(engine, JIAXING.read_text(encoding="utf-8").replace("2023-01-17", "2023-03-01"), "newer.txt")
    assert newer.reason is None
    assert [v[2:4] for v in _versions(engine)] == [
        (False, later.report_id),
        (False, newer.report_id),
        (False, dated.report_id),
        (True, None),
    ]
    check_versions(engine)


def test_two_undated_versions_the_later_load_wins(engine) -> None:
    bodies = [
        p.read_text(encoding="utf-8").replace(d, "")
        for p, d in ((JIAXING, "发布日期:2023-01-17 09:12 "), (REVISED, "发布日期:2023-02-03 09:30 "))
    ]
    a = _load_text(engine, bodies[1], "a.txt")
    b = _load_text(engine, bodies[0], "b.txt")
    assert [v[2:] for v in _versions(engine)] == [(False, b.report_id, a.report_id), (True, None, b.report_id)]
    check_versions(engine)


def test_in_one_batch_the_versions_are_ordered_by_date_too(engine) -> None:
    items = []
    for path in (REVISED, JIAXING):  # newest first, in one transaction
        report = parsers.parse_path(path)
        items.append((report, DocumentInfo.from_path(path, report)))
    results = load_reports(engine, items)
    assert [(r.status, r.version) for r in results] == [("new", 1), ("revised", 2)]
    assert [v[:4] for v in _versions(engine)] == [
        (1, date(2023, 2, 3), True, None),
        (2, date(2023, 1, 17), False, results[0].report_id),
    ]
    assert _current_granted(engine) == 4
    check_versions(engine)


def test_synthetic_revisions_in_any_order(engine) -> None:
    """Three variants of the same reports, loaded in different orders and batchings: the current is
    always the latest published, ties to the later load, and every chain is consistent."""
    variants = [list(synthetic_batch(30, seed=5, variant=v)) for v in range(3)]
    load_reports(engine, variants[2], batch_size=7)
    load_reports(engine, [x for pair in zip(variants[0], variants[1], strict=True) for x in pair], batch_size=11)
    assert counts(engine)["reports"] == 90
    assert [r.status for r in load_reports(engine, variants[1][::-1])] == ["unchanged"] * 30
    check_versions(engine)
    with engine.connect() as conn:
        current = dict(
            conn.execute(text("SELECT agency_id * 10000 + year, published FROM reports WHERE is_current")).all()
        )
        latest = dict(
            conn.execute(
                text("SELECT agency_id * 10000 + year, max(published) FROM reports GROUP BY agency_id, year")
            ).all()
        )
    assert current == latest


@pytest.mark.parametrize(
    ("dates", "current"),
    [
        ([date(2023, 1, 1), date(2023, 2, 1)], 2),
        ([date(2023, 2, 1), date(2023, 1, 1)], 1),
        ([date(2023, 1, 1), date(2023, 1, 1)], 2),
        ([None, date(2023, 1, 1)], 2),
        ([date(2023, 1, 1), None], 2),
        ([date(2023, 2, 1), None, date(2023, 1, 1)], 2),
        ([date(2023, 2, 1), None, date(2023, 2, 1)], 3),
        ([None, None], 2),
    ],
)
def test_publication_order(dates, current) -> None:
    versions = [Version(n, d) for n, d in enumerate(dates, start=1)]
    assert publication_order(reversed(versions))[-1].version == current
