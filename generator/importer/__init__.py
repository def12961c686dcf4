"""``gongkai import``: turn a published report (text, Markdown, HTML, .docx, PDF) into a content file.

Honest by construction: every number is read from the original and never changed.
Rows are anchored on their label text after normalisation (full-/half-width,
brackets, quotes, spaces, numbering, the 行政 prefix, traditional characters),
never on cell position alone; columns follow the standard's header order, which is
checked. A blank cell becomes ``null`` acknowledged as 原文空白; a rule the original
breaks is kept as published and acknowledged as 原文如此. A table that cannot be
read completely is an error naming the first missing row, and nothing is written
(unless ``partial``, which writes ``null`` for what is missing, acknowledged).

Reading produces :class:`Row` lists whatever the input: a tab-separated, pipe or
Markdown table row is a row of cells; a line of prose, or a table cell that a copy
put on a line of its own, is a row of one cell. The tables are then read from that
one stream, so every layout of ``report-format.md`` §9 goes through the same code.
"""

from __future__ import annotations

from .batch import REFUSED, WITH_GAPS, WRITTEN, Outcome, originals, report_csv
from .document import Imported, parse
from .labels import norm, read_value
from .refusal import UnreadableOriginal
from .rows import Row, _text_rows, read_rows
from .tables import IncompleteOriginal, Spec, table_specs
from .writing import ImportResult, guess_level, import_report

__all__ = [
    "REFUSED",
    "WITH_GAPS",
    "WRITTEN",
    "ImportResult",
    "Imported",
    "IncompleteOriginal",
    "Outcome",
    "Row",
    "Spec",
    "UnreadableOriginal",
    "_text_rows",
    "guess_level",
    "import_report",
    "norm",
    "originals",
    "parse",
    "read_rows",
    "read_value",
    "report_csv",
    "table_specs",
]
