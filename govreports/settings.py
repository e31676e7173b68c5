"""Every default of govreports, grouped by prefix; each component reads only its own prefix.

The one place for settings: crawler, parser, database, loader. Overrides apply in order: these
defaults < the family's ``FAMILY_SETTINGS`` < ``GOVREPORTS_<NAME>`` environment variables < CLI
flags. A component whose ``*_ENABLED`` flag is false turns itself off. A new setting gets its line
here, with a comment, and its line in ``docs/settings.md``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

DEFAULTS: dict[str, Any] = {
    # CACHE_*: conditional requests (ETag / Last-Modified) against what the last run recorded.
    "CACHE_ENABLED": True,
    "CACHE_OLDER_EVERY_DAYS": 7,  # a loaded report of an older year is revalidated once in this many nights
    "CACHE_RECENT_YEARS": 2,  # reports of the last N years (and of no known year) are revalidated every night
    # CONCURRENCY_*: requests in flight across all hosts at once.
    "CONCURRENCY_AGENCIES": 0,  # agencies walked at the same time; 0: as many as memory holds (below)
    "CONCURRENCY_AGENCIES_MAX": 2000,  # the most agencies in flight when counted from memory
    "CONCURRENCY_AGENCY_MB": 2,  # memory one agency in flight may take (its pages, parsed trees, reports)
    "CONCURRENCY_GLOBAL": 32,
    # CRAWL_*: what the engine walks.
    "CRAWL_DISCOVERY_CANDIDATES": 6,  # column candidates tried from a home page
    "CRAWL_HOSTS_PER_PROCESS": 100,  # with CRAWL_PROCESSES 0: one crawler process per this many hosts
    "CRAWL_MAX_LIST_PAGES": 60,  # pages of one column list, a guard against endless pagination
    "CRAWL_MAX_SUBCOLUMNS": 30,  # year sub-columns followed from one column
    "CRAWL_PROCESSES": 0,  # crawler processes, each crawling whole sites; 0: by hosts, at most the CPU count
    # CSV_*: CSV written by parse, query, compare, failures and export.
    "CSV_ESCAPE": True,  # text cells starting = + - @ tab CR get a leading ' (spreadsheet formula injection)
    # DB*: the database.
    "DB": "sqlite:///govreports.db",  # URL (sqlite:///file.db or postgresql://user@host/db); env GOVREPORTS_DB
    "DB_BATCH_SIZE": 250,  # reports written in one transaction by `load` and the API
    "DB_CONNECT_TIMEOUT": 10.0,  # seconds to open a PostgreSQL connection (libpq rounds up, at least 2)
    "DB_STATEMENT_TIMEOUT": 300.0,  # seconds one PostgreSQL statement may run (0 = no limit)
    # HTTP_*: the client itself.
    "HTTP_ALLOW_PRIVATE": False,  # loopback/private addresses (tests, local mirrors); each port is then a host
    "HTTP_DEADLINE": 180.0,  # seconds one request may take in all, body included (slow-drip servers)
    "HTTP_HOST_TIMEOUTS": 3,  # timeouts in a row after which a host is given up for the run
    "HTTP_MAX_BYTES": 32 * 1024 * 1024,  # size cap per response: what the parser would take (PARSE_MAX_BYTES)
    "HTTP_MAX_REDIRECTS": 5,
    "HTTP_TIMEOUT": 30.0,  # seconds, connect and each read
    "HTTP_USER_AGENT": "govreports/0.1 (+https://github.com/govreports/govreports; research crawler of annual disclosure reports)",
    # LOAD_*: the nightly job hands found reports to its parse/load workers in batches.
    "LOAD_BATCH_LINGER": 0.2,  # seconds a batch waits for more reports before it goes
    "LOAD_BATCH_SIZE": 32,  # reports parsed and loaded in one transaction
    # OCR_*: reading scanned pages and pictures of tables (the `ocr` extra); only where there is no text.
    "OCR_ENABLED": True,  # false: scanned PDFs and 图片版 pages keep their scanned_pdf / tables_not_found issue
    "OCR_MAX_IMAGES": 12,  # pictures of one HTML page read at most (a 图片版 report has 1–6)
    "OCR_MAX_PAGES": 30,  # pages of one scanned PDF read at most; longer ones are refused (bounded time)
    "OCR_MAX_SIDE": 2000,  # pixels: larger pages and pictures are scaled down first (300 dpi costs no more)
    "OCR_MEMORY": 3 * 1024 * 1024 * 1024,  # parse worker's address space while OCR reads a document (onnxruntime)
    "OCR_MIN_CONFIDENCE": 0.9,  # a number read with less, and no template rule to confirm it, is in doubt
    "OCR_RENDER_DPI": 150,  # resolution scanned PDF pages are rendered at for OCR
    "OCR_THREADS": 1,  # onnxruntime threads per process (the nightly job runs workers in parallel)
    "OCR_TIMEOUT": 300.0,  # seconds a document read by OCR may take in its parse worker (PARSE_TIMEOUT for the rest)
    # PARSE_*: the parser; each limit exceeded is one issue on the report (too_large, too_deep, too_slow, …).
    "PARSE_MAX_BYTES": 32 * 1024 * 1024,  # larger documents are refused (too_large); no real report comes near
    "PARSE_MAX_CELLS": 100_000,  # table cells in one document (a report has a few hundred)
    "PARSE_MAX_DEPTH": 1_000,  # element nesting in HTML/XML (real pages nest under 30 deep)
    "PARSE_MAX_INFLATED_BYTES": 128
    * 1024
    * 1024,  # bytes decompressed from a zip (DOCX, XLSX, OFD), .doc or PDF, counted while reading
    "PARSE_MAX_PAGES": 500,  # PDF pages (a report has well under 100)
    "PARSE_MAX_TABLES": 1_000,  # tables in one document (a report has about six)
    "PARSE_MAX_TEXT_OBJECTS": 500_000,  # text-drawing operators in a PDF (a report draws a few thousand)
    "PARSE_MEMORY": 1024 * 1024 * 1024,  # address space of the worker that parses one document (RLIMIT_AS)
    "PARSE_TIMEOUT": 60.0,  # seconds one document may take in its worker before it is given up (too_slow)
    # QUEUE_*: distributed runs (procrastinate on PostgreSQL).
    "QUEUE_HEARTBEAT": 10.0,  # seconds between a worker's heartbeats
    "QUEUE_POLL": 2.0,  # seconds between two looks at a run's progress while waiting for it
    "QUEUE_STALLED_AFTER": 30.0,  # a job whose worker sent no heartbeat for this long is handed back
    # RETRY_*: timeouts, resets, truncated bodies, 5xx and 429 are retried; other 4xx never.
    "RETRY_AFTER_MAX": 120.0,  # longest Retry-After honoured (seconds); longer ones give up
    "RETRY_BACKOFF_BASE": 1.0,  # first wait (seconds), doubled each attempt
    "RETRY_BACKOFF_MAX": 30.0,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 4,  # attempts in all, the first included
    # ROBOTS_*: robots.txt through protego.
    "ROBOTS_ENABLED": True,
    # STORE_*: raw bytes of every fetched document, content-addressed.
    "STORE_DIR": "data/raw",  # a folder (a shared mount for several machines) or an fsspec URL: s3://bucket/prefix
    "STORE_OPTIONS": "",  # JSON options of an fsspec STORE_DIR, e.g. {"endpoint_url": "http://minio:9000"}
    # THROTTLE_*: politeness per host.
    "THROTTLE_DELAY": 1.0,  # seconds between the starts of two requests to one host
    "THROTTLE_ENABLED": True,
    "THROTTLE_PER_HOST": 2,  # requests in flight to one host
}


class Settings:
    """Read-only view over the layered settings; ``prefix()`` gives a component its own part."""

    def __init__(self, *layers: Mapping[str, Any]) -> None:
        values = dict(DEFAULTS)
        for layer in layers:
            for key, value in layer.items():
                if key not in DEFAULTS:
                    raise KeyError(f"unknown setting {key}")
                values[key] = value
        self._values = values

    @classmethod
    def from_env(cls, *layers: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Settings:
        """Defaults < ``layers`` (e.g. a family's) < ``GOVREPORTS_<NAME>`` variables; CLI flags go last."""
        env = os.environ if environ is None else environ
        found: dict[str, Any] = {}
        for key, default in DEFAULTS.items():
            raw = env.get(f"GOVREPORTS_{key}")
            if raw is not None:
                found[key] = _coerce(raw, default)
        return cls(*layers, found)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def replace(self, **overrides: Any) -> Settings:
        """A copy with some settings changed (later layers: CLI flags, tests)."""
        return Settings(self._values, overrides)

    def prefix(self, name: str) -> dict[str, Any]:
        """``{"DELAY": …}`` for ``prefix("THROTTLE")``: what one component may read."""
        p = name.upper() + "_"
        return {k[len(p) :]: v for k, v in self._values.items() if k.startswith(p)}

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def get(key: str, environ: Mapping[str, str] | None = None) -> Any:
    """One setting as the process sees it now: ``GOVREPORTS_<KEY>`` if set, else the default.

    For code outside the crawler (parser, loader) that has no :class:`Settings` handed to it.
    """
    default = DEFAULTS[key]
    raw = (os.environ if environ is None else environ).get(f"GOVREPORTS_{key}")
    return default if raw is None else _coerce(raw, default)


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
