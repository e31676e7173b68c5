"""Expected metadata and facts of the real reports in ``tests/fixtures/real/``, typed by eye.

Each value was read off the document itself (the PDF's text layer as a reader sees it, the crawler
dump's text), never off the parser's output. Only cells the document prints are listed: a row the
document leaves out (Hongze prints （六）其他处理 as one row without its three sub-rows) or cells
that cannot be told apart by eye (the Pingtan dump runs a row's cells together: ``270020130`` is
seven cells, but which?) are not expected values, and ``tests/fixtures/real/README.md`` says
what each document's list covers. Keys, row and column names are the template's
(``govreports.parsers.template``); rows of applications are (natural_person, enterprise,
research, public_interest, legal_services, other_org, total), review rows (upheld, corrected,
other, pending, total) for review, direct litigation and litigation after review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.expected import Facts, facts

Z = (0, 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class RealReport:
    """One real document: where it is, what it is, and what it prints."""

    path: str  # under tests/fixtures/real/
    agency: str
    year: int
    published: str | None  # ISO date if the document prints one, else None
    level: str
    form: str
    facts: Facts = field(default_factory=dict)


def _applications_only(rows: dict[str, tuple]) -> Facts:
    """Facts of the applications rows alone (the helper in expected.py wants every table)."""
    full = facts({}, rows, (None,) * 15)
    return {k: v for k, v in full.items() if k[0] == "applications"}


# 洪泽区人民政府 2023 年政府信息公开工作年度报告 (PDF, 5 pages): a hybrid — table 二 of the 2021
# template (本年制发件数 …), table 三 of the 2019 one (（六）其他处理 one row, no sub-rows). Printed:
# every cell of 二, 三 and 四. Row 2 of 不予公开 is printed "2.其他法律行政止公开" (sic). 四 prints
# 10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 0 0.
HONGZE_2023 = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 0,
        ("normative_documents", "repealed"): 5,
        ("normative_documents", "in_force"): 5,
        ("licensing", "decisions"): 550,
        ("penalty", "decisions"): 4119,
        ("coercion", "decisions"): 195,
        ("fees", "amount_10k_yuan"): 7730.28,
    },
    {
        "new_received": (21, 0, 0, 0, 0, 0, 21),
        "carried_over": Z,
        "granted": Z,
        "partly_granted": (4, 0, 0, 0, 0, 0, 4),
        "denied_state_secret": (1, 0, 0, 0, 0, 0, 1),
        "denied_law_prohibited": Z,
        "denied_security_stability": Z,
        "denied_third_party": Z,
        "denied_internal_affairs": Z,
        "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
        "denied_enforcement_file": (1, 0, 0, 0, 0, 0, 1),
        "denied_admin_query": Z,
        "unable_not_held": (10, 0, 0, 0, 0, 0, 10),
        "unable_needs_creation": (3, 0, 0, 0, 0, 0, 3),
        "unable_unclear": Z,
        "rejected_petition": (1, 0, 0, 0, 0, 0, 1),
        "rejected_repeated": Z,
        "rejected_publication": Z,
        "rejected_excessive": Z,
        "rejected_confirmation": Z,
        "other": Z,
        "total_processed": (21, 0, 0, 0, 0, 0, 21),
        "carried_forward": Z,
    },
    (10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0),
)

# 淮安市洪泽区人民政府 2024 年政府信息公开工作年度报告 (PDF, 5 pages): the same hybrid layout as 2023.
HONGZE_2024 = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 3,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 8,
        ("licensing", "decisions"): 9487,
        ("penalty", "decisions"): 2776,
        ("coercion", "decisions"): 84,
        ("fees", "amount_10k_yuan"): 7545,
    },
    {
        "new_received": (95, 0, 0, 0, 0, 0, 95),
        "carried_over": Z,
        "granted": (50, 0, 0, 0, 0, 0, 50),
        "partly_granted": (9, 0, 0, 0, 0, 0, 9),
        "denied_state_secret": Z,
        "denied_law_prohibited": Z,
        "denied_security_stability": (1, 0, 0, 0, 0, 0, 1),
        "denied_third_party": Z,
        "denied_internal_affairs": Z,
        "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
        "denied_enforcement_file": (1, 0, 0, 0, 0, 0, 1),
        "denied_admin_query": Z,
        "unable_not_held": (31, 0, 0, 0, 0, 0, 31),
        "unable_needs_creation": (1, 0, 0, 0, 0, 0, 1),
        "unable_unclear": Z,
        "rejected_petition": (1, 0, 0, 0, 0, 0, 1),
        "rejected_repeated": Z,
        "rejected_publication": Z,
        "rejected_excessive": Z,
        "rejected_confirmation": Z,
        "other": Z,
        "total_processed": (95, 0, 0, 0, 0, 0, 95),
        "carried_forward": Z,
    },
    (1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3),
)

# 平潭综合实验区2021年度政府信息公开工作年度报告, as a crawler saved its text (page.txt): the tables'
# cells are run together on one line. Listed: the single-cell rows of 二 and the rows of 三 whose
# seven cells are seven single digits (``0000000``, ``1000001``); not listed: 行政规范性文件
# (``693665``), the multi-digit rows of 三 and the fifteen cells of 四 (``10203120001200000``, 17 digits).
PINGTAN_2021_DUMP: Facts = {
    ("active", "regulations", "issued"): 0,
    ("active", "regulations", "repealed"): 0,
    ("active", "regulations", "in_force"): 0,
    ("active", "licensing", "decisions"): 2293,
    ("active", "penalty", "decisions"): 1282,
    ("active", "coercion", "decisions"): 42,
    ("active", "fees", "amount_10k_yuan"): 24252.311082,
    **_applications_only(
        {
            "carried_over": Z,
            "denied_state_secret": Z,
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": Z,
            "denied_internal_affairs": (1, 0, 0, 0, 0, 0, 1),
            "denied_process_info": Z,
            "denied_enforcement_file": (6, 0, 0, 0, 0, 0, 6),
            "denied_admin_query": (1, 0, 0, 0, 0, 0, 1),
            "unable_needs_creation": Z,
            "unable_unclear": Z,
            "rejected_petition": Z,
            "rejected_repeated": Z,
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other_overdue_correction": Z,
            "other_overdue_fee": Z,
            "other_other": (1, 0, 0, 0, 0, 0, 1),
            "carried_forward": (1, 0, 0, 0, 0, 0, 1),
        }
    ),
}

# 平潭综合实验区2019年度 (2019 template), crawler dump. Listed: 规章 (``000``), the rows of 三 whose
# cells are single digits (``7000007``), （六）其他处理 and 四、结转 printed as spaced zeros, and the
# fifteen zeros of 四. Not listed: the other rows of 二 (``898989``, ``3960181`` …), 一、本年新收
# (``230 000023``) and （七）总计 (``23 0 00 0 023``).
PINGTAN_2019_DUMP: Facts = {
    ("active", "regulations", "made"): 0,
    ("active", "regulations", "published"): 0,
    ("active", "regulations", "total_published"): 0,
    **_applications_only(
        {
            "carried_over": Z,
            "granted": (7, 0, 0, 0, 0, 0, 7),
            "partly_granted": (1, 0, 0, 0, 0, 0, 1),
            "denied_state_secret": Z,
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": Z,
            "denied_internal_affairs": Z,
            "denied_process_info": Z,
            "denied_enforcement_file": Z,
            "denied_admin_query": Z,
            "unable_not_held": (7, 0, 0, 0, 0, 0, 7),
            "unable_needs_creation": Z,
            "unable_unclear": (5, 0, 0, 0, 0, 0, 5),
            "rejected_petition": Z,
            "rejected_repeated": (3, 0, 0, 0, 0, 0, 3),
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other": Z,
            "carried_forward": Z,
        }
    ),
    **{k: v for k, v in facts({}, {}, (0,) * 15).items() if k[0] == "review_litigation"},
}

# 平潭综合实验区2022年度, crawler dump; 四 is printed with spaces between its fifteen cells.
PINGTAN_2022_DUMP: Facts = {
    ("active", "regulations", "issued"): 0,
    ("active", "regulations", "repealed"): 0,
    ("active", "regulations", "in_force"): 0,
    ("active", "licensing", "decisions"): 10690,
    ("active", "penalty", "decisions"): 2113,
    ("active", "coercion", "decisions"): 0,
    ("active", "fees", "amount_10k_yuan"): 9116.36,
    **_applications_only(
        {
            "carried_over": (1, 0, 0, 0, 0, 0, 1),
            "partly_granted": (8, 1, 0, 0, 0, 0, 9),
            "denied_state_secret": Z,
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": Z,
            "denied_internal_affairs": (1, 0, 0, 0, 0, 0, 1),
            "denied_process_info": (2, 0, 0, 0, 0, 0, 2),
            "denied_enforcement_file": (1, 0, 0, 0, 0, 0, 1),
            "denied_admin_query": Z,
            "unable_needs_creation": Z,
            "unable_unclear": Z,
            "rejected_petition": Z,
            "rejected_repeated": Z,
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other_overdue_correction": (2, 0, 0, 0, 0, 0, 2),
            "other_overdue_fee": Z,
            "other_other": (0, 2, 0, 0, 0, 0, 2),
            "carried_forward": Z,
        }
    ),
    **{
        k: v
        for k, v in facts({}, {}, (0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)).items()
        if k[0] == "review_litigation"
    },
}

# 平潭综合实验区2024年度, crawler dump. Not listed: 行政规范性文件 (``6233440``), the multi-digit rows
# of 三 and 四 (``21317000001324019``).
PINGTAN_2024_DUMP: Facts = {
    ("active", "regulations", "issued"): 0,
    ("active", "regulations", "repealed"): 0,
    ("active", "regulations", "in_force"): 0,
    ("active", "licensing", "decisions"): 4529,
    ("active", "penalty", "decisions"): 1100,
    ("active", "coercion", "decisions"): 65,
    ("active", "fees", "amount_10k_yuan"): 18651.06,
    **_applications_only(
        {
            "carried_over": Z,
            "denied_state_secret": (4, 0, 0, 0, 0, 0, 4),
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": (3, 0, 0, 0, 0, 0, 3),
            "denied_process_info": Z,
            "denied_enforcement_file": Z,
            "denied_admin_query": Z,
            "unable_needs_creation": Z,
            "unable_unclear": Z,
            "rejected_petition": Z,
            "rejected_repeated": (1, 0, 0, 0, 0, 0, 1),
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other_overdue_correction": (1, 0, 0, 0, 0, 0, 1),
            "other_overdue_fee": Z,
            "other_other": (1, 1, 0, 0, 0, 0, 2),
            "carried_forward": Z,
        }
    ),
}

# 平潭综合实验区2023年度, crawler dump; 四 is fifteen single digits (``110024001510102``).
PINGTAN_2023_DUMP: Facts = {
    ("active", "regulations", "issued"): 0,
    ("active", "regulations", "repealed"): 0,
    ("active", "regulations", "in_force"): 0,
    ("active", "licensing", "decisions"): 2629,
    ("active", "penalty", "decisions"): 1330,
    ("active", "coercion", "decisions"): 54,
    ("active", "fees", "amount_10k_yuan"): 5949.088667,
    **_applications_only(
        {
            "carried_over": Z,
            "denied_state_secret": Z,
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": (1, 0, 0, 0, 0, 0, 1),
            "denied_internal_affairs": Z,
            "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
            "denied_enforcement_file": (1, 0, 0, 0, 0, 0, 1),
            "denied_admin_query": (2, 0, 0, 0, 0, 0, 2),
            "unable_needs_creation": Z,
            "unable_unclear": Z,
            "rejected_petition": Z,
            "rejected_repeated": (1, 0, 0, 0, 0, 0, 1),
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other_overdue_correction": (1, 0, 0, 0, 0, 0, 1),
            "other_overdue_fee": Z,
            "other_other": (1, 0, 0, 0, 0, 0, 1),
            "carried_forward": Z,
        }
    ),
    **{
        k: v
        for k, v in facts({}, {}, (1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2)).items()
        if k[0] == "review_litigation"
    },
}

# 平潭综合实验区2025年度, crawler dump. Not listed: 行政规范性文件 (``5845546``), the multi-digit rows
# of 三 and 四 (``25380363300630003``).
PINGTAN_2025_DUMP: Facts = {
    ("active", "regulations", "issued"): 0,
    ("active", "regulations", "repealed"): 0,
    ("active", "regulations", "in_force"): 0,
    ("active", "licensing", "decisions"): 2418,
    ("active", "penalty", "decisions"): 644,
    ("active", "coercion", "decisions"): 64,
    ("active", "fees", "amount_10k_yuan"): 4166.241619,
    **_applications_only(
        {
            "carried_over": Z,
            "denied_state_secret": Z,
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": Z,
            "denied_internal_affairs": (3, 0, 0, 0, 0, 0, 3),
            "denied_process_info": (2, 0, 0, 0, 0, 0, 2),
            "denied_enforcement_file": (3, 0, 0, 0, 0, 0, 3),
            "denied_admin_query": (3, 0, 0, 0, 0, 0, 3),
            "unable_needs_creation": (3, 0, 0, 0, 0, 0, 3),
            "unable_unclear": Z,
            "rejected_petition": (2, 0, 0, 0, 0, 0, 2),
            "rejected_repeated": Z,
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other_overdue_correction": (8, 0, 0, 0, 0, 0, 8),
            "other_overdue_fee": (2, 0, 0, 0, 0, 0, 2),
            "other_other": (1, 0, 0, 0, 0, 0, 1),
            "carried_forward": (4, 2, 0, 0, 0, 0, 6),
        }
    ),
}

# 平潭综合实验区2020年度 (2019 template), crawler dump. Listed: 规章 (``007``), the rows of 三 whose
# cells are single digits or spaced, and 四's fifteen zeros. Not listed: the rest of 二 (``7777166``,
# ``2648-18538``, ``35-15`` …), 一、本年新收 (``200 000121``) and （七）总计 (``20 0 00 0 121``).
PINGTAN_2020_DUMP: Facts = {
    ("active", "regulations", "made"): 0,
    ("active", "regulations", "published"): 0,
    ("active", "regulations", "total_published"): 7,
    **_applications_only(
        {
            "carried_over": Z,
            "granted": (6, 0, 0, 0, 0, 1, 7),
            "partly_granted": (6, 0, 0, 0, 0, 0, 6),
            "denied_state_secret": Z,
            "denied_law_prohibited": Z,
            "denied_security_stability": Z,
            "denied_third_party": Z,
            "denied_internal_affairs": Z,
            "denied_process_info": Z,
            "denied_enforcement_file": Z,
            "denied_admin_query": Z,
            "unable_not_held": (4, 0, 0, 0, 0, 0, 4),
            "unable_needs_creation": Z,
            "unable_unclear": (3, 0, 0, 0, 0, 0, 3),
            "rejected_petition": Z,
            "rejected_repeated": (3, 0, 0, 0, 0, 0, 3),
            "rejected_publication": Z,
            "rejected_excessive": Z,
            "rejected_confirmation": Z,
            "other": (4, 0, 0, 0, 0, 0, 4),
            "carried_forward": Z,
        }
    ),
    **{k: v for k, v in facts({}, {}, (0,) * 15).items() if k[0] == "review_litigation"},
}

# --- 平潭综合实验区's departments (部门), crawler dumps of the same archive --------------------------
# Each 局 publishes its own report in its own column (…/ptzhsyqbm/<局>/zfxxgknb/). The dumps run cells
# together like the 区's; listed, as there, only the cells a reader can tell apart: single-cell rows,
# rows whose digits are as many as their cells (``0000000``, ``3000003``, ``005``), spaced rows, and
# 四 when its fifteen single digits keep the table's own sums. Agency and year are the title's (the
# header's 发布机构 is empty, an abbreviation, or another body); ``published`` is the header's 发布时间.

_DENIED = (
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
)
_REJECTED = (
    "rejected_petition",
    "rejected_repeated",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
)
_OTHER_2021 = ("other_overdue_correction", "other_overdue_fee", "other_other")


# every row of 三, in the order the two templates print them (its 其他处理 one row in 2019, three in 2021)
_ROWS_2019 = (
    "new_received",
    "carried_over",
    "granted",
    "partly_granted",
    *_DENIED,
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    *_REJECTED,
    "other",
    "total_processed",
    "carried_forward",
)
_ROWS_2021 = tuple(r for o in _ROWS_2019 for r in (_OTHER_2021 if o == "other" else (o,)))


def _zeros(*rows: str) -> dict[str, tuple]:
    """Application rows printed as seven zeros."""
    return {r: Z for r in rows}


_THREE_2019_KEYS = ("items_last_year", "items_change", "decisions")


def _dept(active: dict, applications: dict[str, tuple], review: tuple | None) -> Facts:
    """Expected facts of one department's dump; ``review`` None when 四 is not listed."""
    out = facts(active, applications, review if review is not None else (0,) * 15)
    return out if review is not None else {k: v for k, v in out.items() if k[0] != "review_litigation"}


