"""Work split over the machine's cores by forking, for the commands' large batches."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# What a forked worker runs, and on what: set just before the pool forks, so the workers
# inherit the work and its inputs (schemas, source maps) instead of receiving them pickled.
# Only the chunk numbers go to the workers, and only the results come back.
_WORK: tuple[Callable[[Any], Any], Sequence[Any]] | None = None

MAX_WORKERS = 8


def workers() -> int:
    """How many processes a batch may use: the cores this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity (macOS)
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _run(index: int) -> Any:
    assert _WORK is not None
    function, chunks = _WORK
    return function(chunks[index])


def chunked(items: Sequence[Item], size: int) -> list[Sequence[Item]]:
    """``items`` in consecutive chunks of at most ``size``, as even as they can be and, when
    there are several, as many as a multiple of the workers: no worker is left with a
    short last chunk while the others wait."""
    count = -(-len(items) // size)
    if count > 1:
        count = min(-(-count // workers()) * workers(), len(items))
    base, longer = divmod(len(items), max(count, 1))
    out: list[Sequence[Item]] = []
    start = 0
    for index in range(count):
        end = start + base + (1 if index < longer else 0)
        out.append(items[start:end])
        start = end
    return out


def map_chunks(function: Callable[[Sequence[Item]], Result],
               chunks: Sequence[Sequence[Item]]) -> list[Result]:
    """``function`` of each chunk, in order; over forked workers when there are several
    chunks and cores, else in this process. ``function`` may close over anything: it is
    inherited, never pickled; its results must pickle."""
    count = min(workers(), len(chunks))
    # A worker cannot start workers of its own (a pool's processes are daemons): a batch
    # split inside a task that already runs in a worker runs in that worker.
    if (count < 2 or "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon):
        return [function(chunk) for chunk in chunks]
    global _WORK
    _WORK = (function, chunks)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return pool.map(_run, range(len(chunks)), chunksize=1)
    finally:
        _WORK = None
