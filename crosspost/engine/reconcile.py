"""Settling what an interrupted run left in the journal, before anything new is sent.

An entry that finished (the reply came, the record did not) is recorded; an update is sent
again (updates are idempotent); an unfinished create is looked for on the platform, and
recorded if found, so a crash between sending and recording never makes a second copy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crosspost.copies import record_of
from crosspost.engine.model import SKIP, UP_TO_DATE, UPDATE, Report, TargetPlan, TargetResult
from crosspost.engine.planning import UNCERTAIN, plan_one
from crosspost.engine.runner import Runner, created_values, record_values
from crosspost.engine.send import differs
from crosspost.engine.source import Source
from crosspost.errors import AmbiguousWrite
from crosspost.journal import now_iso
from crosspost.platforms import TARGETS
from crosspost.targets import checked

if TYPE_CHECKING:
    from crosspost.journal import Entry
    from crosspost.targets.base import Target

log = logging.getLogger("crosspost.engine")


def reconcile(runner: Runner, source: Source, plan: TargetPlan,
              adapter: Target) -> TargetResult | None:
    """Settle the journal entry an earlier run left; None = carry on with the plan."""
    from crosspost.render import Rendered

    entry = source.journal.get(source.path, plan.target)
    rendered = plan.rendered
    assert rendered is not None
    if entry is None:
        return None
    if entry.state == "created" and entry.result.get("id"):
        return _publish_draft(runner, source, plan, adapter, entry)
    if entry.state == "done" and entry.result.get("id"):
        runner.record(source, plan.target, entry.result)
        source.journal.clear(entry)
        log.info("%s: recorded the result an earlier run left in the journal", plan.target)
    elif entry.action == UPDATE:
        source.journal.clear(entry)  # updates are idempotent: just send it again
    else:
        sent = Rendered(target=plan.target, title=entry.title, body=entry.body,
                        format=rendered.format, canonical_url=rendered.canonical_url,
                        options=rendered.options, source_path=rendered.source_path)
        found = adapter.find_existing(sent) if entry.title else None
        if found is not None:
            found = checked(found, plan.target, "find_existing")
        meant_draft = entry.draft if entry.draft is not None else sent.options.draft
        if found is not None and bool(found.draft) and not meant_draft:
            # The forums create a draft first: the run was killed before publishing it.
            # Record it, and publish it as the run meant.
            log.info("%s: found the draft an interrupted run created: %s", plan.target, found.url)
            values = created_values(found, sent, when=entry.started, hash=None)
            source.journal.finish(entry, values, state="created")
            runner.record(source, plan.target, values)
            return _publish_draft(runner, source, plan, adapter, entry)
        if found is not None:
            # An older body than the one meant (dev.to finds copies by canonical URL): no
            # hash, so the plan below turns into an update.
            unfinished = differs(found, sent)
            values = created_values(found, sent, when=entry.started,
                                    hash=None if unfinished else entry.hash)
            runner.record(source, plan.target, values)
            source.journal.clear(entry)
            log.info("%s: found the post an interrupted run created: %s", plan.target, found.url)
        elif not TARGETS[plan.target].can_update:
            runner.record(source, plan.target, {"status": "uncertain", "hash": entry.hash,
                                                "published": entry.started or now_iso(),
                                                "updated": None})
            source.journal.clear(entry)
            if not runner.options.force_new:
                return TargetResult(plan.path, plan.target, "failed", message=UNCERTAIN,
                                    error=AmbiguousWrite(UNCERTAIN, target=plan.target),
                                    plan=plan)
        else:
            source.journal.clear(entry)  # searched: the create never happened
    # Re-plan against the record we now have.
    fresh = plan_one(source, plan.target, runner.options)
    plan.action, plan.remote_id, plan.remote_url, plan.reason = (
        fresh.action, fresh.remote_id, fresh.remote_url, fresh.reason)
    plan.rendered, plan.adoption, plan.error = fresh.rendered or plan.rendered, fresh.adoption, fresh.error
    if plan.action == UP_TO_DATE:
        current = record_of(source.post, plan.target)
        return TargetResult(plan.path, plan.target, "recorded", url=current.get("url"),
                            id=current.get("id"), plan=plan,
                            message="recorded the copy an interrupted run made")
    if plan.action == SKIP:
        return TargetResult(plan.path, plan.target, "skipped", message=plan.reason, plan=plan)
    return None


def _publish_draft(runner: Runner, source: Source, plan: TargetPlan, adapter: Target,
                   entry: Entry) -> TargetResult:
    """An earlier run created the copy as a draft and failed to make it public: do now what
    it meant (unless the post itself now says ``draft:``). The entry stays until it is done."""
    rendered = plan.rendered
    assert rendered is not None
    remote_id, url = str(entry.result["id"]), str(entry.result.get("url") or "")
    if record_of(source.post, plan.target).get("id") != remote_id:
        runner.record(source, plan.target, {**entry.result, "hash": None})
    block = source.post.crosspost.get(plan.target, {})
    meant = bool(block["draft"]) if "draft" in block else bool(entry.draft)
    rendered = rendered.with_body(rendered.body, options=rendered.options.replace(
        draft=meant, keep_state=False))
    plan.rendered, plan.remote_id, plan.remote_url = rendered, remote_id, url
    plan.reason = "publishing the draft an earlier run made" if not meant else plan.reason
    remote = checked(adapter.update(remote_id, rendered), plan.target, "update")
    values = record_values(remote, rendered)
    runner.record(source, plan.target, values)
    source.journal.clear(entry)
    source.remember_sent(plan.target, rendered.body)
    return TargetResult(plan.path, plan.target, "created", url=remote.url, id=remote.id,
                        plan=plan, message="published the draft an earlier run made")


def note_other_entries(report: Report, sources: Sequence[Source],
                       plans: Sequence[tuple[Source, TargetPlan]]) -> None:
    """Unfinished journal entries of posts not in this run: say so, once."""
    in_run = {(s.journal.relpath(s.path), p.target) for s, p in plans}
    seen: set[Path] = set()
    for source in sources:
        root = source.site.root.resolve()
        if root in seen:
            continue
        seen.add(root)
        for entry in source.journal.entries():
            if (entry.post, entry.target) in in_run:
                continue
            if source.journal.exists(entry):
                shown = _shown(source.site.root / entry.post)
                report.notices.append(
                    f"{shown}: an interrupted {entry.action} on {entry.target} is unfinished; "
                    f"run `crosspost publish {shown} --to {entry.target}` to settle it")
            else:
                # Never advice that names a file that is not there.
                report.notices.append(
                    f"an interrupted {entry.action} on {entry.target} of {entry.title!r} (from "
                    f"{entry.post}, which is gone) is unfinished; publishing the post under its "
                    "new name settles it, or drop it with `crosspost journal clear "
                    f"{entry.key.removesuffix('.json')}`")


def _shown(path: Path) -> str:
    """``path`` as the user would type it from here."""
    import os

    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


__all__ = ["note_other_entries", "reconcile"]
