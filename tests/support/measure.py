"""Parse one file in this process and print what it cost: ``python -m tests.support.measure PATH [--sandbox]``.

Prints one JSON object: the issues, the seconds the parse took, and the process's peak resident
memory (``ru_maxrss``; with ``--sandbox`` the parse runs in a sandbox worker and the peak is that of
the children). Tests run it in a subprocess so that the peak is this one document's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    path = Path(argv[0])
    data = path.read_bytes()
    start = time.monotonic()
    if "--sandbox" in argv:
        from govreports.parsers.sandbox import Sandbox

        with Sandbox() as sandbox:
            report = sandbox.parse(data, path.name)
        who = resource.RUSAGE_CHILDREN
    else:
        from govreports.parsers import parse_bytes

        report = parse_bytes(data, path.name)
        who = resource.RUSAGE_SELF
    seconds = time.monotonic() - start
    print(
        json.dumps(
            {
                "issues": [[i.rule, i.severity, i.message] for i in report.issues],
                "template": report.template,
                "seconds": seconds,
                "peak_mib": resource.getrusage(who).ru_maxrss / 1024,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
