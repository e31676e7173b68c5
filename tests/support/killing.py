"""A loader whose worker process is killed with SIGKILL, as the out-of-memory killer would kill it.

Picklable (the parse workers get it by value) and importable in a spawned worker.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from govreports.pipeline import DBLoader


@dataclass(frozen=True)
class KillingLoader(DBLoader):
    """``once``: the first batch anywhere kills its worker (a marker file says it happened);
    ``poison``: every batch holding the report of (agency, year) kills its worker."""

    once: str = ""  # marker file path
    poison: tuple[str, int] | None = None

    def load_many(self, items):
        if self.once and not Path(self.once).exists():
            Path(self.once).write_text("killed")
            os.kill(os.getpid(), signal.SIGKILL)
        if self.poison and any((i.report.agency, i.report.year) == self.poison for i in items):
            os.kill(os.getpid(), signal.SIGKILL)
        return super().load_many(items)