def _one(n: int) -> tuple:
    """A row of 三 with n natural-person applications and nothing else (``n00000n``)."""
    return (n, 0, 0, 0, 0, 0, n)


# 平潭综合实验区公安局2024年 (2021 template): 二 ``规章000行政规范性文件005``; 三 spaced or single digits
# (（二）部分公开 printed ``10 0 0 0 01``, （六）1 ``0 0 00000``); 四 fifteen zeros. Every cell readable.
PINGTAN_GAJ_2024 = _dept(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 0,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 5,
        ("licensing", "decisions"): 52,
        ("penalty", "decisions"): 19,
        ("coercion", "decisions"): 7,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "new_received": _one(8),
        "granted": _one(3),
        "partly_granted": _one(1),
        "unable_not_held": _one(4),
        "total_processed": _one(8),
        **_zeros("carried_over", *_DENIED, "unable_needs_creation", "unable_unclear", *_REJECTED, *_OTHER_2021),
        "carried_forward": Z,
    },
    (0,) * 15,
)

# 平潭综合实验区公安局2019年 (2019 template). Listed: 规章, 规范性文件 and 其他对外管理服务事项 (``000``),
# 政府集中采购 (``00``), 三's rows of seven zeros, 四's fifteen zeros. Not listed: 行政许可 ``4500``,
# 行政处罚 ``63600``, 行政强制 ``4300`` (three cells each), 行政事业性收费 ``124`` (two cells), and
# 一、本年新收, printed ``0 00000``: six digits under seven cells.
PINGTAN_GAJ_2019 = _dept(
    {
        ("regulations", "made"): 0,
        ("regulations", "published"): 0,
        ("regulations", "total_published"): 0,
        ("normative_documents", "made"): 0,
        ("normative_documents", "published"): 0,
        ("normative_documents", "total_published"): 0,
        ("other_services", "items_last_year"): 0,
        ("other_services", "items_change"): 0,
        ("other_services", "decisions"): 0,
        ("procurement", "projects"): 0,
        ("procurement", "amount_10k_yuan"): 0,
    },
    {
        **_zeros("carried_over", "granted", "partly_granted", *_DENIED),
        **_zeros("unable_not_held", "unable_needs_creation", "unable_unclear", *_REJECTED, "other"),
        **_zeros("total_processed", "carried_forward"),
    },
    (0,) * 15,
)

