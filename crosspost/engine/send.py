"""Sending one plan: create, update, and what to do when a create's reply is lost.

Every remote write is journaled before it is sent (:mod:`crosspost.journal`) and settled
after: the result is recorded in the post, then the entry cleared. A create is never sent
twice: after a lost reply the platform is asked (``find_existing``) before anything else.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from crosspost.copies import record_of
from crosspost.engine import ownership
from crosspost.engine.model import CREATE, UP_TO_DATE, UPDATE, TargetPlan, TargetResult
from crosspost.engine.runner import Runner, created_values, record_values
from crosspost.engine.source import Source
from crosspost.errors import AmbiguousWrite, CrosspostError, NotFound, TargetBug
from crosspost.journal import Entry, now_iso, state_dir
from crosspost.platforms import TARGETS
from crosspost.targets import blamed, checked, unexpected
from crosspost.targets.base import RemotePost

if TYPE_CHECKING:
    from crosspost.render import Rendered
    from crosspost.targets.base import Target

log = logging.getLogger("crosspost.engine")


def create(runner: Runner, source: Source, plan: TargetPlan, adapter: Target) -> TargetResult:
    rendered = plan.rendered
    assert rendered is not None
    if not runner.options.force_new:
        refusal = ownership.same_title_error(source, adapter, rendered, plan.target)
        if refusal is not None:
            raise refusal
    entry = source.journal.begin(source.path, plan.target, action=CREATE, title=rendered.title,
                                 body=rendered.body, content_hash=rendered.hash,
                                 draft=rendered.options.draft, canonical_url=rendered.canonical_url)
    try:
        remote = checked(adapter.create(rendered), plan.target, "create")
    except AmbiguousWrite as exc:
        return _after_ambiguous(runner, source, plan, adapter, entry, exc)
    except TargetBug as said:  # it answered with no post to record: the post may exist
        return _after_ambiguous(runner, source, plan, adapter, entry, _maybe_created(said))
    except CrosspostError as exc:
        created = exc.created
        if isinstance(created, RemotePost):
            # The post exists (a draft whose publishing failed): record it, so it is this
            # file's copy and no later run makes another, and keep in the journal that it
            # was meant to be public, so the next run publishes it.
            values = created_values(created, rendered, hash=None)
            source.journal.finish(entry, values, state="created")
            runner.record(source, plan.target, values)
        else:
            source.journal.clear(entry)
        raise
    except Exception as exc:  # a target's own bug, after the request may have left
        return _after_ambiguous(runner, source, plan, adapter, entry,
                                _maybe_created(unexpected(exc, plan.target)))
    return settle(runner, source, plan, entry, remote, "created")


def _maybe_created(said: TargetBug) -> AmbiguousWrite:
    """A create that failed in the target's own code: it may have reached the platform."""
    ambiguous = AmbiguousWrite(f"{said.message}; the post may have been created",
                               target=said.target, operation="create")
    ambiguous.__cause__ = said
    return ambiguous


def update(runner: Runner, source: Source, plan: TargetPlan, adapter: Target) -> TargetResult:
    rendered = plan.rendered
    assert rendered is not None
    assert plan.remote_id is not None
    info = TARGETS[plan.target]
    if not info.can_update:
        # Medium: a copy found in the body or under a sibling record is recorded, not sent.
        remote = RemotePost(plan.remote_id, plan.remote_url or "")
        runner.record(source, plan.target, record_values(remote, rendered))
        return TargetResult(plan.path, plan.target, "recorded", url=remote.url, id=remote.id,
                            plan=plan)
    # Issue 12: read the copy first; edits made there are merged or stop the update.
    from crosspost.engine import drift

    sending = drift.check_update(runner, source, plan, adapter)
    if plan.overwrite_only and plan.drift is not None and plan.drift.state == drift.SAME:
        return TargetResult(plan.path, plan.target, UP_TO_DATE, url=plan.remote_url,
                            id=plan.remote_id, plan=plan)  # nothing was edited there
    if drift.already_there(plan):
        assert plan.current is not None
        values = record_values(plan.current, rendered)
        published = record_of(source.post, plan.target).get("published")
        if published is not None:
            values["published"] = published  # nothing was sent: no `updated` time either
        runner.record(source, plan.target, values)
        source.remember_sent(plan.target, rendered.body)
        drift.remember(source, plan)
        return TargetResult(plan.path, plan.target, UP_TO_DATE, url=plan.current.url or plan.remote_url,
                            id=plan.remote_id, plan=plan,
                            message=f"{info.label} already shows this text; recorded, nothing sent")
    entry = source.journal.begin(source.path, plan.target, action=UPDATE, title=rendered.title,
                                 body=rendered.body, content_hash=rendered.hash,
                                 remote_id=plan.remote_id, draft=rendered.options.draft,
                                 canonical_url=rendered.canonical_url)
    try:
        remote = checked(adapter.update(plan.remote_id, sending), plan.target, "update")
    except NotFound as exc:
        source.journal.clear(entry)
        raise NotFound(f"the recorded post {plan.remote_id} does not exist on {info.label} "
                       "(deleted, or recorded for another account)",
                       hint=f"nothing was created; remove `crosspost.{plan.target}.id` and "
                       f"`crosspost.{plan.target}.url` from the front matter to publish a new copy",
                       target=plan.target, status=exc.status) from exc
    except Exception:  # a target's bug too
        source.journal.clear(entry)  # an update is safe to send again; nothing to reconcile
        raise
    result = settle(runner, source, plan, entry, remote, "updated")
    drift.remember(source, plan)  # issue 12: the body sent, and the merge base
    return result


