"""The real Jiaxing report (flattened HTML, one cell per line) parses to exactly its numbers."""

from __future__ import annotations

import json

from click.testing import CliRunner

from govreports.cli import cli
from govreports.parsers import fact_keys, parse_path
from govreports.parsers.template import APPLICANT_KEYS
from tests.support import FIXTURES, values

JIAXING = FIXTURES / "samples" / "jiaxing-eib-2022.txt"

# Every number of the report as printed, written out in full. The applications table prints the six
# applicant columns and the total; here (natural_person, enterprise, research, public_interest,
# legal_services, other_org, total).
APPLICATIONS = {
    "new_received": (8, 0, 0, 0, 0, 0, 8),
    "carried_over": (0, 0, 0, 0, 0, 0, 0),
    "granted": (3, 0, 0, 0, 0, 0, 3),
    "partly_granted": (0, 0, 0, 0, 0, 0, 0),
    "denied_state_secret": (0, 0, 0, 0, 0, 0, 0),
    "denied_law_prohibited": (0, 0, 0, 0, 0, 0, 0),
    "denied_security_stability": (0, 0, 0, 0, 0, 0, 0),
    "denied_third_party": (0, 0, 0, 0, 0, 0, 0),
    "denied_internal_affairs": (0, 0, 0, 0, 0, 0, 0),
    "denied_process_info": (0, 0, 0, 0, 0, 0, 0),
    "denied_enforcement_file": (0, 0, 0, 0, 0, 0, 0),
    "denied_admin_query": (0, 0, 0, 0, 0, 0, 0),
    "unable_not_held": (2, 0, 0, 0, 0, 0, 2),
    "unable_needs_creation": (1, 0, 0, 0, 0, 0, 1),
    "unable_unclear": (0, 0, 0, 0, 0, 0, 0),
    "rejected_petition": (1, 0, 0, 0, 0, 0, 1),
    "rejected_repeated": (0, 0, 0, 0, 0, 0, 0),
    "rejected_publication": (0, 0, 0, 0, 0, 0, 0),
    "rejected_excessive": (1, 0, 0, 0, 0, 0, 1),
    "rejected_confirmation": (0, 0, 0, 0, 0, 0, 0),
    "other_overdue_correction": (0, 0, 0, 0, 0, 0, 0),
    "other_overdue_fee": (0, 0, 0, 0, 0, 0, 0),
    "other_other": (0, 0, 0, 0, 0, 0, 0),
    "total_processed": (8, 0, 0, 0, 0, 0, 8),
    "carried_forward": (0, 0, 0, 0, 0, 0, 0),
}
ACTIVE = {
    ("regulations", "issued"): 0,
    ("regulations", "repealed"): 0,
    ("regulations", "in_force"): 0,
    ("normative_documents", "issued"): 5,
    ("normative_documents", "repealed"): 1,
    ("normative_documents", "in_force"): 6,
    ("licensing", "decisions"): 0,
    ("penalty", "decisions"): 0,
    ("coercion", "decisions"): 0,
    ("fees", "amount_10k_yuan"): 0,
}
REVIEW = {
    (row, col): 0
    for row in ("review", "litigation_direct", "litigation_after_review")
    for col in ("upheld", "corrected", "other", "pending", "total")
}


def expected() -> dict[tuple[str, str, str], int]:
    out = {("active", r, c): v for (r, c), v in ACTIVE.items()}
    for row, nums in APPLICATIONS.items():
        out.update({("applications", row, col): n for col, n in zip(APPLICANT_KEYS, nums, strict=True)})
    out.update({("review_litigation", r, c): v for (r, c), v in REVIEW.items()})
    return out


def test_jiaxing_facts_exactly() -> None:
    report = parse_path(JIAXING)
    assert report.template == "2021"
    assert values(report) == expected()
    assert [(f.table, f.row, f.column) for f in report.facts] == fact_keys("2021")
    assert not any(f.inferred for f in report.facts)
    assert all(f.raw == str(f.value) for f in report.facts)


def test_jiaxing_metadata_and_sections() -> None:
    report = parse_path(JIAXING)
    assert report.agency == "嘉兴市经济和信息化局"
    assert report.year == 2022
    assert report.published == "2023-01-17"
    assert report.title == "嘉兴市经济和信息化局2022年度政府信息公开工作年度报告"
    assert report.sections["overview"].startswith("(一)主动公开情况。一是推进网站信息公开")
    assert report.sections["problems"].startswith("(一)存在的主要问题。")
    assert report.sections["other_matters"].startswith("嘉兴市经济和信息化局2022年未收取政府信息公开相关处理费。")
    assert report.issues == []  # the report's arithmetic holds and its prose agrees with its tables


def test_cli_json_lines() -> None:
    result = CliRunner().invoke(cli, ["parse", str(JIAXING), "--format", "json"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert obj["agency"] == "嘉兴市经济和信息化局" and obj["year"] == 2022 and obj["template"] == "2021"
    granted = [f for f in obj["facts"] if f["row"] == "granted" and f["column"] == "natural_person"]
    assert granted == [
        {
            "table": "applications",
            "row": "granted",
            "column": "natural_person",
            "value": 3,
            "raw": "3",
            "inferred": False,
        }
    ]
    assert set(obj) >= {"source", "template", "agency", "year", "published", "title", "facts", "sections", "issues"}
