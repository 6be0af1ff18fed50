"""Edits made on a platform's copy since crosspost last sent it: keep them, merge them, or stop.

A copy's text on the platform is the author's writing too: a typo fixed in LessWrong's
editor, an "Edited to add…" must never vanish under the next update. So before an update the
copy is read (one more round trip) and three texts are compared, as a version control system
would: the **base** (what crosspost last merged into that copy), **theirs** (the copy now)
and **ours** (the post rendered now).

* theirs is the base (or already ours): nothing was edited there; ours is sent.
* both changed, on different lines: a three-way merge (``merge3``, bzr's) is sent, and the
  edits it kept from the platform are reported, so the author can bring them home
  (``crosspost pull``).
* both changed the same lines, or the base is unknown: nothing is sent for that target
  (:class:`~crosspost.errors.EditedThere`), with the conflicting lines and the ways on:
  edit the post, ``crosspost pull``, or ``--overwrite``.

Changes the server makes by itself are not edits: ForumMagnum's image re-hosting rewrites the
HTML and the revision number, never the Markdown, and only the Markdown is compared.

**The base.** The front matter's ``hash`` is always the hash of the base (title, body, draft
state), so candidates are checked against it, in order: the copy itself (when its hash is the
recorded one, nothing was edited there); this machine's ``.crosspost/sent/`` (the base kept
with its hash, then the body last sent); the post's earlier versions in git (a fresh checkout,
as in CI, has no ``.crosspost/``); then, unchecked, the base this machine kept for that very
copy, and the body it last sent (an older base risks no edit made there; a title that
differs and cannot be vouched for is not replaced). A copy crosspost never sent (adopted by
``link``, through a link to it in the post, or by a title match) has none: its text becomes
the base once the user has seen it with ``crosspost pull``, or it is replaced on purpose with
``--overwrite``. (A dry run shows the difference but may not write, so it cannot record that
it was seen.)

Why the base after a merge is *our* rendering and not the merged body: the merged body holds
edits the post does not have yet. Merging the next version of the post against the merged
body would read their absence as the author deleting them, and drop them silently; merged
against our rendering, they are kept again until the author brings them home.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crosspost.copies import record_of
from crosspost.errors import EditedThere
from crosspost.platforms import TARGETS

if TYPE_CHECKING:
    from crosspost.engine.model import TargetPlan, TargetResult
    from crosspost.engine.runner import Runner
    from crosspost.engine.source import Source
    from crosspost.render import Rendered
    from crosspost.targets.base import RemotePost, Target

# What an update would do with the copy there.
UNCHANGED = "unchanged"  # the copy shows the base: ours is sent
SAME = "same"  # the copy already shows ours: nothing to lose
MERGED = "merged"  # edited there, on other lines than the post: the merge is sent
CONFLICT = "conflict"  # edited there and in the post on the same lines: nothing is sent
UNKNOWN = "unknown base"  # crosspost never sent this copy's text: nothing is sent
OVERWRITE = "overwrite"  # edited there (or unknown), and --overwrite: ours is sent
UNREAD = "unread"  # the platform does not return the text: ours is sent, as before


@dataclass(frozen=True)
class Base:
    """The merge base and where it came from; ``title`` is the title that went with it, when
    known (the recorded hash vouches for it, or it was kept with the base)."""

    text: str
    origin: str
    title: str | None


@dataclass(frozen=True)
class Conflict:
    """One place where the copy and the post changed the same lines."""

    line: int  # 1-based, in the copy as it is on the platform
    base: tuple[str, ...]
    theirs: tuple[str, ...]
    ours: tuple[str, ...]


@dataclass(frozen=True)
class Drift:
    """What an update of one copy would do about edits made there."""

    state: str
    target: str
    theirs: str
    ours: str
    body: str | None  # what to send; None: nothing (blocked)
    base: Base | None = None
    conflicts: tuple[Conflict, ...] = ()
    title_there: str | None = None  # the copy's title when it was changed there, unlike ours
    title: str = ""  # ours
    never_sent: bool = False  # no base, and no record that crosspost ever sent this copy

    @property
    def label(self) -> str:
        return TARGETS[self.target].label

    @property
    def blocked(self) -> bool:
        return self.body is None

    def kept(self) -> str:
        """The edits made on the platform that the body sent keeps and the post lacks."""
        if self.body is None or self.body == self.ours:
            return ""
        return _diff(self.ours, self.body, "your post (rendered)", f"sent to {self.label}")

    def lost(self) -> str:
        """What ``--overwrite`` throws away: the edits made there since the base."""
        if self.state != OVERWRITE:
            return ""
        if self.base is None:
            return _diff(self.theirs, self.ours, f"on {self.label} now", "your post (rendered)")
        return _diff(self.base.text, self.theirs, "last sent", f"on {self.label} now")

    def count_kept(self) -> int:
        return sum(1 for line in self.kept().splitlines() if line.startswith("@@"))


# -- finding the base ------------------------------------------------------------------------


def _same_copy(source: Source, target: str, remote_id: str) -> list[str]:
    """``target`` and the targets on its database that record the same remote post."""
    database = TARGETS[target].database
    names = [target]
    for name, info in TARGETS.items():
        if name != target and info.database == database \
                and str(record_of(source.post, name).get("id") or "") == remote_id:
            names.append(name)
    return names


def recorded_hashes(source: Source, target: str, remote_id: str) -> set[str]:
    """The hashes the front matter records for this remote post (one per target showing it)."""
    names = _same_copy(source, target, remote_id)
    return {str(h) for h in (record_of(source.post, n).get("hash") for n in names) if h}


def _vouched_title(text: str, hashes: set[str], titles: Iterable[str | None]) -> str | None:
    """The title with which ``text`` hashes to a recorded hash (either draft state), if any."""
    from crosspost.render import content_hash

    for title in dict.fromkeys(t for t in titles if t is not None):
        if any(content_hash(title, text, draft) in hashes for draft in (False, True)):
            return title
    return None


def find_base(source: Source, target: str, remote_id: str, remote: RemotePost,
              rendered: Rendered) -> Base | None:
    """The merge base of ``target``'s copy (see the module docstring), or None."""
    names = _same_copy(source, target, remote_id)
    hashes = recorded_hashes(source, target, remote_id)
    titles = (remote.title, rendered.title)

    def where(name: str) -> str:
        return ("what crosspost last sent" if name == target
                else f"what crosspost last sent to {TARGETS[name].label}")

    kept = {name: source.merge_base(name, remote_id) for name in names}
    if hashes:
        # The copy itself first: when its hash is a recorded one, nothing was edited there
        # (this also settles which of two targets sharing one post sent last).
        if remote.body is not None:
            title = _vouched_title(remote.body, hashes, titles)
            if title is not None:
                return Base(remote.body, "the copy (its hash is the recorded one)", title)
        for name, base in kept.items():
            if base is not None and base.get("hash") in hashes:
                return Base(base["body"], where(name), base.get("title"))
        for name in names:
            sent = source.last_sent(name)
            title = _vouched_title(sent, hashes, titles) if sent is not None else None
            if sent is not None and title is not None:
                return Base(sent, where(name), title)
        for old in _earlier_renderings(source, target):
            title = _vouched_title(old.body, hashes, (remote.title, old.title))
            if title is not None:
                return Base(old.body, "the post's git history", title)
    # Then, unchecked, a base kept for this very copy: the text `crosspost pull` showed of a
    # copy crosspost never sent, or what was merged into it before a publish from elsewhere
    # or `crosspost link` recorded it again (a copy recorded later in its place does not
    # inherit it: the base is kept with the copy's id).
    for base in kept.values():
        if base is not None:
            origin = ("the copy's text as `crosspost pull` showed it" if base.get("hash") is None
                      else "what crosspost last sent")
            return Base(base["body"], origin, base.get("title"))
    # Last, what this machine last sent, when the hash cannot vouch for it: the title it went
    # with is neither the copy's nor the post's now (both were changed), or a publish from
    # elsewhere came after it. An older base is no risk to edits made there (they differ from
    # it all the same); its title is unknown, so a title that differs is not replaced (see
    # ``assess``). Not after `crosspost link` (no hash): that body went to another copy.
    if hashes:
        for name in names:
            sent = source.last_sent(name)
            if sent is not None:
                return Base(sent, where(name), None)
    return None


