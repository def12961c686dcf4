"""Work spread over forked processes, results in order: for the steps of a build that take one file at a time.

A forked worker inherits the function and the items, so only the items' numbers go to it and only
the results come back. Below ``FEWEST`` items, or where the system cannot fork, the work runs here.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

FEWEST = 200  # below this many items one process is quicker than starting others
CHUNK = 64

_work: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()

# Told how far a step has come, (step, done, total), after each chunk: the command's progress bar (cli) sets it.
reporter: Callable[[str, int, int], None] | None = None


def jobs_wanted() -> int:
    """Processes to use: ``GONGKAI_JOBS`` if set, else the cores this process may use."""
    wanted = os.environ.get("GONGKAI_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def worth_it(count: int, jobs: int) -> bool:
    return jobs > 1 and count >= FEWEST and "fork" in multiprocessing.get_all_start_methods()


def _die_with_parent(parent: int) -> None:
    """A worker of a build that is killed must not live on writing into its folder: on Linux the
    system kills it with its parent (``PR_SET_PDEATHSIG``); a parent gone already ends it at once."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _chunk(indexes: range) -> list[Any]:
    assert _work is not None
    return [_work(_items[i]) for i in indexes]


def run(items: Sequence[Any], work: Callable[[Any], Any], jobs: int, step: str = "") -> list[Any]:
    """``[work(item) for item in items]``, on ``jobs`` forked processes where that pays; ``step`` names
    the work to the :data:`reporter`."""
    return list(each(items, work, jobs, step))


def each(items: Sequence[Any], work: Callable[[Any], Any], jobs: int, step: str = "") -> Iterator[Any]:
    """``work(item)`` for each item, in order, as each is done: a caller that folds the results as they
    come holds one chunk of them at a time, not all (the search index at 100,000 pages)."""
    global _work, _items
    chunks = [range(i, min(i + CHUNK, len(items))) for i in range(0, len(items), CHUNK)]
    count = 0

    def done(part: list[Any]) -> list[Any]:
        nonlocal count
        count += len(part)
        if reporter is not None and step:
            reporter(step, count, len(items))
        return part

    if not worth_it(len(items), jobs):
        for indexes in chunks:
            yield from done([work(items[i]) for i in indexes])
        return
    _work, _items = work, items
    try:
        with multiprocessing.get_context("fork").Pool(jobs, _die_with_parent, (os.getpid(),)) as pool:
            for part in pool.imap(_chunk, chunks):
                yield from done(part)
    finally:
        _work, _items = None, ()
