"""Fixtures for every test package, and the markers that sort the suite.

Markers: ``postgres`` (a test run against the PostgreSQL server, added to every ``db_url`` test's
PostgreSQL case), ``slow`` (seconds, not milliseconds), ``notebook`` (runs a notebook), ``e2e``
(everything under ``tests/e2e``). ``make test-fast`` leaves out the slow, notebook and e2e ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from govreports import api
from govreports.db.engine import connect

from .support import FIXTURES
from .support.db import pg_schema


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if "/tests/e2e/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with pg_schema() as url:
        yield url
        api.disconnect(url)  # the server's connections are shared by every test: give back the API's


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    eng = connect(db_url)
    yield eng
    eng.dispose()
