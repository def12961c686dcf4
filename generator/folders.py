"""The output folder as a build fills it: a fresh folder, swapped in whole.

A build that fails before its last step leaves the published site as it was, and
every file is replaced in one step (a reader gets the old file or the new one, never half):

- :func:`staging`: everything is written into a folder beside the output (a file unchanged since
  the last site is a hard link to it, not a copy), which then takes the output's place in one
  step (:func:`swap`). A build killed at any moment leaves the old site or the new one.
- :func:`locked`: one build writes a given output folder at a time.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MARKER = ".gongkai-site"  # written into every output folder, so a rebuild knows it may replace it


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader gets the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")  # two writers never share one
    tmp.write_bytes(data)
    os.replace(tmp, path)


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link where the file system allows, else a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


class Stage:
    """A folder being filled; paths are relative to the future site root."""

    direct = True  # the folder is this build's own: pages may be written straight into it, by any process

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self.manifest: dict[str, Any] = {}
        self.folders: set[Path] = set()  # made already (one mkdir per folder, not per file)
        self.linked: set[str] = set()  # files that are hard links to the published site's

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        if rel in self.linked:  # never write through a link into the published site: a new file instead
            path.unlink()
            self.linked.discard(rel)
        self.count += 1
        return path

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._path(rel).write_bytes(data)

    def copy(self, src: Path, rel: str) -> None:
        shutil.copyfile(src, self._path(rel))

    def reuse(self, old: Path, rel: str) -> bool:
        """Take a file from the previous build (a hard link where the file system allows)."""
        if not old.is_file():
            return False
        link_or_copy(old, self._path(rel))
        self.linked.add(rel)
        return True


@contextmanager
def staging(out: Path) -> Iterator[Stage]:
    """Build beside ``out``, then swap; on any failure the old ``out`` is untouched.

    Files of the last site that are unchanged are hard links into the new folder (:meth:`Stage.reuse`),
    so the new folder is a whole site at every moment and the swap is one step: the old site or the
    new one stands at ``out``, whenever the build is killed.
    """
    tmp = _fresh_beside(out)
    try:
        stage = Stage(tmp)
        yield stage
        (tmp / MARKER).write_text(json.dumps(stage.manifest, sort_keys=True), encoding="utf-8")
        swap(tmp, out)
        if stage.count >= REMOVED_APART and tmp.exists():  # (a first build has no old site)
            remove_apart(tmp, out.parent / f".{out.name}.old-{os.getpid()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the old site, after the swap; this build's, after a failure


# Removing the old site costs about as much as linking the new one (4–5 s for the 35,000 files of
# 10,000 reports): from this many files on it is left to a process of its own, and the build ends
# once the new site is in. What such a process has not removed when the next build starts, that
# build removes (:func:`clear_leftovers`).
REMOVED_APART = 5000


def remove_apart(folder: Path, parked: Path) -> None:
    """Move ``folder`` aside to ``parked`` and remove it in a detached process."""
    os.replace(folder, parked)
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    subprocess.Popen(  # our own interpreter, on our own folder
        [sys.executable, "-c", code, str(parked)],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def swap(new: Path, out: Path) -> None:
    """Put the folder ``new`` at ``out``; the folder that stood there is then at ``new``.

    On Linux one ``renameat2(RENAME_EXCHANGE)`` does it, so ``out`` is never missing; elsewhere two
    renames, between which a reader finds no ``out`` for a moment (and :func:`clear_leftovers` puts
    the old site back should the build be killed just then)."""
    if not out.exists():
        os.replace(new, out)
        return
    if _exchange(new, out):
        return
    parked = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, parked)
    os.replace(new, out)
    os.replace(parked, new)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically where the system can (Linux ≥ 3.15, glibc ≥ 2.28)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = _libc()
    if libc is None:
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if libc.renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False  # the file system cannot: rename in two steps
    raise OSError(err, os.strerror(err), str(b))


@functools.cache
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return libc
    except (OSError, AttributeError):
        return None


def remove_file(top: Path, rel: str) -> None:
    """Remove ``top/rel`` and the folders it leaves empty (a fresh build has no empty folders either)."""
    path = top / rel
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == top or any(folder.iterdir()):
            break
        folder.rmdir()


def tree(folder: Path) -> list[str]:
    """Every file (or link) under ``folder`` as a relative POSIX path; linked folders are not entered."""
    found: list[str] = []
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(folder / rel if rel else folder) as entries:
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(name)
                else:
                    found.append(name)
    return found


def clear_leftovers(out: Path) -> None:
    """Remove what killed builds left beside ``out`` (call with :func:`locked` held, so that no
    other build is using it): folders being built, and old sites parked by a two-step swap — one
    of which goes back to ``out`` if the kill fell between the two renames."""
    if not out.parent.is_dir():
        return
    for parked in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists():
            os.replace(parked, out)
        else:
            shutil.rmtree(parked, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _fresh_beside(out: Path) -> Path:
    """An empty folder beside ``out`` for this build (the build has cleared what killed ones left)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


@contextmanager
def locked(out: Path, wait: float, waiting: Callable[[int | None], None] | None = None) -> Iterator[None]:
    """Hold the lock of the output folder ``out`` (one build writes a site at a time).

    A second build waits up to ``wait`` seconds (``waiting`` is told once, with the holder's
    process id), then stops with :class:`BuildLocked`. The lock is ``flock`` on a file beside
    ``out``, which the system releases when its holder dies (a killed build never leaves it held)
    and the holder removes when done; a lock won on a file removed meanwhile is tried again."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = out.parent / f".{out.name}.lock"
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = _holder(path)
            if time.monotonic() >= deadline:
                raise BuildLocked(out, holder, wait) from None
            if not told and waiting is not None:
                waiting(holder)
                told = True
            time.sleep(0.1)
            continue
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # its holder removed it as we locked it: lock the file that stands there now
    try:
        os.write(fd, str(os.getpid()).encode("ascii"))
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still held: a build that opened it meanwhile finds it gone and retries
        os.close(fd)


def _holder(path: Path) -> int | None:
    try:
        return int(path.read_text("ascii").strip())
    except (OSError, ValueError):
        return None


class BuildLocked(Exception):
    """Another build holds the output folder's lock."""

    def __init__(self, out: Path, holder: int | None, wait: float) -> None:
        super().__init__(f"{out} is being built by process {holder}")
        self.out, self.holder, self.wait = out, holder, wait
