"""Scanned pages and pictures of tables → lines of cells, through OCR (the ``ocr`` extra).

Only documents without text run through here: a PDF whose pages have no text layer, and the
pictures of a 图片版 page whose tables are not in its text. The recogniser is rapidocr
(PaddleOCR's PP-OCRv4 Chinese models on onnxruntime); its wheel ships the models, so nothing is
downloaded at run time. The angle classifier is off: it turns lone digits upside down (a ``6``
comes back ``9`` with high confidence), and report pages are upright.

The recogniser gives text boxes. We straighten them (a scan is a degree or two off), group them
into visual lines by their vertical centres, order each line's boxes left to right, and hand the
pages to the same assembly as a PDF's text layer (:func:`.pdf.lines_of_pages`): page furniture,
wrapped paragraphs and the title are handled once, and the table readers see the same flat lines.
Every value cell keeps the confidence of the box it was read from.
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from govreports import settings

from .document import Document, Line
from .errors import ParseError, ScannedPDF
from .pdf import TextLine, full_lines, lines_of_pages
from .text import parse_value

if TYPE_CHECKING:
    import numpy as np

INSTALL_HINT = "pip install 'govreports[ocr]'"
OVERLAP = 0.3  # share of the narrower box's width two boxes of one column overlap by at least
LOOK_BACK = 4  # lines a word may join above the newest (a tall cell's label lines interleave)
ROW_TOLERANCE = 0.45  # boxes whose centres are within this many box heights share a visual line
MIN_SKEW_RATIO = 3.0  # only boxes this many times wider than tall tell the page's skew
MAX_SKEW_DEGREES = 5.0  # a larger angle is a rotated page, not a crooked scan: left as it is
BOX_THRESHOLD = 0.3  # detector: thin glyphs (a lone "1") score low as boxes; the default 0.5 loses them
TEXT_SCORE = 0.3  # boxes the recogniser is less sure of are dropped (kept down to here, then judged)
# Letters the recogniser reads for digits in a lone number box (a noisy "0" comes back "o"). Such a
# box is read as the number, at no more than CONFUSED_SCORE: only the template's rules can accept it.
_CONFUSABLE = str.maketrans({"o": "0", "O": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"})
# A lone number box as the recogniser may give it: confusable letters for digits, and a speck of the
# cell read as a point or a dash before or after it ("4.", "o:", "0-", ".3").
_NUMBER_LIKE = re.compile(r"^[.,'`]?([0-9oODlI|SB](?:[0-9oODlI|SB,.]*[0-9oODlI|SB])?)[.,，。'`:：\-—_~]?$")
CONFUSED_SCORE = 0.5
_PAGE_NUMBER = re.compile(r"^[-—–－_~]*\d{1,3}[-—–－_~]*$")
PAGE_NUMBER_CENTRE = 0.06  # share of the page width a page number's centre is off the page's centre at most
MIN_ROW_NUMBERS = 3  # a table row of numbers, for the second look at missed cells
SAME_CELL = 0.6  # share of the smaller box's area two number boxes share when they are one number read twice
NEAR_ROWS = 3  # fuller rows above and below a row of numbers looked at for its table's columns
COLUMN_SLACK = 0.3  # share of the distance between columns a number's centre may be off its column's
INK = 128  # grey level under which a pixel is ink
MIN_INK = 0.02  # share of ink pixels in a cell's middle that is more than scanner noise


class OcrUnavailable(ParseError):
    """OCR is needed but switched off or not installed."""


# Called as OCR begins on a document (see :func:`require`): the parse sandbox's worker registers one
# that widens its limits to OCR_MEMORY and OCR_TIMEOUT, which OCR needs and plain parsing does not.
ON_START: list[Callable[[], None]] = []


@dataclass(slots=True)
class Word:
    """One recognised text box, straightened: its text, confidence and bounding box in pixels."""

    text: str
    score: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def available() -> bool:
    """True when the ``ocr`` extra is installed (rapidocr and its models)."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """Raise :class:`OcrUnavailable` unless OCR is switched on and installed; else OCR begins (:data:`ON_START`)."""
    if not settings.get("OCR_ENABLED"):
        raise OcrUnavailable("OCR is switched off (GOVREPORTS_OCR_ENABLED)")
    if not available():
        raise OcrUnavailable(f"OCR is not installed ({INSTALL_HINT})")
    for hook in ON_START:
        hook()


@lru_cache(maxsize=1)
def _engine(threads: int) -> Any:
    """The one recogniser of the process (loading its models takes 0.2 s), its memory arena on.

    rapidocr turns onnxruntime's CPU memory arena off. Without it every run allocates its buffers
    afresh, and every new input shape (each page's boxes batch to new widths) costs a first run
    about twice as dear as the next: the arena cuts OCR's CPU time per page by about 40 %. It keeps
    what it allocated until the process ends; OCR runs in a sandbox worker that is replaced after
    the document (``parsers/sandbox.py``).
    """
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.utils import infer_engine

    plain = getattr(infer_engine.OrtInferSession, "_init_sess_opts", None)
    if plain is None:  # another rapidocr than the one this was written for: its own options, arena off
        return _recogniser(RapidOCR, threads)

    def with_arena(config: dict[str, Any]) -> Any:
        options = plain(config)
        options.enable_cpu_mem_arena = True
        return options

    infer_engine.OrtInferSession._init_sess_opts = staticmethod(with_arena)
    try:
        return _recogniser(RapidOCR, threads)
    finally:
        infer_engine.OrtInferSession._init_sess_opts = staticmethod(plain)


def _recogniser(make: Any, threads: int) -> Any:
    return make(
        use_cls=False,
        intra_op_num_threads=threads,
        inter_op_num_threads=1,
        rec_img_shape=[3, 48, 48],  # pad short boxes (a lone digit) to 48 px, not the default 320
        rec_batch_num=1,  # one box a run: a batch pads every box to its widest (2x the CPU at 16)
    )


def recognise(image: np.ndarray) -> list[Word]:
    """The text boxes of one page image (grey or BGR), straightened, in no particular order."""
    engine = _engine(int(settings.get("OCR_THREADS")))
    result, _ = engine(image, text_score=TEXT_SCORE, box_thresh=BOX_THRESHOLD)
    boxes = [(box, str(text).strip(), float(score)) for box, text, score in result or () if str(text).strip()]
    angle = _skew([box for box, _, _ in boxes])
    cos, sin = math.cos(-angle), math.sin(-angle)
    words: list[Word] = []
    for box, text, score in boxes:
        text, score = _as_digits(text, score)
        xs = [x * cos - y * sin for x, y in box]
        ys = [x * sin + y * cos for x, y in box]
        words.append(Word(text, score, min(xs), min(ys), max(xs), max(ys)))
    words = _without_doubles(words)
    return words + _second_look(image, words, angle, engine)


def _second_look(image: np.ndarray, words: list[Word], angle: float, engine: Any) -> list[Word]:
    """Numbers the detector missed in a table row: read where the rows around have a number.

    The text detector loses lone thin glyphs (a ``1`` in its cell). In a row of numbers, a column
    where the neighbouring rows have a number and this row has none is either blank or missed: the
    cell's middle is cut out and, if it holds ink, given to the recogniser alone.
    """
    import cv2

    rows = [[w for w in row if _is_number(w.text)] for row in _rows(words)]
    height = statistics.median(w.height for w in words) if words else 0.0
    numeric = [(i, row) for i, row in enumerate(rows) if len(row) >= MIN_ROW_NUMBERS]
    grey = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    cos, sin = math.cos(angle), math.sin(angle)
    crops: list[tuple[np.ndarray, float, float, float]] = []
    for k, (_, row) in enumerate(numeric):
        near = [r for _, r in numeric[max(0, k - 2) : k + 3] if r is not row]
        middle = statistics.fmean(w.middle for w in row)
        for x, spacing in _columns([w for r in near for w in r]):
            if any(abs((w.left + w.right) / 2 - x) < spacing / 2 for w in row):
                continue
            half_w, half_h = 0.35 * spacing, 0.45 * height
            cx, cy = x * cos - middle * sin, x * sin + middle * cos  # back to the picture's own frame
            x0, x1 = round(cx - half_w), round(cx + half_w)
            y0, y1 = round(cy - half_h), round(cy + half_h)
            if x0 < 0 or y0 < 0 or x1 > grey.shape[1] or y1 > grey.shape[0]:
                continue
            crop = grey[y0:y1, x0:x1]
            if (crop < INK).mean() < MIN_INK:  # a blank cell
                continue
            crops.append((crop, x, middle, spacing))
    if not crops:
        return []
    found, _ = engine.text_rec([cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c, _, _, _ in crops])
    out = []
    for (_, x, middle, spacing), (text, score) in zip(crops, found, strict=True):
        text, score = _as_digits(str(text).strip(), float(score))
        if _is_number(text) and score >= TEXT_SCORE:
            half = 0.15 * spacing
            out.append(Word(text, score, x - half, middle - height / 2, x + half, middle + height / 2))
    return out


def _is_number(text: str) -> bool:
    return _number(text) is not None


def _number(text: str) -> Any:
    value = parse_value(text)
    return None if value is None else value.number


def _columns(words: list[Word]) -> list[tuple[float, float]]:
    """Column centres of numbers in neighbouring rows (centres within a box height are one column),
    each with the distance to its nearest neighbour column."""
    if not words:
        return []
    height = statistics.median(w.height for w in words)
    centres = sorted((w.left + w.right) / 2 for w in words)
    groups: list[list[float]] = [[centres[0]]]
    for c in centres[1:]:
        if c - groups[-1][-1] <= height:
            groups[-1].append(c)
        else:
            groups.append([c])
    xs = [statistics.fmean(g) for g in groups]
    if len(xs) < 2:
        return []
    return [(x, min(abs(x - o) for j, o in enumerate(xs) if j != i)) for i, x in enumerate(xs)]


def _as_digits(text: str, score: float) -> tuple[str, float]:
    """A box of digits with a letter the recogniser confused for one, or a stray point: the digits, in doubt."""
    m = _NUMBER_LIKE.match(text)
    if m is None or not (any(c.isdigit() for c in m.group(1)) or m.group(1) in ("o", "O")):
        return text, score
    digits = m.group(1).translate(_CONFUSABLE)
    if digits != text:
        return digits, min(score, CONFUSED_SCORE)
    return text, score


def _same_cell(a: Word, b: Word) -> bool:
    """True when two boxes cover most of the smaller one's area: one printed number read twice."""
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return False
    smaller = min((a.right - a.left) * a.height, (b.right - b.left) * b.height)
    return width * height > SAME_CELL * smaller


def _without_doubles(words: list[Word]) -> list[Word]:
    """The words less second readings of one number: the detector sometimes boxes a cell twice (a
    ``0`` and an ``o.`` over it). The surer reading stays; if the two disagree, it is in doubt.

    Left in, the double cannot share the visual line of its twin (two words of a line never stand
    one above the other) and drags its neighbours onto a line of their own, splitting the row.
    """
    numbers = sorted((w for w in words if _is_number(w.text)), key=lambda w: -w.score)
    dropped: set[int] = set()
    for i, a in enumerate(numbers):
        if id(a) in dropped:
            continue
        for b in numbers[i + 1 :]:
            if id(b) not in dropped and _same_cell(a, b):
                dropped.add(id(b))
                if _number(a.text) != _number(b.text):
                    a.score = min(a.score, CONFUSED_SCORE)
    return [w for w in words if id(w) not in dropped]


def _overlaps(word: Word, row: list[Word]) -> bool:
    """True when the word stands above or below a word of the row: they share most of the narrower one's width.

    Neighbouring boxes of one line touch or overlap by a few pixels (``规`` ``章`` letter-spaced).
    """
    return any(
        min(word.right, w.right) - max(word.left, w.left) > OVERLAP * min(word.right - word.left, w.right - w.left)
        for w in row
    )


def _skew(boxes: Sequence[Sequence[Sequence[float]]]) -> float:
    """The page's skew in radians: the median slope of the top edges of long boxes."""
    angles = []
    for (x0, y0), (x1, y1), _, (_, y3) in (b[:4] for b in boxes):
        width, height = x1 - x0, abs(y3 - y0)
        if width > MIN_SKEW_RATIO * max(height, 1.0):
            angles.append(math.atan2(y1 - y0, width))
    if not angles:
        return 0.0
    angle = statistics.median(angles)
    return angle if abs(angle) <= math.radians(MAX_SKEW_DEGREES) else 0.0


def page_lines(image: np.ndarray) -> list[TextLine]:
    """The visual lines OCR reads on one page image, its page number dropped."""
    return visual_lines(recognise(image), width=image.shape[1])


def visual_lines(words: Iterable[Word], width: float | None = None) -> list[TextLine]:
    """Words → the page's visual lines, top to bottom, each left to right.

    A word joins the nearest line whose centre is within ROW_TOLERANCE of a box height of its own
    and that has no word above or below it (two words of one line never share columns): a label
    wrapped in its cell stays on lines of its own, as a PDF's text layer gives it.
    """
    rows = _rows(words)
    if not rows:
        return []
    height = statistics.median(w.height for row in rows for w in row)
    if width is not None:
        rows = _without_page_number(rows, width, height)
    full = full_lines([r[0].left for r in rows], [r[-1].right for r in rows], [height] * len(rows))
    texts = _row_texts(rows)
    return [TextLine(text, f, [(w.text, w.score) for w in row]) for row, text, f in zip(rows, texts, full, strict=True)]


def _row_texts(rows: list[list[Word]]) -> list[str]:
    """Each visual line's text: its words joined by spaces, or by tabs into its table's columns.

    A flat line loses the places of blank cells (``1 1`` under seven columns could be any two), as a
    PDF's text layer does. OCR still has the boxes' places: a row of numbers whose table's columns
    are known (:func:`_table_columns`) and whose numbers each stand under one of them is written as
    its cells with tabs between them, blank cells empty, and read as a grid row. A full row stays
    flat text. A weak "number" outside the table's columns, left of the first or right of the last
    (a ruling line read as ``1``), is not a cell of the row and goes.
    """
    numbers = [[w for w in row if _is_number(w.text)] for row in rows]
    texts = [" ".join(w.text for w in row) for row in rows]
    for i, (row, nums) in enumerate(zip(rows, numbers, strict=True)):
        columns = _table_columns(i, numbers) if nums else None
        if columns is None:
            continue
        spacing = min(y - x for x, y in pairwise(columns))
        outside = [
            w
            for w in nums
            if w.score < CONFUSED_SCORE
            and not columns[0] - COLUMN_SLACK * spacing
            <= (w.left + w.right) / 2
            <= columns[-1] + COLUMN_SLACK * spacing
        ]
        row = [w for w in row if w not in outside]
        nums = [w for w in nums if w not in outside]
        if len(nums) == len(columns):
            texts[i] = " ".join(w.text for w in row)
        elif nums and (cells := _grid_cells(row, nums, columns)) is not None:
            texts[i] = "\t".join(cells)
    return texts


def _table_columns(i: int, numbers: list[list[Word]]) -> list[float] | None:
    """The column centres of row ``i``'s table, or None: two rows of numbers with at least as many
    numbers as row ``i``, within NEAR_ROWS such rows of it, in the same columns — one above and one
    below it, or else, for a row of MIN_ROW_NUMBERS numbers or more, the two nearest above it (a
    table's last row). A short row needs both: below the rows of one table may start another."""
    count = sum(w.score >= CONFUSED_SCORE for w in numbers[i])  # a weak extra may be a ruling line
    fuller = [j for j, nums in enumerate(numbers) if j != i and len(nums) >= max(count, MIN_ROW_NUMBERS)]
    above = [j for j in reversed(fuller) if j < i][:NEAR_ROWS]
    below = [j for j in fuller if j > i][:NEAR_ROWS]
    pairs = [(a, b) for a in above for b in below]
    if count >= MIN_ROW_NUMBERS:  # a row of numbers itself: the rows above it are its table
        pairs += [(above[0], above[1])] if len(above) > 1 else []
    return next((c for a, b in pairs if (c := _shared_columns(numbers[a], numbers[b]))), None)


def _shared_columns(a: list[Word], b: list[Word]) -> list[float] | None:
    """The column centres of two full rows of one table: the same count of numbers, each pair aligned."""
    if len(a) != len(b):
        return None
    ca = [(w.left + w.right) / 2 for w in a]
    cb = [(w.left + w.right) / 2 for w in b]
    spacing = min(y - x for x, y in pairwise(ca))
    if any(abs(x - y) > COLUMN_SLACK * spacing for x, y in zip(ca, cb, strict=True)):
        return None
    return [(x + y) / 2 for x, y in zip(ca, cb, strict=True)]


def _grid_cells(row: list[Word], nums: list[Word], columns: list[float]) -> list[str] | None:
    """The row's labels, then one cell per column (empty where nothing is printed); None when a
    number stands under no column, two under one, or a label stands among the numbers."""
    first = row.index(nums[0])
    if any(not _is_number(w.text) for w in row[first:]):
        return None
    spacing = min(y - x for x, y in pairwise(columns))
    cells = [""] * len(columns)
    for w in nums:
        centre = (w.left + w.right) / 2
        k = min(range(len(columns)), key=lambda c: abs(columns[c] - centre))
        if abs(columns[k] - centre) > COLUMN_SLACK * spacing or cells[k]:
            return None
        cells[k] = w.text
    return [w.text for w in row[:first]] + cells


def _without_page_number(rows: list[list[Word]], width: float, height: float) -> list[list[Word]]:
    """The rows less a page number: a lone short number (``— 2 —``, ``2``) as the first or last line,
    centred on the page and set apart from the text by more than two lines' height.

    Its dashes are often lost to OCR, and a lone ``2`` at the foot would join the last table row's numbers.
    """
    out = list(rows)
    for index, neighbour in ((-1, -2), (0, 1)):
        if len(out) < 2:
            break
        row = out[index]
        text = "".join(w.text for w in row)
        centre = (row[0].left + row[-1].right) / 2
        gap = abs(statistics.fmean(w.middle for w in row) - statistics.fmean(w.middle for w in out[neighbour]))
        if _PAGE_NUMBER.match(text) and abs(centre - width / 2) < PAGE_NUMBER_CENTRE * width and gap > 2 * height:
            del out[index]
    return out


def _rows(words: Iterable[Word]) -> list[list[Word]]:
    """The words grouped into visual lines (see :func:`visual_lines`), top to bottom, left to right."""
    ordered = sorted(words, key=lambda w: w.middle)
    if not ordered:
        return []
    height = statistics.median(w.height for w in ordered)
    rows: list[list[Word]] = []
    centres: list[float] = []
    for word in ordered:
        best = None
        for i in range(len(rows) - 1, max(-1, len(rows) - LOOK_BACK), -1):
            gap = abs(word.middle - centres[i])
            if gap <= ROW_TOLERANCE * height and not _overlaps(word, rows[i]) and (best is None or gap < best[0]):
                best = (gap, i)
        if best is None:
            rows.append([word])
            centres.append(word.middle)
        else:
            row = rows[best[1]]
            row.append(word)
            centres[best[1]] = statistics.fmean(w.middle for w in row)
    return [sorted(row, key=lambda w: w.left) for row in rows]


# --- images ----------------------------------------------------------------------------------


def decode_image(data: bytes) -> np.ndarray:
    """An image file (PNG, JPEG, GIF, BMP, TIFF) → a grey array, scaled down to OCR_MAX_SIDE."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.draft("L", (int(settings.get("OCR_MAX_SIDE")),) * 2)  # JPEG: decode at a reduced size
            grey = _fit(img.convert("L"))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as exc:
        raise ParseError(f"image cannot be read ({exc})") from exc
    return np.asarray(grey)


def _fit(img: Any) -> Any:
    side = int(settings.get("OCR_MAX_SIDE"))
    if max(img.size) > side:
        img.thumbnail((side, side))
    return img


def read_images(images: Sequence[bytes]) -> list[Line]:
    """The lines of several pictures (the tables of a 图片版 page), one picture after another.

    Each picture is a page of its own: a running header or page number photographed with a table
    goes as a PDF's would.
    """
    require()
    pages = [page_lines(decode_image(data)) for data in images]
    return lines_of_pages([p for p in pages if p])


# --- scanned PDFs ----------------------------------------------------------------------------


def read_scanned_pdf(data: bytes) -> Document:
    """A PDF without a text layer → a Document, every page rendered and read by OCR."""
    require()
    import numpy as np
    import pypdfium2 as pdfium

    limit = int(settings.get("OCR_MAX_PAGES"))
    scale = float(settings.get("OCR_RENDER_DPI")) / 72
    pages: list[list[TextLine]] = []
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF cannot be opened ({exc})") from exc
    try:
        if len(pdf) > limit:
            raise ScannedPDF(f"scanned PDF has {len(pdf)} pages, over the OCR limit of {limit} (OCR_MAX_PAGES)")
        for page in pdf:
            try:
                bitmap = page.render(scale=scale, grayscale=True)
                image = _fit(bitmap.to_pil().convert("L"))
            finally:
                page.close()
            pages.append(page_lines(np.asarray(image)))
    except pdfium.PdfiumError as exc:
        raise ParseError(f"PDF page cannot be rendered ({exc})") from exc
    finally:
        pdf.close()
    lines = lines_of_pages(pages)
    if not lines:
        raise ScannedPDF("scanned PDF: OCR found no text on its pages")
    return Document(lines, "pdf", meta={"ocr": "1"})
