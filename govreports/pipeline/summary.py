"""What a run did, per agency and in total, and its table for a terminal or cron mail."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime

from govreports.scraper.crawl import AgencyResult


@dataclass
class Summary:
    """What a run did, per agency and in total."""

    run_id: int | None
    started_at: datetime
    finished_at: datetime | None = None
    agencies: list[AgencyResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the run's own, not any agency's

    def totals(self) -> dict[str, int]:
        keys = ("new", "changed", "unchanged", "failed", "unreadable", "skipped")
        out = {k: sum(getattr(a, k) for a in self.agencies) for k in keys}
        out["blocked"] = sum(1 for a in self.agencies if a.blocked)
        out["agencies"] = len(self.agencies)
        return out

    def errors(self) -> list[str]:
        return (
            [f"{a.agency}: {e}" for a in self.agencies for e in a.errors]
            + [f"{a.agency}: blocked: {a.blocked}" for a in self.agencies if a.blocked]
            + self.problems
        )


def print_summary(summary: Summary, out=None) -> None:
    """A table per agency and the totals: for people at a terminal and for cron mail alike."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out or sys.stdout, width=150)
    table = Table(title=f"run {summary.run_id}", title_justify="left")
    for col in ("agency", "family", "new", "changed", "unchanged", "failed", "blocked"):
        table.add_column(col, justify="right" if col in ("new", "changed", "unchanged", "failed") else "left")
    for a in summary.agencies:
        table.add_row(
            a.agency,
            a.family or "",
            str(a.new),
            str(a.changed),
            str(a.unchanged),
            str(a.failed),
            (a.blocked or "")[:60],
        )
    console.print(table)
    t = summary.totals()
    console.print(
        f"{t['agencies']} agencies: {t['new']} new, {t['changed']} changed, {t['unchanged']} unchanged, "
        f"{t['failed']} failed, {t['blocked']} blocked, {t['skipped']} skipped by robots.txt"
        + (f", {t['unreadable']} known unreadable and unchanged (not fetched again)" if t["unreadable"] else "")
    )
    for line in summary.errors()[:20]:
        console.print(f"  [yellow]{line}[/yellow]")
