"""Migrations that move data: the narrowing of facts (0004) keeps every fact, and existing versions are
made current by publication (0005), both ways."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from govreports import parsers
from govreports.db.engine import connect, downgrade, upgrade
from govreports.parsers.template import TEMPLATES, fact_keys
from tests.support import JIAXING
from tests.support.db import check_versions

FACT_COLS = "report_id, table_name, row_key, column_key, value, raw, inferred, page"


def _facts(conn) -> list[tuple]:
    return [
        tuple(r)
        for r in conn.execute(
            text(f"SELECT {FACT_COLS} FROM facts ORDER BY report_id, table_name, row_key, column_key")
        )
    ]


def _views(conn) -> dict[str, list[tuple]]:
    return {
        v: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {v} ORDER BY report_id"))]
        for v in ("applications_by_year", "active_by_year", "review_litigation_by_year", "report_rates")
    }


def test_facts_move_to_numbered_keys_and_back(db_url) -> None:

    engine = connect(db_url, migrate=False)
    upgrade(engine, "0003_load_failures")  # facts as a wide table, filled as the loader of then did
    report = parsers.parse_path(JIAXING)
    rows = [
        {"r": 1, "t": f.table, "w": f.row, "c": f.column, "v": f.value, "raw": f.raw, "i": f.inferred, "p": f.page}
        for f in report.facts
    ]
    rows[3]["v"], rows[3]["raw"], rows[4]["p"] = None, None, 2  # an empty cell, a PDF page
    rows.append(
        {
            "r": 1,
            "t": "applications",
            "w": "granted",
            "c": "some_future_column",
            "v": 7.0,
            "raw": "7",
            "i": True,
            "p": None,
        }
    )  # a key neither template has
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agencies (id, name) VALUES (1, '嘉兴市经济和信息化局')"))
        conn.execute(
            text("INSERT INTO documents (id, source, content_hash, status) VALUES (1, 'j.txt', 'h', 'loaded')")
        )
        conn.execute(
            text(
                "INSERT INTO reports (id, agency_id, year, version, is_current, agency_name, template, "
                "document_id, parser_version) VALUES (1, 1, 2022, 1, true, '嘉兴市经济和信息化局', '2021', 1, "
                "'t')"
            )
        )
        conn.execute(text(f"INSERT INTO facts ({FACT_COLS}) VALUES (:r, :t, :w, :c, :v, :raw, :i, :p)"), rows)
    with engine.connect() as conn:
        facts_before, views_before = _facts(conn), _views(conn)
    assert len(facts_before) == 201

    upgrade(engine)
    with engine.connect() as conn:
        assert _facts(conn) == facts_before and _views(conn) == views_before
        keys = conn.execute(text("SELECT id, table_name, row_key, column_key FROM fact_keys ORDER BY id")).all()
        stored = conn.execute(text("SELECT count(*) FROM fact_values")).scalar_one()
    template_keys = list(dict.fromkeys(k for t in TEMPLATES for k in fact_keys(t)))
    assert [tuple(k[1:]) for k in keys] == [*template_keys, ("applications", "granted", "some_future_column")]
    assert [k[0] for k in keys] == list(range(1, len(template_keys) + 2)) and stored == 201

    downgrade(engine, "0003_load_failures")
    with engine.connect() as conn:
        assert _facts(conn) == facts_before and _views(conn) == views_before
        assert conn.execute(text("SELECT count(*) FROM facts")).scalar_one() == 201
    engine.dispose()


def test_a_key_no_template_has_is_numbered_when_first_loaded(engine) -> None:
    from govreports.db.load import DocumentInfo, load_report

    report = parsers.parse_path(JIAXING)
    report.facts.append(parsers.Fact("applications", "granted", "some_future_column", value=2, raw="2"))
    result = load_report(engine, report, DocumentInfo.from_path(JIAXING, report))
    assert result.status == "new"
    with engine.connect() as conn:
        value = conn.execute(
            text("SELECT value FROM report_facts WHERE column_key = 'some_future_column'")
        ).scalar_one()
        top = conn.execute(text("SELECT max(id) FROM fact_keys")).scalar_one()
    assert value == 2 and top == len(dict.fromkeys(k for t in TEMPLATES for k in fact_keys(t))) + 1


def test_existing_versions_are_made_current_by_publication(db_url) -> None:

    engine = connect(db_url, migrate=False)
    upgrade(engine, "0004_fact_keys")
    # as the old rule left it: the revision (published 02-03) loaded first, an old copy (01-17)
    # loaded after it and made current, and an undated third pair of versions
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO agencies (id, name) VALUES (1, 'a'), (2, 'b')"))
        conn.execute(
            text("INSERT INTO documents (id, source, content_hash, status) VALUES (:i, :s, :h, 'loaded')"),
            [{"i": i, "s": f"d{i}", "h": f"h{i}"} for i in range(1, 6)],
        )
        conn.execute(
            text(
                "INSERT INTO reports (id, agency_id, year, version, is_current, superseded_by, agency_name, "
                "template, published, document_id, parser_version) VALUES (:id, :a, :y, :v, :cur, NULL, "
                "'x', '2021', :pub, :id, 't')"
            ),
            [
                {"id": 1, "a": 1, "y": 2022, "v": 1, "cur": False, "sup": 2, "pub": date(2023, 2, 3)},
                {"id": 2, "a": 1, "y": 2022, "v": 2, "cur": True, "sup": None, "pub": date(2023, 1, 17)},
                {"id": 3, "a": 2, "y": 2022, "v": 1, "cur": False, "sup": 4, "pub": None},
                {"id": 4, "a": 2, "y": 2022, "v": 2, "cur": True, "sup": None, "pub": None},
                {"id": 5, "a": 1, "y": 2021, "v": 1, "cur": True, "sup": None, "pub": date(2022, 1, 20)},
            ],
        )
        conn.execute(
            text("UPDATE reports SET superseded_by = :sup WHERE id = :id"), [{"id": 1, "sup": 2}, {"id": 3, "sup": 4}]
        )

    def state() -> list[tuple]:
        with engine.connect() as conn:
            return [
                tuple(r) for r in conn.execute(text("SELECT id, is_current, superseded_by FROM reports ORDER BY id"))
            ]

    old_rule = [(1, False, 2), (2, True, None), (3, False, 4), (4, True, None), (5, True, None)]
    assert [(i, bool(c), s) for i, c, s in state()] == old_rule
    upgrade(engine)
    assert [(i, bool(c), s) for i, c, s in state()] == [
        (1, True, None),
        (2, False, 1),
        (3, False, 4),
        (4, True, None),
        (5, True, None),
    ]
    check_versions(engine)
    downgrade(engine, "0004_fact_keys")
    assert [(i, bool(c), s) for i, c, s in state()] == old_rule
    engine.dispose()


def test_coverage_revision_goes_down_and_up_with_agencies_kept(db_url) -> None:
    """0008 adds agencies.kind and the coverage view; down drops both and keeps every agency."""
    from govreports import api
    from govreports.db.engine import downgrade
    from tests.support import MULTIYEAR, REGISTRY

    engine = connect(db_url)
    api.load(MULTIYEAR, db=engine, agencies=REGISTRY)
    with engine.begin() as conn:
        conn.execute(text("UPDATE agencies SET kind = 'government' WHERE name = '嘉兴市财政局'"))
    before = len(api.coverage(db=engine))
    downgrade(engine, "0007_parser_versions")
    with engine.connect() as conn:
        cols = [r[0] for r in conn.execute(text("SELECT * FROM agencies")).cursor.description]
        assert "kind" not in cols and conn.execute(text("SELECT count(*) FROM agencies")).scalar_one() == 5
    upgrade(engine)
    frame = api.coverage(db=engine)
    assert len(frame) == before
    # the registry's word is gone with the column: the name decides again
    assert set(frame.loc[frame["agency"] == "嘉兴市财政局", "kind_source"]) == {"name"}
