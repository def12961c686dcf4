"""Find, read and split content files, keeping the line of every value.

This stage never judges content; it only turns bytes into data plus locations,
and reports what cannot be read at all (encoding, YAML syntax, duplicated keys,
a missing front-matter fence, a misplaced file) as diagnostics.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import pool
from .errors import Diagnostic, Severity, UsageError
from .standard import FieldPath, field_name

try:  # libyaml's composer is several times faster; the pure-Python one is equivalent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

CONFIG_NAME = "gongkai.yaml"
CONTENT_DIR = "content"
AGENCY_FILE = "_agency.yaml"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YEAR_FILE_RE = re.compile(r"^(\d{4})\.md$")
# The largest file read as content. The longest real report we know is about 150 KB; beyond these a
# file is a mistake (a pasted export, a log), refused before it is read rather than built for minutes.
REPORT_LIMIT = 4 * 1024 * 1024
YAML_LIMIT = 1024 * 1024

Location = tuple[int, int]  # 1-based line and column in the file


@dataclass
class Document:
    """One content file as data, with where each value stands in the file.

    Where each value stands (``values``, ``keys``) and the file's ``lines`` are only needed for a
    diagnostic, and weigh more than the data itself: they are found again from the file the first
    time they are asked for, so a build of many reports holds and sends only their data and body.
    """

    path: Path
    rel: str  # the path shown in diagnostics (relative to the site root)
    data: Any = None
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    digest: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    located: tuple[dict[FieldPath, Location], dict[FieldPath, Location], list[str]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def readable(self) -> bool:
        return isinstance(self.data, dict) and not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def values(self) -> dict[FieldPath, Location]:
        return self._located()[0]

    @property
    def keys(self) -> dict[FieldPath, Location]:
        return self._located()[1]

    @property
    def lines(self) -> list[str]:
        return self._located()[2]

    def _located(self) -> tuple[dict[FieldPath, Location], dict[FieldPath, Location], list[str]]:
        """The locations and lines, read again from the file if this document was made without them.

        A file whose bytes changed since it was read has no locations (its findings fall back to
        the file's head) rather than wrong ones.
        """
        if self.located is None:
            self.located = ({}, {}, [])
            try:
                raw = self.path.read_bytes()
            except OSError:
                return self.located
            if digest(raw) == self.digest or not self.digest:
                again = Document(path=self.path, rel=self.rel)
                text = _decode(raw, again)
                if text is not None:
                    (split_report if self.rel.endswith(".md") else _split_yaml)(text, again, located=True)
                    self.located = again.located or ({}, {}, [])
        return self.located

    def where(self, path: FieldPath, key: bool = False) -> Location:
        """The location of a value (or of its key); falls back to the nearest parent."""
        values, keys, _ = self._located()
        table = keys if key else values
        p = path
        while p:
            if p in table:
                return table[p]
            if p in keys:
                return keys[p]
            p = p[:-1]
        return (2 if self.rel.endswith(".md") else 1, 1)

    def error(
        self,
        loc: Location,
        rule: str,
        code: str,
        fld: str = "",
        label: str = "",
        severity: Severity = Severity.ERROR,
        **params: Any,
    ) -> Diagnostic:
        d = Diagnostic(self.rel, loc[0], loc[1], severity, rule, code, fld, label, params)
        self.diagnostics.append(d)
        return d


@dataclass
class AgencySource:
    slug: str
    doc: Document | None
    reports: dict[int, Document] = field(default_factory=dict)


@dataclass
class SiteSource:
    """Everything under a site root, read but not yet judged."""

    root: Path
    config: Document
    agencies: dict[str, AgencySource] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # layout problems
    # A partition (``--only``): the agencies left out because their region is elsewhere (known, not read).
    outside: set[str] = field(default_factory=set)

    def documents(self) -> list[Document]:
        docs = [self.config]
        for a in self.agencies.values():
            if a.doc is not None:
                docs.append(a.doc)
            docs.extend(a.reports[y] for y in sorted(a.reports))
        return docs


# --------------------------------------------------------------------- finding


def find_site_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``gongkai.yaml``."""
    start = start.resolve()
    for folder in [start if start.is_dir() else start.parent, *start.parents]:
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise UsageError("no_site", start=start)


PARSED_FIELDS = ("data", "body", "body_line", "diagnostics")  # what a parse keeps: locations are found again


def _parse_ahead(root: Path, content: Path, cache: Any, jobs: int, outside: set[str]) -> None:
    """Parse the reports whose bytes the cache does not know, on ``jobs`` processes, into the cache."""
    paths = []
    for path in sorted(
        p
        for p in content.glob("*/*.md")
        if YEAR_FILE_RE.match(p.name)
        and not p.is_symlink()
        and not p.parent.is_symlink()
        and p.parent.name not in outside
    ):
        try:
            if path.stat().st_size > REPORT_LIMIT:
                continue
            known = cache.digests.get(str(path)) or digest(path.read_bytes())
            if cache.get_parsed("report", known) is None:
                paths.append(path)
        except OSError:
            continue  # read again, and said, where it is read for good
    if not pool.worth_it(len(paths), jobs):
        return
    for found in pool.run(paths, lambda p: _parsed_state(p, root), jobs, step="read"):
        if found is not None and cache.get_parsed("report", found[0]) is None:
            cache.put_parsed("report", *found)


def _parsed_state(path: Path, root: Path) -> tuple[str, dict[str, Any]] | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    fresh = read_report_file(path, root, raw)
    return digest(raw), {k: getattr(fresh, k) for k in PARSED_FIELDS}


def _cached(read: Any, kind: str, path: Path, root: Path, cache: Any) -> Document:
    """``read(path, root)``, or its result from ``cache`` when the file's bytes are unchanged."""
    if cache is None:
        return read(path, root)  # type: ignore[no-any-return]
    st = path.stat()
    signature = (st.st_mtime_ns, st.st_size, st.st_ino)
    raw: bytes | None = None
    known = cache.known_digest(str(path), signature)
    handed = cache.digests.get(str(path))
    if known is None and handed is not None and (kind, handed) in cache.parsed:
        known = handed  # read moments ago by this build, and parsed by an earlier one
    if known is None and st.st_size > max(REPORT_LIMIT, YAML_LIMIT):
        return read(path, root)  # type: ignore[no-any-return]  # refused unread: nothing to keep
    if known is None:
        raw = path.read_bytes()
        known = digest(raw)
        cache.remember(str(path), signature, known)
    state = cache.get_parsed(kind, known)
    doc = Document(path=path, rel=_rel(path, root), digest=known)
    if state is None:
        fresh: Document = read(path, root, raw if raw is not None else path.read_bytes())
        cache.put_parsed(kind, known, {k: getattr(fresh, k) for k in PARSED_FIELDS})
        state = cache.get_parsed(kind, known)
    for k in PARSED_FIELDS:
        value = state[k]
        setattr(doc, k, list(value) if k == "diagnostics" else value)
    # Diagnostics name the file: a cached parse of the same bytes at another path says this one.
    doc.diagnostics = [d if d.path == doc.rel else d.at(doc.rel) for d in doc.diagnostics]
    return doc


def find_content_folder(start: Path) -> Path | None:
    """A folder of agencies (``<slug>/_agency.yaml``) at or just above ``start``, outside any site.

    ``gongkai check`` judges such a folder (what ``gongkai import --content DIR`` writes) as the
    ``content/`` of a site with default settings.
    """
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, folder.parent, folder.parent.parent):
        if any(candidate.glob(f"*/{AGENCY_FILE}")):
            return candidate
    return None


