"""The national template of the annual report: the one source of truth for keys, labels and rules.

Everything that names a table, row or column — the parser, the database, the tests, the
benchmarks — reads it from here. Keys follow ``docs/spec.md``.

``phrases`` are the distinctive fragments the parser looks for in a normalised label (see
``govreports.parsers.text.normalize``): ordinals such as ``（一）``, ``1.`` or ``三、`` become ``#``, brackets
and punctuation are half-width, and all white space is gone. A phrase must identify its row or
column on its own within its table; where a phrase is short and generic (``#其他``) the table
walker prefers the phrase that ends latest in the accumulated label, so the most specific wins.
A phrase starting with ``=`` must be the whole label (``=其他``: a 3.其他 typed without its ordinal,
while 不计其他情形 inside another label does not count).
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATE_2021 = "2021"
TEMPLATE_2019 = "2019"
TEMPLATE_LEGACY = "legacy"
TEMPLATE_MIXED = "mixed"  # table 二 of one template with table 三 of the other; each table keeps its keys
TEMPLATES = (TEMPLATE_2021, TEMPLATE_2019, TEMPLATE_LEGACY)


@dataclass(frozen=True)
class Column:
    """One column of a table: its key, the official label and the phrases that identify it."""

    key: str
    label: str
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """One row of a table with the columns it has (rows of ``active`` differ in their columns)."""

    key: str
    label: str
    phrases: tuple[str, ...]
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Table:
    """A table of the template: key, the section heading that introduces it, and its rows."""

    key: str
    heading: str
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    @property
    def cells(self) -> list[tuple[str, str]]:
        """Every (row, column) pair of the table, in the template's order."""
        return [(r.key, c.key) for r in self.rows for c in r.columns]


@dataclass(frozen=True)
class Section:
    """A numbered section of the report; ``phrases`` identify its heading after the ordinal."""

    key: str
    ordinal: str
    heading: str
    phrases: tuple[str, ...]
    table: str | None = None


@dataclass(frozen=True)
class Template:
    key: str
    tables: dict[str, Table] = field(default_factory=dict)
    markers: tuple[str, ...] = ()  # phrases whose presence identifies this template

    def table(self, key: str) -> Table:
        return self.tables[key]

    @property
    def cells(self) -> list[tuple[str, str, str]]:
        """Every (table, row, column) fact key of the template, in order."""
        return [(t.key, r, c) for t in self.tables.values() for r, c in t.cells]


@dataclass(frozen=True)
class Rule:
    """A consistency rule (勾稽关系) with its id, severity and the spec's wording."""

    id: str
    severity: str
    description: str
    cross_year: bool = False


SECTIONS: tuple[Section, ...] = (
    Section("overview", "一", "一、总体情况", ("总体情况",)),
    Section(
        "active_disclosure", "二", "二、主动公开政府信息情况", ("主动公开政府信息情况", "主动公开政府信息"), "active"
    ),
    Section(
        "applications",
        "三",
        "三、收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "收到和处理政府信息公开"),
        "applications",
    ),
    Section(
        "review_litigation",
        "四",
        "四、政府信息公开行政复议、行政诉讼情况",
        # 行政法复议: a misprint real reports carry (平潭 2022)
        (
            "行政复议,行政诉讼",
            "行政复议、行政诉讼",
            "行政复议和行政诉讼",
            "行政复议与行政诉讼",  # 平潭综合实验区行政审批局 2024
            "行政复议行政诉讼",
            "行政法复议",
        ),
        "review_litigation",
    ),
    Section("problems", "五", "五、存在的主要问题及改进情况", ("存在的主要问题", "主要问题及改进")),
    Section("other_matters", "六", "六、其他需要报告的事项", ("其他需要报告的事项", "其他需要报告")),
)
TEXT_SECTIONS = ("overview", "problems", "other_matters")

# --- table `active` -------------------------------------------------------------------------

_ISSUED = Column("issued", "本年制发件数", ("本年制发件数", "制发件数", "本年制发"))
_REPEALED = Column("repealed", "本年废止件数", ("本年废止件数", "废止件数", "本年废止"))
_IN_FORCE = Column("in_force", "现行有效件数", ("现行有效件数", "现行有效"))
_DECISIONS_2021 = Column("decisions", "本年处理决定数量", ("本年处理决定数量", "处理决定数量"))
_FEE_AMOUNT = Column("amount_10k_yuan", "本年收费金额（单位：万元）", ("本年收费金额", "收费金额"))

_MADE = Column("made", "本年新制作数量", ("本年新制作数量", "新制作数量"))
_PUBLISHED = Column("published", "本年新公开数量", ("本年新公开数量", "新公开数量"))
_TOTAL_PUBLISHED = Column("total_published", "对外公开总数量", ("对外公开总数量",))
_ITEMS_LAST_YEAR = Column("items_last_year", "上一年项目数量", ("上一年项目数量",))
_ITEMS_CHANGE = Column("items_change", "本年增/减", ("本年增/减", "本年增减"))
_DECISIONS_2019 = Column("decisions", "处理决定数量", ("处理决定数量",))
_PROJECTS = Column("projects", "采购项目数量", ("采购项目数量",))
_PROCUREMENT_AMOUNT = Column("amount_10k_yuan", "采购总金额", ("采购总金额",))

