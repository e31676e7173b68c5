"""``govreports publish DIR``: the dataset a researcher downloads.

Written into ``DIR``: one SQLite file (the whole database, as ``govreports export --sqlite`` makes
it), Parquet files (facts long, the wide tables, rates, reports, agencies, findings, coverage, and
the template's keys with their Chinese labels), a ``datapackage.json`` (Frictionless Data Package:
every resource's schema, each field described from :mod:`govreports.dictionary`, sha256 hashes),
and a README with counts, the parser version and checksums. Everything is read from the SQLite
copy, so a PostgreSQL database publishes the same files as a SQLite one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from . import dictionary

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

SQLITE_NAME = "govreports.sqlite"
VIEW_RESOURCES = {
    "facts": "report_facts",
    "applications_by_year": "applications_by_year",
    "active_by_year": "active_by_year",
    "review_litigation_by_year": "review_litigation_by_year",
    "report_rates": "report_rates",
    "coverage": "coverage",
}
JSON_COLUMNS = ("sections",)
INTEGER_COLUMNS = ("page", "days_late", "superseded_by", "versions", "errors", "warnings", "year", "version")
DATE_COLUMNS = ("published", "deadline", "revised", "last_crawled")


@dataclass(frozen=True)
class Published:
    """What :func:`publish` wrote: rows per resource and the directory."""

    directory: Path
    rows: dict[str, int]


def frames(engine: Engine) -> dict[str, pd.DataFrame]:
    """resource name → its rows, read from the (SQLite) database."""
    import pandas as pd
    from sqlalchemy import select

    from govreports.db import query
    from govreports.db.models import Agency, Finding, Report

    out: dict[str, pd.DataFrame] = {}
    for name, view in VIEW_RESOURCES.items():
        out[name] = query.read_view(
            engine,
            view,
            order="agency, year" if view != "report_facts" else "report_id, table_name, row_key, column_key",
        )
    with engine.connect() as conn:
        agencies = pd.read_sql(select(Agency.__table__), conn)
        reports = pd.read_sql(select(Report.__table__), conn)
        findings = pd.read_sql(
            select(
                Finding.__table__, Report.agency_id, Report.agency_name.label("agency"), Report.year, Report.is_current
            )
            .join(Report, Report.id == Finding.report_id)
            .order_by(Finding.id),
            conn,
        )
    for col in JSON_COLUMNS:
        reports[col] = reports[col].map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
    out.update(agencies=agencies, reports=reports, findings=findings, template_keys=template_keys())
    return out


def template_keys() -> pd.DataFrame:
    """The data dictionary of the facts: every template key with its Chinese labels and unit."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "table_name": c.table,
                "row_key": c.row,
                "column_key": c.column,
                "row_label": c.row_label,
                "column_label": c.column_label,
                "unit": c.unit,
            }
            for c in dictionary.cells().values()
        ]
    )


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns as Parquet should hold them: integers with nulls as integers, dates as dates (not text)."""
    import pandas as pd

    frame = frame.copy()
    for col in frame.columns:
        if col in INTEGER_COLUMNS or col.endswith("_id") or col == "id":
            frame[col] = pd.to_numeric(frame[col]).astype("Int64")
        elif col in DATE_COLUMNS:
            frame[col] = pd.Series([_as_date(v) for v in frame[col]], index=frame.index, dtype=object)
    return frame


def _as_date(value: object) -> object:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


ARROW_TYPES = (
    ("bool", "boolean"),
    ("int", "integer"),
    ("uint", "integer"),
    ("double", "number"),
    ("float", "number"),
    ("date32", "date"),
    ("timestamp", "datetime"),
)


def arrow_schema(frame: pd.DataFrame):
    """The Arrow schema a frame is written with: dates as date32 and an all-null column typed by its kind."""
    import pyarrow as pa

    fields = []
    for field in pa.Schema.from_pandas(frame, preserve_index=False):
        if field.name in DATE_COLUMNS:
            field = field.with_type(pa.date32())
        elif pa.types.is_null(field.type):
            field = field.with_type(pa.string())
        fields.append(field)
    return pa.schema(fields)


def field_types(schema) -> dict[str, str]:
    """column → Table Schema type, from the Arrow type the column is written as."""
    return {f.name: next((t for p, t in ARROW_TYPES if str(f.type).startswith(p)), "string") for f in schema}


def _table_description(name: str) -> str:
    if name == "template_keys":
        return "Data dictionary: every key of the national template with its Chinese labels and unit"
    if name == "facts":
        return dictionary.TABLES["report_facts"][1]
    return dictionary.TABLES.get(name, (name, ""))[1]


def schema(name: str, frame: pd.DataFrame) -> dict:
    """The resource's Table Schema: every field typed and described, Chinese labels as titles."""
    source = VIEW_RESOURCES.get(name, name)
    known = dictionary.columns(source)
    cells = dictionary.wide_column_cells(source) if source in dictionary.WIDE_VIEWS.values() else {}
    types = field_types(arrow_schema(frame))
    fields = []
    for col in frame.columns:
        field = {"name": col, "type": types[col], "description": known.get(col, col.replace("_", " "))}
        if col in cells:
            field["title"] = cells[col].label
            field["unit"] = cells[col].unit
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    from pyarrow import parquet

    parquet.write_table(pa.Table.from_pandas(frame, schema=arrow_schema(frame), preserve_index=False), path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(directory: str | Path, db: str | Engine | None = None) -> Published:
    """Write the dataset into ``directory`` (created; files of a previous publish replaced)."""
    from govreports import api
    from govreports.db.engine import connect

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    sqlite_path = directory / SQLITE_NAME
    api.export_sqlite(sqlite_path, db=db)
    engine = connect(f"sqlite:///{sqlite_path}", migrate=False)
    try:
        data = frames(engine)
    finally:
        engine.dispose()
    data_dir = directory / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir()
    resources = []
    for name, frame in list(data.items()):
        frame = data[name] = typed(frame)
        path = data_dir / f"{name}.parquet"
        _write_parquet(frame, path)
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "title": dictionary.TABLES.get(VIEW_RESOURCES.get(name, name), (name,))[0],
                "description": _table_description(name),
                # not `hash`/`bytes`: Frictionless reads Parquet through pyarrow and cannot check those
                "sha256": _sha256(path),
                "schema": schema(name, frame),
            }
        )
    rows = {name: len(frame) for name, frame in data.items()}
    package = {
        "name": "govreports",
        "title": "政府信息公开工作年度报告 — annual reports on government information disclosure, as data",
        "description": "Numbers of the national template's tables per agency and year, checked against the "
        f"template's rules; who published when. {dictionary.NULL_MEANS}. The whole database is also in {SQLITE_NAME}.",
        "version": version("govreports"),
        "created": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "licenses": [{"name": "other-pd", "title": "Official documents published by the agencies"}],
        "resources": resources,
    }
    (directory / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", "utf-8")
    (directory / "README.md").write_text(readme(package, rows, data["reports"], sqlite_path), "utf-8")
    return Published(directory, rows)


def readme(package: dict, rows: dict[str, int], reports: pd.DataFrame, sqlite_path: Path) -> str:
    """Counts, parser versions and checksums, for people."""
    parsers = ", ".join(sorted(reports["parser_version"].dropna().unique())) or "none"
    lines = [
        f"# {package['title']}",
        "",
        f"Published {package['created']} by govreports {package['version']}; reports parsed by parser "
        f"version(s) {parsers}.",
        "",
        f"{reports['agency_id'].nunique()} agencies with reports, {len(reports)} report versions "
        f"({int(reports['is_current'].astype(bool).sum())} current), years "
        + (f"{reports['year'].min()}–{reports['year'].max()}." if len(reports) else "none."),
        "",
        f"{dictionary.NULL_MEANS}. Schemas and the data dictionary (keys, Chinese labels, units) are in "
        "`datapackage.json` and `data/template_keys.parquet`.",
        "",
        "| file | rows | sha256 |",
        "|---|---:|---|",
    ]
    for res in package["resources"]:
        lines.append(f"| {res['path']} | {rows[res['name']]} | {res['sha256']} |")
    lines.append(f"| {SQLITE_NAME} | (whole database) | {_sha256(sqlite_path)} |")
    return "\n".join(lines) + "\n"
