"""Pages rendered on every core: forked workers render and write the pages a build asks for.

Each worker inherits the model and the templates when it is forked, so nothing is sent to it
but the numbers of the pages it is to render, and nothing comes back but how many it wrote (or
which template failed where). Every page is the same bytes whichever process writes it: a
build with one process and a build with several write identical folders (a test holds this).
``gongkai serve`` renders in its own process: it runs threads, and forking those is unsafe.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2

from . import pool, render
from .errors import TemplateError

Make = Callable[[], render.Page]
CHUNK = 64  # pages a worker takes at a time

_makes: Sequence[Make] = ()
_root = Path()


def render_page(make: Make) -> render.Page:
    """Render one page; a template error becomes a TemplateError naming the template file and line."""
    try:
        return make()
    except jinja2.TemplateError as e:
        raise render.template_error(e) from e


def _write(root: Path, page: render.Page) -> None:
    path = root / page.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.html.encode("utf-8"))


def _work(indexes: range) -> tuple[str, int, str] | None:
    """Render and write pages ``indexes``; a template's failure comes back as (template, line, message)."""
    try:
        for i in indexes:
            _write(_root, render_page(_makes[i]))
    except TemplateError as e:
        return (e.template, e.line, e.message)
    return None


def render_into(root: Path, makes: Sequence[Make], jobs: int) -> None:
    """Render every page of ``makes`` into ``root``, on ``jobs`` processes where that pays."""
    global _makes, _root
    if not pool.worth_it(len(makes), jobs):
        for make in makes:
            _write(root, render_page(make))
        return
    _makes, _root = makes, root
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as processes:
            chunks = [range(i, min(i + CHUNK, len(makes))) for i in range(0, len(makes), CHUNK)]
            for failure in processes.imap_unordered(_work, chunks):
                if failure is not None:
                    raise TemplateError(*failure)
    finally:
        _makes, _root = (), Path()
