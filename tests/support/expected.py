"""Expected facts of the fixture reports, written out in full from the reports as printed.

Applications rows are (natural_person, enterprise, research, public_interest, legal_services,
other_org, total); review is (upheld, corrected, other, pending, total) per row. ``None`` is an
empty or placeholder cell. These are typed from the documents, not computed by the parser.
"""

from __future__ import annotations

from govreports.parsers.template import APPLICANT_KEYS

Facts = dict[tuple[str, str, str], int | float | None]
OUTCOMES = ("upheld", "corrected", "other", "pending", "total")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
Z = (0, 0, 0, 0, 0, 0, 0)


def facts(active: dict[tuple[str, str], int | float | None], applications: dict[str, tuple], review: tuple) -> Facts:
    out: Facts = {("active", r, c): v for (r, c), v in active.items()}
    for row, nums in applications.items():
        out.update({("applications", row, col): n for col, n in zip(APPLICANT_KEYS, nums, strict=True)})
    for i, row in enumerate(REVIEW_ROWS):
        out.update({("review_litigation", row, c): review[i * 5 + k] for k, c in enumerate(OUTCOMES)})
    return out


# 杭州市西湖区教育局2023年度 (template 2021): html/xihu-edu-2023.html and its text and DOCX forms
XIHU_EDU_2023 = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 3,
        ("normative_documents", "repealed"): 1,
        ("normative_documents", "in_force"): 12,
        ("licensing", "decisions"): 236,
        ("penalty", "decisions"): 4,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "new_received": (41, 3, 0, 1, 2, 0, 47),
        "carried_over": (2, 0, 0, 0, 0, 0, 2),
        "granted": (15, 1, 0, 0, 1, 0, 17),
        "partly_granted": (3, 0, 0, 0, 0, 0, 3),
        "denied_state_secret": Z,
        "denied_law_prohibited": Z,
        "denied_security_stability": Z,
        "denied_third_party": (1, 0, 0, 0, 0, 0, 1),
        "denied_internal_affairs": Z,
        "denied_process_info": (2, 0, 0, 0, 0, 0, 2),
        "denied_enforcement_file": Z,
        "denied_admin_query": (1, 0, 0, 0, 0, 0, 1),
        "unable_not_held": (9, 1, 0, 1, 0, 0, 11),
        "unable_needs_creation": (2, 0, 0, 0, 0, 0, 2),
        "unable_unclear": (1, 0, 0, 0, 0, 0, 1),
        "rejected_petition": (3, 0, 0, 0, 0, 0, 3),
        "rejected_repeated": (1, 0, 0, 0, 0, 0, 1),
        "rejected_publication": Z,
        "rejected_excessive": Z,
        "rejected_confirmation": Z,
        "other_overdue_correction": (1, 0, 0, 0, 0, 0, 1),
        "other_overdue_fee": Z,
        "other_other": (1, 0, 0, 0, 1, 0, 2),
        "total_processed": (40, 2, 0, 1, 2, 0, 45),
        "carried_forward": (3, 1, 0, 0, 0, 0, 4),
    },
    (1, 0, 0, 1, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0),
)

