"""Round trip: a random report, rendered as agencies publish it, parses back to the same facts.

Reports come from :mod:`govreports.testing`; their numbers satisfy A1/A2/A3/R1 or break the rules
asked for. Each is rendered as an HTML page (random layout variations, UTF-8 or GBK), as the page
flattened one cell per line, and as ``|``-separated text, then parsed with ``govreports.parsers.parse_bytes``.
Where the form keeps every cell the facts and the rule findings must come back exactly; where
empty cells vanish (flattened text) a number may stay unplaced but must never be misplaced.

The ``ci`` profile (chosen when ``CI`` is set) is derandomized so a CI run is reproducible.
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govreports.parsers import Report, parse_bytes
from govreports.parsers.checks import run_checks
from govreports.parsers.template import TEMPLATE_DEFS
from govreports.testing import RULE_IDS, random_report, random_style, render_flat, render_html, render_pipes

settings.register_profile("dev", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("dev"), derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

seeds = st.integers(min_value=0, max_value=2**32 - 1)
templates = st.sampled_from(["2021", "2019"])
breaks = st.one_of(st.just(()), st.just(()), st.lists(st.sampled_from(RULE_IDS), min_size=1, max_size=4, unique=True))

Key = tuple[str, str, str]


def facts(report: Report) -> dict[Key, object]:
    return {(f.table, f.row, f.column): f.value for f in report.facts}


def findings(issues) -> set[tuple[str, tuple[str, ...]]]:
    """The rule findings as (rule id, cells): what must survive the round trip."""
    return {(i.rule, tuple(i.cells)) for i in issues if i.rule in RULE_IDS}


def expected_findings(report: Report) -> set[tuple[str, tuple[str, ...]]]:
    return findings(run_checks(facts(report), report.template))


def assert_metadata(got: Report, want: Report) -> None:
    assert got.template == want.template
    assert (got.agency, got.year, got.title, got.published) == (want.agency, want.year, want.title, want.published)
    assert got.sections["overview"] == want.sections["overview"]
    assert got.sections["problems"] == want.sections["problems"]
    assert got.sections["other_matters"].startswith(want.sections["other_matters"])


def assert_exact(got: Report, want: Report) -> None:
    """Every fact, its printed text and the rule findings come back; nothing else is reported."""
    assert_metadata(got, want)
    assert [(f.table, f.row, f.column) for f in got.facts] == [(f.table, f.row, f.column) for f in want.facts]
    assert facts(got) == facts(want)
    assert {(f.table, f.row, f.column): f.raw for f in got.facts} == {
        (f.table, f.row, f.column): f.raw for f in want.facts
    }
    assert not any(f.inferred for f in got.facts)
    assert findings(got.issues) == expected_findings(want)
    assert [i for i in got.issues if i.rule not in RULE_IDS] == []


@given(
    seed=seeds,
    template=templates,
    broken=breaks,
    empty=st.sampled_from([0.0, 0.0, 0.4, 1.0]),
    placeholder=st.sampled_from([None, None, "—", "/"]),
)
def test_html_page_round_trip(
    seed: int,
    template: str,
    broken: list[str],
    empty: float,
    placeholder: str | None,
) -> None:
    rng = random.Random(seed)
    want = random_report(rng, template, break_rules=broken, empty_cells=empty, placeholder=placeholder)
    style = random_style(rng)
    got = parse_bytes(render_html(want, style), "synthetic.html")
    assert got.format == "html"
    assert got.encoding == ("gb18030" if style.encoding == "gbk" else "utf-8")
    assert_exact(got, want)
    assert findings(got.issues) >= {(r, c) for r, c in expected_findings(want)}
    assert {i.rule for i in got.issues} >= set(broken)


@given(
    seed=seeds,
    template=templates,
    broken=breaks,
    empty=st.sampled_from([0.0, 0.4, 1.0]),
    placeholder=st.sampled_from([None, None, "—", "无"]),
)
def test_pipes_round_trip(seed: int, template: str, broken: list[str], empty: float, placeholder: str | None) -> None:
    want = random_report(random.Random(seed), template, break_rules=broken, empty_cells=empty, placeholder=placeholder)
    got = parse_bytes(render_pipes(want).encode(), "synthetic.txt", "text/plain; charset=utf-8")
    assert_exact(got, want)


@given(
    seed=seeds,
    template=templates,
    broken=breaks,
    placeholder=st.sampled_from([None, "—", "/"]),
    empty=st.sampled_from([0.0, 0.5]),
)
def test_flat_round_trip_every_cell_printed(
    seed: int, template: str, broken: list[str], placeholder: str | None, empty: float
) -> None:
    """Flattened text whose empty cells print a placeholder (or that has none) loses nothing."""
    want = random_report(
        random.Random(seed),
        template,
        break_rules=broken,
        empty_cells=empty if placeholder else 0.0,
        placeholder=placeholder,
    )
    got = parse_bytes(render_flat(want).encode(), "synthetic.txt", "text/plain")
    assert_exact(got, want)
    assert {i.rule for i in got.issues} == set(broken)


def _rows(template: str) -> dict[tuple[str, str], list[Key]]:
    """The unit the parser places or gives up on: a row, or the whole review table (one printed row)."""
    out: dict[tuple[str, str], list[Key]] = {}
    for table in TEMPLATE_DEFS[template].tables.values():
        for row, col in table.cells:
            unit = (table.key, "all" if table.key == "review_litigation" else row)
            out.setdefault(unit, []).append((table.key, row, col))
    return out


@given(seed=seeds, template=templates, broken=breaks, empty=st.sampled_from([0.1, 0.3, 0.6, 1.0]))
def test_flat_with_vanished_cells_never_guesses_wrong(
    seed: int,
    template: str,
    broken: list[str],
    empty: float,
) -> None:
    """Empty cells vanish when flattened: each row comes back exactly or is reported ambiguous."""
    want = random_report(random.Random(seed), template, break_rules=broken, empty_cells=empty)
    got = parse_bytes(render_flat(want).encode(), "synthetic.txt", "text/plain")
    assert_metadata(got, want)
    original, parsed = facts(want), facts(got)
    assert set(parsed) == set(original)
    wrong = {k: (original[k], v) for k, v in parsed.items() if v is not None and v != original[k]}
    assert wrong == {}, "a number was put in the wrong cell"
    ambiguous = {c for i in got.issues if i.rule == "ambiguous_row" for c in i.cells}
    by_fact = {(f.table, f.row, f.column): f for f in got.facts}
    for (table, row), keys in _rows(template).items():
        if f"{table}/{row}" in ambiguous:
            assert all(parsed[k] is None for k in keys), f"{table}/{row} is ambiguous but kept numbers"
            continue
        assert [parsed[k] for k in keys] == [original[k] for k in keys], f"{table}/{row} came back different"
        if any(by_fact[k].inferred for k in keys):
            assert all(by_fact[k].inferred for k in keys)
    # not_checked: a rule left unjudged because a row of ours is unplaced
    assert {i.rule for i in got.issues} <= {*RULE_IDS, "ambiguous_row", "not_checked"}
    if not ambiguous:
        assert findings(got.issues) == expected_findings(want)


def test_synthetic_reports_keep_or_break_the_rules_as_asked() -> None:
    """The generator itself: clean reports pass every rule; each broken rule fails alone."""
    for seed in range(40):
        for template in ("2021", "2019"):
            clean = random_report(random.Random(seed), template, empty_cells=0.3)
            assert run_checks(facts(clean), template) == []
            assert [(f.table, f.row, f.column) for f in clean.facts] == TEMPLATE_DEFS[template].cells
            for rule in RULE_IDS:
                broken = random_report(random.Random(seed), template, break_rules=[rule])
                assert {i.rule for i in run_checks(facts(broken), template)} == {rule}
