"""Planning, offline: what to do with one post on one target, and why.

The front-matter record, the body hash, the journal, the other targets on the same database
and links to the post's own copy in its body decide the action. Nothing here writes or
touches the network; the runner re-plans a target when its turn comes, so a plan always
sees what earlier targets recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crosspost.copies import broken_key, record_of, recorded_state
from crosspost.engine import ownership
from crosspost.engine.model import (
    CREATE,
    MANUAL,
    NATIVE,
    RECONCILE,
    SKIP,
    UP_TO_DATE,
    UPDATE,
    PublishOptions,
    TargetPlan,
)
from crosspost.engine.native import ORIGIN as NATIVE_ORIGIN
from crosspost.engine.native import native_reason
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError, InputError, TargetBug
from crosspost.owners import entry_is_this_post, ids_of
from crosspost.platforms import TARGETS, TargetInfo

if TYPE_CHECKING:
    from crosspost.journal import Entry
    from crosspost.post import Post
    from crosspost.render import Notice, Rendered

log = logging.getLogger("crosspost.engine")


def _same_database(info: TargetInfo) -> list[TargetInfo]:
    """The other targets that show the same posts (LessWrong and the Alignment Forum)."""
    return [other for other in TARGETS.values()
            if other.name != info.name and other.database == info.database]


def _shared_record(post: Post, info: TargetInfo) -> tuple[str, dict[str, Any]] | None:
    """A record of the same remote post under another target with the same database."""
    for other in _same_database(info):
        record = record_of(post, other.name)
        if record.get("id"):
            return other.name, record
    return None


def _render(source: Source | _Recorded, target: str, options: PublishOptions) -> Rendered:
    from crosspost.render import render_post

    block = source.post.crosspost.get(target)
    target_options = source.site.settings.options_for(
        target, block, where=f"{source.path}: crosspost.{target}", draft=options.draft,
        blocks=source.post.crosspost)
    return render_post(source.post, source.site, target, target_options)


def plan_one(source: Source, target: str, options: PublishOptions, *,
             native: bool = True) -> TargetPlan:
    """The plan for one post on one target. ``native=False``: an EA Forum copy is planned
    as an independent one (the fallback when LessWrong cannot make its native crosspost)."""
    plan = _decide(source, target, options, native=native)
    if plan.goes_public and plan.error is None and plan.rendered is not None:
        why = source.site.unpublished_reason(source.post)
        if why is not None:
            # Its canonical URL does not exist yet: the attribution line and Medium's
            # canonical link would point at a 404. A draft copy is fine (it is private).
            plan.action = SKIP
            plan.reason = (f"the post is not live on your site ({why}), so its address would "
                           "not work; publish it on the site first, or send a draft with --draft")
    return plan


def _decide(source: Source, target: str, options: PublishOptions, *, native: bool) -> TargetPlan:
    info = TARGETS[target]
    plan = TargetPlan(path=source.path, target=target, action=CREATE)
    try:
        rendered = _render(source, target, options)
        extra = _payload_notices(rendered)
    except CrosspostError as exc:
        plan.action, plan.error, plan.reason = SKIP, exc, exc.text(with_target=False)
        return plan
    if extra:
        rendered = rendered.with_body(rendered.body, notices=rendered.notices + extra)
    plan.rendered = rendered
    plan.before, plan.before_label = source.post.body, "source"
    plan.before_title = source.site.title_of(source.post)
    if options.strict and rendered.warnings:
        plan.action = SKIP
        plan.error = InputError(f"{len(rendered.warnings)} rendering warning(s) and --strict",
                                hint="fix them or drop --strict; nothing was sent", target=target)
        plan.reason = plan.error.text(with_target=False)
        return plan

    entry = source.journal.get(source.path, target)
    record = record_of(source.post, target)
    for other in _same_database(info):
        if source.journal.get(source.path, other.name) is not None:
            plan.action = SKIP
            plan.reason = (f"an interrupted run on {other.label} (the same database) must be "
                           f"settled first: run `crosspost publish {source.path} --to {other.name}`")
            return plan
    if entry is None:
        entry = _renamed_entry(source, target, rendered, ids_of(info, record),
                               move=not options.dry_run)
    if entry is not None:
        plan.action = RECONCILE
        plan.reason = ("an earlier run was interrupted while sending; it will be checked "
                       "before anything new is sent" if entry.state == "sending"
                       else "an earlier run left a draft that was meant to be public; it will "
                       "be published" if entry.state == "created"
                       else "an earlier run's result will be recorded first")
        return plan

    remote_id = record.get("id")
    remote_url = record.get("url")
    broken = broken_key(record)
    if broken:  # `status` reads such a record as no copy; publishing must not guess either
        plan.action = SKIP
        plan.error = InputError(f"`crosspost.{target}.{broken}` is not a copy's {broken}: "
                                f"{record.get(broken)!r}", target=target,
                                hint=f"write the copy's {broken} as text, or remove it "
                                f"(`crosspost link {source.path} --to {target} URL` records it)")
        plan.reason = plan.error.text(with_target=False)
        return plan
    if not remote_id and isinstance(remote_url, str):
        remote_id = info.post_id_in(remote_url)  # a copy recorded by URL alone (`link`, by hand)
    if remote_id:
        others = ownership.shared_claims(source, info, record)
        if others:
            plan.action, plan.error = SKIP, ownership.conflict(source, info, others, remote_url)
            plan.reason = plan.error.text(with_target=False)
            return plan
    pairing = native_reason(source, target, record, rendered, options) if native else None
    if pairing is not None:
        # The pair follows the LessWrong copy: one that another file records is not this
        # post's, and neither is its pair (asking for one would write to that copy).
        origin, origin_record = TARGETS[NATIVE_ORIGIN], record_of(source.post, NATIVE_ORIGIN)
        others = ownership.shared_claims(source, origin, origin_record)
        if others:
            plan.action = SKIP
            plan.error = ownership.conflict(source, origin, others, origin_record.get("url"))
            plan.error.target = target
            plan.reason = plan.error.text(with_target=False)
            return plan
        plan.action, plan.reason = NATIVE, pairing
        plan.remote_id, plan.remote_url = record.get("id"), record.get("url")
        return plan
    how = ""
    notes: list[str] = []
    if not remote_id:
        shared = _shared_record(source.post, info)
        if shared is not None:
            shared_name, shared_record = shared
            others = ownership.shared_claims(source, info, shared_record)
            if others:
                plan.action = SKIP
                plan.error = ownership.conflict(source, info, others, shared_record.get("url"))
                plan.reason = plan.error.text(with_target=False)
                return plan
            remote_id = shared_record.get("id")
            remote_url = _url_on(info, str(remote_id), shared_record.get("url"))
            how = f"the same post as on {TARGETS[shared_name].label}"
    if not remote_id:
        found = ownership.candidates(source, info, rendered, notes)
        if found is not None:
            remote_id, remote_url, plan.adoption = found
            plan.adoption.fallback = rendered
            how = f"found as {plan.adoption.how}"
            rendered = _render_as_recorded(source, target, options, remote_id, remote_url, rendered)
            plan.rendered = rendered
    if remote_id:
        plan.remote_id, plan.remote_url = str(remote_id), remote_url
        # An existing copy keeps its draft or public state unless the post itself says
        # `draft:`; a site-wide default and --draft shape new copies only.
        block = source.post.crosspost.get(target, {})
        explicit = "draft" in block
        rendered = rendered.with_body(rendered.body, options=rendered.options.replace(
            draft=bool(block["draft"]) if explicit else rendered.options.draft,
            keep_state=not explicit))
        plan.rendered = rendered
        if plan.adoption is not None and plan.adoption.fallback is not None:
            plan.adoption.fallback = plan.adoption.fallback.with_body(
                plan.adoption.fallback.body, options=rendered.options.replace(keep_state=False))
        sent = source.last_sent(target)
        if sent is not None:
            plan.before, plan.before_label = sent, "last sent"
        if str(record.get("status", "")) == "uncertain":
            plan.action = SKIP if not options.force_new else CREATE
            plan.reason = (UNCERTAIN if not options.force_new
                           else "posting again because of --force-new")
            return plan
        meta_only = ""
        if not how and recorded_state(record.get("hash"), rendered, explicit_draft=explicit):
            if recorded_state(record.get("hash"), rendered, explicit_draft=explicit,
                              record_meta=record.get("meta")):
                if options.overwrite and info.can_update:
                    # The hash says nothing of edits made there; --overwrite asks for them
                    # to go, so the copy is read (and written only if it was edited).
                    plan.action, plan.overwrite_only = UPDATE, True
                    plan.reason = "the post is as sent; --overwrite replaces edits made there"
                    return plan
                plan.action = UP_TO_DATE
                return plan
            plan.fields_changed = True
            meta_only = ("the text is as sent; the fields sent beside it changed (tags, "
                         "description, series, cover image or canonical URL)")
        if not info.can_update:
            if how:
                plan.action, plan.reason = UPDATE, f"{how}; it will be recorded"
                return plan
            if options.force_new:
                plan.action, plan.reason = CREATE, "posting a new copy because of --force-new"
                return plan
            plan.action = SKIP
            plan.reason = (f"changed since publish: {info.label}'s API cannot update; "
                           f"edit {remote_url or 'the post'} by hand, or pass --force-new")
            return plan
        plan.action = UPDATE
        plan.reason = (how or meta_only) if plan.adoption is None else (
            f"{how}; checked with {info.label} before anything is sent: it must be yours"
            + ("" if plan.adoption.plausible_only_by_key else " and match this post")
            + ", else a new copy is created")
        return plan
    if notes:
        plan.reason = "; ".join(notes)
    if str(record.get("status", "")) == "uncertain" and not options.force_new:
        plan.action, plan.reason = SKIP, UNCERTAIN
        return plan
    if info.name == "medium" and options.manual:
        plan.action, plan.reason = MANUAL, "writing a file for Medium's 'Import a story'"
    return plan


def _renamed_entry(source: Source, target: str, rendered: Rendered, recorded: list[str], *,
                   move: bool) -> Entry | None:
    """An interrupted write of this same post under a path that no longer exists (renamed
    since); filed again under the post's path (unless ``move`` is off: a dry run writes
    nothing), so it is settled here.

    Which post an entry is: when the post records a copy (the file was renamed with its
    record, as `git mv` does), the entry that names that copy. Otherwise an entry sent for
    the same page (canonical URL), with the same body, or with the same title and mostly the
    same words; a title alone is no identity ("Open thread" every month), and an entry whose
    copy another file records is never this post's.
    """
    for entry in source.journal.orphans(target):
        if not entry_is_this_post(entry, source.index, source.path, rendered, recorded):
            continue
        log.info("%s: the interrupted %s of %s is this post's (renamed since)", target,
                 entry.action, entry.post)
        return source.journal.move(entry, source.path) if move else entry
    return None


def _render_as_recorded(source: Source, target: str, options: PublishOptions, remote_id: str,
                        remote_url: str, fallback: Rendered) -> Rendered:
    """The rendering once the adopted copy is recorded: the link to it is then a link to the
    post itself, and goes, as it will on every later run."""
    from crosspost.record import updated_text

    try:
        raw = updated_text(source.post.raw, {target: {"id": remote_id, "url": remote_url}},
                           path=source.path)
    except CrosspostError:
        return fallback
    return _render(_Recorded(source, source.post.with_raw(raw)), target, options)


class _Recorded:
    """A view of ``source`` with another text of its post (for a rendering, nothing else)."""

    def __init__(self, source: Source, post: Post) -> None:
        self.path = source.path
        self.site = source.site
        self.post = post


def _payload_notices(rendered: Rendered) -> tuple[Notice, ...]:
    from crosspost.targets import payload_notices

    try:
        return payload_notices(rendered)
    except TargetBug:  # a bug in the target's code: that target fails, in one line
        raise
    except CrosspostError as exc:  # surfaces again, with context, when publishing
        log.info("%s: %s", rendered.target, exc)
        return ()


UNCERTAIN = ("an earlier create may have succeeded and Medium's API cannot look it up: check "
             "https://medium.com/me/stories, then `crosspost link` its URL, or pass --force-new")


def _url_on(info: TargetInfo, remote_id: str, other_url: object) -> str:
    """The URL of a shared-database post on ``info``'s host (AF and LW show the same post)."""
    if isinstance(other_url, str) and "/posts/" in other_url:
        return info.site_url + other_url[other_url.index("/posts/"):]
    return ownership.post_url(info, remote_id)


def chain_shared_creates(plans: Sequence[tuple[Source, TargetPlan]]) -> None:
    """Within one post, a second target on the same database updates what the first creates."""
    creating: dict[tuple[int, str], str] = {}
    for source, plan in plans:
        key = (id(source), TARGETS[plan.target].database)
        if plan.action != CREATE:
            continue
        if key in creating:
            plan.action = UPDATE
            plan.reason = f"the same post as on {TARGETS[creating[key]].label}, once created there"
        else:
            creating[key] = plan.target


__all__ = ["UNCERTAIN", "chain_shared_creates", "plan_one"]
