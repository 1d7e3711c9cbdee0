"""Run one command; print its wall time, CPU time, exit code and peak memory as JSON on stdout.

The benchmark process grows large (WeasyPrint, rendered documents), and a child
forked from it starts life with the parent's memory high-water mark, so its
``ru_maxrss`` would report the parent's size, and forking a large process also
costs time. This small launcher, standard library only, is what forks instead:
a child's peak memory is then its own (never below the launcher's few MiB),
and the clock runs here, from spawn to reap.

    python _launch.py COMMAND [ARGUMENT ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    # stderr is inherited: the benchmark keeps its tail to explain a failure.
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    result = {
        "seconds": seconds,
        # CPU time of the child and of the descendants it waited for (worker processes):
        # on a shared machine it drifts less with the load than the wall clock does.
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "returncode": child.returncode,
        "maxrss_kib": usage.ru_maxrss,
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
