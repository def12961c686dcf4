"""Writing: the content file and agency file from what was read, checked exactly as gongkai check would."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import content, standard, validate
from ..content import AGENCY_FILE, CONFIG_NAME, CONTENT_DIR, SLUG_RE
from ..errors import Severity, UsageError
from ..folders import write_atomically
from ..messages import error_text
from ..scaffold import agency_yaml, report_front_matter
from .document import Imported, parse
from .refusal import Message
from .rows import read_rows
from .tables import IncompleteOriginal, _where, table_specs


def guess_level(name: str) -> tuple[str, list[str]]:
    """A level and region guessed from an agency's name (人民政府办公室, 局, 镇, 街道办事处 …)."""
    units = re.findall(r".+?(?:自治区|自治州|省|市|州|县|区)", name)
    region: list[str] = []
    for unit in units:
        if len("".join(region) + unit) <= len(name) - 2:
            region.append(unit)
    for suffix, level in standard.LEVEL_BY_NAME_ENDING:  # the editor confirms the guess
        if name.endswith(suffix):
            return level, region or [name]
    last = region[-1] if region else ""
    if last in standard.MUNICIPALITIES or re.search(r"(省|自治区)$", last):
        government, department = "provincial_government", "provincial_department"
    elif re.search(r"(市|州|盟)$", last):
        government, department = "city_government", "city_department"
    else:
        government, department = "county_government", "county_department"
    if re.search(r"人民政府$", name):
        return government, region or [name]
    return department, region or [name]


@dataclass
class ImportResult:
    report: Path
    agency_file: Path | None  # written because the agency was new
    text: str
    agency_text: str
    imported: Imported
    acknowledged: list[dict[str, str]]
    diagnostics: list[Any]
    guesses: list[Message] = field(default_factory=list)  # what was taken without being told (slug, level …)


def _existing_slug(content_dir: Path, name: str) -> str | None:
    for agency_file in sorted(content_dir.glob("*/_agency.yaml")):
        data = content.read_mapping(agency_file) or {}
        names = [data.get("name")] + [f.get("name") for f in data.get("former_names") or [] if isinstance(f, dict)]
        if name in names:
            return agency_file.parent.name
    return None


def _default_slug(source: Path) -> str:
    stem = re.sub(r"(^|[-_.])20\d\d(?=$|[-_.])", "", source.stem).strip("-_.").lower().replace("_", "-")
    return stem


