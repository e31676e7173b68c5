"""The wiring between crawler and database: the nightly job and the crawl state kept in SQL.

``scraper`` fetches, ``parsers`` read, ``db`` stores; none of them imports another's neighbour
(``db`` never imports ``scraper``, ``scraper`` never ``db``). What needs both lives here:

- :mod:`.job` — :class:`NightlyJob`, crawl → parse → load → record the run;
- :mod:`.batcher` — gathers found reports into batches for the workers;
- :mod:`.workers` — the parse/load workers (processes beside the crawl, or one thread);
- :mod:`.choose` — which of a report's documents is the report;
- :mod:`.loader` — :class:`DBLoader`, loading into a database from any worker;
- :mod:`.summary` — what a run did, and its table;
- :mod:`.crawl_state` — :class:`SQLState`, the crawler's state in the database's ``crawl_*`` tables;
- :mod:`.distributed`, :mod:`.queue`, :mod:`.sites` — runs spread over workers, one job per site.
"""

from .choose import best_report
from .crawl_state import SQLState
from .job import NightlyJob, ReportFailed
from .loader import DBLoader, Loader, db_loader
from .summary import Summary, print_summary

__all__ = [
    "DBLoader",
    "Loader",
    "NightlyJob",
    "ReportFailed",
    "SQLState",
    "Summary",
    "best_report",
    "db_loader",
    "print_summary",
]
