"""Whole crawls through what the public internet does: faults on report pages, walls, bad registries."""

from __future__ import annotations

import pytest

from govreports.demo import hanweb, trs
from govreports.demo.content import make_agency
from govreports.demo.server import Farm
from govreports.demo.site import Response, Site
from govreports.scraper.errors import RegistryError
from govreports.scraper.registry import load_registry
from tests.support.crawling import crawl
from tests.support.faults import fault


def test_faults_on_reports_are_survived(tmp_path) -> None:
    data = make_agency("江南市审计局", [2020, 2021, 2022, 2023], seed=7)
    site = hanweb.build(data, perpage=2)
    paths = [hanweb.article_path(r, n) for n, r in enumerate(sorted(data.reports, key=lambda r: -r.year))]
    fault(site, paths[0], "500", "503")
    fault(site, paths[1], "timeout:5")
    fault(site, paths[2], "reset", "truncate")
    fault(site, paths[3], "429:1")
    fault(site, "/module/web/jpage/dataproxy.jsp", "502")
    with Farm([site]) as farm:
        (result,), sink, _ = crawl(farm, [site], tmp_path, HTTP_TIMEOUT=0.5)
    assert (result.new, result.failed, result.errors) == (4, 0, [])
    assert sorted(f.url.split("/", 3)[-1] for f in sink.found) == sorted(p[1:] for p in paths)


def test_permanent_failures_are_counted_and_retried_next_run(tmp_path) -> None:
    data = make_agency("江南市统计局", [2022, 2023], seed=8)
    site = trs.build(data, perpage=2, attachments=False)
    reports = sorted(data.reports, key=lambda r: -r.year)
    broken = "/xxgk/zfxxgknb/" + trs.article_rel(reports[1], 1)
    fault(site, broken, *["503"] * 4)
    loop = "/xxgk/zfxxgknb/202401/t20240101_1.html"
    site.pages["/xxgk/zfxxgknb/index.html"] = Response(
        200,
        site.pages["/xxgk/zfxxgknb/index.html"].body.replace(
            b"</ul>", f'<li><a href="{loop}">江南市统计局2019年政府信息公开工作年度报告</a></li></ul>'.encode("gb18030")
        ),
        "text/html",
    )
    site.pages[loop] = Response(302, b"", None, {"Location": loop})
    with Farm([site]) as farm:
        (first,), _, state = crawl(farm, [site], tmp_path)
        (second,), sink, _ = crawl(farm, [site], tmp_path, state=state)
    assert (first.new, first.failed) == (1, 2)
    assert any("HTTP 503" in e for e in first.errors) and any("redirect loop" in e for e in first.errors)
    assert (second.new, second.failed) == (1, 1)  # the 503 report now comes; the loop still fails
    assert [f.title for f in sink.found] == [reports[1].title]


@pytest.mark.parametrize("wall, evidence", [(412, "$_ts"), (521, "document.cookie")])
def test_walled_agency_is_recorded_blocked(tmp_path, wall, evidence) -> None:
    site = Site("江北市人民政府", wall=wall)
    with Farm([site]) as farm:
        (result,), sink, state = crawl(farm, [site], tmp_path)
    assert result.blocked and evidence in result.blocked and sink.found == []
    url, status, seen = state.blocked["江北市人民政府"]
    assert status == wall and evidence in seen and url.endswith("/robots.txt")


def test_shell_page_behind_a_working_robots_txt(tmp_path) -> None:
    site = Site("江北市水务局")
    site.pages["/"] = Response(200, b"<html><script>document.cookie='x=1';location.reload()</script></html>")
    with Farm([site]) as farm:
        (result,), _, state = crawl(farm, [site], tmp_path)
    assert result.blocked.endswith("tiny shell page (69 bytes) with a document.cookie script")
    assert state.blocked["江北市水务局"][1] == 200


def test_registry_is_toml_and_other_formats_are_refused_with_the_way_out(tmp_path) -> None:
    toml = tmp_path / "r.toml"
    toml.write_text(
        '[[agency]]\nname = "甲局"\nstart_url = "http://a.example/"\nregion_code = 330400\n'
        'family = "trs"\nhosts = ["XXGK.a.example"]\nseen_at = "http://src.example/p"\n',
        encoding="utf-8",
    )
    (a,) = load_registry(toml)
    assert (a.name, a.region_code, a.family, a.hosts, a.seen_at) == (
        "甲局",
        "330400",
        "trs",
        ("xxgk.a.example",),
        "http://src.example/p",
    )
    yaml = tmp_path / "r.yaml"
    yaml.write_text(
        "agencies:\n  - name: 乙局\n    start_url: https://b.example/col/col1/index.html\n", encoding="utf-8"
    )
    with pytest.raises(RegistryError, match="a registry is a TOML file"):
        load_registry(yaml)
    csv = tmp_path / "r.csv"
    csv.write_text("name,site_url\n乙局,https://b.example/\n", encoding="utf-8")
    with pytest.raises(
        RegistryError, match=f"convert it once: govreports registry import {csv} -o {tmp_path / 'r.toml'}"
    ):
        load_registry(csv)


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[agency]]\nname = "甲"\n', "agency #1: missing start_url"),
        ('[[agency]]\nname = "甲"\nstart_url = "ftp://x/"\n', "start_url must be http(s)"),
        ('[[agency]]\nname = "甲"\nstart_url = "http://x/"\nfamily = "wordpress"\n', "unknown family 'wordpress'"),
        ('[[agency]]\nname = "甲"\nstart_url = "http://x/"\nurl = "http://y/"\n', "unknown field(s) url"),
        ("[[agency]\n", "not valid TOML"),
    ],
)
def test_registry_errors_name_the_entry(tmp_path, text, message) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_registry(path)


def test_a_broken_site_fails_alone(tmp_path) -> None:
    from govreports.demo import gkmlpt

    good = hanweb.build(make_agency("江南市档案局", [2023], seed=12))
    broken = gkmlpt.build(make_agency("岭南市档案局", [2023], seed=13))
    broken.pages[f"/gkmlpt/api/all/{gkmlpt.CAT}"] = Response(200, b"<html>maintenance</html>", "text/html")
    with Farm([good, broken]) as farm:
        (ok, bad), _sink, _ = crawl(farm, [good, broken], tmp_path)
    assert (ok.new, ok.errors) == (1, [])
    assert bad.new == 0 and bad.errors[0].endswith("JSONDecodeError: Expecting value: line 1 column 1 (char 0)")


def test_report_on_another_host_is_reported_not_fetched(tmp_path) -> None:
    """Real Hanweb lists mix in items of sibling hosts (定西's column links zwgk.dingxi.gov.cn, see
    tests/fixtures/sites/real/); a report there is outside the agency's hosts: named in the errors."""
    data = make_agency("江南市统计局", [2023], seed=8)
    site = trs.build(data, perpage=2, attachments=False)
    other = "http://zwgk.jiangnan.example/art/2023/1/5/art_1_1.html"
    site.pages["/xxgk/zfxxgknb/index.html"] = Response(
        200,
        site.pages["/xxgk/zfxxgknb/index.html"].body.replace(
            b"</ul>",
            f'<li><a href="{other}">江南市统计局2022年政府信息公开工作年度报告</a></li></ul>'.encode("gb18030"),
        ),
        "text/html",
    )
    with Farm([site]) as farm:
        (result,), sink, _ = crawl(farm, [site], tmp_path)
    assert (result.new, result.failed, len(sink.found)) == (1, 0, 1)
    assert result.errors == [f"{other}: report outside the agency's hosts, not fetched"]
