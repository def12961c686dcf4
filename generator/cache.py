"""What a rebuild may reuse: parsed files and their single-file judgements, keyed by content.

A report is parsed and judged again only when its bytes change (or its agency's
level or name, or the site's review rule, for the judgement); rules that span
files (S1, S2, known_issues) are always re-run on top. ``gongkai serve`` keeps
one cache in memory; ``gongkai build`` keeps it in ``.gongkai-cache/`` beside
the site, invalidated by gongkai's version and by the schemas, rules and
messages it was made with. A cache that cannot be read is simply not used.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = ".gongkai-cache"


def code_stamp() -> str:
    """gongkai's version plus a hash of the files that decide parsing and judging."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = resources.files("generator")
    for rel in (
        "schema/report-2021.schema.json",
        "schema/report-2019.schema.json",
        "schema/agency.schema.json",
        "schema/site.schema.json",
        "schema/rules.yaml",
        "locales/diagnostics.zh-CN.yaml",
        "content.py",
        "validate/__init__.py",
        "validate/cells.py",
        "validate/common.py",
        "validate/dates.py",
        "validate/known.py",
        "validate/prose.py",
        "validate/rules.py",
        "validate/schema_check.py",
        "validate/site.py",
        "validate/sums.py",
        "validate/years.py",
        "schemas.py",
        "standard/__init__.py",
        "standard/facts.py",
        "standard/figures.py",
        "standard/labels.py",
        "standard/layout.py",
        "standard/narrative.py",
        "standard/narrative.yaml",
        "standard/paths.py",
        "cache.py",
        "model.py",  # these make what is kept in ``derived``
        "columns.py",
        "outputs.py",
        "spreadsheets.py",
        "search.py",
        "searchindex.py",
    ):
        h.update(package.joinpath(rel).read_bytes())
    return h.hexdigest()


@dataclass
class Cache:
    stamp: str = field(default_factory=code_stamp)
    parsed: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (kind, digest) → state
    judged: dict[tuple[Any, ...], list[Any]] = field(default_factory=dict)  # (digest, context…) → diagnostics
    used: set[Any] = field(default_factory=set)
    # What was drawn from each report for the open data and the search index (its reports.json record,
    # reports.csv line, index record), by Report.key: a report unchanged since the last build is not
    # serialised again.
    derived: dict[str, dict[str, Any]] = field(default_factory=dict)
    # ``gongkai serve`` only: a file whose modification time, size and inode are as last seen is not
    # read again (its digest is taken from here). ``gongkai build`` always reads: a checkout or a copy
    # can keep times while changing bytes.
    trust_stat: bool = False
    seen: dict[str, tuple[tuple[int, int, int], str]] = field(default_factory=dict)
    # ``gongkai build`` only: each input's digest as this run read it for the nothing-changed check; a
    # file with one of these is not read again where the cache knows its digest.
    digests: dict[str, str] = field(default_factory=dict)

    def known_digest(self, path: str, signature: tuple[int, int, int]) -> str | None:
        """The digest of ``path`` if it is unchanged since it was last read (``trust_stat`` only)."""
        if not self.trust_stat:
            return None
        found = self.seen.get(path)
        return found[1] if found is not None and found[0] == signature else None

    def remember(self, path: str, signature: tuple[int, int, int], digest: str) -> None:
        if self.trust_stat:
            self.seen[path] = (signature, digest)

    def get_parsed(self, kind: str, digest: str) -> dict[str, Any] | None:
        key = (kind, digest)
        self.used.add(key)
        return self.parsed.get(key)

    def put_parsed(self, kind: str, digest: str, state: dict[str, Any]) -> None:
        self.parsed[(kind, digest)] = state
        self.used.add((kind, digest))

    def get_judged(self, key: tuple[Any, ...]) -> list[Any] | None:
        self.used.add(key)
        return self.judged.get(key)

    def put_judged(self, key: tuple[Any, ...], diagnostics: list[Any]) -> None:
        self.judged[key] = list(diagnostics)
        self.used.add(key)

    def derived_for(self, key: str) -> dict[str, Any]:
        """The store of what is derived from the report with ``key`` (shared with its ``Report``)."""
        self.used.add(("derived", key))
        return self.derived.setdefault(key, {})

    def prune(self, derived: bool = True) -> None:
        """Forget what the last run did not touch (deleted and superseded files).

        ``derived=False`` (a run that stopped before the model) keeps the derived store as it is.
        """
        self.parsed = {k: v for k, v in self.parsed.items() if k in self.used}
        self.judged = {k: v for k, v in self.judged.items() if k in self.used}
        if derived:
            self.derived = {k: v for k, v in self.derived.items() if ("derived", k) in self.used}
        self.used = set()

    @classmethod
    def load(cls, folder: Path) -> Cache:
        stamp = code_stamp()
        try:
            with (folder / "content.pickle").open("rb") as f:
                cache = pickle.load(f)
            if isinstance(cache, Cache) and cache.stamp == stamp:
                cache.used = set()
                return cache
        except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError, ValueError):
            pass
        return cls(stamp=stamp)

    def save(self, folder: Path) -> None:
        self.seen, self.digests = {}, {}  # modification times are not trusted across runs, nor digests
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "content.pickle.tmp"
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / "content.pickle")
