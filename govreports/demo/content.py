"""Report content for the imitation sites: consistent numbers over years, rendered as agencies do.

Numbers obey the template's own rules (A1–A3, R1) and run on across years (X1: ``carried_over`` of
year N is ``carried_forward`` of N−1; X2 for ``in_force``). Tables are rendered from
``govreports.parsers.template`` (labels are never copied here) in the official layout, with rowspan/colspan.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape

from govreports.parsers import (
    APPLICANT_KEYS,
    ORGANISATION_KEYS,
    TEMPLATE_2019,
    TEMPLATE_2021,
    TEMPLATE_DEFS,
    result_rows,
)

Facts = dict[tuple[str, str, str], int | float]


def template_for(year: int) -> str:
    return TEMPLATE_2021 if year >= 2021 else TEMPLATE_2019


@dataclass
class YearReport:
    """One year's report of an imitation agency: the facts it prints and its metadata."""

    agency: str
    year: int
    template: str
    facts: Facts
    published: str
    title_suffix: str = ""
    revision: int = 0  # bumped when a site "changes" a published report

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告{self.title_suffix}"


@dataclass
class AgencyData:
    name: str
    reports: list[YearReport] = field(default_factory=list)


def make_agency(name: str, years: list[int], seed: int, settle_last: bool = False) -> AgencyData:
    """Reports of ``years`` with numbers that carry over from year to year.

    ``settle_last``: nothing is carried forward out of the last year (a real report follows it).
    """
    rng = random.Random(seed)
    carried = {c: rng.choice((0, 0, 1)) for c in APPLICANT_KEYS[:6]}
    in_force = {"regulations": rng.randint(0, 5), "normative_documents": rng.randint(3, 30)}
    data = AgencyData(name)
    for year in sorted(years):
        template = template_for(year)
        facts: Facts = {}
        rows = result_rows(template)
        per_col: dict[str, dict[str, int]] = {}
        for col in APPLICANT_KEYS[:6]:
            weight = 1.0 if col == "natural_person" else (0.4 if col == "enterprise" else 0.1)
            new = int(rng.expovariate(1 / (12 * weight))) if rng.random() < 0.9 else 0
            handled_pool = new + carried[col]
            forward = rng.choice((0, 0, 0, 1)) if handled_pool else 0
            forward = 0 if settle_last and year == max(years) else min(forward, handled_pool)
            remaining = handled_pool - forward
            results = dict.fromkeys(rows, 0)
            for _ in range(remaining):
                results[
                    rng.choice(
                        (
                            "granted",
                            "granted",
                            "granted",
                            "partly_granted",
                            "unable_not_held",
                            "unable_not_held",
                            "denied_third_party",
                            rows[-1],
                            "rejected_petition",
                        )
                    )
                ] += 1
            per_col[col] = {
                "new_received": new,
                "carried_over": carried[col],
                **results,
                "total_processed": remaining,
                "carried_forward": forward,
            }
            carried[col] = forward
        for row in per_col["natural_person"]:
            total = 0
            for col in APPLICANT_KEYS[:6]:
                facts[("applications", row, col)] = per_col[col][row]
                total += per_col[col][row]
            facts[("applications", row, "total")] = total
        for row in ("review", "litigation_direct", "litigation_after_review"):
            parts = [rng.choice((0, 0, 0, 1, 2)) for _ in range(4)]
            for col, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
                facts[("review_litigation", row, col)] = v
            facts[("review_litigation", row, "total")] = sum(parts)
        _active(facts, template, in_force, rng)
        month, day = rng.randint(1, 1), rng.randint(5, 28)
        data.reports.append(YearReport(name, year, template, facts, f"{year + 1}-{month:02d}-{day:02d}"))
    return data