def _earlier_renderings(source: Source, target: str) -> Iterator[Rendered]:
    """The post's committed versions, rendered as they would have been sent."""
    from crosspost.errors import CrosspostError
    from crosspost.history import earlier_versions
    from crosspost.post import Post
    from crosspost.render import render_post

    for raw in earlier_versions(source.path):
        if raw == source.post.raw:
            continue
        try:
            post = Post.from_text(raw, source.path)
            options = source.site.settings.options_for(target, post.crosspost.get(target),
                                                       where=f"{source.path}: crosspost.{target}",
                                                       blocks=post.crosspost)
            yield render_post(post, source.site, target, options)
        except CrosspostError:
            continue


# -- deciding ---------------------------------------------------------------------------------


def assess(source: Source, plan: TargetPlan, remote: RemotePost, *, overwrite: bool) -> Drift:
    """What updating ``plan``'s copy (now ``remote``) would do about edits made there."""
    rendered = plan.rendered
    assert rendered is not None
    assert plan.remote_id is not None
    ours, theirs, target = rendered.body, remote.body, plan.target
    if theirs is None:
        return Drift(UNREAD, target, "", ours, ours, title=rendered.title)
    base = find_base(source, target, plan.remote_id, remote, rendered)
    # A title that differs there and was changed there (or may have been: the base's title
    # is unknown), which the update would replace.
    title_there = None
    if remote.title is not None and remote.title != rendered.title \
            and (base is None or base.title is None or remote.title != base.title):
        title_there = remote.title

    def verdict(state: str, body: str | None, **more: Any) -> Drift:
        return Drift(state, target, theirs or "", ours, body, base, title=rendered.title, **more)

    if _norm(theirs) == _norm(ours) and title_there is None:
        return verdict(SAME, ours)
    if base is None or (overwrite and (_norm(theirs) != _norm(base.text) or title_there)):
        never = base is None and not recorded_hashes(source, target, plan.remote_id)
        return verdict(OVERWRITE if overwrite else UNKNOWN, ours if overwrite else None,
                       never_sent=never)
    if _norm(theirs) == _norm(base.text) and title_there is None:
        return verdict(UNCHANGED, ours)
    merged, conflicts = merge(base.text, theirs, ours)
    if conflicts or title_there is not None:
        return verdict(CONFLICT, None, conflicts=tuple(conflicts), title_there=title_there)
    return verdict(MERGED, merged)


