"""Importing many originals at once: which files a batch is, what became of each, and the table of it.

A province imports its agencies' reports by the folder: every file is tried, each gets one line
(written, written with its gaps acknowledged, or refused and why), and ``--report FILE`` writes the
same as a CSV a spreadsheet opens (cells neutralised as in the open data).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..spreadsheets import spreadsheet_safe

WRITTEN, WITH_GAPS, REFUSED = "written", "written_with_gaps", "refused"


def originals(paths: list[Path]) -> list[Path]:
    """The files named, and every file under a folder named (hidden ones aside), in a fixed order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        else:
            found.append(path)
    return found


@dataclass
class Outcome:
    """What one original became."""

    source: Path
    status: str  # WRITTEN, WITH_GAPS or REFUSED
    report: Path | None = None
    title: str = ""
    year: int | None = None
    fmt: int | None = None
    acknowledged: int = 0  # gaps and rule failures of the original, said in known_issues
    errors: int = 0  # what gongkai check says of the written file
    warnings: int = 0
    message: str = ""  # why it was refused, or what was guessed


COLUMNS = ("file", "status", "report", "title", "year", "format", "acknowledged", "errors", "warnings", "message")


def report_csv(outcomes: list[Outcome]) -> bytes:
    """The batch as a table: one row a file; UTF-8 with BOM, for Excel."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for o in outcomes:
        row = [str(o.source), o.status, str(o.report or ""), o.title, o.year or "", o.fmt or "", o.acknowledged]
        writer.writerow([spreadsheet_safe(v) for v in [*row, o.errors, o.warnings, o.message]])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