def load_site(
    root: Path,
    cache: Any = None,
    content_dir: Path | None = None,
    jobs: int = 1,
    only: tuple[str, ...] = (),
) -> SiteSource:
    """Read ``gongkai.yaml`` and every agency folder under ``content/``.

    With a :class:`~generator.cache.Cache`, files whose bytes are unchanged are not parsed again,
    and the reports that must be parsed are parsed on ``jobs`` processes first (into the cache).
    ``content_dir``: a folder of agencies read in place of ``content/`` (a site without
    ``gongkai.yaml`` then has default settings).
    """
    root = root.resolve()
    content = content_dir.resolve() if content_dir is not None else root / CONTENT_DIR
    outside = _outside(content, root, only, cache) if only else set()
    if cache is not None and jobs > 1:
        _parse_ahead(root, content, cache, jobs, outside)
    if content_dir is not None and not (root / CONFIG_NAME).is_file():
        config = Document(path=root / CONFIG_NAME, rel=CONFIG_NAME)
    else:
        config = read_yaml_file(root / CONFIG_NAME, root)
    site = SiteSource(root=root, config=config, outside=outside)
    if not content.is_dir():
        site.diagnostics.append(Diagnostic(CONFIG_NAME, 1, 1, Severity.ERROR, "PATH", "no_content_dir"))
        return site
    for folder in sorted(p for p in content.iterdir() if not p.name.startswith(".")):
        rel = _rel(folder, root)
        if folder.is_symlink():
            site.diagnostics.append(_link_skipped(folder, root))
            continue
        if not folder.is_dir():
            if folder.suffix == ".md":
                site.diagnostics.append(Diagnostic(rel, 1, 1, Severity.ERROR, "PATH", "report_outside_agency"))
            continue
        if folder.name in outside:
            continue
        if not SLUG_RE.match(folder.name):
            site.diagnostics.append(
                Diagnostic(rel, 1, 1, Severity.ERROR, "PATH", "bad_slug", params={"slug": folder.name})
            )
            continue
        agency_file = folder / AGENCY_FILE
        linked = agency_file.is_symlink()
        if linked:
            site.diagnostics.append(_link_skipped(agency_file, root))
        agency = AgencySource(
            folder.name,
            _cached(read_yaml_file, "yaml", agency_file, root, cache) if agency_file.is_file() and not linked else None,
        )
        if agency.doc is None:
            site.diagnostics.append(
                Diagnostic(
                    _rel(agency_file, root),
                    1,
                    1,
                    Severity.ERROR,
                    "PATH",
                    "no_agency_file",
                    params={"slug": folder.name},
                )
            )
        for f in sorted(folder.iterdir()):
            if f.name.startswith(".") or f.name == AGENCY_FILE:
                continue
            if f.is_symlink():
                site.diagnostics.append(_link_skipped(f, root))
                continue
            if f.is_dir():
                continue
            m = YEAR_FILE_RE.match(f.name)
            if m:
                agency.reports[int(m.group(1))] = _cached(read_report_file, "report", f, root, cache)
            elif f.suffix.lower() in (".md", ".markdown", ".yaml", ".yml"):
                site.diagnostics.append(
                    Diagnostic(_rel(f, root), 1, 1, Severity.ERROR, "PATH", "bad_report_name", params={"name": f.name})
                )
        site.agencies[folder.name] = agency
    return site


