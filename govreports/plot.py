"""Plots for notebooks: an agency over the years, agencies side by side, who published when.

Each function reads through :mod:`govreports.api` and returns a matplotlib ``Figure`` (drawn on
``ax`` when given), which a notebook displays as a PNG. Labels are the template's Chinese labels (:mod:`govreports.dictionary`); they
need a CJK font, which :func:`use_cjk_font` finds among the installed fonts (Debian:
``fonts-noto-cjk``, installed by ``make system-deps``). Without one a :class:`MissingFontWarning`
says so once, instead of drawing boxes silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from . import api
from .dictionary import label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from sqlalchemy import Engine

# in order of preference; the first installed one is used
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
    "Droid Sans Fallback",
)
TREND_COLUMNS = ("new_received_total", "granted_total", "total_processed_total", "carried_forward_total")
STATUS_COLOURS = {
    "on_time": ("#2e7d32", "按时公布"),
    "late": ("#ef6c00", "逾期公布"),
    "published": ("#81c784", "已公布(时限不明)"),
    "missing": ("#c62828", "未公布"),
    "unknown": ("#bdbdbd", "未知(网站受阻或未抓取)"),
    "not_due": ("#e3f2fd", "未到期"),
    "no_deadline": ("#f5f5f5", "无时限"),
}


class MissingFontWarning(UserWarning):
    """No CJK font is installed: Chinese labels would be drawn as boxes."""


def use_cjk_font() -> str | None:
    """Put the first installed CJK font first in matplotlib's sans-serif list; its family name, or None."""
    import matplotlib
    from matplotlib import font_manager

    family = _installed_cjk_family(font_manager)
    if family is None:  # installed after matplotlib cached its font list: look at the files once
        for path in font_manager.findSystemFonts():
            if any(word in Path(path).name.lower() for word in ("cjk", "wqy", "sourcehan", "droidsansfallback")):
                font_manager.fontManager.addfont(path)
        family = _installed_cjk_family(font_manager)
    if family is None:
        warnings.warn(
            "no CJK font installed: Chinese labels will be boxes (install fonts-noto-cjk: make system-deps)",
            MissingFontWarning,
            stacklevel=3,
        )
        return None
    sans = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
    matplotlib.rcParams["font.sans-serif"] = [family, *sans]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
    return family


def _show_figures_in_notebooks() -> None:
    """In IPython/Jupyter, a Figure returned by these functions displays as a PNG (once: it is not pyplot's)."""
    import sys

    if "IPython" not in sys.modules:
        return
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    shell.display_formatter.formatters["image/png"].for_type(Figure, lambda fig: print_figure(fig, "png"))


_show_figures_in_notebooks()


def _installed_cjk_family(font_manager) -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FAMILIES if f in installed), None)


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Figure, Axes]:
    use_cjk_font()
    if ax is not None:
        return cast("Figure", ax.figure), ax  # a SubFigure only if the caller drew into one
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def trend(
    agency: str,
    columns: Sequence[str] = TREND_COLUMNS,
    db: str | Engine | None = None,
    ax: Axes | None = None,
) -> Figure:
    """One agency's key figures over the years (one line each, the template's labels in the legend)."""
    frame = api.trend(agency, db=db)
    fig, ax = _axes(ax, (8, 4.5))
    for col in columns:
        ax.plot(frame["year"], frame[col], marker="o", label=label(col))
    ax.set_title(f"{frame['agency'].iloc[-1]} 政府信息公开申请")
    ax.set_xlabel("年度")
    ax.set_ylabel("件")
    ax.set_xticks(list(frame["year"]))
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    return fig


def compare(
    year: int,
    column: str = "new_received_total",
    region: str | None = None,
    db: str | Engine | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Agencies (of a region) side by side in one year: one bar each for ``column``."""
    frame = api.compare(year, region=region, db=db).sort_values(column, na_position="first")
    fig, ax = _axes(ax, (8, 0.5 + 0.4 * max(len(frame), 3)))
    ax.barh(frame["agency"], frame[column].fillna(0), color="#1565c0")
    for y, value in enumerate(frame[column]):
        ax.annotate(
            "空" if value != value else f"{value:g}",
            (0 if value != value else value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="small",
        )
    ax.set_title(f"{year}年度 {label(column)}" + (f"({region})" if region else ""))
    ax.set_xlabel(label(column))
    return fig


def coverage(
    year: int | Sequence[int] | None = None,
    region: str | None = None,
    db: str | Engine | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Who published when: agencies × years, each cell coloured by its status (legend in Chinese)."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    frame = api.coverage(year=year, region=region, db=db)
    statuses = list(STATUS_COLOURS)
    matrix = frame.pivot(index="agency", columns="year", values="status")
    codes = matrix.apply(lambda col: col.map(statuses.index))
    fig, ax = _axes(ax, (1.5 + 0.7 * len(matrix.columns), 1 + 0.4 * len(matrix)))
    cmap = ListedColormap([STATUS_COLOURS[s][0] for s in statuses])
    ax.imshow(codes.to_numpy(dtype=float), cmap=cmap, vmin=-0.5, vmax=len(statuses) - 0.5, aspect="auto")
    ax.set_xticks(range(len(matrix.columns)), [str(y) for y in matrix.columns])
    ax.set_yticks(range(len(matrix)), list(matrix.index))
    ax.set_title("政府信息公开工作年度报告公布情况")
    shown = [s for s in statuses if (frame["status"] == s).any()]
    ax.legend(
        handles=[Patch(color=STATUS_COLOURS[s][0], label=STATUS_COLOURS[s][1]) for s in shown],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize="small",
    )
    return fig
