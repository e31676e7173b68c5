"""Exceptions of the scraper package; the CLI catches them at its edge."""


class FetchError(Exception):
    """A document could not be fetched (after retries); the message says why in one line."""