# 某某县人民政府办公室2020年度 (template 2019): html/mouxian-gov-2020-gb2312.html, tabs text, DOCX
MOUXIAN_GOV_2020 = facts(
    {
        ("regulations", "made"): 0,
        ("regulations", "published"): 0,
        ("regulations", "total_published"): 0,
        ("normative_documents", "made"): 7,
        ("normative_documents", "published"): 7,
        ("normative_documents", "total_published"): 58,
        ("licensing", "items_last_year"): 1246,
        ("licensing", "items_change"): -31,
        ("licensing", "decisions"): 9875,
        ("other_services", "items_last_year"): 23,
        ("other_services", "items_change"): 0,
        ("other_services", "decisions"): 412,
        ("penalty", "items_last_year"): None,
        ("penalty", "items_change"): None,
        ("penalty", "decisions"): None,
        ("coercion", "items_last_year"): None,
        ("coercion", "items_change"): None,
        ("coercion", "decisions"): None,
        ("fees", "items_last_year"): 12,
        ("fees", "items_change"): -3,
        ("procurement", "projects"): 41,
        ("procurement", "amount_10k_yuan"): 1386.52,
    },
    {
        "new_received": (22, 3, 0, 0, 1, 0, 26),
        "carried_over": (1, 0, 0, 0, 0, 0, 1),
        "granted": (8, 2, 0, 0, 0, 0, 10),
        "partly_granted": (2, 0, 0, 0, 0, 0, 2),
        "denied_state_secret": Z,
        "denied_law_prohibited": (1, 0, 0, 0, 0, 0, 1),
        "denied_security_stability": Z,
        "denied_third_party": Z,
        "denied_internal_affairs": Z,
        "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
        "denied_enforcement_file": Z,
        "denied_admin_query": Z,
        "unable_not_held": (5, 1, 0, 0, 0, 0, 6),
        "unable_needs_creation": (1, 0, 0, 0, 0, 0, 1),
        "unable_unclear": Z,
        "rejected_petition": (2, 0, 0, 0, 0, 0, 2),
        "rejected_repeated": Z,
        "rejected_publication": Z,
        "rejected_excessive": (1, 0, 0, 0, 0, 0, 1),
        "rejected_confirmation": Z,
        "other": Z,
        "total_processed": (21, 3, 0, 0, 0, 0, 24),
        "carried_forward": (2, 0, 0, 0, 1, 0, 3),
    },
    (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
)

# 温州市鹿城区市场监督管理局2021年度 (2021), printed with the applications table transposed
LUCHENG_SCJG_2021 = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 2,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 5,
        ("licensing", "decisions"): 4517,
        ("penalty", "decisions"): 368,
        ("coercion", "decisions"): 27,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "new_received": (64, 12, 0, 0, 3, 1, 80),
        "carried_over": (3, 0, 0, 0, 0, 0, 3),
        "granted": (20, 4, 0, 0, 1, 0, 25),
        "partly_granted": (5, 1, 0, 0, 0, 0, 6),
        "denied_state_secret": Z,
        "denied_law_prohibited": Z,
        "denied_security_stability": Z,
        "denied_third_party": (2, 0, 0, 0, 0, 0, 2),
        "denied_internal_affairs": Z,
        "denied_process_info": (1, 1, 0, 0, 0, 0, 2),
        "denied_enforcement_file": Z,
        "denied_admin_query": Z,
        "unable_not_held": (18, 3, 0, 0, 1, 0, 22),
        "unable_needs_creation": (4, 0, 0, 0, 0, 0, 4),
        "unable_unclear": (2, 0, 0, 0, 0, 0, 2),
        "rejected_petition": (6, 1, 0, 0, 0, 0, 7),
        "rejected_repeated": (3, 0, 0, 0, 0, 0, 3),
        "rejected_publication": Z,
        "rejected_excessive": (1, 0, 0, 0, 0, 0, 1),
        "rejected_confirmation": Z,
        "other_overdue_correction": (2, 0, 0, 0, 0, 0, 2),
        "other_overdue_fee": Z,
        "other_other": (1, 0, 0, 0, 0, 1, 2),
        "total_processed": (65, 10, 0, 0, 2, 1, 78),
        "carried_forward": (2, 2, 0, 0, 1, 0, 5),
    },
    (2, 1, 0, 0, 3, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0),
)


# pdf/report-2021.pdf and pdf/report-2019.pdf (tests/fixtures/pdf/make_pdfs.py), and their scans in ocr/.
# What the text layer gives: in 2019 two rows printed "1 1" cannot be placed (see PRINTED_2019).
APPLICATIONS_2021 = {
    "new_received": (41, 6, 1, 2, 3, 1, 54),
    "carried_over": (3, 1, 0, 0, 0, 0, 4),
    "granted": (15, 2, 1, 0, 1, 0, 19),
    "partly_granted": (4, 1, 0, 1, 0, 0, 6),
    "denied_state_secret": (0, 0, 0, 0, 0, 0, 0),
    "denied_law_prohibited": (1, 0, 0, 0, 0, 0, 1),
    "denied_security_stability": (0, 0, 0, 0, 0, 0, 0),
    "denied_third_party": (2, 0, 0, 0, 0, 0, 2),
    "denied_internal_affairs": (0, 0, 0, 0, 0, 0, 0),
    "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
    "denied_enforcement_file": (0, 0, 0, 0, 0, 0, 0),
    "denied_admin_query": (0, 0, 0, 0, 0, 0, 0),
    "unable_not_held": (9, 2, 0, 1, 1, 0, 13),
    "unable_needs_creation": (2, 0, 0, 0, 0, 0, 2),
    "unable_unclear": (1, 0, 0, 0, 0, 0, 1),
    "rejected_petition": (3, 0, 0, 0, 0, 1, 4),
    "rejected_repeated": (1, 0, 0, 0, 0, 0, 1),
    "rejected_publication": (0, 0, 0, 0, 0, 0, 0),
    "rejected_excessive": (0, 0, 0, 0, 0, 0, 0),
    "rejected_confirmation": (0, 0, 0, 0, 0, 0, 0),
    "other_overdue_correction": (1, 0, 0, 0, 0, 0, 1),
    "other_overdue_fee": (0, 0, 0, 0, 0, 0, 0),
    "other_other": (0, 0, 0, 0, 0, 0, 0),
    "total_processed": (40, 5, 1, 2, 2, 1, 51),
    "carried_forward": (4, 2, 0, 0, 1, 0, 7),
}
ACTIVE_2021 = {
    ("regulations", "issued"): 0,
    ("regulations", "repealed"): 0,
    ("regulations", "in_force"): 2,
    ("normative_documents", "issued"): 3,
    ("normative_documents", "repealed"): 1,
    ("normative_documents", "in_force"): 17,
    ("licensing", "decisions"): 1362,
    ("penalty", "decisions"): 48,
    ("coercion", "decisions"): 5,
    ("fees", "amount_10k_yuan"): 12.5,
}
REVIEW_2021 = {
    "review": (2, 1, 0, 1, 4),
    "litigation_direct": (1, 0, 0, 0, 1),
    "litigation_after_review": (0, 0, 0, 1, 1),
}

