"""Pieces every imitation site shares: page shells, article pages, a home page with its menu."""

from __future__ import annotations

from html import escape

from .content import YearReport
from .site import Response


def html_page(title: str, body: str, head: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{escape(title)}</title>{head}"
        '<link rel="stylesheet" href="/css/main.css"></head><body>'
        '<div class="top"><a href="/">首页</a> | <a href="javascript:void(0)">无障碍</a> | '
        '<a href="javascript:;">长者模式</a></div>'
        f'{body}<div class="foot">版权所有 <a href="/">首页</a> 网站标识码 3304000001</div></body></html>'
    )


def home(agency: str, column_href: str, hub_href: str | None = None) -> Response:
    """A home page whose menu leads (directly or via a 政府信息公开 hub) to the report column."""
    nav = [
        '<a href="/col/news/">新闻中心</a>',
        '<a href="/col/hdjl/">互动交流</a>',
        '<a href="http://www.gov.cn/">中国政府网</a>',
    ]
    if hub_href:
        nav.insert(1, f'<a href="{hub_href}">政府信息公开</a>')
    else:
        nav.insert(1, f'<a href="{column_href}">政府信息公开年报</a>')
    body = f'<h1>{escape(agency)}</h1><div class="nav">{" ".join(nav)}</div><ul><li><a href="/col/news/1.html">工作动态</a></li></ul>'
    return Response(200, html_page(agency, body).encode())


def hub(agency: str, column_href: str) -> Response:
    body = (
        f'<h2>{escape(agency)}政府信息公开</h2><ul><li><a href="/xxgk/zn/">政府信息公开指南</a></li>'
        '<li><a href="/xxgk/zd/">政府信息公开制度</a></li>'
        f'<li><a href="{column_href}">政府信息公开年报</a></li></ul>'
    )
    return Response(200, html_page("政府信息公开", body).encode())


def meta_tags(r: YearReport, site: str) -> str:
    return (
        f'<meta name="SiteName" content="{escape(site)}"><meta name="ArticleTitle" content="{escape(r.title)}">'
        f'<meta name="PubDate" content="{r.published} 09:12"><meta name="ColumnName" content="政府信息公开年报">'
    )
