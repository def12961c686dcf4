"""``gongkai serve``: build, serve over HTTP, watch, rebuild, reload the browser.

The ``livereload`` package sits behind :func:`serve` alone, so it can be swapped
for a standard-library server if it bites. Known traps, handled here:

- it drops a reload that comes within 3 s of the previous one
  (``LiveReloadHandler.DEFAULT_RELOAD_TIME``): set to 0, so two quick saves end
  with the browser showing the second;
- each watched path is a task with its own callback, so one change can run
  several builds: every callback is the same :meth:`Rebuilder.rebuild`, which
  does nothing when the watched files have not changed since the last build.

Every rebuild is a full, atomic build into a folder outside the site (zola PR
#1114: partial rebuilds in serve caused stale pages). A build that fails never
stops the server: every page then shows the diagnostics, and the next good
build brings the site back. The live-reload script is added to pages by the
server as it sends them; nothing of it is written to disk, so ``build`` output
never carries it.
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import build as builder
from .cache import Cache
from .content import CONFIG_NAME, CONTENT_DIR
from .errors import ContentError, Diagnostic, Severity, TemplateError, format_text

WATCHED = (CONTENT_DIR, "themes", "overrides", CONFIG_NAME)


class Rebuilder:
    """One idempotent rebuild for every watch task; it never raises."""

    def __init__(self, source: Path, out: Path, drafts: bool = True, search: bool = True, log: Any = None) -> None:
        self.source = source.resolve()
        self.out = out
        self.drafts = drafts
        self.search = search
        self.last: tuple[tuple[str, int, int], ...] | None = None
        self.ok = False
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.cache = Cache()  # parsed and judged files, kept in memory between rebuilds

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Every watched file with its modification time and size."""
        found: list[tuple[str, int, int]] = []
        for name in WATCHED:
            root = self.source / name
            paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
            for p in paths:
                if p.is_file():
                    st = p.stat()
                    found.append((str(p), st.st_mtime_ns, st.st_size))
        return tuple(found)

    def rebuild(self, force: bool = False) -> bool:
        """Build if anything watched changed; False when there was nothing to do."""
        fingerprint = self.fingerprint()
        if not force and fingerprint == self.last:
            return False
        self.last = fingerprint
        started = time.perf_counter()
        try:
            result = builder.build(self.source, self.out, drafts=self.drafts, search=self.search, cache=self.cache)
        except ContentError as e:
            errors = [d for d in e.diagnostics if d.severity is Severity.ERROR]
            for d in errors:
                self.log(format_text(d))
            self.log(f"构建失败：{len(errors)} 个错误（浏览器中显示错误页；改正后自动恢复）")
            self._error_page(errors=errors)
        except TemplateError as e:
            self.log(str(e))
            self._error_page(template=e)
        except Exception as e:  # the server must outlive any failure of a build
            self.log(f"构建失败：{type(e).__name__}: {e}")
            self._error_page(other=f"{type(e).__name__}: {e}")
        else:
            self.ok = True
            self.log(f"{result.summary()}（{time.strftime('%H:%M:%S')}）")
            return True
        self.ok = False
        self.log(f"用时 {time.perf_counter() - started:.1f} 秒")
        return True

    def _error_page(
        self, errors: list[Diagnostic] | None = None, template: TemplateError | None = None, other: str | None = None
    ) -> None:
        """Put the error on every page the browser may be looking at."""
        page = error_page(self.source, errors or [], template, other)
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / builder.MARKER).write_text("gongkai\n", encoding="utf-8")
        pages = list(self.out.rglob("*.html")) or [self.out / "index.html"]
        for p in pages:
            p.write_text(page, encoding="utf-8")


def error_page(source: Path, errors: list[Diagnostic], template: TemplateError | None, other: str | None) -> str:
    """A self-contained page (no theme: the theme may be what is broken)."""
    items = []
    for d in errors:
        lines = (
            (source / d.path).read_text("utf-8", errors="replace").splitlines() if (source / d.path).is_file() else []
        )
        src = lines[d.line - 1] if 0 < d.line <= len(lines) else ""
        label = f"{d.label}：" if d.label else ""
        items.append(
            f"<li><code>{html.escape(d.path)}:{d.line}:{d.col}</code> <strong>{html.escape(d.rule)}</strong> "
            f"{html.escape(d.field)}<br>{html.escape(label + d.message())}"
            + (f"<pre>{html.escape(src)}</pre>" if src else "")
            + "</li>"
        )
    if template is not None:
        items.append(
            f"<li><code>{html.escape(template.template)}:{template.line}</code> 模板错误："
            f"{html.escape(template.message)}</li>"
        )
    if other is not None:
        items.append(f"<li>{html.escape(other)}</li>")
    count = len(errors) or 1
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>构建失败：{count} 个错误</title><style>"
        "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:0;color:#1f2328}"
        "header{background:#b3261e;color:#fff;padding:1rem 1.5rem}h1{margin:0;font-size:1.3rem}"
        "main{padding:1rem 1.5rem;max-width:70rem}li{margin:0 0 1rem;line-height:1.6}"
        "pre{background:#f6f8fa;padding:.4rem .6rem;overflow-x:auto;margin:.3rem 0 0}code{font-size:.95em}"
        '</style></head><body><header><h1 id="gongkai-error">'
        f"构建失败：{count} 个错误</h1></header><main>"
        "<p>改正下列问题并保存，页面会自动刷新。已发布的站点不受影响。</p>"
        f"<ol>{''.join(items)}</ol></main></body></html>"
    )


def serve(
    source: Path, port: int = 8000, host: str = "127.0.0.1", open_browser: bool = False, search: bool = True
) -> None:
    """Build ``source``, serve it, and rebuild and reload on every change (blocks)."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler

    work = Path(tempfile.mkdtemp(prefix="gongkai-serve-"))
    out = work / "site"
    rebuilder = Rebuilder(source, out, drafts=True, search=search)
    rebuilder.rebuild(force=True)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never drop a reload (the package drops those within 3 s)
    server = Server()
    for name in WATCHED:
        path = source / name
        if path.exists():
            server.watch(str(path), rebuilder.rebuild)
    print(f"正在预览 {source}：http://{host}:{port}/（含草稿；Ctrl+C 停止）", file=sys.stderr, flush=True)
    try:
        server.serve(port=port, host=host, root=str(out), open_url_delay=1 if open_browser else None, restart_delay=0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


__all__ = ["Rebuilder", "error_page", "serve"]
