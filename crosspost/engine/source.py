"""The posts of a run: each file read once, with its site, its journal and its lock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.engine.model import TargetResult
from crosspost.errors import CrosspostError
from crosspost.journal import Journal, entry_name, state_dir

if TYPE_CHECKING:
    from crosspost.post import Post
    from crosspost.sites import Site

log = logging.getLogger("crosspost.engine")


@dataclass
class Source:
    """One post file during a run: what we read, and a lock for writing it back.

    It also keeps what was last sent for each target (``.crosspost/sent/``), the "before"
    side of an offline diff.
    """

    path: Path
    post: Post
    site: Site
    journal: Journal
    lock: threading.Lock = field(default_factory=threading.Lock)

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

    def merge_base(self, target: str) -> str | None:
        """The body edits made on ``target``'s copy are merged against, if this machine has it.

        Normally the body last sent; after a merge that kept edits made on the platform, the
        post's own rendering that was merged (see :mod:`.drift`); after ``crosspost pull`` of
        a copy crosspost never sent, the copy's text as the user saw it.
        """
        try:
            return self._sent_path(target).with_suffix(".base.txt").read_text(encoding="utf-8")
        except OSError:
            return self.last_sent(target)

    def remember_base(self, target: str, body: str | None) -> None:
        """Keep ``body`` as the merge base; None: the base is the body last sent."""
        from crosspost.fsutil import atomic_write_text

        path = self._sent_path(target).with_suffix(".base.txt")
        try:
            if body is None:
                path.unlink(missing_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(path, body)
        except OSError as exc:  # a cache: the front matter's hash and git history rebuild it
            log.info("could not keep the merge base (%s)", exc)

    def _sent_path(self, target: str) -> Path:
        return state_dir(self.site.root) / "sent" / entry_name(self.journal.relpath(self.path),
                                                               target).replace(".json", ".txt")


def load_sources(paths: Sequence[Path]) -> tuple[list[Source], list[TargetResult]]:
    from crosspost.post import Post
    from crosspost.sites import SiteCache

    sites = SiteCache()
    sources: list[Source] = []
    failures: list[TargetResult] = []
    for path in paths:
        try:
            post = Post.from_path(path)  # under the user's own path, for every message
            site = sites.for_post(Path(path))
        except CrosspostError as exc:
            if len(paths) == 1:
                raise
            failures.append(TargetResult(Path(path), "*", "failed", message=str(exc), error=exc))
            continue
        sources.append(Source(Path(path), post, site, Journal(site.root)))
    return sources, failures


__all__ = ["Source", "load_sources"]
