"""The shipped starter registry: real agencies only, each with the page its URL was seen on."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from govreports.scraper.registry import load_registry

REGISTRY = Path(__file__).parents[2] / "registry" / "agencies.toml"


def _site(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return ".".join(host.split(".")[-3:])  # e.g. sxgp.gov.cn for xxgk.sxgp.gov.cn


def test_every_entry_is_sourced_on_the_agencys_own_site() -> None:
    agencies = load_registry(REGISTRY)
    assert len(agencies) == 12
    for a in agencies:
        assert a.seen_at and a.seen_at.startswith(("http://", "https://")), a.name
        assert _site(a.seen_at) == _site(a.start_url), a.name
        assert _site(a.start_url).endswith("gov.cn"), a.name
    names = [a.name for a in agencies]
    assert len(set(names)) == len(names)
    assert "南京市高淳区人民政府" in names and "上海市人民政府" in names


def test_column_start_urls_are_the_seen_articles_folders() -> None:
    for a in load_registry(REGISTRY):
        if urlsplit(a.start_url).path not in ("", "/"):
            assert a.seen_at.startswith(a.start_url), a.name


def test_kind_is_read_and_checked(tmp_path) -> None:
    import pytest

    from govreports.scraper.errors import RegistryError

    path = tmp_path / "agencies.toml"
    entry = '[[agency]]\nname = "温州市人民政府办公室"\nstart_url = "http://www.wenzhou.gov.cn/"\nkind = "{}"\n'
    path.write_text(entry.format("government"), encoding="utf-8")
    assert load_registry(path)[0].kind == "government"
    path.write_text(entry.format("bureau"), encoding="utf-8")
    with pytest.raises(
        RegistryError, match=r"agency #1 \(温州市人民政府办公室\): kind must be one of government, department"
    ):
        load_registry(path)
