"""What every site family offers the crawler: the :class:`SiteFamily` protocol.

A family is a module (``hanweb``, ``trs``, ``gkmlpt``, ``generic``) whose top-level names satisfy
the protocol; the crawler and discovery only ever call these, never test which family they hold.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from .base import Article, Getter, Link, Page


@runtime_checkable
class SiteFamily(Protocol):
    """A kind of government site (its CMS): how to recognise it, walk its report column, read a report page."""

    NAME: str

    def matches(self, page: Page) -> bool:
        """Is ``page`` served by this family's CMS?"""
        ...

    def is_column(self, page: Page) -> bool:
        """Does ``page`` list reports (or year sub-columns) as this family lays a column out?"""
        ...

    def links(self, page: Page) -> list[Link]:
        """The report and sub-column links of one column page."""
        ...

    def pages(self, first: Page, get: Getter) -> AsyncIterator[Page]:
        """Every page of the column that starts at ``first`` (paging the family's way)."""
        ...

    def article(self, page: Page) -> Article:
        """A report page read: title, date, the body the parser should read, attachments."""
        ...