N = None  # a cell printed blank
APPLICATIONS_2019 = {
    "new_received": (30, 5, 1, 1, 3, 0, 40),
    "carried_over": (1, 0, 0, 0, 0, 0, 1),
    "granted": (12, 3, N, N, N, N, 15),  # printed "12 3 15": placed by A2, inferred
    "partly_granted": (3, 0, 0, 0, 0, 0, 3),
    "denied_state_secret": (0, 0, 0, 0, 0, 0, 0),
    "denied_law_prohibited": (N, N, N, N, N, N, N),  # printed "1 1": research or public_interest?
    "denied_security_stability": (0, 0, 0, 0, 0, 0, 0),
    "denied_third_party": (1, 0, 0, 0, 0, 0, 1),
    "denied_internal_affairs": (0, 0, 0, 0, 0, 0, 0),
    "denied_process_info": (0, 0, 0, 0, 0, 0, 0),
    "denied_enforcement_file": (0, 0, 0, 0, 0, 0, 0),
    "denied_admin_query": (0, 0, 0, 0, 0, 0, 0),
    "unable_not_held": (8, 1, 0, 0, 1, 0, 10),
    "unable_needs_creation": (2, 0, 0, 0, 0, 0, 2),
    "unable_unclear": (N, N, N, N, N, N, N),  # printed "1 1": the other of the two
    "rejected_petition": (2, N, N, N, 2, N, 4),  # printed "2 2 4": placed by A2, inferred
    "rejected_repeated": (1, 0, 0, 0, 0, 0, 1),
    "rejected_publication": (N, N, N, N, N, N, N),  # a row left wholly blank
    "rejected_excessive": (0, 0, 0, 0, 0, 0, 0),
    "rejected_confirmation": (0, 0, 0, 0, 0, 0, 0),
    "other": (1, 0, 0, 0, 0, 0, 1),
    "total_processed": (30, 4, 1, 1, 3, 0, 39),
    "carried_forward": (1, 1, 0, 0, 0, 0, 2),
}
ACTIVE_2019 = {
    ("regulations", "made"): 0,
    ("regulations", "published"): 0,
    ("regulations", "total_published"): 5,
    ("normative_documents", "made"): 4,
    ("normative_documents", "published"): 4,
    ("normative_documents", "total_published"): 36,
    ("licensing", "items_last_year"): 86,
    ("licensing", "items_change"): 3,
    ("licensing", "decisions"): 1208,
    ("other_services", "items_last_year"): 24,
    ("other_services", "items_change"): -2,
    ("other_services", "decisions"): 350,
    ("penalty", "items_last_year"): 15,
    ("penalty", "items_change"): 0,
    ("penalty", "decisions"): 97,
    ("coercion", "items_last_year"): 6,
    ("coercion", "items_change"): 0,
    ("coercion", "decisions"): 12,
    ("fees", "items_last_year"): 3,
    ("fees", "items_change"): -1,
    ("procurement", "projects"): 27,
    ("procurement", "amount_10k_yuan"): 1250.6,
}
REVIEW_2019 = {
    "review": (1, 0, 0, 0, 1),
    "litigation_direct": (0, 0, 0, 0, 0),
    "litigation_after_review": (0, 0, 0, 0, 0),
}


def pdf_facts(active: dict, applications: dict, review: dict) -> dict[tuple[str, str, str], object]:
    out: dict[tuple[str, str, str], object] = {("active", r, c): v for (r, c), v in active.items()}
    for row, nums in applications.items():
        out.update({("applications", row, col): n for col, n in zip(APPLICANT_KEYS, nums, strict=True)})
    for row, nums in review.items():
        out.update({("review_litigation", row, col): n for col, n in zip(OUTCOMES, nums, strict=True)})
    return out


# What report-2019.pdf prints in the two rows its flat text cannot place: a reader that sees the
# cells' places (a picture of the table, read well) could get these.
PRINTED_2019_ROWS = {
    "denied_law_prohibited": (N, N, 1, N, N, N, 1),
    "unable_unclear": (N, N, N, 1, N, N, 1),
}

# Every fact of the two PDF reports: as the text layer (and OCR of its scans) reads them
PDF_2021 = pdf_facts(ACTIVE_2021, APPLICATIONS_2021, REVIEW_2021)
PDF_2019 = pdf_facts(ACTIVE_2019, APPLICATIONS_2019, REVIEW_2019)
