"""Two loaders at once against the same database: no duplicates, no errors, versions in order."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import text

from tests.support.db import check_versions, counts, orphan_facts

LOADER = """
import json, sys
from collections import Counter
from govreports.db.engine import connect
from govreports.db.load import load_reports
from govreports.testing import synthetic_batch
url, order, variant = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine = connect(url)  # both processes migrate the empty database at the same moment too
common = list(synthetic_batch(150, seed=7))  # the same 150 documents in both processes
own = list(synthetic_batch(50, seed=8, variant=variant, first_agency=1000))  # same (agency, year), other content
items = common + own
if order == "reverse":
    items.reverse()
print(json.dumps(Counter(r.status for r in load_reports(engine, items, batch_size=20))))
"""


def test_two_loaders_at_once(db_url) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", LOADER, db_url, order, str(variant)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for order, variant in (("forward", 1), ("reverse", 2))
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert "Traceback" not in err and "failed" not in err
    statuses = [json.loads(out) for out, _ in outs]
    total = {s: sum(c.get(s, 0) for c in statuses) for s in ("new", "unchanged", "revised", "failed")}
    # each common document is new in one process and unchanged in the other; each contested
    # (agency, year) gets its first version from one process and its revision from the other
    assert total == {"new": 150 + 50, "unchanged": 150, "revised": 50, "failed": 0}
    from govreports.db.engine import connect

    engine = connect(db_url)
    c = counts(engine)
    assert (c["documents"], c["reports"], c["facts"]) == (250, 250, 250 * 200)
    with engine.connect() as conn:
        dupes = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT content_hash FROM documents GROUP BY content_hash HAVING count(*) > 1) d"
            )
        ).scalar_one()
        versions = conn.execute(
            text(
                "SELECT agency_id, year, count(*), sum(CASE WHEN is_current THEN 1 ELSE 0 END), "
                "min(version), max(version) FROM reports GROUP BY agency_id, year"
            )
        ).all()
        linked = conn.execute(
            text(
                "SELECT count(*) FROM reports o JOIN reports n ON n.id = o.superseded_by "
                "WHERE n.is_current AND n.agency_id = o.agency_id AND n.year = o.year "
                "AND n.published >= o.published"
            )
        ).scalar_one()
    assert dupes == 0 and orphan_facts(engine) == 0
    assert len(versions) == 200 and all(v[3] == 1 for v in versions)  # one current version per (agency, year)
    assert sorted({(v[2], v[4], v[5]) for v in versions}) == [(1, 1, 1), (2, 1, 2)]
    # whichever process loaded first, the current version is the later published one (ties: the later load)
    assert linked == 50
    check_versions(engine)
    engine.dispose()
