"""``gongkai serve``: build, serve over HTTP, watch, rebuild, reload the browser.

The ``livereload`` package sits behind :func:`serve` alone, so it can be swapped
for a standard-library server if it bites. Known traps, handled here:

- it drops a reload that comes within 3 s of the previous one
  (``LiveReloadHandler.DEFAULT_RELOAD_TIME``): set to 0, so two quick saves end
  with the browser showing the second;
- it polls every 0.8 s, walking the watched folders, and each watched path is
  a task with its own callback, so one change can run several builds: one
  watcher of ours (:func:`_watcher`) asks :meth:`Rebuilder.rebuild`, which
  walks once and does nothing when no watched file changed, at a pace set by
  the site's size (every 0.1 s for a small one).

Rebuilds are incremental (a :class:`~generator.live.LiveBuilder` keeps the
parsed files, the model, compiled templates and what it wrote) and proven equal
to clean builds by tests/test_incremental.py. The served folder is a symbolic
link that points at the site, or, while the content has errors, at a mirror of
it whose every page lists the diagnostics; the site itself is never overwritten
with error pages, so the fix is again a small rebuild. The search index is
written after the pages, in a thread; meanwhile the search page says it is
being updated, and the browser reloads when it is done. The live-reload script
is added by the server as it sends pages: ``build`` output never carries it.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .content import CONFIG_NAME, CONTENT_DIR
from .errors import ContentError, Diagnostic, Severity, TemplateError, format_text
from .folders import link_or_copy
from .live import LiveBuilder, PendingIndex
from .messages import say

WATCHED = (CONTENT_DIR, "themes", "overrides", CONFIG_NAME)
SETTLE_SECONDS = 0.05  # a changed file must keep its size and time this long before it is built


class Rebuilder:
    """One idempotent rebuild for every watch task; it never raises.

    ``work`` is a private folder: ``work/site`` the live site, ``work/error`` the error mirror,
    ``work/root`` the link the server serves.
    """

    def __init__(
        self,
        source: Path,
        work: Path,
        drafts: bool = True,
        search: bool = True,
        log: Any = None,
        on_indexed: Callable[[], None] | None = None,
        lang: str = "zh-CN",
    ) -> None:
        self.source = source.resolve()
        self.work = work
        self.root = work / "root"
        self.site_dir = work / "site"
        self.error_dir = work / "error"
        work.mkdir(parents=True, exist_ok=True)
        self.builder = LiveBuilder(self.source, self.site_dir, drafts=drafts, search=search)
        self.last: tuple[tuple[str, int, int], ...] | None = None
        self.ok = False
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.lang = lang
        self.lock = threading.Lock()  # one writer of the served folders at a time: a rebuild or the indexer
        self.indexer = Indexer(self, on_indexed)
        self.builds = 0
        self.walk_seconds = 0.0  # how long one look at the watched files takes (sets the watcher's pace)

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Every watched file with its modification time and size."""
        found: list[tuple[str, int, int]] = []

        def walk(folder: str) -> None:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path)
                    elif entry.is_symlink() or entry.is_file():  # a link is watched as a link (never followed)
                        st = entry.stat(follow_symlinks=False)
                        found.append((entry.path, st.st_mtime_ns, st.st_size))

        for name in WATCHED:
            path = self.source / name
            if path.is_file():
                st = path.stat()
                found.append((str(path), st.st_mtime_ns, st.st_size))
            elif path.is_dir():
                walk(str(path))
        return tuple(sorted(found))

    def rebuild(self, force: bool = False) -> bool:
        """Build if anything watched changed; False when there was nothing to do."""
        walk_started = time.perf_counter()
        fingerprint = self.fingerprint()
        self.walk_seconds = time.perf_counter() - walk_started
        if not force and fingerprint == self.last:
            return False
        if not force and self.last is not None:
            fingerprint = self._settled(fingerprint)
        self.last = fingerprint
        started = time.perf_counter()
        with self.lock:
            try:
                result = self.builder.run()
            except ContentError as e:
                errors = [d for d in e.diagnostics if d.severity is Severity.ERROR]
                for d in errors:
                    self.log(format_text(d, self.lang, e.source_line(d)))
                self.log(say("serve_failed", self.lang, count=len(errors)))
                self._show_error(errors=errors)
            except TemplateError as e:
                self.log(str(e))
                self._show_error(template=e)
            except Exception as e:  # the server must outlive any failure of a build
                self.log(say("serve_crashed", self.lang, error=f"{type(e).__name__}: {e}"))
                self._show_error(other=f"{type(e).__name__}: {e}")
            else:
                self.ok = True
                _point(self.root, self.site_dir)
                self.builds += 1
                self.log(
                    say("serve_built", self.lang, summary=result.summary(self.lang), time=time.strftime("%H:%M:%S"))
                )
                pending = self.builder.pending
                if pending is not None:
                    if self.builds == 1:  # the first build starts the server complete, index included
                        self.builder.install_index(self.builder.prepare_index(pending), pending)
                    else:
                        self.indexer.submit(pending)
                        self.log(say("serve_index_pending", self.lang))
                return True
        self.ok = False
        self.log(say("serve_took", self.lang, seconds=f"{time.perf_counter() - started:.1f}"))
        return True

    def _settled(self, seen: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, int, int], ...]:
        """``seen`` once the files that changed keep their size and time for a moment: an editor saving
        in place writes a file in pieces, and a half-written report must not be built (an error page
        that flashes by). Waits at most two seconds."""
        before = set(self.last or ())
        changed = [entry for entry in seen if entry not in before]
        deadline = time.monotonic() + 2.0
        while changed and time.monotonic() < deadline:
            time.sleep(SETTLE_SECONDS)
            now = []
            for path, mtime, size in changed:
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                if (st.st_mtime_ns, st.st_size) != (mtime, size):
                    now.append((path, st.st_mtime_ns, st.st_size))
            if not now:
                break
            changed = now
            seen = self.fingerprint()
        return seen

    def _show_error(
        self, errors: list[Diagnostic] | None = None, template: TemplateError | None = None, other: str | None = None
    ) -> None:
        """Serve a mirror of the site whose every page is the error page (the site itself is kept)."""
        page = self.work / "error.html"
        # Written in place, same inode: every link in the mirror shows the new text.
        page.write_text(error_page(self.source, errors or [], template, other), encoding="utf-8")
        pages = [p.relative_to(self.site_dir) for p in self.site_dir.rglob("*.html")] if self.site_dir.is_dir() else []
        for rel in pages or [Path("index.html")]:
            target = self.error_dir / rel
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(page, target)
            elif not target.samefile(page):  # a copy (no hard links here): refreshed each time
                shutil.copyfile(page, target)
        _point(self.root, self.error_dir)