def _norm(text: str) -> str:
    text = text.replace("\r\n", "\n")
    return text if text.endswith("\n") else text + "\n"


def lines_of(text: str) -> list[str]:
    """``text``'s lines with their newline, one final newline assured. Only ``\n`` ends a
    line (``str.splitlines`` would also split at U+2028 and friends, and the line numbers
    would no longer be the file's)."""
    parts = _norm(text).split("\n")
    return [part + "\n" for part in parts[:-1]]


def _blank(line: str) -> bool:
    return not line.strip()


class LineMatcher(difflib.SequenceMatcher[str]):
    """difflib's matcher for the lines of a post, with blank lines as weak anchors.

    Not difflib's "popular lines are junk" heuristic: in a long post the blank lines between
    paragraphs are popular, and they are what keeps two edits apart. But they line up
    paragraphs only where nothing else can and the count says how: lines of text are matched
    first (a blank line joins a match next to it, never starts one); between two such
    matches, where neither side kept a line of text, blank lines are paired in order when
    both sides have as many (each paragraph was edited in place), and not at all otherwise:
    a paragraph added or removed there next to an edited one would be paired with the wrong
    paragraph (the merge would take a paragraph added on the platform for an edit of one of
    the post's, and ``crosspost pull --apply`` write it in that one's place)."""

    def __init__(self, isjunk: Any = None, a: Sequence[str] = "", b: Sequence[str] = "",
                 autojunk: bool = False) -> None:
        self._lines: tuple[Sequence[str], Sequence[str]] = ("", "")
        self._blocks: list[difflib.Match] | None = None
        super().__init__(_blank, a, b, autojunk=False)

    def set_seq1(self, a: Sequence[str]) -> None:
        self._lines, self._blocks = (a, self._lines[1]), None
        super().set_seq1(a)

    def set_seq2(self, b: Sequence[str]) -> None:
        self._lines, self._blocks = (self._lines[0], b), None
        super().set_seq2(b)

    def get_matching_blocks(self) -> list[difflib.Match]:
        if self._blocks is not None:
            return self._blocks
        seq_a, seq_b = self._lines
        blocks: list[tuple[int, int, int]] = []
        i = j = 0
        for block in super().get_matching_blocks():
            gap_a, gap_b = seq_a[i:block.a], seq_b[j:block.b]
            blanks_a = [n for n, line in enumerate(gap_a) if _blank(line)]
            blanks_b = [n for n, line in enumerate(gap_b) if _blank(line)]
            if len(blanks_a) == len(blanks_b):
                blocks.extend((i + x, j + y, 1) for x, y in zip(blanks_a, blanks_b, strict=True)
                              if gap_a[x] == gap_b[y])
            if block.size:
                blocks.append((block.a, block.b, block.size))
            i, j = block.a + block.size, block.b + block.size
        merged: list[tuple[int, int, int]] = []
        for a, b, size in blocks:  # adjacent blocks as one, as difflib gives them
            if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
                merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
            else:
                merged.append((a, b, size))
        merged.append((len(seq_a), len(seq_b), 0))
        self._blocks = [difflib.Match(*m) for m in merged]
        return self._blocks


