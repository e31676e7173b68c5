"""Sites: the agencies whose hosts overlap, crawled as one unit of work.

Most county departments and townships publish on their county's portal; politeness is per host, so
every agency that shares a host with another belongs to the same site, and one site is crawled by
one worker at a time (the job's lock).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from govreports.scraper.registry import Agency


@dataclass(frozen=True, slots=True)
class Site:
    """A set of agencies with overlapping hosts; ``key`` is its first host in sorted order."""

    key: str
    hosts: tuple[str, ...]
    agencies: tuple[Agency, ...]


def agency_hosts(agency: Agency) -> set[str]:
    """The hosts an agency publishes on: its start URL's and the registry's ``hosts``."""
    hosts = {h.lower() for h in agency.hosts}
    start = urlsplit(agency.start_url).netloc.lower()
    return hosts | ({start} if start else set())


def group_sites(agencies: list[Agency]) -> list[Site]:
    """Agencies grouped by shared hosts (transitively), biggest site first, then by key."""
    parent: dict[str, str] = {}

    def find(h: str) -> str:
        root = h
        while parent[root] != root:
            root = parent[root]
        while parent[h] != root:  # path compression
            parent[h], h = root, parent[h]
        return root

    own = [sorted(agency_hosts(a)) or [f"agency:{a.key}"] for a in agencies]
    for hosts in own:
        for h in hosts:
            parent.setdefault(h, h)
        for h in hosts[1:]:
            parent[find(h)] = find(hosts[0])
    members: dict[str, list[int]] = {}
    for i, hosts in enumerate(own):
        members.setdefault(find(hosts[0]), []).append(i)
    sites = []
    for idx in members.values():
        hosts = sorted({h for i in idx for h in own[i]})
        sites.append(Site(hosts[0], tuple(hosts), tuple(agencies[i] for i in idx)))
    return sorted(sites, key=lambda s: (-len(s.agencies), s.key))
