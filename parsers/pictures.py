"""图片版 pages: the tables are pictures; OCR reads them in where they stand in the page.

Runs only when the page's own text has no tables (``tables_not_found``). Which bytes a picture's
``src`` names is the caller's business (:data:`ImageSource`): a local page's folder for ``govreports
parse``, the crawl's fetched files for the nightly job. Icons and badges are skipped by size.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin

from govreports import settings

from .document import Document, Line
from .errors import ParseError

ImageSource = Callable[[str], bytes | None]  # an <img> src as written → its bytes, None if not at hand
MIN_SIDE = 100  # pixels: a table picture (even a one-row table) is larger than this both ways; badges are not


def with_pictures(doc: Document, source: ImageSource) -> tuple[Document, list[str]]:
    """The document with the lines OCR reads from its pictures put where the pictures stand.

    Returns the new document and the srcs that could not be read (missing or not an image).
    Raises :class:`~.ocr.OcrUnavailable` when OCR is off or not installed.
    """
    from .ocr import read_images, require

    require()
    limit = int(settings.get("OCR_MAX_IMAGES"))
    inserts: list[tuple[int, list[Line]]] = []
    missing: list[str] = []
    for index, src in doc.images[:limit]:
        data = source(src)
        if data is None:
            missing.append(src)
            continue
        try:
            if not _large_enough(data):
                continue
            lines = read_images([data])
        except ParseError:
            missing.append(src)
            continue
        for line in lines:
            line.page = None  # a picture in a web page has no page number
        inserts.append((index, lines))
    out: list[Line] = []
    at = 0
    for index, lines in inserts:
        out.extend(doc.lines[at:index])
        out.extend(lines)
        at = index
    out.extend(doc.lines[at:])
    meta = {**doc.meta, "ocr": "1"} if inserts else doc.meta
    return Document(out, doc.format, doc.encoding, meta, issues=list(doc.issues), images=doc.images), missing


def _large_enough(data: bytes) -> bool:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            return min(img.size) >= MIN_SIDE
    except (UnidentifiedImageError, OSError) as exc:
        raise ParseError(f"not an image ({exc})") from exc


def fetched_pictures(base: str, pictures: dict[str, bytes]) -> ImageSource:
    """Pictures fetched by the crawl, by URL, for the page at ``base``: each ``src`` resolved against it."""

    def read(src: str) -> bytes | None:
        return pictures.get(urljoin(base, src).partition("#")[0])

    return read


def local_images(page: Path) -> ImageSource:
    """Pictures beside a saved page: ``src`` relative to its folder (a leading ``/`` too), never outside it."""
    root = page.resolve().parent

    def read(src: str) -> bytes | None:
        if "://" in src:
            return None
        path = (root / src.split("?")[0].split("#")[0].lstrip("/")).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    return read