def merge(base: str, theirs: str, ours: str, *, prefer: str = "theirs") -> tuple[str, list[Conflict]]:
    """A line-wise three-way merge (merge3); where both sides changed, the ``prefer`` side's
    text is kept in the result and the place is listed as a conflict."""
    from merge3 import Merge3

    lines = [lines_of(text) for text in (base, theirs, ours)]
    base_l, theirs_l, ours_l = lines
    out: list[str] = []
    conflicts: list[Conflict] = []
    m = Merge3(base_l, theirs_l, ours_l, sequence_matcher=LineMatcher)  # type: ignore[arg-type]
    for region in m.merge_regions():
        kind = region[0]
        if kind == "unchanged":
            out.extend(base_l[region[1]:region[2]])
        elif kind in {"a", "same"}:
            out.extend(theirs_l[region[1]:region[2]])
        elif kind == "b":
            out.extend(ours_l[region[1]:region[2]])
        else:
            _, z1, z2, a1, a2, b1, b2 = region  # type: ignore[misc]
            conflicts.append(Conflict(a1 + 1, tuple(base_l[z1:z2]), tuple(theirs_l[a1:a2]),
                                      tuple(ours_l[b1:b2])))
            out.extend(theirs_l[a1:a2] if prefer == "theirs" else ours_l[b1:b2])
    return "".join(out), conflicts


def _diff(before: str, after: str, from_label: str, to_label: str) -> str:
    return "".join(difflib.unified_diff(lines_of(before), lines_of(after),
                                        fromfile=from_label, tofile=to_label, n=1))


# -- the engine's hooks ------------------------------------------------------------------------


