"""Portals holding several agencies: the country's shape, for the crawl benchmarks and tests.

A county portal and the departments that publish on it share one host. Each portal here is one
:class:`~govreports.demo.site.Site` holding several agencies' TRS report columns, each under
``/a<n>/`` (the columns' links are relative, so they work where they are put).
"""

from __future__ import annotations

from . import trs
from .content import AgencyData
from .site import Site

COLUMN = "/xxgk/zfxxgknb/index.html"


def portal_sites(
    portals: list[list[AgencyData]], perpage: int = 2, prefix: str = "portal"
) -> tuple[list[Site], dict[str, tuple[Site, str]]]:
    """One site per portal (named ``<prefix><i>``) and each agency's (site, column path), by its name."""
    sites, starts, n = [], {}, 0
    for p, agencies in enumerate(portals):
        host = Site(f"{prefix}{p}", validators="last-modified")
        for data in agencies:
            one = trs.build(data, perpage=perpage, stub_pages=0, name=f"a{n}", attachments=False)
            host.pages.update({f"/a{n}{path}": page for path, page in one.pages.items()})
            starts[data.name] = (host, f"/a{n}{COLUMN}")
            n += 1
        sites.append(host)
    return sites, starts
