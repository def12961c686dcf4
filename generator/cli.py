"""The ``gongkai`` command: parse arguments, call the library, map outcomes to exit codes.

Exit codes: 0 clean (warnings alone too, unless ``--strict``), 1 content
errors, 2 usage errors. Only this module catches :class:`GongkaiError`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__, arguments, content, progress, scaffold, schemas, validate
from . import build as builder
from .errors import (
    ContentError,
    Diagnostic,
    GongkaiError,
    Severity,
    UsageError,
    format_github,
    format_json,
    format_text,
)
from .folders import write_atomically
from .messages import error_text, say

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gongkai",
        description="gongkai（公开）：政府信息公开工作年度报告门户的静态站点生成器。",
    )
    p.add_argument("--version", action="version", version=f"gongkai {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang", choices=("zh-CN", "en"), default="zh-CN", help="gongkai 打印的每一行用哪种语言（默认 zh-CN）"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    commands = {
        "check": cmd_check,
        "init": cmd_init,
        "new": cmd_new,
        "build": cmd_build,
        "serve": cmd_serve,
        "import": cmd_import,
        "demo": cmd_demo,
        "schema": cmd_schema,
    }
    for name, (words, add_arguments) in arguments.COMMANDS.items():
        command = sub.add_parser(name, parents=[common], help=words["help"], description=words["description"])
        add_arguments(command)
        command.set_defaults(func=commands[name])
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except GongkaiError as e:
        print(f"gongkai: {e.text(args.lang)}", file=sys.stderr)
        return e.exit_code
    except OSError as e:  # a full disk, a folder without permission: which path, in plain words
        print(f"gongkai: {system_error(e).text(args.lang)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"gongkai: {UsageError('interrupted').text(args.lang)}", file=sys.stderr)
        return 130


_ERRNO_CODES = {
    errno.ENOSPC: "os_no_space",
    errno.EDQUOT: "os_no_space",
    errno.EACCES: "os_no_permission",
    errno.EPERM: "os_no_permission",
    errno.EROFS: "os_read_only",
}


def system_error(e: OSError) -> UsageError:
    """What the system refused, as a sentence naming the path (the published site is as it was)."""
    reason = UsageError(_ERRNO_CODES[e.errno]) if e.errno in _ERRNO_CODES else e.strerror or str(e)
    return UsageError("os_error", path=e.filename or "?", reason=reason)


# ---------------------------------------------------------------------- check


def _display_path(root: Path, rel: str) -> str:
    full = root / rel
    try:
        return os.path.relpath(full, Path.cwd())
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(full)


def _within(root: Path, rel: str, scopes: list[Path]) -> bool:
    path = root / rel
    full = path.parent.resolve() / path.name  # a link is judged where it stands, not where it points
    return any(full == s or s in full.parents for s in scopes)


def cmd_check(args: argparse.Namespace) -> int:
    targets = [Path(p) for p in args.paths] or [Path.cwd()]
    for t in targets:
        if not t.exists():
            raise UsageError("no_such_path", path=t)
    # Group the targets by site: the whole site is read (cross-year rules need it), the output filtered.
    sites: dict[Path, list[Path]] = {}
    bare: dict[Path, Path] = {}  # site root → content folder, for a folder of agencies without gongkai.yaml
    for t in targets:
        try:
            root = content.find_site_root(t)
        except UsageError:
            folder = content.find_content_folder(t)
            if folder is None:
                raise
            root = folder.parent
            bare[root] = folder
        scope = t.resolve()
        sites.setdefault(root, []).append(root if scope == root else scope)
    shown: list[tuple[Path, Diagnostic]] = []
    lines: dict[tuple[Path, str], list[str]] = {}
    files: dict[str, int] = {"reports": 0, "agencies": 0, "config": 0}
    for root, scopes in sites.items():
        source = content.load_site(root, content_dir=bare.get(root))
        result = validate.validate_site(source)
        named = {d.path for d in result.diagnostics}
        for doc in source.documents():
            if doc.rel in named:
                lines[(root, doc.rel)] = doc.lines  # read again only for the files a finding names
            if _within(root, doc.rel, scopes) and (doc.rel != content.CONFIG_NAME or root not in bare):
                files[_kind(doc.rel)] += 1
        shown.extend((root, d) for d in result.diagnostics if _within(root, d.path, scopes))
    return _report(shown, lines, files, args)


def _kind(rel: str) -> str:
    if rel.endswith(".md"):
        return "reports"
    return "config" if rel == content.CONFIG_NAME else "agencies"


def _files(files: dict[str, int], lang: str) -> str:
    """What was checked, by kind: 3 份报告，1 个机关文件."""
    parts = [say("files_" + kind, lang, count=n) for kind, n in files.items() if n]
    return say("list_and", lang).join(parts) if parts else say("files_none", lang)


def _report(
    shown: list[tuple[Path, Diagnostic]],
    lines: dict[tuple[Path, str], list[str]],
    files: dict[str, int],
    args: argparse.Namespace,
) -> int:
    lang = args.lang
    relocated = [d.at(_display_path(root, d.path)) for root, d in shown]
    errors = sum(d.severity is Severity.ERROR for d in relocated)
    warnings = sum(d.severity is Severity.WARNING for d in relocated)
    notices = sum(d.severity is Severity.NOTICE for d in relocated)
    if args.format == "json":
        print(format_json(relocated, lang))
    else:
        for (root, original), d in zip(shown, relocated, strict=True):
            if args.format == "github":
                print(format_github(d, lang))
                continue
            src = lines.get((root, original.path), [])
            source_line = src[d.line - 1] if 0 < d.line <= len(src) else None
            print(format_text(d, lang, source_line))
        summary = say(
            "checked",
            lang,
            files=_files(files, lang),
            errors=say("n_errors", lang, count=errors),
            warnings=say("n_warnings", lang, count=warnings),
            notices=say("n_notices", lang, count=notices),
        )
        print(summary, file=sys.stderr if args.format == "github" else sys.stdout)
    if errors or (args.strict and warnings):
        return EXIT_CONTENT
    return EXIT_OK


# ---------------------------------------------------------------------- build


def cmd_build(args: argparse.Namespace) -> int:
    root = content.find_site_root(Path(args.source))
    out = Path(args.out) if args.out else None
    try:
        with progress.shown(args.lang, args.quiet):
            result = builder.build(
                root,
                out,
                base_url=args.base_url,
                search=not args.no_search,
                drafts=args.drafts,
                only=tuple(_region(args.only)) if args.only else (),
                wait=args.wait,
                waiting=lambda pid: print(say("build_waiting", args.lang, pid=pid or "?"), file=sys.stderr, flush=True),
            )
    except ContentError as e:
        for d in e.diagnostics:
            if d.severity is Severity.ERROR:
                print(format_text(_relocate(root, d), args.lang, e.source_line(d)))
        errors = sum(d.severity is Severity.ERROR for d in e.diagnostics)
        print(say("build_failed", args.lang, count=errors, command=_check_command(root)), file=sys.stderr)
        return EXIT_CONTENT
    if result.warnings:
        print(say("warnings_hint", args.lang, count=result.warnings, command=_check_command(root)))
    if args.quiet:
        return EXIT_OK
    out_at = say("output_at", args.lang, out=_display_path(root, str(result.out)))
    print(result.summary(args.lang) + out_at)
    if args.timings:
        for step, seconds in result.timings.items():
            print(say("timing", args.lang, step=say("step_" + step, args.lang), seconds=f"{seconds:.2f}"))
    return EXIT_OK


def _check_command(root: Path) -> str:
    """``gongkai check`` for this site, as the user would type it from here."""
    try:
        where = os.path.relpath(root)
    except ValueError:
        where = str(root)
    return "gongkai check" if where == "." else f"gongkai check {where}"


def _relocate(root: Path, d: Diagnostic) -> Diagnostic:
    return d.at(_display_path(root, d.path))


# ---------------------------------------------------------------------- serve


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    root = content.find_site_root(Path(args.source))
    with contextlib.suppress(KeyboardInterrupt):
        serve(root, port=args.port, host=args.host, open_browser=args.open, search=not args.no_search, lang=args.lang)
    return EXIT_OK


# ---------------------------------------------------------------------- new


def cmd_init(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError("not_a_folder", path=folder)
    written, kept = scaffold.init_site(folder, args.title, _region(args.region) if args.region else None)
    for path in written:
        print(say("created", args.lang, path=path))
    for path in kept:
        print(say("kept", args.lang, path=path))
    where = "" if folder.resolve() == Path.cwd().resolve() else f"cd {folder} && "
    print(say("init_next", args.lang, cd=where))
    return EXIT_OK


def _region(text: str) -> list[str]:
    """A region path typed as 河南省/新乡市/红旗区 (or with commas), outermost first."""
    return [r.strip() for r in text.replace("，", ",").replace("/", ",").split(",") if r.strip()]


def cmd_new(args: argparse.Namespace) -> int:
    root = content.find_site_root(Path(args.site))
    region = _region(args.region) if args.region else None
    written = scaffold.create(root, args.agency, args.year, args.name, args.level, region)
    for path in written:
        print(say("created", args.lang, path=_display_path(root, path.relative_to(root).as_posix())))
    return EXIT_OK


# ---------------------------------------------------------------------- demo


def cmd_demo(args: argparse.Namespace) -> int:
    from . import corpus

    m = re.fullmatch(r"(\d{4})-(\d{4})", args.years)
    if not m or not 2019 <= int(m.group(1)) <= int(m.group(2)):
        raise UsageError("bad_years_range", years=args.years)
    out = Path(args.out)
    options = corpus.Options(
        reports=args.reports,
        seed=args.seed,
        first_year=int(m.group(1)),
        last_year=int(m.group(2)),
        district=tuple(_region(args.district)) if args.district else (),
        district_slug=args.district_slug,
        late=args.late,
        missing=args.missing,
        drafts=args.drafts,
        blanks=args.blanks,
    )
    w = corpus.generate(out, options)
    print(
        say(
            "demo_written",
            args.lang,
            out=out,
            reports=say("n_reports", args.lang, count=w.reports),
            agencies=say("n_agencies", args.lang, count=w.agencies),
            missing=w.missing,
            late=w.late,
            drafts=w.drafts,
            blanks=w.blanks,
        )
    )
    return EXIT_OK


# ---------------------------------------------------------------------- schema


def cmd_schema(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in schemas.SCHEMA_NAMES:
        path = out / f"{name}.schema.json"
        path.write_text(schemas.schema_text(name), encoding="utf-8")
        print(say("written", args.lang, path=path))
    return EXIT_OK


# ---------------------------------------------------------------------- import


def cmd_import(args: argparse.Namespace) -> int:
    import datetime as dt

    from . import importer

    content_dir = Path(args.content) if args.content else content.find_site_root(Path.cwd()) / content.CONTENT_DIR
    published = None
    if args.published:
        try:
            published = dt.date.fromisoformat(args.published)
        except ValueError as e:
            raise UsageError("bad_date", value=args.published) from e
    region = _region(args.region) if args.region else None
    sources = importer.originals([Path(name) for name in args.files])
    if not sources:
        raise UsageError("import_nothing", paths="、".join(args.files))
    many = len(sources) > 1  # a batch: one line a file, then the count
    code, outcomes = EXIT_OK, []
    for source in sources:
        try:
            result = importer.import_report(
                source,
                content_dir,
                agency=args.agency,
                year=args.year,
                name=args.name,
                published=published,
                region=region,
                level=args.level,
                force=args.force,
                partial=args.partial,
                dry_run=args.dry_run,
            )
        except (importer.UnreadableOriginal, UsageError) as e:
            if not many and not isinstance(e, importer.UnreadableOriginal):
                raise
            why = e.text(args.lang)
            if not many:
                print(f"gongkai: {why}", file=sys.stderr)
            short = " ".join(line.strip() for line in why.splitlines()[:2]).removeprefix(f"{source}：")
            outcomes.append(importer.Outcome(source, importer.REFUSED, message=short))
            if many:
                print(say("import_refused", args.lang, file=source, why=short))
            code = max(code, EXIT_CONTENT)
            continue
        outcome = _outcome(source, result, args.lang)
        outcomes.append(outcome)
        if many:
            print(_outcome_line(outcome, args.dry_run, args.lang))
        else:
            _print_import(result, args.dry_run, args.lang)
        if outcome.errors:
            code = max(code, EXIT_CONTENT)
    if many:
        written = [o for o in outcomes if o.status != importer.REFUSED]
        gaps = sum(o.status == importer.WITH_GAPS for o in written)
        print(say("import_summary", args.lang, files=len(outcomes), written=len(written), gaps=gaps,
                  refused=len(outcomes) - len(written)))  # fmt: skip
    if args.report:
        write_atomically(Path(args.report), importer.report_csv(outcomes))
        print(say("import_report_written", args.lang, path=args.report))
    return code


def _outcome(source: Path, result: Any, lang: str) -> Any:
    from . import importer

    imported = result.imported
    guessed = "；".join(error_text(code, lang, **params) for code, params in result.guesses)
    return importer.Outcome(
        source,
        importer.WITH_GAPS if result.acknowledged else importer.WRITTEN,
        report=result.report,
        title=imported.title,
        year=imported.year,
        fmt=imported.fmt,
        acknowledged=len(result.acknowledged),
        errors=sum(d.severity is Severity.ERROR for d in result.diagnostics),
        warnings=sum(d.severity is Severity.WARNING for d in result.diagnostics),
        message=guessed,
    )


def _outcome_line(o: Any, dry_run: bool, lang: str) -> str:
    """A batch's line for one file written (or that would be)."""
    verb = say("import_would_write" if dry_run else "import_wrote", lang)
    line = say("import_line", lang, verb=verb, file=o.source, report=o.report, fmt=o.fmt)
    if o.acknowledged:
        line += say("import_line_gaps", lang, count=o.acknowledged)
    if o.errors or o.warnings:
        line += say("import_line_checked", lang, errors=o.errors, warnings=o.warnings)
    return line + (f"；{o.message}" if o.message else "")