def check_update(runner: Runner, source: Source, plan: TargetPlan, adapter: Target) -> Rendered:
    """Read the copy and decide (issue 12); return what to send, or raise :class:`EditedThere`.

    The decision is kept on ``plan.drift`` for the report.
    """
    rendered = plan.rendered
    assert rendered is not None
    assert plan.remote_id is not None
    from crosspost.targets import checked

    remote = checked(adapter.fetch(plan.remote_id), plan.target, "fetch")
    plan.current = remote
    drift = assess(source, plan, remote, overwrite=runner.options.overwrite)
    plan.drift = drift
    if drift.body is None:
        raise blocked_error(drift, str(plan.path))
    return rendered if drift.body == rendered.body else rendered.with_body(drift.body)


def already_there(plan: TargetPlan) -> bool:
    """Whether the copy an update just read already shows everything the update would send
    (after ``crosspost pull --apply``, or an edit made the same on both sides): then nothing
    is written, which would only add a revision there; the record is brought up to date."""
    rendered, remote, drift = plan.rendered, plan.current, plan.drift
    if rendered is None or remote is None or drift is None or drift.state != SAME:
        return False
    if plan.fields_changed or remote.title != rendered.title:
        return False
    if not rendered.options.keep_state and remote.draft != rendered.options.draft:
        return False
    if remote.extra.get("editor") not in (None, "markdown"):
        return False  # the update would also turn a rich-editor post into Markdown
    # The Alignment Forum shows a LessWrong post only with its `af` flag set.
    return plan.target != "alignmentforum" or remote.extra.get("af") is True


def remember(source: Source, plan: TargetPlan) -> None:
    """After a successful update: the body sent is "last sent", and our rendering, with the
    hash just recorded for it, the merge base (after a merge they differ; the module
    docstring says why the base is ours)."""
    drift = plan.drift
    if drift is None or drift.body is None or plan.remote_id is None:
        return
    source.remember_sent(plan.target, drift.body)
    record = record_of(source.post, plan.target)
    hash_ = record.get("hash")
    source.remember_base(plan.target, plan.remote_id, drift.ours, title=drift.title or None,
                         content_hash=str(hash_) if hash_ else None)


def annotate_dry_run(source: Source, plan: TargetPlan, remote: RemotePost, *,
                     overwrite: bool) -> None:
    """A dry run's plan says what the update would do with edits made there, and its diff
    runs to the body that would really be sent."""
    if plan.rendered is None or plan.remote_id is None:
        return
    drift = assess(source, plan, remote, overwrite=overwrite)
    plan.drift = drift
    note = ""
    if drift.state == MERGED:
        n = drift.count_kept()
        note = f"keeps {n} edit{'s' * (n != 1)} made on {drift.label}, merged with yours"
        plan.after = drift.body
    elif drift.state == OVERWRITE:
        note = (f"--overwrite: replaces the edits made on {drift.label}" if drift.base is not None
                else f"--overwrite: replaces the text on {drift.label}, which crosspost never sent")
    elif drift.blocked:
        plan.error = blocked_error(drift, str(plan.path))
        note = plan.error.message
    editor = remote.extra.get("editor")
    if isinstance(editor, str) and editor != "markdown" and not drift.blocked:
        rich = (f"the update turns the copy into a Markdown post (it was written in "
                f"{drift.label}'s rich editor)")
        note = f"{note}; {rich}" if note else rich
    if note:
        plan.reason = f"{plan.reason}; {note}" if plan.reason else note