def import_report(
    source: Path,
    content_dir: Path,
    agency: str | None = None,
    year: int | None = None,
    name: str | None = None,
    published: dt.date | None = None,
    region: list[str] | None = None,
    level: str | None = None,
    force: bool = False,
    partial: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Read ``source``, check the result exactly as ``gongkai check`` would, and write it (unless ``dry_run``).

    Raises :class:`UnreadableOriginal` (incomplete tables, without ``partial``) or
    :class:`~generator.errors.UsageError`; in both cases nothing has been written.
    """
    imported = _read(source, year, name, partial)
    imported.title = imported.title or standard.default_title(imported.agency, imported.year)
    existing = None if agency else _existing_slug(content_dir, imported.agency)
    slug = agency or existing or _default_slug(source)
    guesses: list[Message] = []  # what the importer took without being told: said in the summary and the file
    if not agency and not existing:
        guesses.append(("import_guess_slug", {"slug": slug, "file": source.name}))
    if not SLUG_RE.match(slug):
        raise UsageError("import_no_slug", slug=slug)
    folder = content_dir / slug
    report_path = folder / f"{imported.year}.md"
    if report_path.exists() and not force and not dry_run:
        raise UsageError("import_exists", path=report_path)

    agency_file = folder / AGENCY_FILE
    agency_text, level_guessed = ("", "") if agency_file.exists() else _new_agency(imported, level, region)
    if level_guessed:
        guesses.append(("import_guess_level", {"level": level_guessed, "file": AGENCY_FILE}))
    guesses.extend(imported.guesses)
    acknowledged = _acknowledged(imported)
    published_date = published or imported.published

    def text_with(known: list[dict[str, str]]) -> str:
        front = report_front_matter(
            imported.fmt,
            imported.title,
            imported.data,
            published=published_date.isoformat() if published_date else None,
            source_url=imported.source_url or None,
            known_issues=known,
        )
        said = "".join(f"# gongkai import：{error_text(code, 'zh-CN', **params)}\n" for code, params in guesses)
        return front.replace("---\n", "---\n" + said, 1) + "\n" + body(imported)

    text = text_with(acknowledged)
    diagnostics = _check(content_dir, slug, imported.year, text, agency_text)
    failures = _unacknowledged(diagnostics, bool(imported.missing))
    if failures:  # the original breaks these rules: kept as published, acknowledged
        acknowledged.extend(failures)
        text = text_with(acknowledged)
        diagnostics = _check(content_dir, slug, imported.year, text, agency_text)
    result = ImportResult(
        report_path,
        agency_file if agency_text else None,
        text,
        agency_text,
        imported,
        acknowledged,
        diagnostics,
        guesses,
    )
    if dry_run:
        return result
    folder.mkdir(parents=True, exist_ok=True)
    if agency_text:
        with agency_file.open("x", encoding="utf-8") as f:
            f.write(agency_text)
    write_atomically(report_path, text.encode("utf-8"))
    return result


def _read(source: Path, year: int | None, name: str | None, partial: bool) -> Imported:
    """The original, read; refused (nothing written) when its tables are incomplete without ``partial``."""
    if not source.is_file():
        raise UsageError("no_such_path", path=source)
    named_year = re.search(r"(?<!\d)(20\d\d)(?!\d)", source.stem)
    try:
        hint = int(named_year.group(1)) if named_year else None
        imported = parse(read_rows(source), year=year, agency=name, hint_year=hint)
    except UsageError as e:
        raise UsageError("in_file", file=source, error=e) from e
    if imported.missing and not partial:
        rows_in_tables = sum(len(specs) for specs in table_specs(imported.fmt).values())
        raise IncompleteOriginal(source, imported.missing, rows_in_tables, no_title=not imported.agency)
    if not imported.agency:
        raise UsageError("in_file", file=source, error=UsageError("import_no_agency"))
    return imported


def _new_agency(imported: Imported, level: str | None, region: list[str] | None) -> tuple[str, str]:
    """The _agency.yaml of a new agency, and the level guessed for it ("" when given)."""
    guessed_level, guessed_region = guess_level(imported.agency)
    chosen_level = level or guessed_level
    level_guessed = "" if level else f"{standard.LEVELS[chosen_level]}（{chosen_level}）"
    agency_text = agency_yaml(imported.agency, chosen_level, region or guessed_region, imported.year)
    if not level or not region:
        agency_text = "# 由 gongkai import 根据机关名称推测的层级和行政区划，请核实后删除本行\n" + agency_text
    return agency_text, level_guessed


def _acknowledged(imported: Imported) -> list[dict[str, str]]:
    """known_issues for what the reading found: blanks and units as published, and (--partial) the gaps."""
    acknowledged = [{"rule": r, "where": w, "note": n} for r, w, n in imported.notes]
    for m in imported.missing:  # only with --partial
        cells = m.spec.cells
        wheres = [".".join(m.spec.path)] if len(m.cells) == len(cells) else [_where(m.spec, c) for c in m.cells]
        acknowledged.extend({"rule": "H6", "where": w, "note": f"原文缺失（{m.reason()}）"} for w in wheres)
    return acknowledged


def _unacknowledged(diagnostics: list[Any], incomplete: bool) -> list[dict[str, str]]:

    out: list[dict[str, str]] = []
    for d in diagnostics:
        if d.severity is Severity.ERROR and d.field and d.rule.startswith(("H", "S")):
            note = "原文如此"
            if d.code == "section_missing":
                note = "原文缺失（导入时原文不完整）" if incomplete else "原文没有这一部分"
            issue = {"rule": d.rule, "where": d.field, "note": note}
            if issue not in out:
                out.append(issue)
    return out


def body(imported: Imported) -> str:
    """The prose: the preamble, then sections 一、五、六 as ``##`` headings, paragraphs kept."""
    parts = []
    if imported.preamble:
        parts.append("\n\n".join(imported.preamble) + "\n")
    for numeral in ("一", "五", "六"):
        if numeral in imported.sections:
            heading, paragraphs = imported.sections[numeral]
            parts.append(f"## {heading}\n\n" + "".join(p + "\n\n" for p in paragraphs).rstrip("\n") + "\n")
    return "\n".join(parts)


def _check(content_dir: Path, slug: str, year: int, text: str, agency_text: str) -> list[Any]:
    """What ``gongkai check`` will say about the new report, judged in a copy of its agency's folder."""
    import shutil
    import tempfile

    site_root = content_dir.resolve().parent
    with tempfile.TemporaryDirectory(prefix="gongkai-import-") as tmp:
        root = Path(tmp)
        config = site_root / CONFIG_NAME
        if config.is_file() and content_dir.resolve() == (site_root / CONTENT_DIR).resolve():
            shutil.copyfile(config, root / CONFIG_NAME)
        else:
            (root / CONFIG_NAME).write_text("title: gongkai import\n", encoding="utf-8")
        folder = root / CONTENT_DIR / slug
        existing = content_dir / slug
        if existing.is_dir():
            shutil.copytree(existing, folder)
        folder.mkdir(parents=True, exist_ok=True)
        if agency_text:
            (folder / AGENCY_FILE).write_text(agency_text, encoding="utf-8")
        (folder / f"{year}.md").write_text(text, encoding="utf-8")
        site = content.load_site(root)
        result = validate.validate_site(site)
    real = {
        f"{CONTENT_DIR}/{slug}/{year}.md": str(content_dir / slug / f"{year}.md"),
        f"{CONTENT_DIR}/{slug}/{AGENCY_FILE}": str(content_dir / slug / AGENCY_FILE),
    }
    return [d.at(real[d.path]) for d in result.diagnostics if d.path in real]