_ACTIVE_2021 = Table(
    "active",
    "二、主动公开政府信息情况",
    (
        Row("regulations", "规章", ("规章",), (_ISSUED, _REPEALED, _IN_FORCE)),
        Row(
            "normative_documents",
            "行政规范性文件",
            ("行政规范性文件", "规范性文件"),
            (_ISSUED, _REPEALED, _IN_FORCE),
        ),
        Row("licensing", "行政许可", ("行政许可",), (_DECISIONS_2021,)),
        Row("penalty", "行政处罚", ("行政处罚",), (_DECISIONS_2021,)),
        Row("coercion", "行政强制", ("行政强制",), (_DECISIONS_2021,)),
        Row("fees", "行政事业性收费", ("行政事业性收费",), (_FEE_AMOUNT,)),
    ),
)

_THREE_2019 = (_ITEMS_LAST_YEAR, _ITEMS_CHANGE, _DECISIONS_2019)
_ACTIVE_2019 = Table(
    "active",
    "二、主动公开政府信息情况",
    (
        Row("regulations", "规章", ("规章",), (_MADE, _PUBLISHED, _TOTAL_PUBLISHED)),
        Row(
            "normative_documents",
            "规范性文件",
            ("规范性文件", "行政规范性文件"),
            (_MADE, _PUBLISHED, _TOTAL_PUBLISHED),
        ),
        Row("licensing", "行政许可", ("行政许可",), _THREE_2019),
        Row("other_services", "其他对外管理服务事项", ("其他对外管理服务事项",), _THREE_2019),
        Row("penalty", "行政处罚", ("行政处罚",), _THREE_2019),
        Row("coercion", "行政强制", ("行政强制",), _THREE_2019),
        Row("fees", "行政事业性收费", ("行政事业性收费",), (_ITEMS_LAST_YEAR, _ITEMS_CHANGE)),
        Row("procurement", "政府集中采购", ("政府集中采购",), (_PROJECTS, _PROCUREMENT_AMOUNT)),
    ),
)

# --- table `applications` -------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人", ("自然人",)),
    Column("enterprise", "法人或其他组织 · 商业企业", ("商业企业",)),
    Column("research", "法人或其他组织 · 科研机构", ("科研机构",)),
    Column("public_interest", "法人或其他组织 · 社会公益组织", ("社会公益组织", "公益组织")),
    Column("legal_services", "法人或其他组织 · 法律服务机构", ("法律服务机构",)),
    Column("other_org", "法人或其他组织 · 其他", ("其他",)),
    Column("total", "总计", ("总计", "合计")),
)
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)
ORGANISATION_KEYS = APPLICANT_KEYS[1:6]
# Printed by some agencies after the five organisation columns; checked, never stored as a fact.
SUBTOTAL_COLUMN = Column("subtotal", "法人或其他组织 · 小计", ("小计",))


def _app(key: str, label: str, *phrases: str) -> Row:
    return Row(key, label, phrases, APPLICANT_COLUMNS)


