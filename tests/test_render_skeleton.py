"""The official tables filled into a skeleton per format come out exactly as the theme's macro makes them."""

from __future__ import annotations

from generator import content, model, render, validate
from generator.render.grids import table_four, table_three, table_two
from generator.render.skeleton import data_cells

from .conftest import REPO

MAKERS = {"二": table_two, "三": table_three, "四": table_four}


def test_every_table_of_the_demo_is_the_macros_own_and_the_skeleton_is_used() -> None:
    source = REPO / "examples/demo"
    src = content.load_site(source)
    site = model.build_site(src, validate.validate_site(src).diagnostics)
    renderer = render.Renderer(site, render.Theme.for_site(source, site.config.theme, site.config.language))
    blanks = 0
    for report in site.reports:
        for numeral, make in MAKERS.items():
            grid = make(report, renderer.t)
            filled = renderer.tables.html(report, numeral, lambda g=grid: g)  # type: ignore[misc]
            assert filled == renderer._grid(grid), (report.url, numeral)
            blanks += any(c.blank for c in data_cells(grid))
    assert set(renderer.tables.skeletons) == {(fmt, n) for fmt in (2019, 2021) for n in MAKERS}
    assert all(s is not None for s in renderer.tables.skeletons.values())  # checked against the macro, kept
    assert blanks  # the demo has acknowledged blanks: their tables took the slow path, and matched too
