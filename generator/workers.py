"""Pages rendered on every core: forked workers (:mod:`generator.pool`) render and write the pages a build asks for.

Each worker inherits the model and the templates when it is forked, so nothing is sent to it
but the numbers of the pages it is to render, and nothing comes back but which template failed
where, if one did. Every page is the same bytes whichever process writes it: a build with one
process and a build with several write identical folders (a test holds this). ``gongkai serve``
renders in its own process: it runs threads, and forking those is unsafe.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2

from . import pool, render
from .errors import TemplateError

Make = Callable[[], render.Page]


def render_page(make: Make) -> render.Page:
    """Render one page; a template error becomes a TemplateError naming the template file and line."""
    try:
        return make()
    except jinja2.TemplateError as e:
        raise render.template_error(e) from e


def _render_and_write(root: Path, make: Make) -> tuple[str, int, str] | None:
    """Render one page into ``root``; a template's failure comes back as (template, line, message)."""
    try:
        page = render_page(make)
    except TemplateError as e:
        return (e.template, e.line, e.message)
    path = root / page.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.html.encode("utf-8"))
    return None


def render_into(root: Path, makes: Sequence[Make], jobs: int) -> None:
    """Render every page of ``makes`` into ``root``, on ``jobs`` processes where that pays."""
    for failure in pool.run(makes, lambda make: _render_and_write(root, make), jobs, step="pages"):
        if failure is not None:
            raise TemplateError(*failure)