# 平潭综合实验区财政金融局2021年度 (2021 template); the header's 发布机构 is 平潭综合实验区人民政府, the
# body repeats the title, signed 平潭综合实验区财政全融局 (sic). 二 ``行政规范性文件303``, 收费 7816 万元;
# 三 every row ``0 0 0 0 0 00``; 四 ``00 0 00 0 0 0 00 0 0 0 00`` (fifteen zeros). Every cell readable.
PINGTAN_CZJ_2021 = _dept(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 3,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 3,
        ("licensing", "decisions"): 0,
        ("penalty", "decisions"): 0,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 7816,
    },
    _zeros(*_ROWS_2021),
    (0,) * 15,
)

# 平潭综合实验区经济发展局2020年 (2019 template), every cell spaced (``规范性文件 10 10 10``); the page's
# own header (当前位置 … 时间：2021-01-27 08:33 … 岚经发〔2021〕17号) before the title; signed 2021年1月26日,
# then "2020年1月26日印发" (sic). Every cell of 二, 三 and 四.
PINGTAN_JJF_2020 = _dept(
    {
        ("regulations", "made"): 0,
        ("regulations", "published"): 0,
        ("regulations", "total_published"): 0,
        ("normative_documents", "made"): 10,
        ("normative_documents", "published"): 10,
        ("normative_documents", "total_published"): 10,
        **{(r, c): 0 for r in ("licensing", "other_services", "penalty", "coercion") for c in _THREE_2019_KEYS},
        ("fees", "items_last_year"): 0,
        ("fees", "items_change"): 0,
        ("procurement", "projects"): 0,
        ("procurement", "amount_10k_yuan"): 0,
    },
    _zeros(*_ROWS_2019),
    (0,) * 15,
)