def settle(runner: Runner, source: Source, plan: TargetPlan, entry: Entry, remote: RemotePost,
           status: str) -> TargetResult:
    rendered = plan.rendered
    assert rendered is not None
    values = (created_values if status == "created" else record_values)(remote, rendered)
    source.journal.finish(entry, values)
    runner.record(source, plan.target, values)
    source.journal.clear(entry)
    source.remember_sent(plan.target, rendered.body)
    with runner.lock:
        runner.remotes[(source.path, plan.target)] = remote
    return TargetResult(plan.path, plan.target, status, url=remote.url, id=remote.id, plan=plan)


def _after_ambiguous(runner: Runner, source: Source, plan: TargetPlan, adapter: Target,
                     entry: Entry, error: AmbiguousWrite) -> TargetResult:
    """The create was sent and the answer was lost: ask the platform, never resend."""
    rendered = plan.rendered
    assert rendered is not None
    try:
        found = adapter.find_existing(rendered)
        if found is not None:
            found = checked(found, plan.target, "find_existing")
    except TargetBug:
        raise  # the journal keeps the create: the next run looks again
    except CrosspostError as exc:
        log.info("%s: could not look for the post after a lost reply: %s", plan.target, exc)
        found = None
    if found is not None:
        if (found.draft and not rendered.options.draft) or differs(found, rendered):
            # The lost reply left a draft behind (the forums create drafts, then publish them),
            # or the copy found is an older one (dev.to finds it by its canonical URL):
            # record it, then bring it up to date by updating it.
            runner.record(source, plan.target, created_values(found, rendered, hash=None))
            source.journal.clear(entry)
            plan.remote_id, plan.remote_url = found.id, found.url
            result = update(runner, source, plan, adapter)
            result.status = "created"
            return result
        return settle(runner, source, plan, entry, found, "created")
    if not TARGETS[plan.target].can_update:
        # The platform cannot be asked (Medium): mark the post so no later run posts again
        # silently. The adapter's message already says what to check and how to go on.
        runner.record(source, plan.target, {"status": "uncertain", "published": now_iso(),
                                            "updated": None, "hash": rendered.hash})
        source.journal.clear(entry)
        raise error
    raise AmbiguousWrite(
        f"{error.message}; no copy was found yet",
        hint="run the same command again: it checks for the post before creating anything",
        target=plan.target) from error


def differs(found: RemotePost, rendered: Rendered) -> bool:
    """Whether a copy found by searching holds another body than the one meant for it."""
    return found.body is not None and found.body != rendered.body


def manual(runner: Runner, source: Source, plan: TargetPlan) -> TargetResult:
    """A Medium copy made by hand: recorded from the author's feed once it is there (the
    import steps are then never shown again), else the import file and the steps."""
    from crosspost.targets import medium_import

    rendered = plan.rendered
    assert rendered is not None
    found, said = read_back(runner, plan, source=source)
    if found is not None:
        return found
    dest = state_dir(source.site.root, create=True) / "medium"
    dest.mkdir(parents=True, exist_ok=True)
    path = medium_import.write_import_file(rendered, dest)
    steps = medium_import.import_instructions(rendered, path)
    if said:
        steps.append(f"(crosspost {said})")
    else:
        steps.append("Or set your Medium username (`[targets.medium] username = \"…\"` in "
                     "crosspost.toml): the next run finds the imported story in your Medium feed "
                     "and records it by itself.")
    return TargetResult(plan.path, plan.target, "manual", message="\n".join(steps), plan=plan)


def read_back(runner: Runner, plan: TargetPlan, *,
              source: Source | None = None) -> tuple[TargetResult | None, str]:
    """Look for the post's Medium story in the author's feed (no token needed) and record it.

    Returns the result when it was found and recorded, and one line saying what was looked
    at ("" when no feed is configured). Finding it needs the story to link the post's
    canonical URL (Medium's import keeps that link) or to carry exactly its title.
    """
    from crosspost.targets.medium_feed import feed_url, lookup

    rendered = plan.rendered
    assert rendered is not None
    url = feed_url(rendered.options.username, runner.options.environ)
    if url is None:
        return None, ""
    story, said = lookup(url, runner.options.http, canonical_url=rendered.canonical_url,
                         title=rendered.title, taken=None if source is None else taken_by_others(source))
    if story is None:
        return None, said
    if runner.options.dry_run or source is None:
        return TargetResult(plan.path, plan.target, "planned", url=story.url, id=story.id, plan=plan,
                            message=f"{said}: {story.url} will be recorded"), said
    # Made when first sent (a lost reply) or imported (the feed's date); never updated since.
    made = record_of(source.post, plan.target).get("published") or (
        story.published.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if story.published
        else now_iso())
    runner.record(source, plan.target, {"id": story.id, "url": story.url, "hash": rendered.hash,
                                        "status": None, "published": made, "updated": None})
    return TargetResult(plan.path, plan.target, "recorded", url=story.url, id=story.id, plan=plan,
                        message=f"{said}: recorded the imported story"), said


def taken_by_others(source: Source) -> Callable[[str], bool]:
    """Whether another file of the site records a Medium story as its copy (a story found in
    the feed is then that post's, never this one's)."""
    database = TARGETS["medium"].database
    return lambda story_id: bool(source.index.others(source.path, database, [story_id]))


__all__ = ["blamed", "create", "differs", "manual", "settle", "taken_by_others", "unexpected",
           "update"]