def _link_skipped(link: Path, root: Path) -> Diagnostic:
    """A symbolic link under ``content/`` is not followed: it could publish a file from anywhere, or
    an agency twice; the warning names it so that the editor copies the file in if it was meant."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    return Diagnostic(_rel(link, root), 1, 1, Severity.WARNING, "PATH", "symlink_skipped", params={"target": target})


def _outside(content: Path, root: Path, only: tuple[str, ...], cache: Any) -> set[str]:
    """The agency folders whose region does not begin with ``only`` (a folder whose file cannot
    be read stays in, so that what is wrong with it is said)."""
    out = set()
    for agency_file in content.glob(f"*/{AGENCY_FILE}"):
        if agency_file.is_symlink() or agency_file.parent.is_symlink():
            continue
        doc = _cached(read_yaml_file, "yaml", agency_file, root, cache)
        region = doc.data.get("region") if doc.readable else None
        if isinstance(region, list) and [str(r) for r in region[: len(only)]] != list(only):
            out.add(agency_file.parent.name)
    return out


def _rel(path: Path, root: Path) -> str:
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix) and f"{os.sep}..{os.sep}" not in text:
        return Path(text[len(prefix) :]).as_posix()  # found under the (resolved) root: no need to resolve
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


# --------------------------------------------------------------------- reading


def _decode(raw: bytes, doc: Document) -> str | None:
    """UTF-8 (a BOM is tolerated); anything else is a located error, never a traceback."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        try:
            raw.decode("gb18030")
            code = "encoding_gbk"
        except UnicodeDecodeError:
            code = "encoding"
        doc.error((line, col), "ENCODING", code, byte=f"0x{raw[e.start]:02X}")
        return None


