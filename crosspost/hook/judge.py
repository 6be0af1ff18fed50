"""Judging a push: each pushed post as the push has it, against what this repository knows.

The pushed version decides (its text and its record, rendered in the site around it): a
post whose pushed version is up to date passes, whatever the working tree holds, and one
that needs publishing needs it whatever the working tree holds.

The working tree, the index and the journal can know more than the push: a copy made by
``crosspost publish`` whose record was never committed, a publish-mode commit that failed,
a run interrupted mid-create. A pushed version that does not record such a copy is the
dangerous case (the GitHub Action, or anyone publishing from a clone, would make a second
copy), so it blocks until the record is committed and pushed.

Nothing here prints or writes; :mod:`.advice` and :mod:`.publishing` act on the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.errors import CrosspostError
from crosspost.hook.push import Candidate

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from crosspost.hook.repo import Head
    from crosspost.post import Post
    from crosspost.sites import SiteCache
    from crosspost.status import TargetStatus

BLOCK = "block"
WARN = "warn"
# The state shown for a copy the pushed version does not record.
UNRECORDED = "not recorded in this push"


@dataclass(frozen=True)
class Known:
    """A copy the pushed version does not record, and where this repository records it."""

    target: str
    record: Mapping[str, Any]  # its record keys (id, url, hash...), never the user's options
    where: str  # "the working tree" or "the index"

    @property
    def url(self) -> str | None:
        url = self.record.get("url")
        return str(url) if url else None


@dataclass
class Judged:
    """One pushed version of one post (pushed by one ref or several), judged."""

    pushes: list[Candidate]  # the refs pushing this very version
    text: str | None  # the pushed text (None: not UTF-8)
    statuses: list[TargetStatus] = field(default_factory=list)  # of the pushed version
    known: dict[str, Known] = field(default_factory=dict)  # target -> unrecorded copy
    unsettled: list[str] = field(default_factory=list)  # targets with an interrupted create
    worktree: Post | None = None  # the file in the working tree, when it is there and readable
    staged: Post | None = None  # the file in the index, likewise
    wanted: str | None = None  # the pushed text plus the records of ``known``
    wanted_statuses: list[TargetStatus] = field(default_factory=list)
    holds_head: bool = False  # one of its refs pushes the checkout (HEAD, or the branch at HEAD)
    committed: bool = False  # HEAD holds this very version

    @property
    def path(self) -> str:
        return self.pushes[0].path

    @property
    def on_branch(self) -> bool:
        return any(push.on_branch for push in self.pushes)

    @property
    def verdicts(self) -> list[tuple[TargetStatus, str | None]]:
        return [(s, BLOCK if s.target in self.known or s.target in self.unsettled else verdict(s))
                for s in self.statuses]

    @property
    def blocking(self) -> bool:
        return any(v == BLOCK for _, v in self.verdicts)

    @property
    def has_error(self) -> bool:
        from crosspost.status import ERROR

        return self.text is None or any(s.state == ERROR for s in self.statuses)

    @property
    def needs_publish(self) -> bool:
        """Publishing would send something once the known records are in (or must settle an
        interrupted run): a bare record commit is not enough."""
        from crosspost.status import ERROR

        after = self.wanted_statuses or self.statuses
        return bool(self.unsettled) or any(verdict(s) == BLOCK and s.state != ERROR for s in after)

    def worktree_is_wanted(self) -> bool:
        """The working-tree file is the pushed version plus the known records, nothing else:
        publishing or committing it sends and commits only what is pushed."""
        return _same_post(self.worktree, self.wanted)

    def staged_is_wanted(self) -> bool:
        return _same_post(self.staged, self.wanted)


def verdict(status: TargetStatus) -> str | None:
    """Block on what `crosspost publish` would fix (or a post it cannot read); warn on what
    it cannot: a Medium copy changed since publish (its API cannot update) and an uncertain
    create (only `crosspost link` settles it)."""
    from crosspost.platforms import TARGETS
    from crosspost.status import CHANGED, ERROR, NEEDS_ATTENTION, UNCERTAIN

    info = TARGETS.get(status.target)
    if status.state == CHANGED and info is not None and not info.can_update:
        return WARN
    if status.state in NEEDS_ATTENTION or status.state == ERROR:
        return BLOCK
    if status.state == UNCERTAIN:
        return WARN
    return None


def judge(candidates: Sequence[Candidate], head: Head, *, cwd: str,
          environ: Mapping[str, str]) -> list[Judged]:
    """Judge each distinct pushed version of each post (in push order)."""
    from crosspost.hook.repo import read_blobs
    from crosspost.sites import SiteCache

    groups: dict[tuple[str, bytes], list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault((candidate.path, candidate.data), []).append(candidate)
    paths = list(dict.fromkeys(c.path for c in candidates))
    index = read_blobs((f":{p}" for p in paths), cwd=cwd, environ=environ)
    at_head = read_blobs((f"{head.sha}:{p}" for p in paths), cwd=cwd, environ=environ) \
        if head.sha else {}
    sites = SiteCache()
    judged = []
    for (path, data), pushes in groups.items():
        one = Judged(pushes, _decode(data))
        # A file named on the command line is judged as it is in the working tree.
        one.holds_head = any(head.holds(c.sha, c.ref) if c.sha is not None else True
                             for c in pushes if c.on_branch)
        one.committed = at_head.get(f"{head.sha}:{path}") == data
        _judge(one, Path(cwd, path), index.get(f":{path}"), sites)
        judged.append(one)
    return judged


def _judge(one: Judged, where: Path, staged: bytes | None, sites: SiteCache) -> None:
    from crosspost.copies import targets_for
    from crosspost.post import Post
    from crosspost.status import ERROR, TargetStatus, post_status

    if one.text is None:
        one.statuses = [TargetStatus(where, "*", ERROR, None, "not valid UTF-8 in this push")]
        return
    try:
        pushed = Post.from_text(one.text, where)
        site = sites.for_post(where)
        one.statuses = post_status(pushed, site)
        targets = targets_for(pushed, ())
    except CrosspostError as exc:
        one.statuses = [TargetStatus(where, "*", ERROR, None, str(exc))]
        return
    one.worktree = _read_post(_read_file(where), where)
    one.staged = _read_post(_decode(staged) if staged is not None else None, where)
    one.known = _known_copies(pushed, targets, (("the working tree", one.worktree),
                                                ("the index", one.staged)))
    one.unsettled = _unsettled(pushed, targets, site.root, where)
    one.wanted = one.text
    if one.known:
        from crosspost.record import updated_text

        try:
            one.wanted = updated_text(one.text, {t: dict(k.record) for t, k in one.known.items()},
                                      path=where)
            one.wanted_statuses = post_status(Post.from_text(one.wanted, where), site)
        except CrosspostError as exc:
            one.statuses.append(TargetStatus(where, "*", ERROR, None,
                                             f"cannot add the recorded copies to it: {exc}"))


def _known_copies(pushed: Post, targets: Sequence[str],
                  sources: Sequence[tuple[str, Post | None]]) -> dict[str, Known]:
    """Copies that another version of the same file records and the pushed one does not."""
    from crosspost.config import RECORD_KEYS

    found: dict[str, Known] = {}
    for target in targets:
        mine = pushed.crosspost.get(target, {})
        if _records_a_copy(mine):
            continue
        for where, post in sources:
            record = _record(post, target)
            if _records_a_copy(record):
                # Only what crosspost records (in the order it is written there): the
                # pushed version's options stay as pushed.
                keys = {k: record.get(k) for k in [*record, *mine] if k in RECORD_KEYS}
                found[target] = Known(target, keys, where)
                break
    return found


def _records_a_copy(record: Mapping[str, Any]) -> bool:
    # An id, or a create whose reply was lost (Medium: the copy may exist).
    return bool(record.get("id")) or record.get("status") == "uncertain"


def _record(post: Post | None, target: str) -> dict[str, Any]:
    if post is None:
        return {}
    try:
        return dict(post.crosspost.get(target, {}))
    except CrosspostError:
        return {}


def _unsettled(pushed: Post, targets: Sequence[str], root: Path, where: Path) -> list[str]:
    """Targets the pushed version has no copy on while the journal holds an unfinished
    create for them: the copy may exist; `crosspost publish` finds and records it."""
    from crosspost.journal import Journal

    journal = Journal(root)
    found = []
    for target in targets:
        if _records_a_copy(pushed.crosspost.get(target, {})):
            continue
        entry = journal.get(where, target)
        if entry is not None and entry.action == "create":
            found.append(target)
    return found


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _read_file(path: Path) -> str | None:
    try:
        return _decode(path.read_bytes())
    except OSError:
        return None


def _read_post(text: str | None, where: Path) -> Post | None:
    from crosspost.post import Post

    if text is None:
        return None
    try:
        post = Post.from_text(text, where)
        post.crosspost  # noqa: B018 (a block it cannot read counts as unreadable)
    except CrosspostError:
        return None
    return post


def _same_post(post: Post | None, text: str | None) -> bool:
    """Same body and front matter (line endings and the front matter's layout aside)."""
    from crosspost.post import Post

    if post is None or text is None:
        return False
    try:
        other = Post.from_text(text, post.path)
    except CrosspostError:
        return False
    return (_lf(post.body) == _lf(other.body) and post.format == other.format
            and dict(post.front_matter) == dict(other.front_matter))


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n")


__all__ = ["BLOCK", "UNRECORDED", "WARN", "Judged", "Known", "judge", "verdict"]
