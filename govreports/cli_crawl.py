"""`govreports` commands of the crawl side; they register on the group defined in cli.py."""

from .cli import cli  # noqa: F401
