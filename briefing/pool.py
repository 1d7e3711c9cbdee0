"""Running tasks: in this process, or in worker processes that may die, hang or be
interrupted without taking the batch with them.

The seam is ``Executor``: a function that takes the task function and an iterable of
task arguments and yields ``(argument, result)`` pairs **in input order**, where a
result is whatever the function returned or a ``Failed`` saying why there is none. It
pulls arguments from the iterable only as it has room for them, so the caller can feed
it a generator and keep memory flat. ``in_process`` and ``in_workers`` are two such
executors; another engine (a cluster) is a third function of the same shape.

Why not ``concurrent.futures.ProcessPoolExecutor``: a worker that dies (the OOM killer,
``kill -9``, a plugin that segfaults or calls ``os._exit``) breaks the whole executor,
every pending future raises ``BrokenProcessPool`` and none says which task killed it; and
it cannot stop a task that runs too long. Pebble's ``ProcessPool`` does both, but starts
its workers from a helper thread of the parent (a fork in a threaded process, which
Python 3.12 deprecates) and watches them by polling. Here each worker has a pipe of its
own and takes one task at a time, so the parent always knows which task a worker holds:
a dead worker costs exactly that task (tried once more, in a new worker), a task past its
deadline is ended by killing its worker, and an interrupt ends them all at once.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from briefing import interrupts

if TYPE_CHECKING:
    # multiprocessing loads when workers start: a run in this process never needs it.
    import multiprocessing.process
    from multiprocessing.connection import Connection

A = TypeVar("A")
R = TypeVar("R")

PER_WORKER = 4
"""Tasks in flight per worker (running, queued, or finished but not yet taken in input
order): enough to keep every worker busy, few enough that memory stays flat."""
ATTEMPTS = 2
"""A task whose worker dies is tried once more; a second death is the task's failure."""
PARENT_CHECK_SECONDS = 0.25
"""How often a worker looks whether its parent is still there."""


@dataclass(frozen=True)
class Failed:
    """A task that produced no result: ``reason`` completes "the task ...", e.g.
    "was stopped after 5 s"."""

    reason: str


class Executor(Protocol):
    def __call__(
        self, function: Callable[[A], R], arguments: Iterable[A]
    ) -> Iterator[tuple[A, R | Failed]]: ...


def in_process(
    function: Callable[[A], R], arguments: Iterable[A]
) -> Iterator[tuple[A, R | Failed]]:
    """Every task in this process, one after the other."""
    for argument in arguments:
        yield argument, function(argument)


def in_workers(
    jobs: int, timeout: float | None = None
) -> Callable[[Callable[[A], R], Iterable[A]], Iterator[tuple[A, R | Failed]]]:
    """An executor with ``jobs`` worker processes; with ``timeout``, a task running longer
    than that many seconds fails and its worker is replaced."""

    def run(function: Callable[[A], R], arguments: Iterable[A]) -> Iterator[tuple[A, R | Failed]]:
        return _run(function, arguments, jobs, timeout)

    return run


@dataclass
class _Slot:
    argument: Any
    attempts: int = 0
    done: bool = False
    result: Any = None


class _Worker:
    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection):
        self.process = process
        self.connection = connection
        self.slot: _Slot | None = None
        self.started = 0.0


def _run(
    function: Callable[[A], R], arguments: Iterable[A], jobs: int, timeout: float | None
) -> Iterator[tuple[A, R | Failed]]:
    pool = _Pool(function, jobs, timeout)
    source = iter(arguments)
    window: deque[_Slot] = deque()
    queue: deque[_Slot] = deque()
    exhausted = False
    try:
        while True:
            while not exhausted and len(window) < jobs * PER_WORKER:
                try:
                    window.append(_Slot(next(source)))
                except StopIteration:
                    exhausted = True
                    break
                queue.append(window[-1])
            pool.dispatch(queue)
            if window and window[0].done:
                # Handed over without a name in this frame: once the caller drops the
                # result (written), nothing here keeps it alive.
                yield _handed(window.popleft())
                continue
            if not window:
                return
            pool.wait(queue)
    finally:
        pool.stop()


def _handed(slot: _Slot) -> tuple[Any, Any]:
    return slot.argument, slot.result