# 平潭综合实验区自然资源与生态环境局2022年 (2021 template); page header before the text, as above.
# Listed: 规章 ``000``, the single-cell rows, 三's readable rows (``2000002``, ``1100002``, ``000000 0``)
# and 四 ``01 0 1 20 0 0 0 0 0 0 0 00`` (review 0 1 0 1 2, the rest zeros). Not listed: 行政规范性文件
# ``24432``, 一、本年新收 and （七）总计 ``291000030``, 1.本机关不掌握 ``2600000 26``.
PINGTAN_ZRZ_2022 = _dept(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("licensing", "decisions"): 202,
        ("penalty", "decisions"): 74,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "granted": _one(2),
        "partly_granted": (1, 1, 0, 0, 0, 0, 2),
        **_zeros("carried_over", *_DENIED, "unable_needs_creation", "unable_unclear", *_REJECTED, *_OTHER_2021),
        "carried_forward": Z,
    },
    (0, 1, 0, 1, 2) + (0,) * 10,
)

# 平潭综合实验区社会事业局2023年 (2021 template): no 规章 row, ``规范性文件2120`` (not listed: four digits,
# three cells); the heading 四、政府信息公开行政法复议 (sic); 四 printed ``000003001410001``: review
# 0 0 0 0 0, direct litigation 3 0 0 1 4, after review 1 0 0 0 1 (the sums hold). Signed with an
# ideographic space before the date.
PINGTAN_SHS_2023 = _dept(
    {
        ("licensing", "decisions"): 1396,
        ("penalty", "decisions"): 14,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "new_received": _one(1),
        "unable_not_held": _one(1),
        "total_processed": _one(1),
        **_zeros("carried_over", "granted", "partly_granted", *_DENIED, "unable_needs_creation", "unable_unclear"),
        **_zeros(*_REJECTED, *_OTHER_2021, "carried_forward"),
    },
    (0, 0, 0, 0, 0, 3, 0, 0, 1, 4, 1, 0, 0, 0, 1),
)

# 平潭综合实验区市场监督管理局2025年度 (2021 template). Prose runs on after table cells:
# ``行政事业性收费02025年，我局…`` (the fee is 0) and ``四、结转下年度继续办理20000022025年，我局…``
# (2000002, then 2025年). 7.属于行政执法案件 (sic). Not listed: ``规范性文件1173``, the two-digit rows
# of 三 (``210000021``, ``110000011``, ``190000019``) and 四 (``10000100000000000``, seventeen digits).
PINGTAN_SCJ_2025 = _dept(
    {
        ("licensing", "decisions"): 0,
        ("penalty", "decisions"): 187,
        ("coercion", "decisions"): 42,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "granted": _one(1),
        "denied_enforcement_file": _one(3),
        "other_overdue_correction": _one(2),
        "other_overdue_fee": _one(2),
        "carried_forward": _one(2),
        **_zeros("carried_over", *(d for d in _DENIED if d != "denied_enforcement_file")),
        **_zeros("unable_not_held", "unable_needs_creation", "unable_unclear", *_REJECTED, "other_other"),
    },
    None,
)

# 平潭综合实验区行政审批局2024年 (2021 template). Not listed: ``行政规范性文件15621``, the two-digit rows
# of 三 (``280000028``, ``180000018``) and 四 ``100000000000000`` (a review upheld beside a total of 0).
PINGTAN_HZS_2024 = _dept(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("licensing", "decisions"): 3,
        ("penalty", "decisions"): 0,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "partly_granted": _one(6),
        "unable_not_held": _one(4),
        **_zeros("carried_over", *_DENIED, "unable_needs_creation", "unable_unclear", *_REJECTED, *_OTHER_2021),
        "carried_forward": Z,
    },
    None,
)

# 平潭综合实验区交通与建设局2019年度 (2019 template); page header before the text; signed 2020年1月2日,
# a contact line after the signature. Listed: 规章 ``000``, 规范性文件 ``222``, 其他对外管理服务事项 and
# 行政强制 ``000``, 三 (（七）总计 printed ``1 0 00 0 0 1``, 四、结转 ``0 0 00 00 0``), 四's fifteen
# zeros. Not listed: 行政许可 ``8801``, 行政处罚 ``2600``, 行政事业性收费 ``114``, 政府集中采购
# ``547.9659万元`` (projects and amount run together).
PINGTAN_JTJ_2019 = _dept(
    {
        ("regulations", "made"): 0,
        ("regulations", "published"): 0,
        ("regulations", "total_published"): 0,
        ("normative_documents", "made"): 2,
        ("normative_documents", "published"): 2,
        ("normative_documents", "total_published"): 2,
        **{(r, c): 0 for r in ("other_services", "coercion") for c in _THREE_2019_KEYS},
    },
    {
        "new_received": _one(1),
        "unable_not_held": _one(1),
        "total_processed": _one(1),
        **_zeros("carried_over", "granted", "partly_granted", *_DENIED, "unable_needs_creation", "unable_unclear"),
        **_zeros(*_REJECTED, "other", "carried_forward"),
    },
    (0,) * 15,
)

