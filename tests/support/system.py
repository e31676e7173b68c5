"""System packages some tests need (a CJK font, chromium): skip saying why, or fail where CI installed them.

``.ci/run`` installs them (``make system-deps``) and sets ``GOVREPORTS_REQUIRE_SYSTEM_DEPS=1``, so in CI a
missing package fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE_ENV = "GOVREPORTS_REQUIRE_SYSTEM_DEPS"


def missing(what: str, package: str) -> None:
    """Skip (locally) or fail (in CI) because ``what`` is not installed."""
    message = f"{what} is not installed: `make system-deps` installs {package}"
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{message} ({REQUIRE_ENV} is set)")
    pytest.skip(message)


def chromium() -> str:
    """The chromium binary, or skip/fail."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    missing("chromium", "chromium")
    raise AssertionError("unreachable")


def cjk_font() -> str:
    """The CJK font family the plots use, or skip/fail."""
    import warnings

    from govreports import plot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", plot.MissingFontWarning)
        family = plot.use_cjk_font()
    if family is None:
        missing("a CJK font", "fonts-noto-cjk")
    return family
