"""``generator.pool``: work on forked processes, results in order, folded as they come."""

from __future__ import annotations

import os

from generator import pool


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_each_gives_the_results_in_order_as_they_come_from_the_workers() -> None:
    items = list(range(pool.FEWEST + 300))
    results = pool.each(items, _square_and_pid, 2)
    first = next(results)  # a generator: the first chunk is there before the others are asked for
    assert first[0] == 0
    rest = list(results)
    assert [square for square, _ in [first, *rest]] == [n * n for n in items]
    assert {pid for _, pid in rest} - {os.getpid()}, "the work ran in forked workers"
    assert pool._work is None and pool._items == ()  # nothing of the step is kept once it is done


def test_run_is_each_as_a_list_and_small_work_stays_in_this_process() -> None:
    results = pool.run(list(range(5)), _square_and_pid, 2)
    assert results == [(n * n, os.getpid()) for n in range(5)]