# 2019年上海市人民政府办公厅政府信息公开工作年度报告 (2019 template), an HTML fragment (the article
# body as the site's script holds it; 发布日期：2020-01-31 printed under the title). Province level.
# Printed: every cell of 二, 三 and 四; the blank cells (&nbsp;) are null. 三's 总计 column is blank
# in every result row (（一）…（六）): only 一、本年新收, 二、上年结转, （七）总计 and 四、结转 print a total.
# 二's 政府集中采购 amount is printed "251000元" (25.1 万元).
_ = None
SHANGHAI_GOV_OFFICE_2019 = facts(
    {
        ("regulations", "made"): 13,
        ("regulations", "published"): 13,
        ("regulations", "total_published"): 524,
        ("normative_documents", "made"): 60,
        ("normative_documents", "published"): 60,
        ("normative_documents", "total_published"): 368,
        ("licensing", "items_last_year"): 0,
        ("licensing", "items_change"): 0,
        ("licensing", "decisions"): 0,
        ("other_services", "items_last_year"): 0,
        ("other_services", "items_change"): 0,
        ("other_services", "decisions"): 0,
        ("penalty", "items_last_year"): 0,
        ("penalty", "items_change"): 0,
        ("penalty", "decisions"): 0,
        ("coercion", "items_last_year"): 0,
        ("coercion", "items_change"): 0,
        ("coercion", "decisions"): 0,
        ("fees", "items_last_year"): 0,
        ("fees", "items_change"): 0,
        ("procurement", "projects"): 6,
        ("procurement", "amount_10k_yuan"): 25.1,
    },
    {
        "new_received": (821, 35, _, _, 2, 1, 859),
        "carried_over": (18, _, _, _, _, _, 18),
        "granted": (258, 12, _, _, 1, 1, _),
        "partly_granted": (3, _, _, _, _, _, _),
        "denied_state_secret": (14, _, _, _, _, _, _),
        "denied_law_prohibited": (_,) * 7,
        "denied_security_stability": (_,) * 7,
        "denied_third_party": (_,) * 7,
        "denied_internal_affairs": (5, _, _, _, _, _, _),
        "denied_process_info": (3, 1, _, _, _, _, _),
        "denied_enforcement_file": (_,) * 7,
        "denied_admin_query": (10, 2, _, _, _, _, _),
        "unable_not_held": (252, 12, _, _, 1, _, _),
        "unable_needs_creation": (44, 3, _, _, _, _, _),
        "unable_unclear": (25, _, _, _, _, _, _),
        "rejected_petition": (148, 1, _, _, _, _, _),
        "rejected_repeated": (5, 4, _, _, _, _, _),
        "rejected_publication": (_,) * 7,
        "rejected_excessive": (_,) * 7,
        "rejected_confirmation": (_,) * 7,
        "other": (_,) * 7,
        "total_processed": (767, 35, _, _, 2, 1, 805),
        "carried_forward": (72, _, _, _, _, _, 72),
    },
    (5, _, _, 2, 7, 8, _, _, 1, 9, _, _, _, _, _),
)

# 淮安市人民政府2024年政府信息公开工作年度报告 (text PDF, 6 pages, WPS): the 2021 template whole.
# Printed: every cell of 二, 三 and 四 (checked against the rendered pages). 三's 其他处理 sub-rows are
# numbered "1、" "2、" "3、" (not "1."). No date is printed.
HUAIAN_CITY_2024 = facts(
    {
        ("regulations", "issued"): 1,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 11,
        ("normative_documents", "issued"): 8,
        ("normative_documents", "repealed"): 26,
        ("normative_documents", "in_force"): 66,
        ("licensing", "decisions"): 447228,
        ("penalty", "decisions"): 3985758,
        ("coercion", "decisions"): 88283,
        ("fees", "amount_10k_yuan"): 96171.6,
    },
    {
        "new_received": (3001, 53, 0, 0, 61, 4, 3119),
        "carried_over": (34, 0, 0, 0, 0, 0, 34),
        "granted": (1288, 21, 0, 0, 50, 3, 1362),
        "partly_granted": (447, 7, 0, 0, 0, 0, 454),
        "denied_state_secret": (2, 0, 0, 0, 0, 0, 2),
        "denied_law_prohibited": (30, 1, 0, 0, 0, 0, 31),
        "denied_security_stability": (5, 0, 0, 0, 0, 0, 5),
        "denied_third_party": (6, 0, 0, 0, 0, 0, 6),
        "denied_internal_affairs": (7, 1, 0, 0, 0, 0, 8),
        "denied_process_info": (12, 0, 0, 0, 0, 0, 12),
        "denied_enforcement_file": (9, 0, 0, 0, 0, 0, 9),
        "denied_admin_query": (105, 0, 0, 0, 0, 0, 105),
        "unable_not_held": (746, 12, 0, 0, 10, 1, 769),
        "unable_needs_creation": (11, 0, 0, 0, 0, 0, 11),
        "unable_unclear": (1, 0, 0, 0, 0, 0, 1),
        "rejected_petition": (56, 6, 0, 0, 0, 0, 62),
        "rejected_repeated": (25, 0, 0, 0, 0, 0, 25),
        "rejected_publication": Z,
        "rejected_excessive": Z,
        "rejected_confirmation": (1, 0, 0, 0, 0, 0, 1),
        "other_overdue_correction": (67, 3, 0, 0, 1, 0, 71),
        "other_overdue_fee": (6, 0, 0, 0, 0, 0, 6),
        "other_other": (108, 2, 0, 0, 0, 0, 110),
        "total_processed": (2932, 53, 0, 0, 61, 4, 3050),
        "carried_forward": (103, 0, 0, 0, 0, 0, 103),
    },
    (72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20),
)

# 2024 年上海市科委政府信息公开工作年度报告 (市科学技术委员会, a department), as a PDF→Markdown
# converter wrote it: the title over two lines under "正文"; 三's table broken into pieces, a
# third of its rows printed as bare "| 1 | 0 | … |" rows whose labels went to loose lines above them,
# out of order. The rows are in the table's order, so a reader reads them by position: the values
# below are read so, and agree with the overview's own counts (同意公开 9, 不予公开 2, 无法提供 10,
# 其他处理 14, 转下一年度 1) and with A2/A3. A loose "1" stands before the bare row of 2.申请人逾期未按
# 收费…; 四、结转下年度继续办理 prints its 总计 cell empty (null). The section heading of 五 is lost
# (its text follows 四's table). 二 prints "规范性文件" for 行政规范性文件.
SHANGHAI_STCSM_2024_MD = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 13,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 55,
        ("licensing", "decisions"): 97,
        ("penalty", "decisions"): 0,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "new_received": (32, 2, 0, 0, 0, 0, 34),
        "carried_over": (2, 0, 0, 0, 0, 0, 2),
        "granted": (9, 0, 0, 0, 0, 0, 9),
        "partly_granted": Z,
        "denied_state_secret": Z,
        "denied_law_prohibited": Z,
        "denied_security_stability": Z,
        "denied_third_party": Z,
        "denied_internal_affairs": (1, 0, 0, 0, 0, 0, 1),
        "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
        "denied_enforcement_file": Z,
        "denied_admin_query": Z,
        "unable_not_held": (4, 0, 0, 0, 0, 0, 4),
        "unable_needs_creation": (6, 0, 0, 0, 0, 0, 6),
        "unable_unclear": Z,
        "rejected_petition": Z,
        "rejected_repeated": Z,
        "rejected_publication": Z,
        "rejected_excessive": Z,
        "rejected_confirmation": Z,
        "other_overdue_correction": (8, 2, 0, 0, 0, 0, 10),
        "other_overdue_fee": Z,
        "other_other": (4, 0, 0, 0, 0, 0, 4),
        "total_processed": (33, 2, 0, 0, 0, 0, 35),
        "carried_forward": (1, 0, 0, 0, 0, 0, None),
    },
    (1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
)

