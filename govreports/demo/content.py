"""Report content for the imitation sites: each agency's years from the shared generator, printed by
the shared renderers (:mod:`govreports.testing`), so the demo shows what the tests test.

Numbers obey the template's own rules (A1–A3, R1) and run on across years (X1: ``carried_over`` of
year N is ``carried_forward`` of N−1; X2 for ``in_force``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govreports.parsers import Report
from govreports.testing import agency_reports, render_article, with_values


@dataclass
class YearReport:
    """One year's report as an imitation site publishes it: a generated report, whose agency, year,
    title and date are always set."""

    report: Report

    @property
    def agency(self) -> str:
        return self.report.agency or ""

    @property
    def year(self) -> int:
        return self.report.year or 0

    @property
    def template(self) -> str:
        return self.report.template or ""

    @property
    def title(self) -> str:
        return self.report.title or ""

    @property
    def published(self) -> str:
        return self.report.published or ""


@dataclass
class AgencyData:
    """An imitation agency and the reports its site publishes, oldest first (a site re-renders them
    from here when refreshed)."""

    name: str
    reports: list[YearReport] = field(default_factory=list)


def make_agency(name: str, years: list[int], seed: int, settle_last: bool = False) -> AgencyData:
    """Reports of ``years`` with numbers that carry over from year to year.

    ``settle_last``: nothing is carried forward out of the last year (a real report follows it).
    """
    return AgencyData(name, [YearReport(r) for r in agency_reports(name, years, seed, settle_last)])


def settle_in_force(data: AgencyData, target: dict[str, int]) -> None:
    """Shift every year's ``in_force`` so that the last one equals ``target`` (the count a real report
    that follows prints): differences between years, and so rule X2, are unchanged."""
    for row, value in target.items():
        reports = [r.report for r in data.reports]
        years = [n for n, r in enumerate(reports) if r.value("active", row, "in_force") is not None]
        if not years:
            continue
        counts = {n: int(reports[n].value("active", row, "in_force") or 0) for n in years}
        offset = value - counts[years[-1]]
        key = ("active", row, "in_force")
        if any(c + offset < 0 for c in counts.values()):
            # the numbers cannot be shifted without going negative: start the history with the target
            for n in years:
                data.reports[n].report = with_values(
                    reports[n], {("active", row, "issued"): 0, ("active", row, "repealed"): 0, key: value}
                )
            continue
        for n in years:
            data.reports[n].report = with_values(reports[n], {key: counts[n] + offset})


def report_body(r: YearReport) -> str:
    """The report as an article body: its title, the six sections, the three tables, the signature."""
    return render_article(r.report, title=True)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