def _opened(path: Path, root: Path, raw: bytes | None, limit: int) -> tuple[Document, str | None]:
    """A document for ``path`` with its digest, and its text (None where it is not UTF-8 or is larger
    than ``limit`` bytes: said in the document, and a file too large is not read at all)."""
    doc = Document(path=path, rel=_rel(path, root))
    size = path.stat().st_size if raw is None else len(raw)
    if size > limit:
        doc.digest = f"large-{size}"
        doc.error((1, 1), "SIZE", "file_too_large", size=megabytes(size), limit=megabytes(limit))
        return doc, None
    raw = path.read_bytes() if raw is None else raw
    doc.digest = digest(raw)
    return doc, _decode(raw, doc)


def megabytes(size: int) -> str:
    """A file size as the size limits' messages say it."""
    return f"{size / 1024 / 1024:.1f} MB"


def read_yaml_file(path: Path, root: Path, raw: bytes | None = None, located: bool = False) -> Document:
    doc, text = _opened(path, root, raw, YAML_LIMIT)
    if text is not None:
        _split_yaml(text, doc, located)
    return doc


def read_mapping(path: Path) -> dict[str, Any] | None:
    """A YAML file's mapping, read as content is (size limit; no anchors, aliases or tags), or None
    where it cannot be read or is not a mapping: for the commands that only look a value up."""
    try:
        doc = read_yaml_file(path, path.parent)
    except OSError:
        return None
    return doc.data if doc.readable else None


def _split_yaml(text: str, doc: Document, located: bool = False) -> None:
    lines = text.splitlines()
    if located:
        doc.located = ({}, {}, lines)
    parse_yaml(text, doc, line_offset=0, lines=lines if located else None)
    if doc.data is None and not doc.diagnostics:
        doc.error((1, 1), "YAML", "empty_yaml")


FENCE_RE = re.compile(r"^---[ \t]*$")


def read_report_file(path: Path, root: Path, raw: bytes | None = None, located: bool = False) -> Document:
    """A report: ``---`` front matter ``---`` then the Markdown body (``located``: with every value's place)."""
    doc, text = _opened(path, root, raw, REPORT_LIMIT)
    if text is None:
        return doc
    split_report(text, doc, located)
    return doc


def split_report(text: str, doc: Document, located: bool = False) -> None:
    lines = text.splitlines()
    if located:
        doc.located = ({}, {}, lines)
    if not lines or not FENCE_RE.match(lines[0]):
        doc.error((1, 1), "FRONTMATTER", "no_front_matter")
        return
    for i in range(1, len(lines)):
        if FENCE_RE.match(lines[i]) or lines[i].rstrip() == "...":
            break
    else:
        doc.error((1, 1), "FRONTMATTER", "unclosed_front_matter")
        return
    parse_yaml("\n".join(lines[1:i]) + "\n", doc, line_offset=1, lines=lines if located else None)
    doc.body = "\n".join(lines[i + 1 :]) + ("\n" if i + 1 < len(lines) else "")
    doc.body_line = i + 2
    if doc.data is None and not doc.diagnostics:
        doc.error((1, 1), "FRONTMATTER", "empty_front_matter")


