"""Imitation agency sites on 127.0.0.1 — one module per site family — for the tests, ``govreports demo``
and the crawl benchmark. Their reports are rendered from ``govreports.parsers.template`` with consistent numbers,
and one of them serves the real Jiaxing report (``data/``)."""
