"""The one generator of synthetic reports whose numbers obey the template's rules.

:func:`random_report` makes a :class:`govreports.parsers.Report` whose numbers look like real ones
(mostly small counts, many zeros, now and then hundreds or thousands; fees in 万元 with decimals)
and satisfy the template's rules A1/A2/A3/R1 — or break exactly the rules asked for. Given the
state a previous year left (``carried_over``, ``in_force``) it continues an agency's history so
the cross-year rules X1/X2 hold too: :func:`agency_reports` makes such a series,
:func:`synthetic_batch` seeded (report, document) pairs for load tests and benchmarks.
:mod:`.render` prints a report the way agencies publish it.

Never data: every agency here is invented.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date, timedelta

from govreports.db.load_items import DocumentInfo
from govreports.parsers import (
    APPLICANT_KEYS,
    OUTCOME_COLUMNS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATE_DEFS,
    Fact,
    Report,
    result_rows,
)

RULE_IDS = ("A1", "A2", "A3", "R1")
PLACEHOLDER_CHOICES = ("—", "-", "/", "无")

_CITIES = (
    "嘉兴市",
    "杭州市",
    "宁波市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "台州市",
    "丽水市",
    "温州市",
    "舟山市",
    "苏州市",
    "无锡市",
    "常州市",
    "南通市",
    "合肥市",
    "芜湖市",
    "福州市",
    "厦门市",
    "成都市",
)
_COUNTIES = (
    "海盐县",
    "平湖市",
    "桐乡市",
    "嘉善县",
    "海宁市",
    "德清县",
    "长兴县",
    "安吉县",
    "诸暨市",
    "嵊州市",
    "余姚市",
    "慈溪市",
    "象山县",
    "义乌市",
    "永康市",
    "临海市",
    "温岭市",
    "瑞安市",
    "乐清市",
    "江山市",
)
_DEPARTMENTS = (
    "经济和信息化局",
    "生态环境局",
    "财政局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "市场监督管理局",
    "卫生健康委员会",
    "教育局",
    "民政局",
    "人力资源和社会保障局",
    "司法局",
    "农业农村局",
    "商务局",
    "文化广电旅游局",
    "应急管理局",
    "统计局",
    "医疗保障局",
    "审计局",
    "水利局",
)
_OVERVIEW_PARAS = (
    "（一）主动公开情况。围绕中心工作，通过门户网站公开政策文件、工作动态等信息，及时发布政策解读材料。",
    "（二）依申请公开情况。严格按照法定程序和时限办理政府信息公开申请，做到依法受理、按时答复。",
    "（三）政府信息管理情况。严格落实信息发布审核制度，按照“谁公开、谁审查、谁负责”的原则做好保密审查。",
    "（四）平台建设情况。持续优化门户网站栏目设置，完成网站适老化和无障碍改造，提升用户体验。",
    "（五）监督保障情况。将政务公开工作纳入年度目标考核，加强业务培训，落实专人负责信息公开工作。",
)
_PROBLEMS_PARAS = (
    "（一）存在的主要问题。政策解读的形式还不够丰富，公开内容的深度和广度有待进一步提升。",
    "（二）改进措施。进一步完善信息发布审核机制，丰富政策解读形式，提高政务公开工作的规范化水平。",
)
_OTHER_PARAS = (
    "本机关{year}年未收取政府信息公开信息处理费。",
    "本年度无其他需要报告的事项。",
)


# --- reports ----------------------------------------------------------------------------------


def random_agency(rng: random.Random) -> str:
    """A plausible agency name: a city or county government or one of its departments."""
    place = rng.choice(_CITIES if rng.random() < 0.6 else _COUNTIES)
    if rng.random() < 0.15:
        return place + "人民政府"
    return place + rng.choice(_DEPARTMENTS)


def _count(rng: random.Random, zero: float = 0.6, scale: int = 12) -> int:
    """A count as reports print them: mostly 0, else small, now and then hundreds or thousands."""
    r = rng.random()
    if r < zero:
        return 0
    if r < 0.97:
        return rng.randint(1, scale)
    return rng.randint(100, 5000)


def _money(rng: random.Random) -> tuple[int | float, str]:
    """A 万元 amount and its printed form: often 0, else a decimal with up to two places."""
    if rng.random() < 0.5:
        return 0, "0"
    cents = rng.randint(1, 2_000_000) if rng.random() < 0.1 else rng.randint(1, 50_000)
    text = f"{cents / 100:.2f}".rstrip("0").rstrip(".")
    value = float(text)
    return (int(value) if value == int(value) else value), text


def _spread(rng: random.Random, total: int, parts: int, zero: float = 0.55) -> list[int]:
    """Split ``total`` over ``parts`` weighted cells, most of them zero, the first ones likeliest."""
    out = [0] * parts
    if total == 0:
        return out
    weights = [0.0 if rng.random() < zero else rng.random() * (3.0 if i == 0 else 1.0) for i in range(parts)]
    if not any(weights):
        weights[0] = 1.0
    live = [i for i, w in enumerate(weights) if w]
    for _ in range(min(total, 200)):
        out[rng.choices(live, [weights[i] for i in live])[0]] += 1
    if total > 200:  # big numbers: give the rest in proportion, then the remainder to the first
        rest = total - 200
        wsum = sum(weights)
        for i in live:
            out[i] += int(rest * weights[i] / wsum)
        out[live[0]] += total - sum(out)
    return out


def _applications(
    rng: random.Random, template: str, carried_over: Mapping[str, int] | None = None, settle: bool = False
) -> dict[tuple[str, str], int]:
    """The applications table, column by column, so that A1/A2/A3 hold; ``carried_over`` per column
    continues last year's report (X1), ``settle`` carries nothing forward."""
    results = result_rows(template)
    cells: dict[tuple[str, str], int] = {}
    busy = rng.random()
    scale = 6 if busy < 0.5 else 40 if busy < 0.92 else 900
    for i, col in enumerate(APPLICANT_KEYS[:-1]):
        # natural persons file most applications; organisations mostly none
        new = rng.randint(0, scale) if i == 0 else 0 if rng.random() < 0.7 else rng.randint(0, max(1, scale // 8))
        if carried_over is not None:
            over = carried_over[col]
        else:
            over = 0 if rng.random() < 0.7 else rng.randint(0, max(1, (new + 3) // 4))
        forward = 0 if settle or rng.random() < 0.7 else rng.randint(0, new + over)
        processed = new + over - forward
        cells[("new_received", col)] = new
        cells[("carried_over", col)] = over
        cells[("carried_forward", col)] = forward
        cells[("total_processed", col)] = processed
        # 予以公开 and 无法提供/不掌握 take most; the rest are rare
        for row, n in zip(results, _spread(rng, processed, len(results)), strict=True):
            cells[(row, col)] = n
    for row in ("new_received", "carried_over", *results, "total_processed", "carried_forward"):
        cells[(row, "total")] = sum(cells[(row, c)] for c in APPLICANT_KEYS[:-1])
    return cells


def _review(rng: random.Random) -> dict[tuple[str, str], int]:
    cells: dict[tuple[str, str], int] = {}
    parts = [c.key for c in OUTCOME_COLUMNS if c.key != "total"]
    for row in ("review", "litigation_direct", "litigation_after_review"):
        for col in parts:
            cells[(row, col)] = _count(rng, zero=0.75, scale=5)
        cells[(row, "total")] = sum(cells[(row, c)] for c in parts)
    return cells


def _active(
    rng: random.Random, template: str, in_force: Mapping[str, int] | None = None
) -> dict[tuple[str, str], tuple[int | float, str]]:
    """The active-disclosure table; ``in_force`` (2021 template) continues last year's counts (X2)."""
    cells: dict[tuple[str, str], tuple[int | float, str]] = {}

    def put(row: str, col: str, value: int | float, text: str | None = None) -> None:
        cells[(row, col)] = (value, str(value) if text is None else text)

    if template == TEMPLATE_2021:
        for row, scale in (("regulations", 3), ("normative_documents", 20)):
            issued = _count(rng, zero=0.5 if row == "normative_documents" else 0.85, scale=scale)
            repealed = _count(rng, zero=0.7, scale=max(1, scale // 2))
            if in_force is not None:
                repealed = min(repealed, in_force[row] + issued)
            put(row, "issued", issued)
            put(row, "repealed", repealed)
            if in_force is None:
                put(row, "in_force", issued + rng.randint(0, scale * 5))
            else:
                put(row, "in_force", in_force[row] + issued - repealed)
        for row in ("licensing", "penalty", "coercion"):
            put(row, "decisions", _count(rng, zero=0.45, scale=60))
        put("fees", "amount_10k_yuan", *_money(rng))
    else:
        for row, scale in (("regulations", 3), ("normative_documents", 20)):
            made = _count(rng, zero=0.6, scale=scale)
            put(row, "made", made)
            put(row, "published", made)
            put(row, "total_published", made + rng.randint(0, scale * 5))
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            last = _count(rng, zero=0.5, scale=30)
            change = rng.randint(-min(last, 3), 3) if rng.random() < 0.4 else 0
            put(row, "items_last_year", last)
            put(row, "items_change", change, f"+{change}" if change > 0 and rng.random() < 0.5 else str(change))
            if row != "fees":
                put(row, "decisions", _count(rng, zero=0.45, scale=60))
        put("procurement", "projects", _count(rng, zero=0.5, scale=10))
        put("procurement", "amount_10k_yuan", *_money(rng))
    return cells


def _break(
    rng: random.Random,
    template: str,
    apps: dict[tuple[str, str], int],
    review: dict[tuple[str, str], int],
    rules: Collection[str],
) -> None:
    """Change numbers so that exactly the rules in ``rules`` fail (each alone, as the note says).

    A1: add to new_received, total_processed and granted of one applicant column but not to their
        totals (A2 and A3 still hold, in that column and in the total column).
    A2: add to one result row, its total too (A1 holds, A3 does not involve result rows).
    A3: add to carried_forward in one column and its total (A1 holds, A2 does not involve it).
    R1: add to one review/litigation total.
    """
    cols = APPLICANT_KEYS[:-1]
    if "A1" in rules:
        col = rng.choice(cols)
        d = rng.randint(1, 5)
        for row in ("new_received", "total_processed", "granted"):
            apps[(row, col)] += d
    if "A2" in rules:
        row, col = rng.choice(result_rows(template)), rng.choice(cols)
        d = rng.randint(1, 5)
        apps[(row, col)] += d
        apps[(row, "total")] += d
    if "A3" in rules:
        col = rng.choice(cols)
        d = rng.randint(1, 5)
        apps[("carried_forward", col)] += d
        apps[("carried_forward", "total")] += d
    if "R1" in rules:
        row = rng.choice(("review", "litigation_direct", "litigation_after_review"))
        review[(row, "total")] += rng.randint(1, 3)


def _printed(rng: random.Random, value: int) -> str:
    """How a count is printed: plain, and big ones sometimes with thousands separators."""
    if value >= 1000 and rng.random() < 0.3:
        return f"{value:,}"
    return str(value)


def random_report(
    rng: random.Random,
    template: str = TEMPLATE_2021,
    break_rules: bool | Collection[str] = False,
    empty_cells: float = 0.0,
    placeholder: str | None = None,
    *,
    agency: str | None = None,
    year: int | None = None,
    carried_over: Mapping[str, int] | None = None,
    in_force: Mapping[str, int] | None = None,
    settle: bool = False,
) -> Report:
    """A report of ``template`` with every fact of the template, its numbers satisfying A1/A2/A3/R1.

    ``break_rules``: True breaks a random non-empty subset of A1/A2/A3/R1, a collection of rule ids
    breaks those (see :func:`_break`). ``empty_cells`` is the chance that a cell printed ``0`` is left
    empty instead (value None), as many agencies do; ``placeholder`` (``—``, ``/``…) is then printed
    in it instead of nothing. Rules count an empty cell as 0, so they still hold.

    ``agency`` and ``year`` are random unless given. To continue an agency's history (rules X1,
    X2): ``carried_over`` (per applicant column) is last year's ``carried_forward``, ``in_force`` (per
    row, 2021 template) last year's ``in_force``; ``settle`` carries nothing forward to next year.
    Without these the random draws are those of earlier versions: same seed, same report.
    """
    if template not in (TEMPLATE_2021, TEMPLATE_2019):
        raise ValueError(f"no synthetic reports for template {template!r}")
    if break_rules is True:
        rules: Collection[str] = [r for r in RULE_IDS if rng.random() < 0.5] or [rng.choice(RULE_IDS)]
    else:
        rules = break_rules or ()
    unknown = set(rules) - set(RULE_IDS)
    if unknown:
        raise ValueError(f"cannot break rules {sorted(unknown)}")
    if year is None:
        year = rng.randint(2021, 2024) if template == TEMPLATE_2021 else rng.choice((2019, 2020))
    if agency is None:
        agency = random_agency(rng)
    title = f"{agency}{year}年{'度' if rng.random() < 0.8 else ''}政府信息公开工作年度报告"
    published = (date(year + 1, 1, 5) + timedelta(days=rng.randint(0, 80))).isoformat()

    apps = _applications(rng, template, carried_over, settle)
    review = _review(rng)
    active = _active(rng, template, in_force)
    _break(rng, template, apps, review, rules)

    facts: list[Fact] = []
    definition = TEMPLATE_DEFS[template]
    for table in definition.tables.values():
        for row, col in table.cells:
            if table.key == "active":
                value, text = active[(row, col)]
            else:
                value = (apps if table.key == "applications" else review)[(row, col)]
                text = _printed(rng, value)
            if value == 0 and text == "0" and empty_cells and rng.random() < empty_cells:
                facts.append(Fact(table.key, row, col, None, placeholder))
            else:
                facts.append(Fact(table.key, row, col, value, text))
    report = Report(
        source="<synthetic>", template=template, agency=agency, year=year, published=published, title=title, facts=facts
    )
    report.sections = _prose(rng, report)
    return report


def _prose(rng: random.Random, report: Report) -> dict[str, str]:
    """Text of sections 一, 五, 六; the overview states numbers that agree with the tables."""
    year = report.year
    overview = [_OVERVIEW_PARAS[0]]
    new = report.value("applications", "new_received", "total")
    granted = report.value("applications", "granted", "total")
    claim = "（二）依申请公开情况。"
    if new is not None:
        claim += f"{year}年，本机关共收到政府信息公开申请{new}件"
        claim += f"，其中{granted}件予以公开。" if granted is not None else "，均按时答复。"
    else:
        claim += "严格按照法定程序和时限办理政府信息公开申请。"
    overview.append(claim)
    overview.extend(p for p in _OVERVIEW_PARAS[2:] if rng.random() < 0.7)
    review = report.value("review_litigation", "review", "total")
    direct = report.value("review_litigation", "litigation_direct", "total")
    after = report.value("review_litigation", "litigation_after_review", "total")
    if not (review or direct or after):
        overview.append("全年没有产生政府信息公开行政复议、行政诉讼情况。")
    elif review is not None and direct is not None and after is not None:
        overview.append(f"全年发生政府信息公开行政复议案件{review}件、行政诉讼案件{direct + after}件。")
    other = [p.format(year=year) for p in _OTHER_PARAS if rng.random() < 0.7] or [_OTHER_PARAS[1]]
    return {"overview": "\n".join(overview), "problems": "\n".join(_PROBLEMS_PARAS), "other_matters": "\n".join(other)}


# --- histories and batches --------------------------------------------------------------------


def template_for(year: int) -> str:
    """The template a report of ``year`` is printed in: 2021's from the 2021 reports on."""
    return TEMPLATE_2021 if year >= 2021 else TEMPLATE_2019


def agency_reports(name: str, years: Iterable[int], seed: int, settle_last: bool = False) -> list[Report]:
    """One report a year of agency ``name``, oldest first, each continuing the year before (X1, X2).

    ``settle_last``: nothing is carried forward out of the last year (a real report follows it).
    """
    rng = random.Random(seed)
    ordered = sorted(years)
    reports: list[Report] = []
    carried: dict[str, int] | None = None
    in_force: dict[str, int] | None = None
    for year in ordered:
        template = template_for(year)
        report = random_report(
            rng,
            template,
            agency=name,
            year=year,
            carried_over=carried,
            in_force=in_force if template == TEMPLATE_2021 else None,
            settle=settle_last and year == ordered[-1],
        )
        carried = {c: int(report.value("applications", "carried_forward", c) or 0) for c in APPLICANT_KEYS[:-1]}
        if template == TEMPLATE_2021:
            in_force = {
                r: int(report.value("active", r, "in_force") or 0) for r in ("regulations", "normative_documents")
            }
        reports.append(report)
    return reports


def with_values(report: Report, values: Mapping[tuple[str, str, str], int | float | None]) -> Report:
    """A copy of ``report`` with the given facts (table, row, column) set to new values, printed plainly:
    the report as its agency corrected it."""
    unknown = set(values) - {(f.table, f.row, f.column) for f in report.facts}
    if unknown:
        raise KeyError(f"the report has no facts {sorted(unknown)}")
    facts = [
        replace(f, value=v, raw=None if v is None else str(v))
        if (v := values.get((f.table, f.row, f.column), f.value)) != f.value
        else f
        for f in report.facts
    ]
    return replace(report, facts=facts, sections=dict(report.sections), issues=list(report.issues))


def synthetic_report(agency: int, year: int, seed: int = 0, variant: int = 0) -> Report:
    """A ``2021``-template report of agency number ``agency`` (named 合成测试机关 N, so that nobody
    mistakes it for data); ``variant`` changes its numbers, not its (agency, year)."""
    rng = random.Random(hash((agency, year, seed, variant)) & 0xFFFFFFFF)
    report = random_report(rng, TEMPLATE_2021, agency=f"合成测试机关{agency}", year=year)
    report.source = f"synthetic://{agency}/{year}/{seed}/{variant}"
    report.format, report.encoding = "text", "utf-8"
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
    """``n`` (report, document) pairs for loading: agencies × years, deterministic for a seed."""
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
