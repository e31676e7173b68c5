"""The notebooks in notebooks/ run top to bottom against a database built from the fixtures."""

from __future__ import annotations

import base64
import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient
from PIL import Image

from govreports import api
from tests.support import JIAXING, MULTIYEAR, REGISTRY
from tests.support.db import pg_schema

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))
KERNEL = "govreports-test"
SHOWS = {
    "agency_trend": "normative_documents: in_force 9 ≠ 6",
    "compare_agencies": "嘉兴市南湖区人民政府",
}
# what the coverage cell shows for 嘉兴市经济和信息化局 2022 (jiaxing-eib-2022.txt: 发布日期:2023-01-17)
COVERAGE_SHOWN = re.compile(r"2022\s+2023-01-31\s+on_time\s+2023-01-17\s+document")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fixture_db(request, tmp_path_factory) -> Iterator[str]:
    """The fixtures loaded into a SQLite file, or into a schema of its own on the PostgreSQL server."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('nb') / 'fixtures.db'}"
        else:
            url = stack.enter_context(pg_schema("PostgreSQL notebook runs skipped"))
        results = api.load([JIAXING, MULTIYEAR], db=url, agencies=REGISTRY)
        assert all(r.status in ("new", "revised") for r in results)
        yield url
        api.disconnect(url)


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch) -> str:
    """A kernelspec that runs this interpreter (the venv's), found before any system-wide one."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "govreports test",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return KERNEL


def test_there_are_notebooks_to_run() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"agency_trend.ipynb", "compare_agencies.ipynb"}


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, fixture_db: str, venv_kernel: str, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("GOVREPORTS_DB", fixture_db)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name=venv_kernel, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook draws no plot"
    for png in images:  # each figure has something drawn on it, not a blank canvas
        pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(png))).convert("L"))
        assert (pixels < 200).mean() > 0.005
    text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert SHOWS[path.stem] in text  # the data shown is the fixture database's
    if path.stem == "agency_trend":
        assert COVERAGE_SHOWN.search(text), "the coverage cell does not show the 2022 report on time"
