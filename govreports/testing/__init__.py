"""Helpers for tests and benchmarks, shipped on purpose (as Scrapy ships its bench server): synthetic
reports whose numbers obey the template's rules, printed the way agencies publish them.

- :mod:`.reports` — the one generator: :func:`random_report` (one report, rules kept or broken as
  asked), :func:`agency_reports` (an agency's years, continuing each other), :func:`synthetic_batch`
  (seeded (report, document) pairs to load);
- :mod:`.render` — the one set of renderers: a page (:func:`render_html`), its article
  (:func:`render_article`), a Word "web page" (:func:`render_word_html`), the page flattened
  (:func:`render_flat`) and as ``|`` rows (:func:`render_pipes`);
- :mod:`.damage` — damaged copies of documents.

``govreports demo``, the tests and ``benchmarks/`` use them. Nothing here is data: every agency is
invented, and the same seed always gives the same reports.
"""

from .damage import damage
from .render import (
    Cell,
    HtmlStyle,
    grids,
    random_style,
    render_article,
    render_flat,
    render_html,
    render_pipes,
    render_word_html,
)
from .reports import (
    PLACEHOLDER_CHOICES,
    RULE_IDS,
    agency_reports,
    random_agency,
    random_report,
    synthetic_batch,
    synthetic_report,
    template_for,
    with_values,
)

__all__ = [
    "PLACEHOLDER_CHOICES",
    "RULE_IDS",
    "Cell",
    "HtmlStyle",
    "agency_reports",
    "damage",
    "grids",
    "random_agency",
    "random_report",
    "random_style",
    "render_article",
    "render_flat",
    "render_html",
    "render_pipes",
    "render_word_html",
    "synthetic_batch",
    "synthetic_report",
    "template_for",
    "with_values",
]