# 2025 年上海市人民政府办公厅政府信息公开工作年度报告, as the same converter wrote it: the title
# over two lines; page numbers "— 4 —" between the rows; 三's rows partly bare or with a piece of
# their label ("| 行政机关不再处理其政府信息公 | 40 | …"), read by position as above and agreeing
# with the overview (不予公开 20, 不予处理 80, 其他处理 319) and with A2/A3; 五's heading lost. Not
# listed: 二's 规章 and 行政规范性文件 rows, which print two numbers under three columns (their third
# went to loose lines "22（其中修订 16 件）55（含自然失效 29 件）" above the table).
SHANGHAI_GOV_OFFICE_2025_MD = facts(
    {
        ("licensing", "decisions"): 0,
        ("penalty", "decisions"): 0,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        "new_received": (1259, 36, 0, 0, 0, 0, 1295),
        "carried_over": (170, 15, 0, 0, 4, 0, 189),
        "granted": (201, 5, 0, 0, 0, 0, 206),
        "partly_granted": (2, 0, 0, 0, 0, 0, 2),
        "denied_state_secret": (4, 0, 0, 0, 0, 0, 4),
        "denied_law_prohibited": Z,
        "denied_security_stability": (1, 0, 0, 0, 0, 0, 1),
        "denied_third_party": Z,
        "denied_internal_affairs": (8, 0, 0, 0, 1, 0, 9),
        "denied_process_info": (1, 0, 0, 0, 0, 0, 1),
        "denied_enforcement_file": Z,
        "denied_admin_query": (5, 0, 0, 0, 0, 0, 5),
        "unable_not_held": (484, 28, 0, 0, 1, 0, 513),
        "unable_needs_creation": (47, 1, 0, 0, 0, 0, 48),
        "unable_unclear": (3, 0, 0, 0, 0, 0, 3),
        "rejected_petition": (61, 1, 0, 0, 0, 0, 62),
        "rejected_repeated": (16, 0, 0, 0, 0, 0, 16),
        "rejected_publication": (1, 0, 0, 0, 0, 0, 1),
        "rejected_excessive": (1, 0, 0, 0, 0, 0, 1),
        "rejected_confirmation": Z,
        "other_overdue_correction": (40, 1, 0, 0, 2, 0, 43),
        "other_overdue_fee": Z,
        "other_other": (264, 12, 0, 0, 0, 0, 276),
        "total_processed": (1139, 48, 0, 0, 4, 0, 1191),
        "carried_forward": (290, 3, 0, 0, 0, 0, 293),
    },
    (40, 0, 10, 5, 55, 2, 0, 4, 6, 12, 6, 0, 9, 7, 22),
)

# 2020年上海市政府信息公开工作年度报告 (2019 template), the whole city's report (the general office compiles
# the districts' and the city departments' reports): an HTML fragment, the article body as a kiosk app's
# script holds it; 发布日期：2021-03-30 under the title. Province level (直辖市). Printed: every cell of
# 二, 三 and 四. 二 prints signed changes (-183, +5174, +3, -1), a footnote mark in a section label
# (第二十条第（一）项[1]) and 采购总金额 "27225290916元" (2722529.0916 万元). The document's own arithmetic
# does not hold (new_received total 29130 beside columns that sum to 29126; A3 fails in five columns).
SHANGHAI_CITY_2020 = facts(
    {
        ("regulations", "made"): 12,
        ("regulations", "published"): 12,
        ("regulations", "total_published"): 287,
        ("normative_documents", "made"): 554,
        ("normative_documents", "published"): 554,
        ("normative_documents", "total_published"): 2804,
        ("licensing", "items_last_year"): 893,
        ("licensing", "items_change"): -183,
        ("licensing", "decisions"): 12854581,
        ("other_services", "items_last_year"): 16334,
        ("other_services", "items_change"): 5174,
        ("other_services", "decisions"): 77300440,
        ("penalty", "items_last_year"): 4309,
        ("penalty", "items_change"): 3,
        ("penalty", "decisions"): 1910752,
        ("coercion", "items_last_year"): 261,
        ("coercion", "items_change"): 0,
        ("coercion", "decisions"): 304215,
        ("fees", "items_last_year"): 49,
        ("fees", "items_change"): -1,
        ("procurement", "projects"): 47,
        ("procurement", "amount_10k_yuan"): 2722529.0916,
    },
    {
        "new_received": (26954, 1718, 13, 60, 144, 237, 29130),
        "carried_over": (1327, 69, 0, 0, 3, 1, 1400),
        "granted": (10544, 514, 4, 16, 92, 50, 11220),
        "partly_granted": (532, 38, 1, 0, 4, 1, 576),
        "denied_state_secret": (58, 0, 0, 0, 0, 2, 60),
        "denied_law_prohibited": (87, 3, 0, 0, 0, 1, 91),
        "denied_security_stability": (21, 0, 0, 0, 0, 0, 21),
        "denied_third_party": (135, 7, 0, 0, 0, 2, 144),
        "denied_internal_affairs": (178, 3, 0, 0, 0, 2, 183),
        "denied_process_info": (166, 6, 0, 1, 0, 0, 173),
        "denied_enforcement_file": (43, 1, 0, 1, 0, 2, 47),
        "denied_admin_query": (336, 22, 0, 0, 5, 13, 376),
        "unable_not_held": (7442, 561, 3, 10, 34, 38, 8088),
        "unable_needs_creation": (2025, 140, 2, 8, 3, 13, 2191),
        "unable_unclear": (1184, 90, 2, 0, 1, 27, 1304),
        "rejected_petition": (387, 9, 0, 0, 1, 1, 398),
        "rejected_repeated": (445, 29, 0, 1, 1, 1, 477),
        "rejected_publication": (1, 1, 0, 0, 0, 0, 2),
        "rejected_excessive": (148, 0, 0, 0, 0, 0, 148),
        "rejected_confirmation": (2, 0, 0, 0, 0, 0, 2),
        "other": (2578, 276, 0, 1, 8, 42, 2905),
        "total_processed": (26312, 1700, 12, 38, 149, 195, 28406),
        "carried_forward": (1902, 159, 0, 20, 0, 43, 2124),
    },
    (637, 42, 66, 68, 813, 316, 21, 80, 25, 442, 226, 2, 42, 19, 289),
)

