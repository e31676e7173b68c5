"""Exceptions of the scraper package, few and shared; the CLI catches them at its edge."""

from govreports.errors import GovreportsError


class FetchError(GovreportsError):
    """A document could not be fetched (after retries); the message says why in one line."""


class HTTPStatusError(FetchError):
    """The server answered with an error status that is not retried (or still failed after retries)."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url}: HTTP {status}")
        self.url = url
        self.status = status


class OffSite(FetchError):
    """A URL outside the agency's hosts, on a loopback/private address, or not http(s): never fetched."""


class DeadlineExceeded(FetchError):
    """One request took longer than ``HTTP_DEADLINE`` seconds in all (a slow-drip server); retried."""


class HostGivenUp(FetchError):
    """A host timed out ``HTTP_HOST_TIMEOUTS`` times in a row: nothing more is asked of it this run."""


class RobotsDenied(FetchError):
    """robots.txt disallows the URL for our User-Agent."""


class RobotsUnavailable(FetchError):
    """robots.txt answered 5xx or could not be fetched: nothing of the host is fetched this run (RFC 9309),
    and the reports that were not fetched are failures, retried next run."""


class Blocked(FetchError):
    """An anti-bot wall answered; ``evidence`` says what was seen. The crawler never tries to get past it."""

    def __init__(self, url: str, status: int, evidence: str) -> None:
        super().__init__(f"{url}: blocked (HTTP {status}): {evidence}")
        self.url = url
        self.status = status
        self.evidence = evidence


class RetryableStatus(FetchError):
    """A 5xx or 429 answer, retried with backoff (honouring Retry-After)."""

    def __init__(self, url: str, status: int, retry_after: float | None) -> None:
        super().__init__(f"{url}: HTTP {status}")
        self.url = url
        self.status = status
        self.retry_after = retry_after


class RegistryError(GovreportsError):
    """The agency registry file cannot be read; the message names the file and the entry."""
