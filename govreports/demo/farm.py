"""The imitation sites used by ``govreports demo``, the tests and the benchmark."""

from __future__ import annotations

from govreports.scraper.registry import Agency

from . import generic, gkmlpt, hanweb, trs
from .content import make_agency, settle_in_force
from .server import Farm
from .site import Site

DEMO: tuple[tuple[str, str, list[int]], ...] = (
    # (agency, family, years)
    ("江南市财政局", "hanweb", [2019, 2020, 2021, 2022, 2023]),
    ("江南市生态环境局", "trs", [2020, 2021, 2022, 2023]),
    ("岭南市交通运输局", "gkmlpt", [2021, 2022, 2023]),
    (generic.JIAXING, "generic", [2020, 2021]),
    ("江北市人民政府", "wall", []),
)


DEMO_PORT = 47801  # fixed ports, so that a second `govreports demo` finds the same URLs (incremental)


def demo_sites(fixed_ports: bool = False) -> list[Site]:
    """One site per family, one in GBK, one behind an anti-bot wall; the real Jiaxing report among them."""
    sites = []
    for n, (name, family, years) in enumerate(DEMO):
        data = make_agency(name, years, seed=100 + n, settle_last=family == "generic")
        if family == "hanweb":
            sites.append(hanweb.build(data, attachment_only=2020))
        elif family == "trs":
            sites.append(trs.build(data))
        elif family == "gkmlpt":
            sites.append(gkmlpt.build(data))
        elif family == "generic":
            # the real Jiaxing 2022 report follows: it prints 0 regulations and 6 normative documents in
            # force after 5 issued and 1 repealed, so 2021 ended with 0 and 2
            settle_in_force(data, {"regulations": 0, "normative_documents": 2})
            sites.append(generic.build(data))
        else:
            sites.append(Site(name, wall=412))
    if fixed_ports:
        for n, site in enumerate(sites):
            site.port = DEMO_PORT + n
    return sites


def agencies(farm: Farm, sites: list[Site], region: str = "990000") -> list[Agency]:
    """Registry entries for served sites: each starts from its home page."""
    return [
        Agency(
            name=s.name,
            start_url=farm.url(s, "/"),
            region_code=region,
            level="prefecture",
            seen_at="imitation site (govreports/demo)",
        )
        for s in sites
    ]
