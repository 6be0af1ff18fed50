"""The write-ahead journal of remote writes: how a crash never turns into a duplicate.

Before a create (or an update) is sent, an entry is written; when the platform answers, the
entry gets the result; once the result is in the post's front matter, the entry is deleted.
So after a crash at any point the next run finds one of:

* no entry: nothing was sent, or everything was recorded;
* ``state: sending``: the request may or may not have reached the platform. The engine
  asks the platform (``Target.find_existing``, by the exact title and body kept here) and
  records what it finds before sending anything new; where the platform cannot be asked
  (Medium), the post is marked ``status: uncertain`` and never posted again silently;
* ``state: done``: the platform answered, the front matter was not written yet. The result
  is recorded without asking anyone;
* ``state: created``: a create made the post as a draft and the step that was to make it
  public failed (a rate limit, say). The entry keeps what the run meant (``draft: false``),
  so the next run publishes that draft instead of leaving it one.

An entry is filed under the post's path, but a post is more than its path: an entry whose
file is gone (renamed after a crash, to fix the date in its name) is found again by the copy
it names, or by what it was sent (:meth:`Journal.orphans`, matched by the engine's planning),
and moved to the file's new path, so a rename never makes a second copy and advice never
names a file that no longer exists. ``crosspost journal`` lists entries and clears one on purpose.

Where: ``<site root>/.crosspost/journal/``, one small JSON file per post and target, written
atomically. The folder carries its own ``.gitignore`` (``*``) so it never lands in the
user's repository. It lives in the site rather than a per-user state folder because it
belongs to those files: it travels with a checkout and is found by whoever runs crosspost
there next. No token ever reaches it (entries hold titles, bodies, ids and URLs).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crosspost.fsutil import atomic_write_text

STATE_DIR = ".crosspost"
_VERSION = 1


def state_dir(site_root: Path, *, create: bool = False) -> Path:
    """The site's ``.crosspost`` folder (git-ignored by its own ``.gitignore``)."""
    path = site_root / STATE_DIR
    if create and not (path / ".gitignore").exists():
        path.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path / ".gitignore", "# crosspost's journal and caches; never commit\n*\n")
    return path


@dataclass
class Entry:
    """One remote write, from before it is sent until its result is in the front matter."""

    post: str  # path relative to the site root, with forward slashes
    target: str
    action: str  # "create" or "update"
    state: str  # "sending" or "done"
    title: str
    body: str
    hash: str
    started: str
    remote_id: str | None = None  # for updates: the post being updated
    result: dict[str, Any] = field(default_factory=dict)  # id, url, published, hash, status
    draft: bool | None = None  # what the run meant: a draft (True) or a public post (False)
    canonical_url: str = ""  # the post's address on its site when it was sent
    version: int = _VERSION

    @property
    def key(self) -> str:
        """The entry's file name: what ``crosspost journal`` shows and ``clear`` takes."""
        unreadable = self.result.get("unreadable")
        if self.post == "?" and isinstance(unreadable, str):
            return Path(unreadable).name
        return entry_name(self.post, self.target)


def entry_name(post: str, target: str) -> str:
    digest = hashlib.sha256(post.encode("utf-8")).hexdigest()[:16]
    return f"{digest}-{target}.json"


class Journal:
    """The journal of one site. Thread-safe per entry: each (post, target) is its own file."""

    def __init__(self, site_root: Path) -> None:
        self.root = site_root
        self.dir = state_dir(site_root) / "journal"

    def relpath(self, post_path: Path) -> str:
        try:
            return post_path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return post_path.resolve().as_posix()

    def _path(self, post: str, target: str) -> Path:
        return self.dir / entry_name(post, target)

    def begin(self, post_path: Path, target: str, *, action: str, title: str, body: str,
              content_hash: str, remote_id: str | None = None, draft: bool | None = None,
              canonical_url: str = "") -> Entry:
        """Write the entry *before* the request is sent."""
        state_dir(self.root, create=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        entry = Entry(post=self.relpath(post_path), target=target, action=action, state="sending",
                      title=title, body=body, hash=content_hash, started=now_iso(),
                      remote_id=remote_id, draft=draft, canonical_url=canonical_url)
        self._write(entry)
        return entry

    def finish(self, entry: Entry, result: Mapping[str, Any], *, state: str = "done") -> Entry:
        """The platform answered: keep the result until the front matter has it (``done``),
        or, ``created``, until the draft it made is published as the run meant."""
        entry.state = state
        entry.result = dict(result)
        self._write(entry)
        return entry

    def exists(self, entry: Entry) -> bool:
        """Whether ``entry``'s post file is still where the entry says."""
        return entry.post != "?" and (self.root / entry.post).is_file()

    def orphans(self, target: str) -> Iterator[Entry]:
        """The entries on ``target`` whose post file is gone (renamed or deleted since).
        Which of them is a given post's is the engine's call (see ``planning``)."""
        for entry in self.entries():
            if entry.target == target and entry.post != "?" and not self.exists(entry):
                yield entry

    def move(self, entry: Entry, post_path: Path) -> Entry:
        """File ``entry`` under ``post_path`` (its post was renamed)."""
        old = self._path(entry.post, entry.target)
        entry.post = self.relpath(post_path)
        self._write(entry)
        with contextlib.suppress(FileNotFoundError):
            if old != self._path(entry.post, entry.target):
                os.unlink(old)
        return entry

    def named(self, key: str) -> list[Entry]:
        """The entries whose key (as ``crosspost journal`` shows it) starts with ``key``."""
        return [e for e in self.entries() if e.key.removesuffix(".json").startswith(key)]

    def clear(self, entry: Entry) -> None:
        """The result is in the front matter; the entry has done its job."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.dir / entry.key)

    def get(self, post_path: Path, target: str) -> Entry | None:
        return self._read(self._path(self.relpath(post_path), target))

    def entries(self) -> Iterator[Entry]:
        if not self.dir.is_dir():
            return
        for path in sorted(self.dir.glob("*.json")):
            entry = self._read(path)
            if entry is not None:
                yield entry

    def _write(self, entry: Entry) -> None:
        text = json.dumps(asdict(entry), ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write_text(self._path(entry.post, entry.target), text + "\n", mode=0o600)

    @staticmethod
    def _read(path: Path) -> Entry | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # A torn or foreign file: keep it for a human, treat the write as uncertain.
            return Entry(post="?", target=path.stem.partition("-")[2], action="create",
                         state="sending", title="", body="", hash="", started="",
                         result={"unreadable": str(path)})
        fields = {k: v for k, v in data.items() if k in Entry.__dataclass_fields__}
        return Entry(**fields)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


__all__ = ["STATE_DIR", "Entry", "Journal", "entry_name", "now_iso", "state_dir"]
