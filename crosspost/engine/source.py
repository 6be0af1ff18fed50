"""The posts of a run: each file read once, with its site, its journal, the site's index of
copies, and a lock for writing it back.

A file named twice (``_posts/*.md _posts/new.md``, a relative and an absolute path, a
symlink) is one post: the run publishes it once, under the first name given.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.engine.model import TargetResult
from crosspost.errors import CrosspostError
from crosspost.journal import Journal, entry_name, state_dir

if TYPE_CHECKING:
    from crosspost.owners import CopyIndex
    from crosspost.post import Post
    from crosspost.sites import Site

log = logging.getLogger("crosspost.engine")


@dataclass
class Source:
    """One post file during a run: what we read, and a lock for writing it back.

    It also keeps what was last sent for each target (``.crosspost/sent/``), the "before"
    side of an offline diff. A ``pinned`` post was given as text (``publish(texts=...)``):
    that text is what is rendered, before and after its records are written to the file.
    """

    path: Path
    post: Post
    site: Site
    journal: Journal
    index: CopyIndex
    lock: threading.Lock = field(default_factory=threading.Lock)
    pinned: bool = False

    def reload(self) -> None:
        """Read the file again (after taking the site's lock: another run may have recorded).

        A pinned post keeps its given text, with the records the file gained meanwhile
        (another run published it while this one waited for the lock)."""
        from crosspost.post import Post

        current = Post.from_path(self.path)
        self.index.update(current)
        if not self.pinned:
            self.post = current
            return
        from crosspost.record import updated_text

        keys = ("id", "url", "hash", "meta", "published", "updated", "status")
        gained = {target: {k: record.get(k) for k in keys}
                  for target, record in current.crosspost.items()
                  if record.get("id") and record.get("id") != self.post.crosspost.get(target, {}).get("id")}
        if gained:
            self.post = self.post.with_raw(updated_text(self.post.raw, gained, path=self.path))

    def last_sent(self, target: str) -> str | None:
        """The body last sent to ``target``, if this machine remembers it."""
        try:
            return self._sent_path(target).read_text(encoding="utf-8")
        except OSError:
            return None

    def remember_sent(self, target: str, body: str) -> None:
        from crosspost.fsutil import atomic_write_text

        path = self._sent_path(target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, body)
        except OSError as exc:  # a cache; losing it costs only an offline diff
            log.info("could not keep a copy of what was sent (%s)", exc)

    def merge_base(self, target: str, remote_id: str) -> dict[str, Any] | None:
        """The merge base kept for the copy ``remote_id``: ``body``, with the ``title`` and
        the front matter's ``hash`` it went with (see :mod:`.drift`). Normally the post's
        rendering last sent; after a merge that kept edits made on the platform, the
        rendering that was merged; after ``crosspost pull`` of a copy crosspost never sent,
        the copy's text as the user saw it (``hash`` None). Kept with the copy's id, so a copy
        recorded later in its place (``crosspost link``) does not inherit it.
        """
        import json

        try:
            kept = json.loads(self._base_path(target).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(kept, dict) or kept.get("id") != remote_id \
                or not isinstance(kept.get("body"), str):
            return None
        return kept

    def remember_base(self, target: str, remote_id: str, body: str, *, title: str | None,
                      content_hash: str | None) -> None:
        """Keep ``body`` as the merge base of the copy ``remote_id``."""
        import json

        from crosspost.fsutil import atomic_write_text

        path = self._base_path(target)
        kept = {"id": remote_id, "hash": content_hash, "title": title, "body": body}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, json.dumps(kept, ensure_ascii=False))
        except OSError as exc:  # a cache: the front matter's hash and git history rebuild it
            log.info("could not keep the merge base (%s)", exc)

    def _base_path(self, target: str) -> Path:
        return self._sent_path(target).with_suffix(".base.json")

    def _sent_path(self, target: str) -> Path:
        return state_dir(self.site.root) / "sent" / entry_name(self.journal.relpath(self.path),
                                                               target).replace(".json", ".txt")


def load_sources(paths: Sequence[Path], texts: Mapping[Path, str] | None = None,
                 ) -> tuple[list[Source], list[TargetResult], list[str]]:
    """The posts at ``paths``, each file once (or as ``texts`` gives it); the ones that cannot
    be read; and notes about files named more than once."""
    from crosspost.owners import IndexCache, file_id
    from crosspost.post import Post
    from crosspost.sites import SiteCache

    sites = SiteCache()
    indexes = IndexCache()
    sources: list[Source] = []
    failures: list[TargetResult] = []
    notes: list[str] = []
    seen: dict[object, Path] = {}
    for path in map(Path, paths):
        identity = file_id(path)
        if identity in seen:
            if seen[identity] != path:
                notes.append(f"{path} is the same file as {seen[identity]}: published once")
            continue
        seen[identity] = path
        try:
            given = texts.get(Path(path)) if texts else None
            # Under the user's own path, for every message.
            post = Post.from_path(path) if given is None else Post.from_text(given, path)
            site = sites.for_post(path)
        except CrosspostError as exc:
            if len(paths) == 1:
                raise
            failures.append(TargetResult(path, "*", "failed", message=str(exc), error=exc))
            continue
        sources.append(Source(path, post, site, Journal(site.root),
                              indexes.for_root(site.root, load=site.load), pinned=given is not None))
    return sources, failures, notes


__all__ = ["Source", "load_sources"]