# 沭阳县人民政府 2025 年政府信息公开工作年度报告, as an OCR tool wrote it out (Markdown in a .txt): the
# county name is misread throughout as 沐阳 (the document prints 沐阳县人民政府, so that is its agency
# here); the header of 三 is written out as tables of dashes (申请人情况 (总计) | - | - |) and the
# columns as 数据1…数据6; three rows of （六）其他处理, （七）总计 and 四、结转 sit in a second table under a
# garbled header (本年新收件数 | 上年结转件数 | 予以公开 …). Printed: every cell of 二, 三 and 四; the report's
# date (2026年1月23日) under the agency and at its foot.
SHUYANG_GOV_2025_OCR = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 6,
        ("normative_documents", "repealed"): 1,
        ("normative_documents", "in_force"): 32,
        ("licensing", "decisions"): 517645,
        ("penalty", "decisions"): 693957,
        ("coercion", "decisions"): 2154,
        ("fees", "amount_10k_yuan"): 4068.208,
    },
    {
        "new_received": (705, 3, 0, 0, 5, 0, 713),
        "carried_over": (36, 0, 0, 0, 0, 0, 36),
        "granted": (290, 1, 0, 0, 3, 0, 294),
        "partly_granted": (99, 0, 0, 0, 2, 0, 101),
        "denied_state_secret": Z,
        "denied_law_prohibited": Z,
        "denied_security_stability": (2, 0, 0, 0, 0, 0, 2),
        "denied_third_party": (2, 0, 0, 0, 0, 0, 2),
        "denied_internal_affairs": (13, 0, 0, 0, 0, 0, 13),
        "denied_process_info": (2, 0, 0, 0, 0, 0, 2),
        "denied_enforcement_file": (4, 0, 0, 0, 0, 0, 4),
        "denied_admin_query": (9, 0, 0, 0, 0, 0, 9),
        "unable_not_held": (111, 0, 0, 0, 0, 0, 111),
        "unable_needs_creation": (2, 0, 0, 0, 0, 0, 2),
        "unable_unclear": Z,
        "rejected_petition": (12, 0, 0, 0, 0, 0, 12),
        "rejected_repeated": (6, 1, 0, 0, 0, 0, 7),
        "rejected_publication": Z,
        "rejected_excessive": Z,
        "rejected_confirmation": Z,
        "other_overdue_correction": (9, 0, 0, 0, 0, 0, 9),
        "other_overdue_fee": (7, 0, 0, 0, 0, 0, 7),
        "other_other": (142, 1, 0, 0, 0, 0, 143),
        "total_processed": (710, 3, 0, 0, 5, 0, 718),
        "carried_forward": (31, 0, 0, 0, 0, 0, 31),
    },
    (27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10),
)