def digest(raw: bytes) -> str:
    """The short content hash gongkai keys files, reports and pages by."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


_INT = "tag:yaml.org,2002:int"
_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
# The only forms that are numbers: a number is published as written, so YAML 1.1's other forms
# (017 → 15, 0x10, 0b101, 1:20 → 80, 1_000, .inf) stay the text they are, which the schema then refuses
# where a number is wanted ("应为整数，实为文字 “017”") and keeps where text is.
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_FRACTION = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_BOOLEANS = {"true": True, "false": False, "True": True, "False": False, "TRUE": True, "FALSE": False}
DEEPEST = 32  # nesting deeper than this is no report (the format nests four levels)


class _Unusual(Exception):
    """A mapping the quick build cannot say where it is wrong (a duplicated or complex key)."""


class _Builder:
    """Turns a composed YAML node tree into Python values, with their locations if asked for.

    PyYAML silently keeps the last of two equal keys; we compose first and
    build the values ourselves, so a duplicate is an error at its own line.
    Dates stay the strings the editor wrote: the schema checks their form.
    Without locations, a key that needs a diagnostic raises :class:`_Unusual` and the
    document is built again with them.
    """

    def __init__(self, doc: Document, line_offset: int, located: bool):
        self.doc = doc
        self.offset = line_offset
        self.located = located
        self.values: dict[FieldPath, Location] = {}
        self.keys: dict[FieldPath, Location] = {}

    def loc(self, node: Node) -> Location:
        return (node.start_mark.line + 1 + self.offset, node.start_mark.column + 1)

    def build(self, node: Node, path: FieldPath) -> Any:
        if self.located:
            self.values[path] = self.loc(node)
        if len(path) > DEEPEST and not isinstance(node, ScalarNode):
            if not self.located:
                raise _Unusual
            if not any(d.code == "yaml_too_deep" for d in self.doc.diagnostics):
                self.doc.error(self.loc(node), "YAML", "yaml_too_deep", field_name(path[:DEEPEST]), most=DEEPEST)
            return None
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self.scalar(node)

    def mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                if not self.located:
                    raise _Unusual
                self.doc.error(self.loc(key_node), "YAML", "complex_key")
                continue
            key = self.scalar(key_node)
            if isinstance(key, (int, float, bool)) or key is None:
                key = key_node.value  # a key is a name, even when it looks like a number
            key = str(key)
            if key in out:
                if not self.located:
                    raise _Unusual
                first = self.keys[path + (key,)][0]
                self.doc.error(
                    self.loc(key_node), "DUP", "duplicate_key", field_name(path + (key,)), key=key, first_line=first
                )
                continue
            if self.located:
                self.keys[path + (key,)] = self.loc(key_node)
            out[key] = self.build(value_node, path + (key,))
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _INT:
            return int(text) if _DECIMAL.fullmatch(text) else text
        if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
            return text
        if tag == _FLOAT:
            return float(text) if _DECIMAL_FRACTION.fullmatch(text) else text
        if tag == _BOOL:
            return _BOOLEANS.get(text, text)  # yes, no, on, off … are words
        if tag == _NULL:
            return None
        return text  # YAML's other implicit kinds ("=" is a "value", "<<" a "merge") are the text written


class _Loader(_BaseLoader):
    """libyaml's loader, remembering what each plain scalar resolves to.

    The composer asks the (pure-Python) resolver for the tag of every scalar, by regular
    expressions; a report repeats the same few hundred short values, so the answer is kept.
    The answer depends only on the text and on whether it was quoted (no path resolvers).
    """

    _resolved: ClassVar[dict[tuple[str, Any], str]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not ScalarNode or len(value) > 40:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return,no-untyped-call]
        key = (value, implicit)
        tag = self._resolved.get(key)
        if tag is None:
            if len(self._resolved) > 100_000:
                self._resolved.clear()
            tag = self._resolved[key] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag


def parse_yaml(text: str, doc: Document, line_offset: int, lines: list[str] | None = None) -> None:
    """Safe-load ``text`` into ``doc.data``; errors become diagnostics.

    With ``lines`` (the file's), every value's and key's location is kept in ``doc.located``.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        loc = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        problem = (e.problem or e.context or "").strip()
        if mark and "cannot start any token" in problem:
            text_lines = text.split("\n")
            if mark.line < len(text_lines) and "\t" in text_lines[mark.line][: mark.column + 1]:
                problem = "found character '\\t' that cannot start any token"
        doc.error(loc, "YAML", "yaml_syntax", problem=_yaml_problem_zh(problem), problem_en=problem)
        return
    except yaml.YAMLError as e:  # pragma: no cover - PyYAML raises marked errors for text input
        doc.error((1 + line_offset, 1), "YAML", "yaml_syntax", problem=str(e), problem_en=str(e))
        return
    if node is None:
        return
    if _REFUSED.search(text) and _refuse_extras(text, doc, line_offset):
        return
    builder = _Builder(doc, line_offset, located=lines is not None)
    try:
        doc.data = builder.build(node, ())
    except _Unusual:  # a diagnostic needs locations: build again with them
        builder = _Builder(doc, line_offset, located=True)
        doc.data = builder.build(node, ())
    if lines is not None:
        doc.located = (builder.values, builder.keys, lines)


_REFUSED = re.compile(r"[&*!]")  # where none of these stand, there is no anchor, alias or tag to look for


def _refuse_extras(text: str, doc: Document, line_offset: int) -> bool:
    """Anchors, aliases and tags are not part of the content format: each is an error at its line, found
    from the parser's events before any value is built (a 7 KB alias bomb would otherwise expand to
    gigabytes, and a tag such as ``!!python/object`` is nothing an editor means)."""
    found = False
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        loc = (mark.line + 1 + line_offset, mark.column + 1) if mark is not None else (1 + line_offset, 1)
        if isinstance(event, yaml.AliasEvent):
            doc.error(loc, "YAML", "yaml_alias", name=event.anchor)
        elif isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if event.anchor is not None:
                doc.error(loc, "YAML", "yaml_anchor", name=event.anchor)
            elif event.tag is not None and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0]):
                doc.error(loc, "YAML", "yaml_tag", tag=event.tag.replace("tag:yaml.org,2002:", "!!", 1))
            else:
                continue
        else:
            continue
        found = True
    return found