def settle_in_force(data: AgencyData, target: dict[str, int]) -> None:
    """Shift every year's ``in_force`` so that the last one equals ``target`` (the count a real report
    that follows prints): differences between years, and so rule X2, are unchanged."""
    for row, value in target.items():
        cells = [r.facts for r in data.reports if ("active", row, "in_force") in r.facts]
        if not cells:
            continue
        offset = value - cells[-1][("active", row, "in_force")]
        if any(c[("active", row, "in_force")] + offset < 0 for c in cells):
            # the numbers cannot be shifted without going negative: start the history with the target
            for c in cells:
                c[("active", row, "issued")] = c[("active", row, "repealed")] = 0
                c[("active", row, "in_force")] = value
            continue
        for c in cells:
            c[("active", row, "in_force")] += offset


def _active(facts: Facts, template: str, in_force: dict[str, int], rng: random.Random) -> None:
    for row in TEMPLATE_DEFS[template].table("active").rows:
        for col in row.columns:
            key = ("active", row.key, col.key)
            if col.key == "issued":
                facts[key] = rng.randint(0, 6)
            elif col.key == "repealed":
                facts[key] = rng.randint(0, min(2, in_force[row.key]))
            elif col.key == "in_force":
                in_force[row.key] += facts[("active", row.key, "issued")] - facts[("active", row.key, "repealed")]
                facts[key] = in_force[row.key]
            elif col.key == "amount_10k_yuan":
                facts[key] = 0
            else:
                facts[key] = rng.randint(0, 40)


# --- rendering -------------------------------------------------------------------------------