_APP_HEAD = (
    _app("new_received", "一、本年新收政府信息公开申请数量", "本年新收", "新收政府信息公开申请"),
    _app("carried_over", "二、上年结转政府信息公开申请数量", "上年结转"),
    _app("granted", "三、本年度办理结果 （一）予以公开", "予以公开"),
    _app("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
    _app("denied_state_secret", "（三）不予公开 1.属于国家秘密", "国家秘密"),
    _app("denied_law_prohibited", "2.其他法律行政法规禁止公开", "法规禁止公开", "禁止公开"),
    _app("denied_security_stability", "3.危及“三安全一稳定”", "三安全一稳定", "危及"),
    _app("denied_third_party", "4.保护第三方合法权益", "第三方合法权益", "第三方"),
    _app("denied_internal_affairs", "5.属于三类内部事务信息", "内部事务"),
    _app("denied_process_info", "6.属于四类过程性信息", "过程性信息"),
    _app(
        "denied_enforcement_file", "7.属于行政执法案卷", "执法案卷", "执法卷宗", "执法案件"
    ),  # 案件: 平潭市场监管局 2025
    _app("denied_admin_query", "8.属于行政查询事项", "行政查询"),
    _app("unable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息", "不掌握"),
    _app("unable_needs_creation", "2.没有现成信息需要另行制作", "另行制作", "没有现成信息"),
    _app("unable_unclear", "3.补正后申请内容仍不明确", "仍不明确", "补正后申请"),
    _app("rejected_petition", "（五）不予处理 1.信访举报投诉类申请", "信访举报投诉", "信访"),
    _app("rejected_repeated", "2.重复申请", "重复申请"),
    _app("rejected_publication", "3.要求提供公开出版物", "公开出版物"),
    _app("rejected_excessive", "4.无正当理由大量反复申请", "大量反复申请", "大量反复"),
    _app(
        "rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", "重新出具", "确认或重新", "要求行政机关确认"
    ),
)
_APP_TAIL = (
    _app("total_processed", "（七）总计", "#总计", "总计", "合计"),
    _app("carried_forward", "四、结转下年度继续办理", "结转下年度", "结转下年"),
)
_APPLICATIONS_2021 = Table(
    "applications",
    "三、收到和处理政府信息公开申请情况",
    (
        *_APP_HEAD,
        _app(
            "other_overdue_correction",
            "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "逾期不补正",
            "无正当理由逾期",
        ),
        _app(
            "other_overdue_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "收费通知",
            "缴纳费用",
            "逾期未按",
        ),
        _app("other_other", "3.其他", "#其他", "=其他"),
        *_APP_TAIL,
    ),
)
_APPLICATIONS_2019 = Table(
    "applications",
    "三、收到和处理政府信息公开申请情况",
    (*_APP_HEAD, _app("other", "（六）其他处理", "#其他处理", "其他处理"), *_APP_TAIL),
)
RESULT_ROWS_2021 = tuple(r.key for r in _APPLICATIONS_2021.rows[2:-2])
RESULT_ROWS_2019 = tuple(r.key for r in _APPLICATIONS_2019.rows[2:-2])

# --- table `review_litigation` --------------------------------------------------------------

OUTCOME_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持", ("结果维持", "维持")),
    Column("corrected", "结果纠正", ("结果纠正", "纠正")),
    Column("other", "其他结果", ("其他结果",)),
    Column("pending", "尚未审结", ("尚未审结",)),
    Column("total", "总计", ("总计", "合计")),
)
_REVIEW = Table(
    "review_litigation",
    "四、政府信息公开行政复议、行政诉讼情况",
    (
        Row("review", "行政复议", ("行政复议",), OUTCOME_COLUMNS),
        Row("litigation_direct", "行政诉讼 · 未经复议直接起诉", ("未经复议直接起诉", "直接起诉"), OUTCOME_COLUMNS),
        Row("litigation_after_review", "行政诉讼 · 复议后起诉", ("复议后起诉",), OUTCOME_COLUMNS),
    ),
)

TEMPLATE_DEFS: dict[str, Template] = {
    TEMPLATE_2021: Template(
        TEMPLATE_2021,
        {"active": _ACTIVE_2021, "applications": _APPLICATIONS_2021, "review_litigation": _REVIEW},
        ("本年制发件数", "本年废止件数", "现行有效件数", "逾期不补正", "收费通知"),
    ),
    TEMPLATE_2019: Template(
        TEMPLATE_2019,
        {"active": _ACTIVE_2019, "applications": _APPLICATIONS_2019, "review_litigation": _REVIEW},
        ("本年新制作数量", "本年新公开数量", "对外公开总数量", "政府集中采购", "其他对外管理服务事项"),
    ),
}

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("A1", "error", "applications: in every row, total = sum of the six applicant columns"),
        Rule("A2", "error", "applications: in every column, total_processed = sum of the result rows"),
        Rule(
            "A3",
            "error",
            "applications: in every column, new_received + carried_over = total_processed + carried_forward",
        ),
        Rule("R1", "error", "review_litigation: in each row, total = upheld + corrected + other + pending"),
        Rule("X1", "error", "across years: carried_over (N) = carried_forward (N-1), per column", True),
        Rule(
            "X2",
            "warning",
            "across years, table 二 in the 2021 layout: in_force (N) = in_force (N-1) + issued (N) - repealed (N)",
            True,
        ),
    )
}

# Who reports by which deadline (第四十九条 of the 2019 regulation): a government's departments by
# 31 January, the governments themselves by 31 March (see govreports.db.coverage).
AGENCY_KINDS = ("government", "department")

# Words that mark a document as an annual disclosure report at all (for `not_a_report`).
REPORT_TITLE_WORDS = ("政府信息公开", "年度报告")
# Placeholders that mean "nothing printed here" (value null, raw kept).
PLACEHOLDERS = frozenset({"—", "–", "-", "--", "——", "/", "\\", "无", "空", "／", "－", "—-", "/ ", "×"})


def result_rows(template: str) -> tuple[str, ...]:
    """The result rows of the applications table (``granted`` … ``other*``) for a template."""
    return RESULT_ROWS_2021 if template == TEMPLATE_2021 else RESULT_ROWS_2019


def fact_keys(template: str) -> list[tuple[str, str, str]]:
    """Every (table, row, column) a report of ``template`` has; empty for ``legacy``."""
    definition = TEMPLATE_DEFS.get(template)
    return definition.cells if definition else []
