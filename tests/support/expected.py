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
