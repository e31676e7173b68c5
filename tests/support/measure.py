"""Parse one file in this process and print what it cost: ``python -m tests.support.measure PATH [--sandbox]``.

Prints one JSON object: the issues, the seconds the parse took, and the process's peak resident
memory (``VmHWM``; with ``--sandbox`` the parse runs in a sandbox worker and the peak is the
children's ``ru_maxrss``, the worker's own: it is started from this small process). Tests run it in
a subprocess so that the peak is this one document's.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_mib() -> float:
    """This process's peak resident memory in MiB: ``VmHWM``, which starts afresh at exec.

    ``ru_maxrss`` does not: Linux carries the forking process's peak across ``execve``, so a child of
    a large pytest process would report pytest's peak as its own.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: an upper bound


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
                "peak_mib": peak_mib() if who == resource.RUSAGE_SELF else resource.getrusage(who).ru_maxrss / 1024,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
