"""The progress bar of a long build in a terminal (tqdm): step, count, rate, time left.

It appears only when standard error is a terminal and a step has run for ``DELAY`` seconds
(``GONGKAI_PROGRESS_DELAY`` changes that); logs and CI output get nothing extra.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import Any

from . import pool
from .messages import say

DELAY = 2.0


class Bars:
    """One tqdm bar a step, fed by :data:`generator.pool.reporter`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.step = ""
        self.bar: Any = None
        delay = os.environ.get("GONGKAI_PROGRESS_DELAY", "")
        self.delay = float(delay) if delay.replace(".", "", 1).isdigit() else DELAY

    def __call__(self, step: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if step != self.step:
            self.close()
            self.step = step
            desc = say("step_" + step, self.lang)
            self.bar = tqdm(total=total, desc=desc, delay=self.delay, file=sys.stderr, unit="", leave=False)
        self.bar.update(done - self.bar.n)
        if done == total:
            self.bar.refresh()  # the step's end is shown, however quickly it came

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@contextlib.contextmanager
def shown(lang: str, quiet: bool) -> Iterator[None]:
    """Progress bars for the build inside, where a person is watching a terminal."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    bars = Bars(lang)
    pool.reporter = bars
    try:
        yield
    finally:
        pool.reporter = None
        bars.close()