def _print_import(result: Any, dry_run: bool, lang: str) -> None:
    imported = result.imported
    if dry_run:
        print(result.agency_text + ("\n" if result.agency_text else "") + result.text)
    verb = say("import_would_write" if dry_run else "import_wrote", lang)
    if result.agency_file is not None:
        print(say("import_agency", lang, verb=verb, path=result.agency_file))
    for code, params in result.guesses:
        print(say("import_guess", lang, text=error_text(code, lang, **params)))
    reason = say(imported.fmt_reason[0], lang, **imported.fmt_reason[1])
    print(
        say("import_report", lang, verb=verb, path=result.report, title=imported.title, fmt=imported.fmt, reason=reason)
    )
    for code, params in imported.warnings:
        print(say("import_warning", lang, text=say(code, lang, reason=reason, **params)))
    if result.acknowledged:
        print(say("import_acknowledged", lang, count=len(result.acknowledged)))
        for issue in result.acknowledged:
            print(f"    {issue['rule']} {issue['where']}：{issue['note']}")
    lines = {str(result.report): result.text.splitlines(), str(result.agency_file): result.agency_text.splitlines()}
    for d in result.diagnostics:
        shown = d.at(os.path.relpath(d.path))
        text = lines.get(d.path, [])
        print(format_text(shown, lang, text[d.line - 1] if 0 < d.line <= len(text) else None))
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    notices = sum(d.severity is Severity.NOTICE for d in result.diagnostics)
    print(
        say(
            "import_checked",
            lang,
            errors=say("n_errors", lang, count=errors),
            warnings=say("n_warnings", lang, count=warnings),
            notices=say("n_notices", lang, count=notices),
        )
    )