class Indexer:
    """Writes search indexes after the pages, in a thread; the latest request wins."""

    def __init__(self, rebuilder: Rebuilder, on_indexed: Callable[[], None] | None) -> None:
        self.rebuilder = rebuilder
        self.on_indexed = on_indexed
        self.wanted: PendingIndex | None = None
        self.ready = threading.Condition()
        self.busy = False
        self.thread: threading.Thread | None = None

    def submit(self, pending: PendingIndex) -> None:
        with self.ready:
            self.wanted = pending
            self.ready.notify()
        if self.thread is None:
            self.thread = threading.Thread(target=self._loop, name="gongkai-index", daemon=True)
            self.thread.start()

    def idle(self, timeout: float = 60) -> bool:
        """Wait until no index is being or waiting to be written (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        with self.ready:
            while self.wanted is not None or self.busy:
                if not self.ready.wait(timeout=max(0.0, deadline - time.monotonic())):
                    return False
        return True

    def _loop(self) -> None:
        builder = self.rebuilder.builder
        while True:
            with self.ready:
                while self.wanted is None:
                    self.ready.wait()
                pending, self.wanted, self.busy = self.wanted, None, True
            started = time.perf_counter()
            folder: Path | None = None
            try:
                folder = builder.prepare_index(pending)
                with self.rebuilder.lock:
                    if builder.pending is pending:  # not superseded by a newer build meanwhile
                        builder.install_index(folder, pending)
                        folder = None
                        seconds = f"{time.perf_counter() - started:.1f}"
                        self.rebuilder.log(say("serve_index_done", self.rebuilder.lang, seconds=seconds))
                        if self.on_indexed is not None:
                            self.on_indexed()
            except Exception as e:  # never take the server down
                error = f"{type(e).__name__}: {e}"
                self.rebuilder.log(say("serve_index_failed", self.rebuilder.lang, error=error))
            finally:
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                with self.ready:
                    self.busy = False
                    self.ready.notify_all()


def _point(link: Path, target: Path) -> None:
    """Make ``link`` a symbolic link to ``target``, atomically."""
    if link.is_symlink() and os.readlink(link) == str(target):
        return
    tmp = link.with_name(f".{link.name}.tmp")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target, target_is_directory=True)
    os.replace(tmp, link)


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


def _watcher(rebuilder: Rebuilder, indexed: threading.Event) -> Any:
    """A livereload watcher that asks the rebuilder, at a pace the site's size allows.

    livereload polls every 0.8 s by walking the watched folders itself, and then the rebuild
    walks them again; here one walk (:meth:`Rebuilder.fingerprint`) decides, every 0.1 s on a
    small site and less often on a large one (three times the walk's own time), so a save is
    seen within a fraction of a second.
    """
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class RebuildWatcher(Watcher):  # type: ignore[misc]
        def start(self, callback: Callable[[], None]) -> bool:
            def tick() -> None:
                started = time.perf_counter()
                callback()
                pace = min(1.0, max(0.1, 3 * rebuilder.walk_seconds))
                IOLoop.current().call_later(max(0.05, pace - (time.perf_counter() - started) / 4), tick)

            IOLoop.current().call_later(0.1, tick)
            return True

        def examine(self) -> tuple[str | None, Any]:
            if self._changes:
                return self._changes.pop()  # type: ignore[no-any-return]
            self.filepath = None
            if rebuilder.rebuild():
                return "*", None
            if indexed.is_set():
                indexed.clear()
                return "*", None
            return None, None

    return RebuildWatcher()


class _ServerLog(logging.Handler):
    """livereload's and tornado's log records, said in gongkai's words (and language) or left out."""

    QUIET = ("Serving on", "Start watching changes", "Start detecting changes", "Watch current working directory")

    def __init__(self, rebuilder: Rebuilder) -> None:
        super().__init__(logging.INFO)
        self.rebuilder = rebuilder

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip()
        if record.name == "tornado.access" and record.levelno < logging.WARNING:
            return  # every request served: too much for an editor's terminal
        if any(text.startswith(q) for q in self.QUIET):
            return
        if text.startswith("Browser Connected"):
            text = say("browser_connected", self.rebuilder.lang, url=text.partition(":")[2].strip())
            self.rebuilder.log(text)
            return
        self.rebuilder.log(say("serve_note", self.rebuilder.lang, text=text.splitlines()[0] if text else ""))


def serve(
    source: Path,
    port: int = 8000,
    host: str = "127.0.0.1",
    open_browser: bool = False,
    search: bool = True,
    lang: str = "zh-CN",
) -> None:
    """Build ``source``, serve it, and rebuild and reload on every change (blocks)."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, StaticFileHandler
    from tornado.web import HTTPError

    class Files(StaticFileHandler):  # type: ignore[misc]
        def parse_url_path(self, url_path: str) -> str:
            if "\0" in url_path:  # /%00: a bad request, not a server error with a traceback in the log
                raise HTTPError(400)
            return str(super().parse_url_path(url_path))

    sweep_stale_folders()
    work = Path(tempfile.mkdtemp(prefix=SERVE_PREFIX))
    (work / OWNER).write_text(str(os.getpid()), encoding="ascii")
    signal.signal(signal.SIGTERM, _stop)  # stopped by a service manager or kill: clean up as for Ctrl+C
    signal.signal(signal.SIGHUP, _stop)
    indexed = threading.Event()  # set when a search index is in: the browser then reloads
    rebuilder = Rebuilder(source, work, drafts=True, search=search, on_indexed=indexed.set, lang=lang)
    rebuilder.rebuild(force=True)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never drop a reload (the package drops those within 3 s)

    class GongkaiServer(Server):  # type: ignore[misc]
        def _setup_logging(self) -> None:  # livereload would print its own English lines raw
            handler = _ServerLog(rebuilder)
            for name in ("livereload", "tornado"):
                logger = logging.getLogger(name)
                logger.setLevel(logging.INFO)
                logger.handlers[:] = [handler]
                logger.propagate = False

    server = GongkaiServer(watcher=_watcher(rebuilder, indexed))
    server.SFH = Files
    server.watch(str(source / CONTENT_DIR))  # a task, so livereload does not add the working directory
    print(say("serve_start", lang, source=source, url=f"http://{host}:{port}/"), file=sys.stderr, flush=True)
    try:
        server.serve(
            port=port, host=host, root=str(rebuilder.root), open_url_delay=1 if open_browser else None, restart_delay=0
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


SERVE_PREFIX = "gongkai-serve-"
OWNER = ".owner"  # the process id of the serve that made the folder


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def sweep_stale_folders(folder: Path | None = None) -> list[Path]:
    """Remove the private folders of ``gongkai serve`` processes that are gone (killed, so their own
    cleanup never ran); a folder whose process still runs, or without an owner, is left alone."""
    removed = []
    for work in Path(folder or tempfile.gettempdir()).glob(SERVE_PREFIX + "*"):
        try:
            pid = int((work / OWNER).read_text("ascii"))
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's, and running
        shutil.rmtree(work, ignore_errors=True)
        removed.append(work)
    return removed


__all__ = ["Indexer", "Rebuilder", "error_page", "serve", "sweep_stale_folders"]
