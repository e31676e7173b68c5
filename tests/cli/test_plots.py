"""govreports.plot draws the fixture database's numbers with Chinese labels that are glyphs, not boxes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from govreports import api, plot
from tests.support import JIAXING, MULTIYEAR, REGISTRY
from tests.support.system import cjk_font


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('plots') / 'fixtures.db'}"
    api.load([JIAXING, MULTIYEAR], db=url, agencies=REGISTRY)
    return url


def draw(fig: Figure) -> tuple[np.ndarray, FigureCanvasAgg]:
    """The figure's pixels (grey levels) as rendered by Agg, and the canvas."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].mean(axis=2), canvas


def title_crop(fig: Figure) -> np.ndarray:
    """The pixels of the figure's title (the agency's name in Chinese)."""
    image, canvas = draw(fig)
    box = fig.axes[0].title.get_window_extent(canvas.get_renderer())
    height = image.shape[0]
    return image[int(height - box.y1) : int(height - box.y0), int(box.x0) : int(box.x1)]


def test_trend_draws_the_agencys_numbers(fixture_db) -> None:
    fig = plot.trend("嘉兴市经济和信息化局", db=fixture_db)
    ax = fig.axes[0]
    lines = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    # 2020–2023 reports: 予以公开 1, 3, 4 (the 2022 revision: 其中4件予以公开), 5
    assert lines["本年度办理结果 予以公开"] == [1, 3, 4, 5]
    assert ax.get_title() == "嘉兴市经济和信息化局 政府信息公开申请"
    image, _ = draw(fig)
    assert (image < 200).mean() > 0.01  # not blank: lines, ticks and labels are drawn


def glyph(char: str, font: FontProperties) -> bytes:
    """One character drawn alone, centred on a small canvas: its pixels, as bytes to compare."""
    fig = Figure(figsize=(0.4, 0.4), dpi=100)
    fig.text(0.5, 0.5, char, ha="center", va="center", fontproperties=font)
    image, _ = draw(fig)
    return (image < 128).tobytes()


def test_chinese_labels_are_glyphs_not_boxes(fixture_db) -> None:
    """The title of a drawn figure: every character a glyph of its own. A font without Chinese
    glyphs draws the same missing-glyph box for each one, which this check tells apart."""
    cjk_font()
    fig = plot.trend("嘉兴市经济和信息化局", db=fixture_db)
    title = fig.axes[0].title
    name = "嘉兴市经济和信息化局"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for a box
        draw(fig)
        glyphs = {glyph(c, title.get_fontproperties()) for c in name}
    assert len(glyphs) == len(set(name))  # ten different characters, ten different pictures
    assert (title_crop(fig) < 128).mean() > 0.05  # and the title in the figure has ink

    boxes = FontProperties(family="DejaVu Sans", size=title.get_fontsize())
    with pytest.warns(UserWarning, match="missing from font"):
        tofu = {glyph(c, boxes) for c in name}
    assert len(tofu) == 1  # the check can fail: without the glyphs all ten are the same box


def test_compare_and_coverage(fixture_db) -> None:
    fig = plot.compare(2022, db=fixture_db)
    bars = {
        t.get_text(): p.get_width() for t, p in zip(fig.axes[0].get_yticklabels(), fig.axes[0].patches, strict=True)
    }
    assert bars == {"嘉兴市经济和信息化局": 8, "嘉兴市财政局": 23, "海宁市人民政府": 41, "嘉兴市南湖区人民政府": 64}
    cov = plot.coverage(db=fixture_db)
    ax = cov.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["按时公布", "未知(网站受阻或未抓取)"]
    assert len(ax.get_yticklabels()) == 5
