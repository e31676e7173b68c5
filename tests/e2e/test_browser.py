"""One page in a real browser: `govreports serve` running, headless chromium renders the agency page.

Chromium comes from the project's setup (`make system-deps`, run by .ci/run); without it the test
skips locally, saying so, and fails in CI.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from govreports import api
from tests.support import JIAXING, MULTIYEAR, REGISTRY
from tests.support.system import chromium

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# line colours of the chart (matplotlib's tab:orange, tab:green, tab:red; tab:blue, new applications,
# lies under tab:green in the fixtures: every application was processed in its year)
LINE_COLOURS = {"tab:orange": (255, 127, 14), "tab:green": (44, 160, 44), "tab:red": (214, 39, 40)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path) -> Iterator[tuple[str, int]]:
    """`govreports serve` on the fixture database, on a free port of 127.0.0.1; (base URL, agency id)."""
    db = f"sqlite:///{tmp_path / 'fixtures.db'}"
    api.load([JIAXING, MULTIYEAR], db=db, agencies=REGISTRY)
    agency = int(api.rates("嘉兴市经济和信息化局", db=db)["agency_id"].iloc[0])
    port = free_port()
    script = Path(sys.executable).parent / "govreports"
    proc = subprocess.Popen(
        [str(script), "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"govreports serve did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
                )
            time.sleep(0.2)
        yield base, agency
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def browse(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=120,
        check=True,
    )


def test_agency_page_renders_its_table_and_chart(server, tmp_path) -> None:
    base, agency = server
    url = f"{base}/-/agency/{agency}"
    dom = browse(tmp_path, "--dump-dom", url).stdout.decode()
    assert "<h1>嘉兴市经济和信息化局</h1>" in dom
    assert dom.count("<tr>") >= 4 + 6  # four years of figures, six years of coverage
    assert "<svg" in dom

    shot = tmp_path / "agency.png"
    browse(tmp_path, f"--screenshot={shot}", "--window-size=1200,1400", "--hide-scrollbars", url)
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert pixels.shape[:2] == (1400, 1200)
    assert (pixels.sum(axis=2) < 600).mean() > 0.01  # text, table and chart: not a blank page
    for name, colour in LINE_COLOURS.items():  # the chart's lines, drawn by the browser from the inline SVG
        near = (np.abs(pixels - np.array(colour)).sum(axis=2) < 30).sum()
        assert near > 200, f"no {name} line in the screenshot ({near} pixels)"