class _Pool:
    def __init__(self, function: Callable[[Any], Any], jobs: int, timeout: float | None) -> None:
        # fork: workers start with the parent's modules, theme and frozen heap (cheap),
        # and the task function needs no pickling. The parent has no other thread.
        import multiprocessing

        self.context = multiprocessing.get_context("fork")
        self.function = function
        self.jobs = jobs
        self.timeout = timeout
        self.workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe(duplex=True)
        inherited = [worker.connection for worker in self.workers] + [parent_end]
        process = self.context.Process(
            target=_serve,
            args=(child_end, inherited, self.function, os.getpid()),
            name="briefing-worker",
            daemon=True,
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def dispatch(self, queue: deque[_Slot]) -> None:
        """Give queued tasks to idle workers, starting workers up to ``jobs``."""
        while queue:
            idle = next((worker for worker in self.workers if worker.slot is None), None)
            if idle is None:
                if len(self.workers) >= self.jobs:
                    return
                idle = self._start()
            slot = queue.popleft()
            try:
                idle.connection.send(slot.argument)
            except (OSError, EOFError):
                queue.appendleft(slot)
                self._bury(idle, queue)  # it died between tasks; the task was never sent
                continue
            idle.slot, idle.started = slot, time.monotonic()
            slot.attempts += 1

    def wait(self, queue: deque[_Slot]) -> None:
        """Until a worker reports, dies or runs past its deadline."""
        busy = [worker for worker in self.workers if worker.slot is not None]
        waiting_for: list[Any] = [worker.connection for worker in busy]
        waiting_for += [worker.process.sentinel for worker in self.workers]
        from multiprocessing.connection import wait

        ready = set(wait(waiting_for, timeout=self._until_deadline(busy)))
        for worker in list(self.workers):
            if worker.connection in ready:
                if self._receive(worker):
                    continue
                self._bury(worker, queue)
            elif worker.process.sentinel in ready:
                self._bury(worker, queue)
        if self.timeout is not None:
            now = time.monotonic()
            for worker in list(self.workers):
                slot = worker.slot
                if slot is not None and now - worker.started > self.timeout:
                    slot.done, slot.result = True, Failed(f"was stopped after {self.timeout:g} s")
                    worker.slot = None
                    self._kill(worker)

    def _until_deadline(self, busy: list[_Worker]) -> float | None:
        if self.timeout is None or not busy:
            return None
        first = min(worker.started for worker in busy) + self.timeout
        return max(0.0, first - time.monotonic()) + 0.01

    def _receive(self, worker: _Worker) -> bool:
        """Take a worker's report; False when the worker is gone instead."""
        try:
            kind, value = worker.connection.recv()
        except (OSError, EOFError):
            return False
        slot = worker.slot
        worker.slot = None
        if kind == "interrupted":
            raise interrupts.Interrupted(signal.SIGINT)  # raised by the task itself
        if slot is not None:
            slot.done = True
            slot.result = value if kind == "done" else Failed(f"failed in its worker: {value}")
        return True

    def _bury(self, worker: _Worker, queue: deque[_Slot]) -> None:
        """A worker that died: its task goes back to the front of the queue, or fails on
        its second death."""
        self._kill(worker)
        slot = worker.slot
        if slot is None or slot.done:
            return
        if slot.attempts < ATTEMPTS:
            queue.appendleft(slot)
        else:
            slot.done = True
            slot.result = Failed(
                f"was tried {ATTEMPTS} times and its worker process died each time "
                f"({_how_it_ended(worker.process.exitcode)})"
            )

    def _kill(self, worker: _Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
        if worker.process.exitcode is None:
            worker.process.kill()
        worker.process.join()
        worker.connection.close()

    def stop(self) -> None:
        """Every worker ended now: they hold nothing that is not in the parent already."""
        interrupts.disarm()  # an interrupt that got here is being handled, not stuck
        for worker in self.workers:
            if worker.process.exitcode is None:
                worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.connection.close()
        self.workers.clear()


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _serve(
    connection: Connection,
    inherited: list[Connection],
    function: Callable[[Any], Any],
    parent: int,
) -> None:
    """A worker: one task at a time from the pipe, its result back, until the pipe closes."""
    interrupts.reset_in_child()
    for other in inherited:
        other.close()  # the parent's ends, so that the parent's death closes this pipe
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    while True:
        try:
            argument = connection.recv()
        except (OSError, EOFError):
            os._exit(0)
        try:
            report: tuple[str, Any] = ("done", function(argument))
        except KeyboardInterrupt:
            report = ("interrupted", None)
        except BaseException as error:  # SystemExit too: a task never ends its worker
            report = ("raised", _describe(error))
        try:
            connection.send(report)
        except (OSError, EOFError):
            os._exit(0)
        except Exception as error:  # a result that cannot be pickled
            connection.send(("raised", f"its result cannot be sent back: {_describe(error)}"))


def _watch_parent(parent: int) -> None:
    """Ends this worker once its parent is gone, whatever killed the parent and whatever
    the task is doing (a hung plugin never reads the closed pipe)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _describe(error: BaseException) -> str:
    try:
        text = str(error)
    except Exception:
        text = ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