def _td(text: object, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f'<td{attrs} style="border:1px solid #000">{escape(str(text))}</td>'


def _num(v: int | float | None) -> str:
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def active_table(r: YearReport) -> str:
    """二、主动公开: one block per group of rows sharing columns, under a 第二十条 heading."""
    table = TEMPLATE_DEFS[r.template].table("active")
    items = {
        "regulations": "（一）",
        "normative_documents": "（一）",
        "licensing": "（五）",
        "other_services": "（五）",
        "penalty": "（六）",
        "coercion": "（六）",
        "fees": "（八）",
        "procurement": "（九）",
    }
    out, last = [], None
    for row in table.rows:
        heading = items.get(row.key, "")
        if heading != last:
            out.append(f"<tr>{_td('第二十条第' + heading + '项', 4)}</tr>")
            span = 4 - len(row.columns)
            cells = [_td("信息内容")] + [
                _td(c.label, 1 + (span if i == len(row.columns) - 1 else 0)) for i, c in enumerate(row.columns)
            ]
            out.append("<tr>" + "".join(cells) + "</tr>")
            last = heading
        span = 4 - len(row.columns)
        values = [
            _td(_num(r.facts.get(("active", row.key, c.key))), 1 + (span if i == len(row.columns) - 1 else 0))
            for i, c in enumerate(row.columns)
        ]
        out.append("<tr>" + _td(row.label) + "".join(values) + "</tr>")
    return '<table border="1" cellspacing="0" style="border-collapse:collapse">' + "".join(out) + "</table>"


def applications_table(r: YearReport) -> str:
    """三、申请情况 in the official layout: a three-row header and result groups with rowspans."""
    table = TEMPLATE_DEFS[r.template].table("applications")
    cols = table.rows[0].columns
    org_labels = [c.label.split(" · ")[-1] for c in cols if c.key in ORGANISATION_KEYS]
    head = [
        "<tr>"
        + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
        + _td("申请人情况", 7)
        + "</tr>",
        "<tr>" + _td(cols[0].label, 1, 2) + _td(cols[1].label.split(" · ")[0], 5) + _td(cols[-1].label, 1, 2) + "</tr>",
        "<tr>" + "".join(_td(label) for label in org_labels) + "</tr>",
    ]
    body = []
    rows = list(table.rows)
    results = result_rows(r.template)
    # a result group: a row whose label has "（三）不予公开 1.…" and the "2.…" rows after it
    groups: list[list] = []
    for row in rows:
        if (
            row.key in results
            and " " not in row.label
            and groups
            and groups[-1][0].key in results
            and " " in groups[-1][0].label
            and row.label[:1].isdigit()
        ):
            groups[-1].append(row)
        else:
            groups.append([row])
    n_results = sum(1 for row in rows if row.key in results) + 1  # + （七）总计
    first_result = True
    for group in groups:
        for i, row in enumerate(group):
            nums = "".join(_td(_num(r.facts.get(("applications", row.key, c)))) for c in APPLICANT_KEYS)
            cells = ""
            if row.key in results or row.key == "total_processed":
                if first_result:
                    lead, _, rest = row.label.partition(" ")
                    cells += _td(lead, 1, n_results)
                    label = rest
                    first_result = False
                else:
                    label = row.label
                if len(group) > 1:
                    if i == 0:
                        head_label, _, sub = label.partition(" ")
                        cells += _td(head_label, 1, len(group)) + _td(sub)
                    else:
                        cells += _td(label)
                else:
                    cells += _td(label, 2)
            else:
                cells += _td(row.label, 3)
            body.append("<tr>" + cells + nums + "</tr>")
    return '<table border="1" cellspacing="0" style="border-collapse:collapse">' + "".join(head + body) + "</table>"


def review_table(r: YearReport) -> str:
    """四、复议诉讼: three header rows, then fifteen numbers in one row."""
    table = TEMPLATE_DEFS[r.template].table("review_litigation")
    review, direct, after = table.rows
    outcome = [c.label for c in review.columns]
    head = [
        "<tr>" + _td(review.label, 5, 2) + _td(direct.label.split(" · ")[0], 10) + "</tr>",
        "<tr>" + _td(direct.label.split(" · ")[1], 5) + _td(after.label.split(" · ")[1], 5) + "</tr>",
        "<tr>" + "".join(_td(x) for x in outcome * 3) + "</tr>",
    ]
    nums = "".join(
        _td(_num(r.facts.get(("review_litigation", row.key, c.key)))) for row in table.rows for c in row.columns
    )
    return (
        '<table border="1" cellspacing="0" style="border-collapse:collapse">'
        + "".join(head)
        + "<tr>"
        + nums
        + "</tr></table>"
    )


def report_body(r: YearReport) -> str:
    """The report as an article body: title, the six sections, the three tables, the signature."""
    apps = r.facts
    new_total = apps[("applications", "new_received", "total")]
    granted = apps[("applications", "granted", "total")]
    revised = f"（{r.revision}次修订）" if r.revision else ""
    return f"""
<p style="text-align:center"><strong>{escape(r.title)}</strong></p>
<p>本报告依据《中华人民共和国政府信息公开条例》编制。{revised}</p>
<p><strong>一、总体情况</strong></p>
<p>{r.year}年，{escape(r.agency)}共收到政府信息公开申请{new_total}件，其中予以公开{granted}件。</p>
<p><strong>二、主动公开政府信息情况</strong></p>
{active_table(r)}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
{applications_table(r)}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
{review_table(r)}
<p><strong>五、存在的主要问题及改进情况</strong></p>
<p>一是公开内容还不够全面；二是解读形式较为单一。下一步将加强培训。</p>
<p><strong>六、其他需要报告的事项</strong></p>
<p>本机关{r.year}年未收取信息处理费。</p>
<p style="text-align:right">{escape(r.agency)}</p>
<p style="text-align:right">{r.published[:4]}年{int(r.published[5:7])}月{int(r.published[8:10])}日</p>
"""


def report_word_html(r: YearReport) -> bytes:
    """The report as Word saves it "as web page" and agencies upload as ``.doc``: HTML in GBK."""
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f'<meta name="Generator" content="Microsoft Word 15"></head><body lang="ZH-CN">{report_body(r)}</body></html>'
    ).encode("gb18030")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)
