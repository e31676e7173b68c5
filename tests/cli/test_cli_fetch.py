"""`parse URL` and `load URL` fetch through the crawler's client: the host guard at every redirect
hop, robots.txt, and `--allow-private` as for `crawl`. Public names are resolved by a table and
their connections forwarded to a server on 127.0.0.1: nothing else is ever contacted."""

from __future__ import annotations

import httpcore
import pytest
from click.testing import CliRunner

from govreports.cli import cli
from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from govreports.scraper.http import guard
from tests.support import JIAXING
from tests.support.network import Forward, Resolver

PUBLIC = "93.184.216.34"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _site() -> Site:
    s = Site("agency")
    s.pages["/report.txt"] = Response(200, JIAXING.read_bytes(), "text/plain; charset=utf-8")
    s.pages["/private/report.txt"] = Response(200, JIAXING.read_bytes(), "text/plain; charset=utf-8")
    s.pages["/to-loopback"] = Response(302, b"", None, {"Location": "http://127.0.0.1:9/report.txt"})
    s.pages["/to-metadata"] = Response(302, b"", None, {"Location": "http://169.254.169.254/latest/meta-data/"})
    return s


@pytest.fixture()
def public_name(monkeypatch):
    """``agency.example`` resolves to a public address; connections go to the served site instead."""
    site = _site()
    with Farm([site]) as farm:
        forward = Forward(farm.ports["agency"])
        monkeypatch.setattr(guard, "system_resolver", Resolver({"agency.example": [PUBLIC]}))
        monkeypatch.setattr(httpcore, "AnyIOBackend", lambda: forward)
        monkeypatch.setenv("GOVREPORTS_THROTTLE_DELAY", "0")
        yield site, forward


@pytest.mark.parametrize("command", ["parse", "load"])
def test_loopback_is_refused_without_allow_private(command, tmp_path) -> None:
    site = _site()
    db = ["--db", f"sqlite:///{tmp_path}/g.db"] if command == "load" else []
    with Farm([site]) as farm:
        result = run(command, *db, farm.url(site, "/report.txt"))
        allowed = run(command, *db, "--allow-private", farm.url(site, "/report.txt"))
    assert result.exit_code == 3, result.output  # parse: the document's fetch_failed issue; load: recorded
    assert "loopback/private/non-global address" in result.output and "Traceback" not in result.output
    assert allowed.exit_code == 0, allowed.output
    assert site.served("/robots.txt") and site.served("/report.txt") == ["/report.txt"]  # asked once, when allowed


@pytest.mark.parametrize("path", ["/to-loopback", "/to-metadata"])
@pytest.mark.parametrize("command", ["parse", "load"])
def test_redirects_to_private_addresses_are_refused(public_name, command, path, tmp_path) -> None:
    site, forward = public_name
    db = ["--db", f"sqlite:///{tmp_path}/g.db"] if command == "load" else []
    result = run(command, *db, f"http://agency.example{path}")
    assert result.exit_code == 3, result.output
    assert "non-global address" in result.output
    assert {host for host, _ in forward.asked} == {PUBLIC}
    assert site.served(path, status=302) == [path]


def test_parse_url_obeys_robots_txt(public_name) -> None:
    site, _ = public_name
    result = run("parse", "http://agency.example/private/report.txt")
    assert result.exit_code == 3 and "fetch_failed: disallowed by robots.txt" in result.output
    assert not site.served("/private/", status=None)


def test_parse_url_through_a_public_name(public_name) -> None:
    site, forward = public_name
    result = run("parse", "--format", "csv", "http://agency.example/report.txt")
    assert result.exit_code == 0, result.output
    assert "嘉兴市经济和信息化局" in result.output
    assert site.served("/robots.txt") and forward.asked[0] == (PUBLIC, 80)


def test_api_parse_url_works_inside_a_running_event_loop() -> None:
    """A notebook cell runs inside an event loop: the synchronous entry runs the client on its own."""
    import asyncio

    import govreports

    site = _site()
    with Farm([site]) as farm:

        async def cell():
            return govreports.parse(farm.url(site, "/report.txt"), allow_private=True)

        report = asyncio.run(cell())
    assert report.agency == "嘉兴市经济和信息化局" and report.year == 2022
