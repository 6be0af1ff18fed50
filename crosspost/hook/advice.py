"""What the hook says: each judged post's line, and a remedy the author can follow.

A remedy never leads to publishing text that is not in the push: ``crosspost publish``
reads the working-tree file, so it is offered bare only when that file is the pushed
version (plus records of copies that exist); otherwise the commands set the other changes
aside first. And it never leads to a second copy: while a copy exists that the push does
not record, the remedy is to commit that record, never to publish.
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from crosspost.hook.install import SKIP_ENV
from crosspost.hook.judge import BLOCK, WARN
from crosspost.hook.push import BRANCH_PREFIX

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from crosspost.hook.judge import Judged, Known
    from crosspost.hook.repo import Head
    from crosspost.status import TargetStatus


def bypass() -> str:
    return f"to push anyway: `git push --no-verify`, or `{SKIP_ENV}=skip git push`"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def listing(judged: Sequence[Judged]) -> list[str]:
    """The posts of the push, one line per target, the ref named when the push has several."""
    refs = {j.pushes[0].where for j in judged}
    lines = [f"crosspost: {plural(len({j.path for j in judged}), 'post')} with a `crosspost` "
             "block changed in this push:"]
    for one in judged:
        name = one.path + (f" ({one.pushes[0].where})" if len(refs) > 1 else "")
        for status, verdict in one.verdicts:
            lines.append(f"  {name}: {_state(one, status, verdict)}")
    return lines


def _state(one: Judged, status: TargetStatus, verdict: str | None) -> str:
    from crosspost.platforms import TARGETS

    known = one.known.get(status.target)
    if known is not None:
        return f"{status.target}: {_unrecorded(known)}"
    text = f"{status.target}: {status.state}"
    if status.detail:
        text += f": {status.detail}"
    if status.target in one.unsettled:
        text += (": an earlier publish was interrupted and may have made a copy; "
                 "`crosspost publish` finds and records it before sending anything")
    info = TARGETS.get(status.target)
    if verdict == WARN and info is not None and not info.can_update:
        text += (f" (warning: {info.label}'s API cannot update a post; edit "
                 f"{status.url or 'the copy'} by hand. Not blocking the push)")
    elif verdict == WARN:
        text += " (warning: not blocking the push)"
    return text


def _unrecorded(known: Known) -> str:
    from crosspost.hook.judge import UNRECORDED

    copy = f"a copy exists ({known.url})" if known.url else \
        "a copy may exist (an earlier create's reply was lost)"
    return f"{UNRECORDED}: {copy}, recorded in {known.where}"


def other_refs_note(judged: Sequence[Judged]) -> list[str]:
    """Tags and other refs are never blocked: a record commit cannot go onto a tag, and what
    is published and recorded is what a branch carries (the Action runs on branches)."""
    behind = [j for j in judged if not j.on_branch and any(v for _, v in j.verdicts)]
    if not behind:
        return []
    names = list(dict.fromkeys(j.pushes[0].where for j in behind))
    are = "is not a branch" if len(names) == 1 else "are not branches"
    return [f"crosspost: note: {', '.join(names)} {are}, so the posts above there are not blocked "
            "(crosspost publishes and records what a branch push carries); publish them from "
            "your branch and push it"]


def commit_command(subject: str, paths: Sequence[str], *, only: bool) -> str:
    """``git commit`` of the records: of ``paths`` alone (``--`` takes their working-tree
    content and leaves the rest of the index out), or of the whole index."""
    message = subject.replace("{posts}", plural(len(paths), "post"))
    command = f"git commit -m {shlex.quote(message)}"
    return command + (" -- " + words(paths) if only else "")


def words(paths: Sequence[str]) -> str:
    return " ".join(shlex.quote(p) for p in paths)


def elsewhere(one: Judged, head: Head) -> str:
    """Why a post pushed from something other than the checkout cannot be acted on here,
    and what to do: crosspost reads and records the checked-out files."""
    push = next((c for c in one.pushes if c.on_branch), one.pushes[0])
    if push.sha is None:
        return (f"{one.path} has uncommitted changes, and crosspost publishes and records what "
                "is committed: commit or stash them, then push again")
    ref = push.ref or "HEAD"
    known = list(one.known.values())
    there = head.worktree_of(ref) if ref.startswith(BRANCH_PREFIX) else None
    if there is not None:
        name = ref.removeprefix(BRANCH_PREFIX)
        what = f"the branch {name}, which is checked out in the worktree {there}"
        how = "push it from there"
        record = (f"commit that record on {name} too (copy its `crosspost` block into the file "
                  f"in {there}, or commit it here and `git cherry-pick` that commit there), then "
                  "push from there")
    elif ref.startswith(BRANCH_PREFIX) and ref != head.branch:
        name = ref.removeprefix(BRANCH_PREFIX)
        what = f"the branch {name}, which is not checked out"
        how = f"check it out (`git switch {shlex.quote(name)}`) and push again"
        # Checking it out would leave the record behind: it must travel to that branch.
        record = (f"commit that record on {name} too (copy its `crosspost` block there, or "
                  "commit it here and `git cherry-pick` that commit there), then push again")
    else:
        what = (f"{ref.removeprefix(BRANCH_PREFIX)} at {push.sha[:12]}, which is not the commit "
                "checked out")
        how = (f"check that commit out on a branch (`git switch -c <name> {push.sha[:12]}`) "
               "and push the branch")
        record = "commit that record on the branch checked out and push the branch instead"
    if known:
        copies = ", ".join(f"{k.target} ({k.url or 'a copy whose reply was lost'})" for k in known)
        return (f"{one.path} is pushed from {what}, without the record of its copy on {copies} "
                f"that is in {known[0].where} here: {record}")
    return (f"{one.path} is pushed from {what}; crosspost reads the post and records its copies "
            f"in the files checked out: {how}")


def check_remedy(blocking: Sequence[Judged], head: Head, *, subject: str,
                 staged: Sequence[str]) -> list[str]:
    """Check mode's block: what is wrong, and commands that fix it without publishing or
    committing anything the push does not carry. ``staged``: the paths staged now."""
    lines = []
    errors = [j for j in blocking if j.has_error]
    away = [j for j in blocking if not j.has_error and not j.holds_head]
    here = [j for j in blocking if not j.has_error and j.holds_head]
    if errors:
        lines.append(f"crosspost: push blocked: {', '.join(j.path for j in errors)} cannot be read "
                     "or rendered as pushed (see above): fix it, commit and push again")
    lines.extend(f"crosspost: push blocked: {elsewhere(j, head)}" for j in away)
    if here:
        lines.extend(_here(here, subject=subject, staged=staged))
    lines.append("  " + bypass())
    return lines


def _here(here: Sequence[Judged], *, subject: str, staged: Sequence[str]) -> list[str]:
    record = [j for j in here if j.known]
    publish = [j for j in here if j.needs_publish]
    what = []
    if record:
        what.append(f"{plural(len(record), 'post')} {'has' if len(record) == 1 else 'have'} a copy "
                    "this push does not record (publishing the pushed commits, as the GitHub "
                    "Action does, would make another)")
    if publish:
        what.append(f"{plural(len(publish), 'post')} unpublished or changed since publish")
    head = f"crosspost: push blocked: {'; '.join(what)}."
    paths = list(dict.fromkeys(j.path for j in [*record, *publish]))
    if all(j.worktree_is_wanted() for j in here):
        # The files are the pushed versions (with any existing records): safe to publish.
        if not publish:
            return [f"{head} Commit the recorded URLs, then push:",
                    "    " + commit_command(subject, paths, only=True)]
        return [f"{head} Publish from the repository's top folder, commit the recorded URLs, "
                "then push again:",
                "    crosspost publish " + words([j.path for j in publish]),
                "    " + commit_command(subject, paths, only=True)]
    if record:
        lines = [f"{head} Commit the recorded URLs, then push:",
                 *_record_commands(record, subject=subject, staged=staged)]
        if publish:
            lines.append("  then push again: the hook checks what is left to publish")
        return lines
    dirty = [j.path for j in publish if not j.worktree_is_wanted()]
    targets = words([j.path for j in publish])
    return [f"{head} {', '.join(dirty)} {'has' if len(dirty) == 1 else 'have'} changes that are not "
            "in this push, which `crosspost publish` would send. To publish exactly what is "
            "pushed, from the repository's top folder:",
            f"    git stash push -- {words(dirty)}",
            f"    crosspost publish {targets}",
            "    " + commit_command(subject, [j.path for j in publish], only=True),
            "    git stash pop",
            "  then push again (or commit those changes too, and push them with it)"]


def _record_commands(record: Sequence[Judged], *, subject: str, staged: Sequence[str]) -> list[str]:
    paths = [j.path for j in record]
    if all(j.worktree_is_wanted() for j in record):
        return ["    " + commit_command(subject, paths, only=True)]
    if all(j.staged_is_wanted() for j in record):
        return ["    " + commit_command(subject, paths, only=False),
                *_also_staged([p for p in staged if p not in paths])]
    return [f"  {', '.join(paths)} also {'has' if len(paths) == 1 else 'have'} changes that are not "
            "in this push: stage only the recorded URLs (the `crosspost` block), then commit:",
            f"    git add -p {words(paths)}",
            "    " + commit_command(subject, paths, only=False)]


def staged_record(paths: Sequence[str], *, subject: str, cwd: str | None = None,
                  environ: Mapping[str, str] | None = None) -> list[str]:
    """How to commit records that are staged (after publish mode's own commit failed), or,
    without ``cwd``, records in files whose index entries could not take them."""
    from crosspost.hook.repo import staged_paths, unstaged

    if cwd is None or environ is None:
        return [f"    git add -p {words(paths)}", "    " + commit_command(subject, paths, only=False)]
    if not unstaged(paths, cwd=cwd, environ=environ):
        return ["    " + commit_command(subject, paths, only=True)]
    return ["    " + commit_command(subject, paths, only=False),
            *_also_staged([p for p in staged_paths(cwd=cwd, environ=environ) if p not in paths])]


def _also_staged(others: Sequence[str]) -> list[str]:
    """A note for a commit of the whole index: what else it would take along."""
    if not others:
        return []
    return [f"  (that also commits what else is staged: {', '.join(others)}; "
            f"`git restore --staged {words(others)}` first leaves it out)"]


__all__ = ["BLOCK", "bypass", "check_remedy", "commit_command", "elsewhere", "listing",
           "other_refs_note", "plural", "staged_record", "words"]
