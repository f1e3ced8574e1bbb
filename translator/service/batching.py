"""Micro-batching: requests that arrive together are translated in one engine call.

Every engine call of a worker runs on one :class:`EngineThread`, so the event loop never
waits for an engine and the engines are never used by two threads at once.  The
:class:`MicroBatcher` queues the requests' jobs; when the engine thread is free it takes the
oldest job, waits up to *window* seconds (counted from that job's arrival) for more, and hands
the engine thread every queued job that fits in *max_size* sentences, in arrival order.  A job
larger than *max_size* goes alone; it is never split.  Each job gets its own result back.
A job whose request is cancelled (the client went away, or its time ran out) leaves the queue
and is never translated.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class EngineThread:
    """One daemon thread running submitted calls in order (a hung engine cannot block exit)."""

    def __init__(self, name: str = "translator-engine") -> None:
        self._calls: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._calls.put((future, fn, args))
        return future

    def stop(self) -> None:
        self._calls.put(None)

    def _work(self) -> None:
        while (call := self._calls.get()) is not None:
            future, fn, args = call
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to the waiting request
                future.set_exception(exc)


@dataclass(eq=False)
class Job:
    """Work for the engine thread: a batchable *payload* of *size* sentences, or an exclusive *call*."""

    key: Any
    payload: Any
    size: int
    arrived: float
    call: Callable[[], Any] | None = None
    future: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


@dataclass
class BatchStats:
    """What ``/health`` reports."""

    engine_calls: int = 0  # batches and exclusive calls run
    jobs: int = 0  # jobs translated
    sentences: int = 0
    cancelled: int = 0  # jobs that left the queue before their turn
    largest_batch: int = 0  # jobs in one batch


Runner = Callable[[list[Job]], list[BaseException | None]]


class MicroBatcher:
    """Queue jobs and run them in batches on an :class:`EngineThread`.

    *run* gets the jobs of one batch and returns, for each, None or the exception for that job.
    """

    def __init__(self, run: Runner, *, window: float = 0.005, max_size: int = 64,
                 thread: EngineThread | None = None) -> None:
        self._run = run
        self.window = window
        self.max_size = max(1, max_size)
        self._thread = thread or EngineThread()
        self._pending: deque[Job] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.running: list[Job] = []
        self.stats = BatchStats()

    @property
    def queued(self) -> int:
        return len(self._pending)

    async def translate(self, key: Any, payload: Any, size: int) -> None:
        """Translate *payload* with the jobs of the same batch; raise its own error, if any."""
        await self._wait(Job(key, payload, size, self._now()))

    async def call(self, fn: Callable[[], Any]) -> Any:
        """Run *fn* alone on the engine thread, in turn with the batches; return its result."""
        return await self._wait(Job(None, None, 0, self._now(), call=fn))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        for job in self._pending:
            job.future.cancel()
        self._pending.clear()
        self._thread.stop()

    # -- internals -------------------------------------------------------------------
    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    async def _wait(self, job: Job) -> Any:
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="micro-batcher")
        self._pending.append(job)
        self._wake.set()
        try:
            return await asyncio.shield(job.future)
        except asyncio.CancelledError:
            if job in self._pending:
                self._pending.remove(job)
                self.stats.cancelled += 1
            job.future.cancel()
            raise

    async def _loop(self) -> None:
        while True:
            if not self._pending:
                self._wake.clear()
                await self._wake.wait()
                continue
            first = self._pending[0]
            if first.call is not None:
                self._pending.popleft()
                await self._execute([first], exclusive=True)
                continue
            await self._gather(first)
            await self._execute(self._take(), exclusive=False)

    async def _gather(self, first: Job) -> None:
        """Wait for more jobs until the batch is full or the window from *first*'s arrival ends."""
        deadline = first.arrived + self.window
        while self._batchable() < self.max_size and (remaining := deadline - self._now()) > 0:
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), remaining)
            except TimeoutError:
                return

    def _batchable(self) -> int:
        size = 0
        for job in self._pending:
            if job.call is not None:
                break
            size += job.size
        return size

    def _take(self) -> list[Job]:
        batch: list[Job] = []
        size = 0
        while self._pending and self._pending[0].call is None:
            job = self._pending[0]
            if batch and size + job.size > self.max_size:
                break
            batch.append(self._pending.popleft())
            size += job.size
        return batch

    async def _execute(self, jobs: list[Job], *, exclusive: bool) -> None:
        jobs = [j for j in jobs if not j.future.done()]
        if not jobs:
            return
        self.running = jobs
        try:
            if exclusive:
                outcome = await asyncio.wrap_future(self._thread.submit(_call, jobs[0].call))
                outcomes = [outcome]
            else:
                outcomes = await asyncio.wrap_future(self._thread.submit(self._run, jobs))
        except Exception as exc:  # the runner itself failed: every job of the batch fails
            outcomes = [exc] * len(jobs)
        finally:
            self.running = []
        self._count(jobs, exclusive)
        for job, outcome in zip(jobs, outcomes):
            if job.future.done():
                continue
            if isinstance(outcome, BaseException):
                job.future.set_exception(outcome)
            else:
                job.future.set_result(None if not exclusive else outcome.value)

    def _count(self, jobs: list[Job], exclusive: bool) -> None:
        self.stats.engine_calls += 1
        if not exclusive:
            self.stats.jobs += len(jobs)
            self.stats.sentences += sum(j.size for j in jobs)
            self.stats.largest_batch = max(self.stats.largest_batch, len(jobs))


@dataclass
class _Returned:
    value: Any


def _call(fn: Callable[[], Any]) -> _Returned | BaseException:
    try:
        return _Returned(fn())
    except Exception as exc:
        return exc
