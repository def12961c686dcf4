"""The command line's words: each command's arguments and help, in Chinese (the portal's users' language)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import standard

LEVEL_HELP = "、".join(f"{code}（{name}）" for code, name in standard.LEVELS.items())


def level(text: str) -> str:
    """A level given as its code (county_department) or its Chinese name (县级部门)."""
    by_name = {name: code for code, name in standard.LEVELS.items()}
    if text in standard.LEVELS:
        return text
    if text in by_name:
        return by_name[text]
    raise argparse.ArgumentTypeError(f"“{text}”不是可用的层级，可用：{LEVEL_HELP}")


def _check(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="站点目录、机关目录或报告文件（默认：当前站点）")
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="输出格式：text（默认）、json、github（GitHub Actions 注释）",
    )
    p.add_argument("--strict", action="store_true", help="有警告也以退出码 1 结束")


def _init(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="站点目录（默认当前目录；不存在则新建）")
    p.add_argument("--title", help="站点名称（默认：<区划>政府信息公开工作年度报告）")
    p.add_argument("--region", help="所属行政区划，由外到内，如 河南省/新乡市/红旗区")


def _new(p: argparse.ArgumentParser) -> None:
    p.add_argument("agency", metavar="AGENCY", help="机关代码，如 hongqi-caizhengju")
    p.add_argument("year", metavar="YEAR", type=int, help="报告年度，如 2025")
    p.add_argument("--name", help="机关名称（新机关必填）")
    p.add_argument("--level", type=level, metavar="LEVEL", help="机关层级（新机关必填）：" + LEVEL_HELP)
    p.add_argument("--region", help="所属行政区划，由外到内，用 / 或逗号分隔，如 河南省/新乡市/红旗区（新机关必填）")
    p.add_argument("--site", default=".", help="站点目录（默认：当前目录或其上级中含 gongkai.yaml 的目录）")


def _build(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "source", nargs="?", default=".", metavar="SOURCE", help="站点目录（含 gongkai.yaml；默认当前目录或其上级）"
    )
    p.add_argument("--out", help="输出目录（默认 SOURCE/site）")
    p.add_argument("--base-url", help="发布地址，如 https://example.gov.cn/nb/（用于规范链接、站点地图和订阅源）")
    p.add_argument("--no-search", action="store_true", help="不生成搜索索引（也就没有搜索页和搜索框）")
    p.add_argument("--drafts", action="store_true", help="审核预览：包含 status: draft 的草稿并在每页标明（不要发布）")
    p.add_argument(
        "--only",
        metavar="REGION",
        help="分区构建：只构建所属行政区划以此开头的机关，如 河南省 或 河南省/新乡市（用 / 或逗号分隔）",
    )
    p.add_argument("--timings", action="store_true", help="打印每个步骤的用时")
    p.add_argument("--quiet", action="store_true", help="只打印问题（错误与警告数），不打印小结")
    p.add_argument(
        "--wait",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="另一个构建正在写同一输出目录时最多等待的秒数（默认 120），超时即停止，网站不变",
    )


def _serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", nargs="?", default=".", metavar="SOURCE", help="站点目录（默认当前目录或其上级）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只在本机 127.0.0.1）")
    p.add_argument("--open", action="store_true", help="启动后打开浏览器")
    p.add_argument("--no-search", action="store_true", help="不生成搜索索引（重建更快）")


def _import(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="原文文件或目录：.txt/.md（制表符、竖线、每格一行）、.html、.docx、.pdf；目录中的每个文件都导入（批量）",
    )
    p.add_argument(
        "--agency", help="机关代码（默认：已有同名机关的代码，否则取文件名去掉年度，如 hongqi-2025.txt → hongqi）"
    )
    p.add_argument("--year", type=int, help="报告年度（默认：取自标题或统计期限）")
    p.add_argument("--name", help="机关名称（默认：取自标题）")
    p.add_argument("--published", help="发布日期 YYYY-MM-DD（默认：取自原文，如“2026年1月23日”）")
    p.add_argument(
        "--level", type=level, metavar="LEVEL", help="新机关的层级（默认：由名称推测，需核实）：" + LEVEL_HELP
    )
    p.add_argument("--region", help="新机关的行政区划，如 河南省/新乡市/红旗区（默认：由名称推测，需核实）")
    p.add_argument("--content", help="内容目录（默认：当前站点的 content/）")
    p.add_argument("--force", action="store_true", help="覆盖已有的报告文件")
    p.add_argument("--partial", action="store_true", help="原文表格不完整时仍写入：缺失处为 null 并注明“原文缺失”")
    p.add_argument("--dry-run", action="store_true", help="只显示将写入的内容和校验结果，不写文件")
    p.add_argument("--report", metavar="CSV", help="把每个文件的结果（写入、含已说明的问题、拒绝及原因）写成 CSV 表")


def _demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("reports", metavar="N", type=int, help="报告份数")
    p.add_argument("out", metavar="DIR", help="输出目录（其中的 content/ 会被清空重写）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    p.add_argument("--years", default="2019-2025", help="年度范围（默认 2019-2025）")
    p.add_argument("--district", help="只生成一个区县的机关，如 河南省/新乡市/红旗区（示例门户用）")
    p.add_argument("--district-slug", default="", help="该区县机关代码的前缀（默认取区县名的拼音）")
    p.add_argument("--late", type=float, default=0.10, help="逾期发布的报告所占比例（默认 0.10）")
    p.add_argument("--missing", type=float, default=0.05, help="应报而缺失的报告所占比例（默认 0.05）")
    p.add_argument("--drafts", type=float, default=0.0, help="草稿所占比例（默认 0）")
    p.add_argument("--blanks", type=float, default=0.0, help="含原文空白单元格（已说明）的报告比例（默认 0）")


def _schema(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="schema", help="输出目录（默认 ./schema）")


# command: (help and description for its parser, the function adding its arguments)
COMMANDS: dict[str, tuple[dict[str, str], Callable[[argparse.ArgumentParser], None]]] = {
    "check": (
        dict(
            help="校验报告：表格勾稽关系、格式、及时性（不生成站点）",
            description="校验整个站点，或只报告给定文件/目录中的问题。",
        ),
        _check,
    ),
    "init": (
        dict(
            help="新建一个站点：gongkai.yaml（每项带中文说明）、content/、.gitignore、编辑器与 CI 配置",
            description="在 DIR（默认当前目录）写一个可以马上生成的新站点；已有的文件一律保留，从不覆盖。",
        ),
        _init,
    ),
    "new": (
        dict(
            help="新建一份全零的年度报告（以及新机关的 _agency.yaml）",
            description="在 content/<机关代码>/<年度>.md 写一份全零、带中文标注的报告；从不覆盖已有文件。",
        ),
        _new,
    ),
    "build": (
        dict(
            help="校验并生成整个门户站点",
            description="校验全部内容，无错误时生成静态门户；有错误时不写入任何文件。",
        ),
        _build,
    ),
    "serve": (
        dict(
            help="本地预览：生成、打开浏览器、改动后自动重建并刷新（含草稿）",
            description="生成站点并在本机提供访问；监视 content/、themes/、overrides/ 与 gongkai.yaml，"
            "保存即重建并刷新浏览器。出错时浏览器显示错误页，服务器不停止。",
        ),
        _serve,
    ),
    "import": (
        dict(
            help="把已发布的报告（文本、Markdown、HTML、.docx）转成内容文件，数字保持原文",
            description="读取按国家格式发布的年度报告，写出 content/<机关代码>/<年度>.md（新机关另写 _agency.yaml）。"
            "数字一律照原文：空白记为 null 并注明“原文空白”，原文不合勾稽关系的注明“原文如此”；"
            "表格不完整时报错并不写入任何文件（除非 --partial）。",
        ),
        _import,
    ),
    "demo": (
        dict(
            help="生成一个合成的示例站点（N 份通过全部校验的报告），供试用、测试和性能测试",
            description="在 DIR 写 gongkai.yaml 和 content/：N 份合成报告（两种格式），数字逐年衔接、通过全部校验；"
            "按比例含逾期、缺失、草稿和原文空白的报告。同一种子生成的文件逐字节相同。",
        ),
        _demo,
    ),
    "schema": (
        dict(
            help="导出 JSON Schema（供编辑器校验与补全）",
            description="把报告（2021、2019 格式）、_agency.yaml 与 gongkai.yaml 的 JSON Schema 写入目录。",
        ),
        _schema,
    ),
}
