"""Rendering on a Dask distributed cluster (``--scheduler tcp://HOST:PORT``): an
``Executor`` of the same shape as ``briefing.pool``'s, so the pipeline, its files, its
manifest and its messages are those of ``--jobs 1``.

Only the rendering goes to the cluster: this process (the client) still writes every
file atomically and keeps the manifest. Results come back in input order, with a bounded
number of tasks in flight (``pool.PER_WORKER`` per worker thread), so the client's memory
stays flat whatever the library's size. A worker lost mid-run is Dask's to reschedule; a
task that raises on a worker, or whose workers keep dying (Dask's ``KilledWorker``),
becomes a ``Failed`` like a dead local worker's task.

``distributed`` is imported here only, and this module only when ``--scheduler`` is used.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from briefing import pool
from briefing.containment import describe
from briefing.exits import EXIT_FAILED, CommandError

if TYPE_CHECKING:
    from distributed import Client, Future

A = TypeVar("A")
R = TypeVar("R")

INSTALL_HINT = "pip install 'episode-briefing[dask]'"


@contextmanager
def connected(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address`` with at least one worker, closed after;
    CommandError (exit 1, one line) before any work when there is none. How long to try
    the scheduler, then to wait for a worker, is Dask's connect timeout (30 s unless
    ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT`` or Dask's configuration says)."""
    try:
        import dask.config
        import dask.utils
        import distributed
    except ImportError:
        raise CommandError(f"--scheduler needs Dask: {INSTALL_HINT}", EXIT_FAILED) from None
    # Dask logs what it recovers from (a lost worker's keys rescheduled, a connection a
    # dying worker closed) on stderr, with a timestamp; the run's messages are ours, as
    # under --jobs, and what Dask cannot recover from reaches us as an exception.
    # Dask's configuration gives some of its loggers (``distributed.client``) levels of
    # their own, so each is quietened, and given its level back after.
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    levels = {log: log.level for log in loggers if log.name.split(".")[0] == "distributed"}
    for log in levels:
        log.setLevel(logging.ERROR)
    try:
        yield from _connected(address, dask, distributed)
    finally:
        for log, level in levels.items():
            log.setLevel(level)


def _connected(address: str, dask: Any, distributed: Any) -> Iterator[Client]:
    setting = dask.config.get("distributed.comm.timeouts.connect")
    timeout = float(dask.utils.parse_timedelta(setting, default="seconds") or 30)
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, ValueError, TypeError) as error:
        # OSError is also Dask's connect timeout; ValueError/TypeError a malformed address.
        message = f"cannot reach the Dask scheduler at {address}: {error}"
        raise CommandError(message, EXIT_FAILED) from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            message = f"the Dask scheduler at {address} has no worker after {timeout:g} s"
            raise CommandError(message, EXIT_FAILED) from None
        yield client
    finally:
        client.close()


def threads(client: Client) -> int:
    """The cluster's worker threads now: its parallelism."""
    return max(1, sum(client.nthreads().values()))


def on_cluster(
    client: Client,
) -> Callable[[Callable[[A], R], Iterable[A]], Iterator[tuple[A, R | pool.Failed]]]:
    """An executor whose tasks run on ``client``'s cluster."""

    def run(
        function: Callable[[A], R], arguments: Iterable[A]
    ) -> Iterator[tuple[A, R | pool.Failed]]:
        return _run(client, function, arguments)

    return run


def _run(
    client: Client, function: Callable[[A], R], arguments: Iterable[A]
) -> Iterator[tuple[A, R | pool.Failed]]:
    # The function (with the request and its theme) goes to every worker once, not with
    # each task: a task carries only its argument.
    [shipped] = client.scatter([function], broadcast=True, hash=False)
    window: deque[tuple[A, Future]] = deque()
    source = iter(arguments)
    limit = threads(client) * pool.PER_WORKER
    taken = 0
    try:
        while True:
            if len(window) <= limit // 2:
                # Topped up in one call: each call to the client is a trip through its
                # event loop's thread, which costs more than a small task's render.
                more = list(itertools.islice(source, limit - len(window)))
                if more:
                    futures = client.map(_call, [shipped] * len(more), more, pure=False)
                    window.extend(zip(more, futures, strict=True))
                    del futures  # the window alone holds them, so each is dropped once taken
            if not window:
                return
            argument, future = window.popleft()
            result = _result(future)
            del future  # dropped once taken: the cluster forgets it
            yield argument, result
            taken += 1
            if taken % limit == 0:
                limit = threads(client) * pool.PER_WORKER  # workers come and go
    finally:
        client.cancel([future for _, future in window] + [shipped], force=True)


def _call(function: Callable[[Any], Any], argument: Any) -> Any:
    """On a worker: the function scattered once, applied to one task's argument."""
    return function(argument)


def _result(future: Future) -> Any:
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        return pool.Failed("was tried on several Dask workers and each of them died")
    except Exception as error:  # raised on the worker: the task's failure, not the run's
        return pool.Failed(f"failed on a Dask worker: {describe(error)}")