_YAML_PROBLEMS = [
    ("found character '\\t' that cannot start any token", "这里有制表符（Tab），YAML 只能用空格缩进"),
    ("mapping values are not allowed here", "这里不能出现冒号（缩进不对，或值里的冒号需要加引号）"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("did not find expected node content", "缺少值"),
    ("expected ',' or ']'", "方括号列表没有正确结束（缺少逗号或“]”）"),
    ("expected ',' or '}'", "花括号没有正确结束（缺少逗号或“}”）"),
    ("cannot start any token", "这里的字符不能作为值的开头（如 @、`、%；需要时请给值加引号）"),
    ("did not find expected key", "缩进不一致，找不到键"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合）"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("but found another document", "前置数据中只能有一个 YAML 文档"),
]


def _yaml_problem_zh(problem: str) -> str:
    for en, zh in _YAML_PROBLEMS:
        if en in problem:
            return zh
    return problem


# --------------------------------------------------------------------- the body

HEADING_RE = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
SECTION_RE = re.compile(r"^([一二三四五六])\s*[、.．]\s*(.*)$")


@dataclass
class Section:
    numeral: str
    title: str
    line: int
    start: int  # offset of the section's text in the body
    end: int = -1


_MARKED_LINE_RE = re.compile(r"^(?:```|~~~|#).*$", re.M)  # the only lines that can open a section or a fence


def body_sections(body: str, body_line: int) -> list[Section]:
    """The ``##`` sections 一 … 六 of a body, in order of appearance."""
    out: list[Section] = []
    in_fence = False
    line_no, counted = body_line, 0
    for marked in _MARKED_LINE_RE.finditer(body):
        line, offset = marked.group(), marked.start()
        if line.startswith("```") or line.startswith("~~~"):
            in_fence = not in_fence
        m = None if in_fence else HEADING_RE.match(line)
        if m and m.group(1) == "##":
            line_no += body.count("\n", counted, offset)
            counted = offset
            s = SECTION_RE.match(m.group(2))
            if out and out[-1].end < 0:
                out[-1].end = offset
            if s:
                out.append(Section(s.group(1), re.sub(r"\s+", "", s.group(2)), line_no, offset + len(line) + 1))
    if out and out[-1].end < 0:
        out[-1].end = len(body)
    return out
