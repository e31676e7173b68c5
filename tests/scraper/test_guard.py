"""The host guard: non-global addresses and unresolvable names refused, the checked address pinned
for the connection (DNS rebinding), at every redirect hop. Names are resolved by a table and
connections go through a recording socket layer: no address outside 127.0.0.1 is ever contacted."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from govreports.demo.server import Farm
from govreports.demo.site import Request, Response, Site
from govreports.scraper.errors import OffSite
from govreports.scraper.http.client import Fetcher
from govreports.scraper.http.guard import embedded_ipv4, is_public
from tests.support.crawling import settings
from tests.support.network import Forward, Resolver

PUBLIC = "93.184.216.34"  # never contacted: the socket layer forwards to the local server

REFUSED = [
    "127.0.0.1",
    "10.1.2.3",
    "169.254.169.254",  # link-local cloud metadata
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "100.100.100.200",  # a cloud metadata address inside 100.64.0.0/10
    "192.88.99.1",  # 6to4 relay anycast
    "224.0.0.1",  # multicast
    "0.0.0.0",
    "2002:7f00:1::",  # 6to4 embedding 127.0.0.1
    "2002:a00:1::1",  # 6to4 embedding 10.0.0.1
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:a9fe:a9fe",  # IPv4-mapped 169.254.169.254
    "::7f00:1",  # IPv4-compatible
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::1",  # local-use NAT64
    "fec0::1",  # site-local
    "fd00::1",
    "fe80::1",
    "::1",
    "ff0e::1",
]


@pytest.mark.parametrize("address", REFUSED)
def test_non_global_addresses_are_not_public(address) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2002:808:808::1"])
def test_global_addresses_are_public(address) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_embedded_ipv4_of_6to4_mapped_and_nat64() -> None:
    assert embedded_ipv4(ipaddress.ip_address("2002:7f00:1::")) == [ipaddress.ip_address("127.0.0.1")]
    assert embedded_ipv4(ipaddress.ip_address("::ffff:10.0.0.1")) == [ipaddress.ip_address("10.0.0.1")]
    assert embedded_ipv4(ipaddress.ip_address("64:ff9b::808:808")) == [ipaddress.ip_address("8.8.8.8")]


def _site(seen: list[dict]) -> Site:
    def page(req: Request) -> Response:
        seen.append(req.headers)
        return Response(200, b"<html><body>ok</body></html>")

    s = Site("pinned", robots=None)
    s.pages["/a.html"] = page
    s.pages["/to-metadata"] = Response(302, b"", None, {"Location": "http://169.254.169.254/latest/meta-data/"})
    s.pages["/to-name"] = Response(302, b"", None, {"Location": "http://internal.example/"})
    s.pages["/to-6to4"] = Response(302, b"", None, {"Location": "http://[2002:7f00:1::]/"})
    return s


def _get(farm: Farm, url: str, resolver: Resolver) -> tuple[object, Forward]:
    forward = Forward(farm.ports["pinned"])

    async def go():
        fetcher = Fetcher(settings(HTTP_ALLOW_PRIVATE=False), resolver=resolver, network=forward)
        try:
            return await fetcher.get(url)
        finally:
            await fetcher.aclose()

    try:
        return asyncio.run(go()), forward
    except OffSite as exc:
        exc.forward = forward  # type: ignore[attr-defined]
        raise


@pytest.mark.parametrize("address", ["100.64.0.1", "100.100.100.200", "192.88.99.1", "2002:7f00:1::", "::ffff:7f00:1"])
def test_names_resolving_to_non_global_addresses_are_refused(address) -> None:
    seen: list[dict] = []
    with Farm([_site(seen)]) as farm, pytest.raises(OffSite, match="non-global") as err:
        _get(farm, "http://agency.example/a.html", Resolver({"agency.example": [address]}))
    assert err.value.forward.asked == [] and seen == []  # type: ignore[attr-defined]


def test_one_private_answer_among_public_ones_is_refused() -> None:
    with Farm([_site([])]) as farm, pytest.raises(OffSite, match=r"10\.0\.0\.7"):
        _get(farm, "http://agency.example/a.html", Resolver({"agency.example": [PUBLIC, "10.0.0.7"]}))


def test_names_that_do_not_resolve_are_refused() -> None:
    with Farm([_site([])]) as farm, pytest.raises(OffSite, match="does not resolve") as err:
        _get(farm, "http://nowhere.example/a.html", Resolver({}))
    assert err.value.forward.asked == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("address", ["100.100.100.200", "[2002:7f00:1::]", "[::ffff:127.0.0.1]"])
def test_literal_non_global_addresses_are_refused(address) -> None:
    with Farm([_site([])]) as farm, pytest.raises(OffSite, match="non-global") as err:
        _get(farm, f"http://{address}/a.html", Resolver({}))
    assert err.value.forward.asked == []  # type: ignore[attr-defined]


def test_the_checked_address_is_pinned_against_rebinding() -> None:
    """The name answers a public address, then 127.0.0.1: every connection goes to the public one,
    with the name kept in the Host header."""
    seen: list[dict] = []
    resolver = Resolver({"rebind.example": [[PUBLIC], ["127.0.0.1"]]})
    with Farm([_site(seen)]) as farm:
        got, forward = _get(farm, "http://rebind.example/a.html", resolver)
    assert got.status == 200 and got.content == b"<html><body>ok</body></html>"
    assert forward.asked == [(PUBLIC, 80)]
    assert seen[0]["host"] == "rebind.example"
    assert resolver.asked == ["rebind.example"]  # looked up once, by the guard; never by the connection


@pytest.mark.parametrize("path", ["/to-metadata", "/to-name", "/to-6to4"])
def test_every_redirect_hop_is_guarded(path) -> None:
    resolver = Resolver({"agency.example": [PUBLIC], "internal.example": ["192.168.1.10"]})
    with Farm([_site([])]) as farm, pytest.raises(OffSite) as err:
        _get(farm, f"http://agency.example{path}", resolver)
    assert err.value.forward.asked == [(PUBLIC, 80)]  # type: ignore[attr-defined] - the first hop only


def test_pinned_streams_say_when_a_kept_connection_has_something_to_read() -> None:
    """httpcore drops a kept-alive connection that is readable before a request (the server closed
    it, or sent stray bytes); the pinned stream answers that by polling its socket."""
    import httpcore

    from govreports.scraper.http.guard import _Stream

    async def main() -> list[bool]:
        said: list[bool] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.read(1)
            writer.write(b"x")
            await writer.drain()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        stream = _Stream(await httpcore.AnyIOBackend().connect_tcp("127.0.0.1", port))
        said.append(stream.get_extra_info("is_readable"))  # nothing sent yet
        await stream.write(b"?")
        await asyncio.sleep(0.2)
        said.append(stream.get_extra_info("is_readable"))  # a byte is waiting
        await stream.aclose()
        said.append(stream.get_extra_info("is_readable"))  # closed
        server.close()
        return said

    assert asyncio.run(main()) == [False, True, True]
