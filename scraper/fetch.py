"""Fetching a single document by URL, for ``govreports parse URL`` and ``load URL``."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from govreports.settings import DEFAULTS

from .errors import FetchError
from .http.body import Body

USER_AGENT: str = DEFAULTS["HTTP_USER_AGENT"]  # one honest User-Agent for the crawler and single fetches
MAX_BYTES: int = DEFAULTS["HTTP_MAX_BYTES"]


@dataclass(slots=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str | None
    status: int


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code >= 500 or exc.response.status_code == 429
    return isinstance(exc, httpx.TransportError)


@retry(
    retry=retry_if_exception(_retryable),
    stop=stop_after_attempt(3),
    wait=wait_exponential(multiplier=0.5, max=8),
    reraise=True,
)
def _get(client: httpx.Client, url: str) -> httpx.Response:
    with client.stream("GET", url) as response:
        response.raise_for_status()
        body = Body(url, response.headers.get("content-encoding"), MAX_BYTES)
        for chunk in response.iter_raw():
            body.feed(chunk)
        response._content = body.finish()
        return response


def fetch_url(url: str, timeout: float = 30.0) -> Fetched:
    """GET one URL with retries on timeouts, resets, 5xx and 429; raises FetchError on failure."""
    try:
        with httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT}) as client:
            response = _get(client, url)
    except httpx.HTTPStatusError as exc:
        raise FetchError(f"{url}: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
    return Fetched(str(response.url), response.content, response.headers.get("content-type"), response.status_code)
