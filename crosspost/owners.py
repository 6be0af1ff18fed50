"""Who owns each copy: the site's index of the remote posts its files record or claim.

A copy belongs to one file. 0.1.0 trusted whatever a single file said, and so a copied post
file (``crosspost:`` block and all), a link to another post's copy in a "cross-posted on"
sentence, or a front-matter key of another tool made two files write one remote post. Before
any write the engine asks this index which files of the site claim a remote post:

* the ``crosspost`` block's records (``id`` and the id in ``url``);
* another tool's key whose value is the URL of a post on a target (``lw-page-url:``,
  ``original_url:``, ``syndication:`` lists, a ``canonical_url`` pointing at a forum): evidence
  of an existing copy, as strong as a record (``shared`` facts: sites.md, "Copies recorded by
  other tools").

Claims are keyed by database (LessWrong and the Alignment Forum show one store of posts) and
remote id. Files are told apart by what they are on disk (device and inode), so a symlink or a
second spelling of one path is one file, and a copied file is another. The index reads every
Markdown file of the site once per run, parsing only those that mention a target or
``crosspost``; the engine tells it when it rewrites a file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.errors import CrosspostError
from crosspost.platforms import TARGETS, TargetInfo
from crosspost.platforms.builtin import BUILTIN

if TYPE_CHECKING:
    from crosspost.journal import Entry
    from crosspost.post import Post
    from crosspost.render import Rendered

# How alike two bodies must be (difflib's ratio over words) for a link in a notice to count
# as this post's copy when the titles differ: a retitled copy keeps most of its words.
_LIKENESS = 0.5

# Cheap tests that a file may claim a copy, before its front matter is parsed. Another tool's
# key is recognised for the built-in targets only: the index is built by `status` too, which
# must not import a package's target module.
_HINTS = ("crosspost", *sorted({info.site_url.split("://", 1)[1].removeprefix("www.")
                                for info in BUILTIN.values()}))


@dataclass(frozen=True)
class Claim:
    """One file's statement that a remote post is its copy."""

    path: Path  # as the file was found
    target: str
    database: str
    remote_id: str
    where: str  # "crosspost.lesswrong", or the other tool's key ("lw-page-url")
    url: str | None = None

    @property
    def recorded(self) -> bool:
        """Recorded by crosspost (not another tool's key)."""
        return self.where.startswith("crosspost.")

    def describe(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None and self.path.is_absolute() and self.path.is_relative_to(root):
            shown = self.path.relative_to(root)
        return f"{shown} (`{self.where}`)"


FileId = tuple[int, int] | str


def file_id(path: Path) -> FileId:
    """What a file is on disk: one value for every spelling, symlink or hard link of it."""
    try:
        stat = os.stat(path)
    except OSError:
        return str(Path(path).absolute())
    return (stat.st_dev, stat.st_ino)


def ids_of(info: TargetInfo, record: Mapping[str, Any]) -> list[str]:
    """The remote ids a record names: its ``id`` and the id in its ``url``."""
    found: list[str] = []
    if isinstance(record.get("id"), str | int) and str(record["id"]).strip():
        found.append(str(record["id"]).strip())
    url = record.get("url")
    if isinstance(url, str):
        from_url = info.post_id_in(url.strip())
        if from_url and from_url not in found:
            found.append(from_url)
    return found


def recorded_claims(post: Post) -> list[Claim]:
    """The copies ``post``'s ``crosspost`` block records."""
    claims: list[Claim] = []
    for target, record in post.crosspost.items():
        info = TARGETS.get(target)
        if info is None:
            continue
        url = record.get("url") if isinstance(record.get("url"), str) else None
        try:
            ids = ids_of(info, record)
        except CrosspostError:  # a package's target that cannot be imported: its id only
            ids = [str(record["id"])] if record.get("id") else []
        claims.extend(Claim(post.path, target, info.database, remote_id, f"crosspost.{target}", url)
                      for remote_id in ids)
    return claims


def foreign_claims(post: Post) -> list[Claim]:
    """Copies named by other tools' keys: top-level values (or lists of them) that are the
    URL of a post on a target."""
    claims: list[Claim] = []
    for key, value in post.front_matter.items():
        if key == "crosspost":
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not isinstance(item, str) or "://" not in item:
                continue
            url = item.strip()
            for info in BUILTIN.values():
                remote_id = info.post_id_in(url)
                if remote_id is not None:
                    claims.append(Claim(post.path, info.name, info.database, remote_id, str(key), url))
                    break
    return claims


def claims_of(post: Post) -> list[Claim]:
    try:
        return recorded_claims(post) + foreign_claims(post)
    except CrosspostError:
        return []  # a broken file is reported when it is itself published


class CopyIndex:
    """Every claim of the Markdown files under ``root``, built on first use."""

    def __init__(self, root: Path, *, load: Callable[[Path], Post] | None = None) -> None:
        """``load`` reads a post (a site's cached loader, so a post parsed for the index is
        not parsed again for rendering); by default the file is parsed here."""
        self.root = root
        self._load = load
        self._lock = threading.Lock()
        self._claims: dict[FileId, list[Claim]] | None = None

    def _scan(self) -> Iterator[tuple[FileId, list[Claim]]]:
        from crosspost.post import Post
        from crosspost.sites.files import walk_markdown

        for path in walk_markdown(self.root):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if not any(hint in text for hint in _HINTS):
                continue
            try:
                post = self._load(path) if self._load is not None else Post.from_text(text, path)
            except CrosspostError:
                continue
            found = claims_of(post)
            if found:
                yield file_id(path), found

    def _index(self) -> dict[FileId, list[Claim]]:
        if self._claims is None:
            self._claims = dict(self._scan())
        return self._claims

    def update(self, post: Post) -> None:
        """``post``'s file now reads as ``post`` (the engine just recorded into it)."""
        with self._lock:
            index = self._index()
            index[file_id(Path(post.path))] = claims_of(post)

    def claims(self, database: str, remote_ids: Iterable[str]) -> list[Claim]:
        """Every claim, by any file, on one of ``remote_ids`` in ``database``."""
        wanted = {str(i) for i in remote_ids}
        with self._lock:
            index = self._index()
            return [claim for claims in index.values() for claim in claims
                    if claim.database == database and claim.remote_id in wanted]

    def others(self, path: Path, database: str, remote_ids: Iterable[str]) -> list[Claim]:
        """Claims on the same remote post by files other than ``path``."""
        me = file_id(path)
        return [c for c in self.claims(database, remote_ids) if file_id(c.path) != me]


class IndexCache:
    """One :class:`CopyIndex` per site root for a run (posts of one site share it)."""

    def __init__(self) -> None:
        self._by_root: dict[Path, CopyIndex] = {}
        self._lock = threading.Lock()

    def for_root(self, root: Path, *, load: Callable[[Path], Post] | None = None) -> CopyIndex:
        with self._lock:
            index = self._by_root.get(root)
            if index is None:
                index = self._by_root[root] = CopyIndex(root, load=load)
            return index


def alike_bodies(one: str, other: str) -> bool:
    """Whether two bodies are plausibly one post's text (most of the words in order)."""
    ratio = SequenceMatcher(None, one.split(), other.split(), autojunk=False).ratio()
    return ratio >= _LIKENESS


def entry_is_this_post(entry: Entry, index: CopyIndex, path: Path, rendered: Rendered,
                       recorded: list[str]) -> bool:
    """Whether a journal entry whose file is gone is the post at ``path`` (renamed since).

    When the post records a copy (the file was renamed with its record, as `git mv` does),
    the entry must name that copy. Otherwise it was sent for the same page (canonical URL),
    with the same body, or with the same title and mostly the same words; a title alone is
    no identity ("Open thread" every month), and an entry whose copy another file records is
    never this post's."""
    named = [i for i in (entry.remote_id, entry.result.get("id")) if isinstance(i, str) and i]
    if recorded:
        return bool(set(named) & set(recorded))
    if named and index.others(path, TARGETS[entry.target].database, named):
        return False
    return bool((entry.canonical_url and entry.canonical_url == rendered.canonical_url)
                or (entry.body and entry.body == rendered.body)
                or (entry.title and entry.title == rendered.title
                    and alike_bodies(entry.body, rendered.body)))


__all__ = ["Claim", "CopyIndex", "IndexCache", "alike_bodies", "claims_of", "entry_is_this_post",
           "file_id", "foreign_claims", "ids_of", "recorded_claims"]
