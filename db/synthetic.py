"""Seeded synthetic reports whose numbers satisfy the template's rules, for benchmarks and load tests.

Never used for analysis: the agencies are named 合成测试机关 N so nobody mistakes them for data.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

from govreports.parsers import APPLICANT_KEYS, OUTCOME_COLUMNS, TEMPLATE_2021, Fact, Report, fact_keys, result_rows

from .load import DocumentInfo


def synthetic_report(agency: int, year: int, seed: int = 0, variant: int = 0) -> Report:
    """A ``2021``-template report (200 facts) of agency number ``agency``; ``variant`` changes its numbers."""
    rng = random.Random(hash((agency, year, seed, variant)) & 0xFFFFFFFF)
    values: dict[tuple[str, str, str], float] = {}
    orgs = APPLICANT_KEYS[:-1]
    results = result_rows(TEMPLATE_2021)
    for col in orgs:
        processed = {r: (rng.randint(0, 9) if rng.random() < 0.4 else 0) for r in results}
        carried_over = rng.randint(0, 3)
        carried_forward = rng.randint(0, 3)
        total = sum(processed.values())
        new = max(total + carried_forward - carried_over, 0)
        carried_forward = new + carried_over - total
        for r, v in processed.items():
            values[("applications", r, col)] = v
        values[("applications", "new_received", col)] = new
        values[("applications", "carried_over", col)] = carried_over
        values[("applications", "total_processed", col)] = total
        values[("applications", "carried_forward", col)] = carried_forward
    for row in ("new_received", "carried_over", *results, "total_processed", "carried_forward"):
        values[("applications", row, "total")] = sum(values[("applications", row, c)] for c in orgs)
    for row in ("review", "litigation_direct", "litigation_after_review"):
        parts = [rng.randint(0, 4) for _ in OUTCOME_COLUMNS[:-1]]
        for col, v in zip(OUTCOME_COLUMNS, [*parts, sum(parts)], strict=True):
            values[("review_litigation", row, col.key)] = v
    facts = []
    for key in fact_keys(TEMPLATE_2021):
        if key[0] == "active":
            v: float | None = round(rng.random() * 50, 2) if key[1] == "fees" else rng.randint(0, 40)
        else:
            v = values[key]
        facts.append(Fact(*key, value=v, raw=str(v)))
    name = f"合成测试机关{agency}"
    report = Report(
        source=f"synthetic://{agency}/{year}/{seed}/{variant}",
        template=TEMPLATE_2021,
        agency=name,
        year=year,
        published=f"{year + 1}-01-{rng.randint(10, 31)}",
        title=f"{name}{year}年度政府信息公开工作年度报告",
        facts=facts,
        sections={"overview": f"{name}{year}年政府信息公开工作总体情况。"},
        format="text",
        encoding="utf-8",
    )
    # stands in for the hash of the document's bytes: one per (agency, year, seed, variant)
    report.content_hash = hashlib.sha256(report.source.encode()).hexdigest()
    return report


def synthetic_batch(
    n: int,
    seed: int = 0,
    years: tuple[int, ...] = (2021, 2022, 2023, 2024, 2025),
    variant: int = 0,
    first_agency: int = 0,
) -> Iterator[tuple[Report, DocumentInfo]]:
    """``n`` (report, document) pairs: agencies × years, deterministic for a seed."""
    for i in range(n):
        report = synthetic_report(first_agency + i // len(years), years[i % len(years)], seed, variant)
        yield (
            report,
            DocumentInfo(
                source=report.source,
                content_hash=report.content_hash or "",
                content_type="text/plain",
                encoding="utf-8",
                size=len(report.facts) * 8,
            ),
        )