def blocked_error(drift: Drift, shown: str) -> EditedThere:
    label, target = drift.label, drift.target
    ways = (f"edit the post, bring their edits home with `crosspost pull {shown} --from {target}`, "
            f"or replace them with `crosspost publish {shown} --to {target} --overwrite`")
    if drift.state == UNKNOWN:
        why = ("crosspost has never sent the text of this copy (it was linked or found, not "
               "made by crosspost)" if drift.never_sent else
               "the copy differs from what crosspost last sent, and this machine does not have "
               "that text (it is kept in .crosspost/sent/ where the post was published, and "
               "the post's git history does not render to it)")
        return EditedThere(
            f"not updated: {why}, so it cannot tell what was edited on {label}",
            hint=f"see the difference with `crosspost pull {shown} --from {target}` (its text "
            f"then counts as seen, and the next publish replaces it), or replace it now with "
            f"`crosspost publish {shown} --to {target} --overwrite`", target=target,
            operation="update")
    what = []
    if drift.conflicts:
        n = len(drift.conflicts)
        what.append(f"your post changes the same lines ({n} conflict{'s' * (n != 1)})")
    if drift.title_there is not None and drift.base is not None and drift.base.title is None:
        what.append(f"its title there, {drift.title_there!r}, differs from the post's and "
                    "crosspost cannot tell which one changed")
    elif drift.title_there is not None:
        what.append(f"its title was changed there to {drift.title_there!r}")
    return EditedThere(f"not updated: the copy was edited on {label} since crosspost last sent "
                       f"it, and {' and '.join(what)}", hint=ways, target=target,
                       operation="update")


# -- what the commands print -----------------------------------------------------------------


def report_lines(result: TargetResult, shown: str) -> list[str]:
    """Lines to print under a result: the edits a merge kept, or the conflicts and the ways
    on (``shown``: the post's path as the user knows it)."""
    plan = result.plan
    drift = plan.drift if plan is not None else None
    if drift is None:
        return []
    label, target = drift.label, drift.target
    lines: list[str] = []
    if drift.state == MERGED and drift.body is not None:
        n = drift.count_kept()
        lines.append(f"  kept {n} edit{'s' * (n != 1)} made on {label} (merged with yours); "
                     f"bring {'them' if n != 1 else 'it'} into the post with "
                     f"`crosspost pull {shown} --from {target} --apply`:")
        lines.extend("    " + line for line in drift.kept().splitlines()[2:])
    elif drift.state == CONFLICT:
        for conflict in drift.conflicts:
            lines.append(f"  conflict at line {conflict.line} of the copy on {label}:")
            lines.append(f"    <<<<<<< on {label}")
            lines.extend("    " + line.rstrip("\n") for line in conflict.theirs)
            lines.append("    =======")
            lines.extend("    " + line.rstrip("\n") for line in conflict.ours)
            lines.append(f"    >>>>>>> {shown}")
        if drift.title_there is not None:
            lines.append(f"  title on {label}: {drift.title_there!r}; in the post: {drift.title!r}")
        lines.extend(_ways_on(shown, target))
    elif drift.state == UNKNOWN:
        lines.append(f"  the copy on {label} now, against your post (what --overwrite would "
                     "replace):")
        lines.extend("    " + line for line in _diff(drift.theirs, drift.ours, "", "")
                     .splitlines()[2:])
        lines += ["  ways on:",
                  f"    `crosspost pull {shown} --from {target}` shows the edits (`--apply` "
                  "writes them into the post); the copy's text then counts as seen, and the "
                  "next publish replaces what you did not bring home;",
                  f"    `crosspost publish {shown} --to {target} --overwrite` replaces it now."]
    elif drift.state == OVERWRITE:
        lost = drift.lost()
        if lost:
            lines.append(f"  replaced on {label} (--overwrite):")
            lines.extend("    " + line for line in lost.splitlines()[2:])
    return lines


def _ways_on(shown: str, target: str) -> list[str]:
    return ["  ways on:",
            "    edit the post so it says what you want there, then publish again;",
            f"    `crosspost pull {shown} --from {target}` shows the edits made there "
            "(`--apply` writes them into the post);",
            f"    `crosspost publish {shown} --to {target} --overwrite` replaces them."]


__all__ = ["CONFLICT", "MERGED", "OVERWRITE", "SAME", "UNCHANGED", "UNKNOWN", "UNREAD", "Base",
           "Conflict", "Drift", "LineMatcher", "annotate_dry_run", "assess", "blocked_error",
           "check_update", "find_base", "lines_of", "merge", "recorded_hashes", "remember",
           "report_lines"]