# 沭阳县发展和改革局2023年政府信息公开年度报告 (a county department), the agency's page as a crawler
# saved it: its own header first (标题…-沭阳县发改局 / 单位：沭阳县发改局 / 采集时间：2025-12-30T21:37:37),
# then the site's page with 发布机构 沭阳县发展和改革局 and 公开日期 2024-01-17, the signature date
# 2024年1月17日 at the foot. Printed: every cell of 二, 三 and 四; in 三 only 自然人 and 总计 print
# numbers, the five organisation columns are left blank in every row (null).
_B = (None,) * 5
SHUYANG_FGJ_2023 = facts(
    {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 0,
        ("normative_documents", "issued"): 8,
        ("normative_documents", "repealed"): 0,
        ("normative_documents", "in_force"): 18,
        ("licensing", "decisions"): 0,
        ("penalty", "decisions"): 0,
        ("coercion", "decisions"): 0,
        ("fees", "amount_10k_yuan"): 0,
    },
    {
        row: (n, *_B, n)
        for row, n in {
            "new_received": 26,
            "carried_over": 0,
            "granted": 26,
            "partly_granted": 0,
            "denied_state_secret": 0,
            "denied_law_prohibited": 0,
            "denied_security_stability": 0,
            "denied_third_party": 0,
            "denied_internal_affairs": 0,
            "denied_process_info": 0,
            "denied_enforcement_file": 0,
            "denied_admin_query": 0,
            "unable_not_held": 0,
            "unable_needs_creation": 0,
            "unable_unclear": 0,
            "rejected_petition": 0,
            "rejected_repeated": 0,
            "rejected_publication": 0,
            "rejected_excessive": 0,
            "rejected_confirmation": 0,
            "other_overdue_correction": 0,
            "other_overdue_fee": 0,
            "other_other": 0,
            "total_processed": 26,
            "carried_forward": 0,
        }.items()
    },
    (0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
)


REAL_REPORTS = (
    RealReport("pdf/huaian-hongze-gov-2023.pdf", "洪泽区人民政府", 2023, None, "county", "text PDF (WPS)", HONGZE_2023),
    RealReport(
        "pdf/huaian-hongze-gov-2024.pdf", "淮安市洪泽区人民政府", 2024, None, "county", "text PDF (WPS)", HONGZE_2024
    ),
    RealReport(
        "text/pingtan-2021-crawler-dump.txt",
        "平潭综合实验区",
        2021,
        "2022-02-08",
        "prefecture",
        "crawler text dump (cells run together)",
        PINGTAN_2021_DUMP,
    ),
    RealReport(
        "text/pingtan-2019-crawler-dump.txt",
        "平潭综合实验区",
        2019,
        "2020-01-20",
        "prefecture",
        "crawler text dump, 2019 template",
        PINGTAN_2019_DUMP,
    ),
    RealReport(
        "text/pingtan-2022-crawler-dump.txt",
        "平潭综合实验区",
        2022,
        "2023-02-20",
        "prefecture",
        "crawler text dump",
        PINGTAN_2022_DUMP,
    ),
    RealReport(
        "text/pingtan-2024-crawler-dump.txt",
        "平潭综合实验区",
        2024,
        "2025-03-10",
        "prefecture",
        "crawler text dump",
        PINGTAN_2024_DUMP,
    ),
    RealReport(
        "text/pingtan-2023-crawler-dump.txt",
        "平潭综合实验区",
        2023,
        "2024-03-08",
        "prefecture",
        "crawler text dump",
        PINGTAN_2023_DUMP,
    ),
    RealReport(
        "text/pingtan-2025-crawler-dump.txt",
        "平潭综合实验区",
        2025,
        "2026-03-10",
        "prefecture",
        "crawler text dump",
        PINGTAN_2025_DUMP,
    ),
    RealReport(
        "text/pingtan-2020-crawler-dump.txt",
        "平潭综合实验区",
        2020,
        "2021-03-05",
        "prefecture",
        "crawler text dump, 2019 template",
        PINGTAN_2020_DUMP,
    ),
    RealReport(
        "html/shanghai-gov-office-2019.html",
        "上海市人民政府办公厅",
        2019,
        "2020-01-31",
        "province",
        "HTML fragment (article body from the site's script), 2019 template",
        SHANGHAI_GOV_OFFICE_2019,
    ),
    RealReport(
        "pdf/huaian-city-gov-2024.pdf",
        "淮安市人民政府",
        2024,
        None,
        "prefecture",
        "text PDF (WPS)",
        HUAIAN_CITY_2024,
    ),
    RealReport(
        "markdown/shanghai-stcsm-2024-pdf2md.md",
        "上海市科委",
        2024,
        None,
        "department",
        "PDF→Markdown (tables broken, labels apart from their rows)",
        SHANGHAI_STCSM_2024_MD,
    ),
    RealReport(
        "markdown/shanghai-office-2025-pdf2md.md",
        "上海市人民政府办公厅",
        2025,
        None,
        "province",
        "PDF→Markdown (tables broken, labels apart from their rows)",
        SHANGHAI_GOV_OFFICE_2025_MD,
    ),
    RealReport(
        "html/shanghai-city-2020.html",
        "上海市",
        2020,
        "2021-03-30",
        "province",
        "HTML fragment (article body from a kiosk app's script), 2019 template, whole-city report",
        SHANGHAI_CITY_2020,
    ),
    RealReport(
        "text/shuyang-gov-2025-ocr.txt",
        "沐阳县人民政府",
        2025,
        "2026-01-23",
        "county",
        "OCR text (Markdown written by an OCR tool), header of 三 garbled",
        SHUYANG_GOV_2025_OCR,
    ),
    RealReport(
        "html/shuyang-fgj-2023-crawler-page.html",
        "沭阳县发展和改革局",
        2023,
        "2024-01-17",
        "department",
        "HTML page as a crawler saved it (its own header with a capture time, then the site's page)",
        SHUYANG_FGJ_2023,
    ),
    RealReport(
        "text/pingtan-gaj-2024-crawler-dump.txt",
        "平潭综合实验区公安局",
        2024,
        "2025-01-20",
        "department",
        "crawler text dump, department (发布机构 区公安局)",
        PINGTAN_GAJ_2024,
    ),
    RealReport(
        "text/pingtan-gaj-2019-crawler-dump.txt",
        "平潭综合实验区公安局",
        2019,
        "2020-01-17",
        "department",
        "crawler text dump, department, 2019 template",
        PINGTAN_GAJ_2019,
    ),
    RealReport(
        "text/pingtan-czj-2021-crawler-dump.txt",
        "平潭综合实验区财政金融局",
        2021,
        "2022-01-13",
        "department",
        "crawler text dump, department (发布机构 平潭综合实验区人民政府)",
        PINGTAN_CZJ_2021,
    ),
    RealReport(
        "text/pingtan-jjf-2020-crawler-dump.txt",
        "平潭综合实验区经济发展局",
        2020,
        "2021-01-27",
        "department",
        "crawler text dump, department, 2019 template, cells spaced, page header in the text",
        PINGTAN_JJF_2020,
    ),
    RealReport(
        "text/pingtan-zrz-2022-crawler-dump.txt",
        "平潭综合实验区自然资源与生态环境局",
        2022,
        "2023-01-06",
        "department",
        "crawler text dump, department, page header in the text",
        PINGTAN_ZRZ_2022,
    ),
    RealReport(
        "text/pingtan-shs-2023-crawler-dump.txt",
        "平潭综合实验区社会事业局",
        2023,
        "2024-01-26",
        "department",
        "crawler text dump, department",
        PINGTAN_SHS_2023,
    ),
    RealReport(
        "text/pingtan-scj-2025-crawler-dump.txt",
        "平潭综合实验区市场监督管理局",
        2025,
        "2026-01-23",
        "department",
        "crawler text dump, department, prose run on after table cells",
        PINGTAN_SCJ_2025,
    ),
    RealReport(
        "text/pingtan-hzs-2024-crawler-dump.txt",
        "平潭综合实验区行政审批局",
        2024,
        "2025-01-24",
        "department",
        "crawler text dump, department (发布机构 区行政审批局)",
        PINGTAN_HZS_2024,
    ),
    RealReport(
        "text/pingtan-jtj-2019-crawler-dump.txt",
        "平潭综合实验区交通与建设局",
        2019,
        "2020-01-08",
        "department",
        "crawler text dump, department, 2019 template, page header in the text",
        PINGTAN_JTJ_2019,
    ),
)


@dataclass
class Score:
    """How the parser did on one real document, against what it prints."""

    template: str | None
    agency_right: bool
    year_right: bool
    published_right: bool
    right: int = 0
    wrong: list[str] = field(default_factory=list)  # "table/row/column: got X, printed Y"
    missing: list[str] = field(default_factory=list)  # cells the parser left null
    unreported: list[str] = field(default_factory=list)  # missing cells no issue names
    issues: int = 0


def _named(cell: str, named: set[str]) -> bool:
    """An issue names the cell itself, its row or its whole table."""
    table, row, _ = cell.split("/")
    return cell in named or f"{table}/{row}" in named or table in named


def score(report, real: RealReport) -> Score:
    """Compare a parsed :class:`Report` with the document's expected facts and metadata."""
    got = {(f.table, f.row, f.column): f.value for f in report.facts}
    named = {c for i in report.issues for c in i.cells}
    s = Score(
        report.template,
        report.agency == real.agency,
        report.year == real.year,
        report.published == real.published,
        issues=len(report.issues),
    )
    for key, want in real.facts.items():
        cell = "/".join(key)
        value = got.get(key)
        if want is None and key in got:  # a cell printed blank: null is right, any number is invented
            if value is None:
                s.right += 1
            else:
                s.wrong.append(f"{cell}: got {value}, printed blank")
        elif value is None:
            s.missing.append(cell)
            if not _named(cell, named):
                s.unreported.append(cell)
        elif value == want:
            s.right += 1
        else:
            s.wrong.append(f"{cell}: got {value}, printed {want}")
    return s
