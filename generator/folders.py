"""The output folder as a build fills it: a fresh folder swapped in whole, or the last site patched.

Either way a build that fails before its last step leaves the published site as it was, and
every file is replaced in one step (a reader gets the old file or the new one, never half):

- :func:`staging` (no earlier site): everything is written into a folder beside the output,
  which then replaces it by one rename.
- :func:`patching` (an earlier site, with its marker): what changed is written into a folder
  beside the output; files the build reuses stay where they are. At the end the new files are
  renamed into the site one by one, files the build no longer makes are removed, and the marker
  is written last. While those renames run (milliseconds for one edit) the marker says the
  folder is incomplete, so a build interrupted there is followed by a full one.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
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

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
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
        return True


@contextmanager
def staging(out: Path) -> Iterator[Stage]:
    """Build beside ``out``, then swap; on any failure the old ``out`` is untouched."""
    tmp = _fresh_beside(out)
    try:
        stage = Stage(tmp)
        yield stage
        (tmp / MARKER).write_text(json.dumps(stage.manifest, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


class Patch(Stage):
    """New and changed files, written beside the site ``out`` and renamed into it at the end."""

    def __init__(self, root: Path, out: Path) -> None:
        super().__init__(root)
        self.out = out
        self.kept: set[str] = set()  # files of the last site this build keeps as they are

    def reuse(self, old: Path, rel: str) -> bool:
        """The file is unchanged: it stays in the site where it is."""
        if old != self.out / rel or not old.is_file():
            return False
        self.count += 1
        self.kept.add(rel)
        return True

    def commit(self) -> None:
        """Rename the new files into the site, remove what the site no longer has, write the marker."""
        old = set(tree(self.out))
        new = sorted(tree(self.root))
        write_atomically(self.out / MARKER, json.dumps({"incomplete": True}).encode("utf-8"))
        made: set[Path] = set()
        for rel in new:
            target = self.out / rel
            if target.parent not in made:
                _make_folder(target.parent, self.out)
                made.add(target.parent)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            os.replace(self.root / rel, target)
        for rel in sorted(old - set(new) - self.kept - {MARKER}):
            remove_file(self.out, rel)
        write_atomically(self.out / MARKER, json.dumps(self.manifest, sort_keys=True).encode("utf-8"))


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


def _make_folder(folder: Path, top: Path) -> None:
    """``folder`` as a folder under ``top``, replacing a file of the last site that stands in its way."""
    for parent in [*reversed(folder.relative_to(top).parents), folder.relative_to(top)]:
        path = top / parent
        if path.is_file() or path.is_symlink():
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


@contextmanager
def patching(out: Path) -> Iterator[Patch]:
    """Write what changed beside ``out``, then patch it in; on any failure ``out`` is untouched."""
    tmp = _fresh_beside(out)
    try:
        stage = Patch(tmp, out)
        yield stage
        stage.commit()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fresh_beside(out: Path) -> Path:
    """An empty folder beside ``out`` for this build (what an interrupted build left there is removed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp
