"""`govreports` commands of the db side; they register on the group defined in cli.py."""

from .cli import cli  # noqa: F401
