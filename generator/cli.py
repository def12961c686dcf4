"""The ``gongkai`` command: parse arguments, call the library, map outcomes to exit codes.

Exit codes: 0 clean (warnings alone too, unless ``--strict``), 1 content
errors, 2 usage errors. Only this module catches :class:`GongkaiError`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__, content, scaffold, schemas, standard, validate
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
from .messages import say

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


LEVEL_HELP = "、".join(f"{code}（{name}）" for code, name in standard.LEVELS.items())


def _level(text: str) -> str:
    """A level given as its code (county_department) or its Chinese name (县级部门)."""
    by_name = {name: code for code, name in standard.LEVELS.items()}
    if text in standard.LEVELS:
        return text
    if text in by_name:
        return by_name[text]
    raise argparse.ArgumentTypeError(f"“{text}”不是可用的层级，可用：{LEVEL_HELP}")


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

    check = sub.add_parser(
        "check",
        parents=[common],
        help="校验报告：表格勾稽关系、格式、及时性（不生成站点）",
        description="校验整个站点，或只报告给定文件/目录中的问题。",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="站点目录、机关目录或报告文件（默认：当前站点）")
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="输出格式：text（默认）、json、github（GitHub Actions 注释）",
    )
    check.add_argument("--strict", action="store_true", help="有警告也以退出码 1 结束")
    check.set_defaults(func=cmd_check)

    init = sub.add_parser(
        "init",
        parents=[common],
        help="新建一个站点：gongkai.yaml（每项带中文说明）、content/、.gitignore、编辑器与 CI 配置",
        description="在 DIR（默认当前目录）写一个可以马上生成的新站点；已有的文件一律保留，从不覆盖。",
    )
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="站点目录（默认当前目录；不存在则新建）")
    init.add_argument("--title", help="站点名称（默认：<区划>政府信息公开工作年度报告）")
    init.add_argument("--region", help="所属行政区划，由外到内，如 河南省/新乡市/红旗区")
    init.set_defaults(func=cmd_init)

    new = sub.add_parser(
        "new",
        parents=[common],
        help="新建一份全零的年度报告（以及新机关的 _agency.yaml）",
        description="在 content/<机关代码>/<年度>.md 写一份全零、带中文标注的报告；从不覆盖已有文件。",
    )
    new.add_argument("agency", metavar="AGENCY", help="机关代码，如 hongqi-caizhengju")
    new.add_argument("year", metavar="YEAR", type=int, help="报告年度，如 2025")
    new.add_argument("--name", help="机关名称（新机关必填）")
    new.add_argument("--level", type=_level, metavar="LEVEL", help="机关层级（新机关必填）：" + LEVEL_HELP)
    new.add_argument("--region", help="所属行政区划，由外到内，用 / 或逗号分隔，如 河南省/新乡市/红旗区（新机关必填）")
    new.add_argument("--site", default=".", help="站点目录（默认：当前目录或其上级中含 gongkai.yaml 的目录）")
    new.set_defaults(func=cmd_new)

    build = sub.add_parser(
        "build",
        parents=[common],
        help="校验并生成整个门户站点",
        description="校验全部内容，无错误时生成静态门户；有错误时不写入任何文件。",
    )
    build.add_argument(
        "source", nargs="?", default=".", metavar="SOURCE", help="站点目录（含 gongkai.yaml；默认当前目录或其上级）"
    )
    build.add_argument("--out", help="输出目录（默认 SOURCE/site）")
    build.add_argument("--base-url", help="发布地址，如 https://example.gov.cn/nb/（用于规范链接、站点地图和订阅源）")
    build.add_argument("--no-search", action="store_true", help="不生成搜索索引（也就没有搜索页和搜索框）")
    build.add_argument(
        "--drafts", action="store_true", help="审核预览：包含 status: draft 的草稿并在每页标明（不要发布）"
    )
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser(
        "serve",
        parents=[common],
        help="本地预览：生成、打开浏览器、改动后自动重建并刷新（含草稿）",
        description="生成站点并在本机提供访问；监视 content/、themes/、overrides/ 与 gongkai.yaml，"
        "保存即重建并刷新浏览器。出错时浏览器显示错误页，服务器不停止。",
    )
    serve.add_argument("source", nargs="?", default=".", metavar="SOURCE", help="站点目录（默认当前目录或其上级）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认只在本机 127.0.0.1）")
    serve.add_argument("--open", action="store_true", help="启动后打开浏览器")
    serve.add_argument("--no-search", action="store_true", help="不生成搜索索引（重建更快）")
    serve.set_defaults(func=cmd_serve)

    imp = sub.add_parser(
        "import",
        parents=[common],
        help="把已发布的报告（文本、Markdown、HTML、.docx）转成内容文件，数字保持原文",
        description="读取按国家格式发布的年度报告，写出 content/<机关代码>/<年度>.md（新机关另写 _agency.yaml）。"
        "数字一律照原文：空白记为 null 并注明“原文空白”，原文不合勾稽关系的注明“原文如此”；"
        "表格不完整时报错并不写入任何文件（除非 --partial）。",
    )
    imp.add_argument(
        "files", nargs="+", metavar="FILE", help="原文文件：.txt/.md（制表符、竖线、每格一行）、.html、.docx"
    )
    imp.add_argument(
        "--agency", help="机关代码（默认：已有同名机关的代码，否则取文件名去掉年度，如 hongqi-2025.txt → hongqi）"
    )
    imp.add_argument("--year", type=int, help="报告年度（默认：取自标题或统计期限）")
    imp.add_argument("--name", help="机关名称（默认：取自标题）")
    imp.add_argument("--published", help="发布日期 YYYY-MM-DD（默认：取自原文，如“2026年1月23日”）")
    imp.add_argument(
        "--level", type=_level, metavar="LEVEL", help="新机关的层级（默认：由名称推测，需核实）：" + LEVEL_HELP
    )
    imp.add_argument("--region", help="新机关的行政区划，如 河南省/新乡市/红旗区（默认：由名称推测，需核实）")
    imp.add_argument("--content", help="内容目录（默认：当前站点的 content/）")
    imp.add_argument("--force", action="store_true", help="覆盖已有的报告文件")
    imp.add_argument("--partial", action="store_true", help="原文表格不完整时仍写入：缺失处为 null 并注明“原文缺失”")
    imp.add_argument("--dry-run", action="store_true", help="只显示将写入的内容和校验结果，不写文件")
    imp.set_defaults(func=cmd_import)

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help="生成一个合成的示例站点（N 份通过全部校验的报告），供试用、测试和性能测试",
        description="在 DIR 写 gongkai.yaml 和 content/：N 份合成报告（两种格式），数字逐年衔接、通过全部校验；"
        "按比例含逾期、缺失、草稿和原文空白的报告。同一种子生成的文件逐字节相同。",
    )
    demo.add_argument("reports", metavar="N", type=int, help="报告份数")
    demo.add_argument("out", metavar="DIR", help="输出目录（其中的 content/ 会被清空重写）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    demo.add_argument("--years", default="2019-2025", help="年度范围（默认 2019-2025）")
    demo.add_argument("--district", help="只生成一个区县的机关，如 河南省/新乡市/红旗区（示例门户用）")
    demo.add_argument("--district-slug", default="", help="该区县机关代码的前缀（默认取区县名的拼音）")
    demo.add_argument("--late", type=float, default=0.10, help="逾期发布的报告所占比例（默认 0.10）")
    demo.add_argument("--missing", type=float, default=0.05, help="应报而缺失的报告所占比例（默认 0.05）")
    demo.add_argument("--drafts", type=float, default=0.0, help="草稿所占比例（默认 0）")
    demo.add_argument("--blanks", type=float, default=0.0, help="含原文空白单元格（已说明）的报告比例（默认 0）")
    demo.set_defaults(func=cmd_demo)

    schema = sub.add_parser(
        "schema",
        parents=[common],
        help="导出 JSON Schema（供编辑器校验与补全）",
        description="把报告（2021、2019 格式）、_agency.yaml 与 gongkai.yaml 的 JSON Schema 写入目录。",
    )
    schema.add_argument("--out", default="schema", help="输出目录（默认 ./schema）")
    schema.set_defaults(func=cmd_schema)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except GongkaiError as e:
        print(f"gongkai: {e.text(args.lang)}", file=sys.stderr)
        return e.exit_code


# ---------------------------------------------------------------------- check


def _display_path(root: Path, rel: str) -> str:
    full = root / rel
    try:
        return os.path.relpath(full, Path.cwd())
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(full)


def _within(root: Path, rel: str, scopes: list[Path]) -> bool:
    full = (root / rel).resolve()
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
        for doc in source.documents():
            lines[(root, doc.rel)] = doc.lines
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
        result = builder.build(root, out, base_url=args.base_url, search=not args.no_search, drafts=args.drafts)
    except ContentError as e:
        for d in e.diagnostics:
            if d.severity is Severity.ERROR:
                print(format_text(_relocate(root, d), args.lang, e.source_line(d)))
        errors = sum(d.severity is Severity.ERROR for d in e.diagnostics)
        print(say("build_failed", args.lang, count=errors, command=_check_command(root)), file=sys.stderr)
        return EXIT_CONTENT
    if result.warnings:
        print(say("warnings_hint", args.lang, count=result.warnings, command=_check_command(root)))
    out_at = say("output_at", args.lang, out=_display_path(root, str(result.out)))
    print(result.summary(args.lang) + out_at)
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
    code = EXIT_OK
    for name in args.files:
        source = Path(name)
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
        except importer.UnreadableOriginal as e:
            print(f"gongkai: {e.text(args.lang)}", file=sys.stderr)
            code = max(code, EXIT_CONTENT)
            continue
        _print_import(result, args.dry_run, args.lang)
        if any(d.severity is Severity.ERROR for d in result.diagnostics):
            code = max(code, EXIT_CONTENT)
    return code


def _print_import(result: Any, dry_run: bool, lang: str) -> None:
    imported = result.imported
    if dry_run:
        print(result.agency_text + ("\n" if result.agency_text else "") + result.text)
    verb = say("import_would_write" if dry_run else "import_wrote", lang)
    if result.agency_file is not None:
        print(say("import_agency", lang, verb=verb, path=result.agency_file))
        if result.level_guessed:
            print(say("import_level_guessed", lang, level=result.level_guessed, file=result.agency_file.name))
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
