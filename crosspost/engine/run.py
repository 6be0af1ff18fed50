"""Running the plans: every (post, database) group concurrently, each group in order.

Targets sharing a database (LessWrong and the Alignment Forum) run one after the other
inside their group, so an Alignment Forum run reuses the LessWrong post instead of creating
a second one. When posts of one run link to each other, a second pass updates the copies
whose links now have a copy to point at.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from crosspost.engine import native, ownership
from crosspost.engine.model import (
    CREATE,
    MANUAL,
    NATIVE,
    RECONCILE,
    SKIP,
    UP_TO_DATE,
    UPDATE,
    TargetPlan,
    TargetResult,
)
from crosspost.engine.planning import UNCERTAIN, plan_one
from crosspost.engine.reconcile import reconcile
from crosspost.engine.runner import Runner
from crosspost.engine.send import create, manual, read_back, unexpected, update
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError, EditedThere
from crosspost.platforms import TARGETS


def run_groups(runner: Runner, groups: Sequence[tuple[Source, list[TargetPlan]]]) -> None:
    jobs = max(1, min(runner.options.jobs, len(groups)))
    if jobs == 1:
        for source, group in groups:
            _run_group(runner, source, group)
        return
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="crosspost") as pool:
        futures = [pool.submit(_run_group, runner, source, group) for source, group in groups]
        for future in futures:
            future.result()


def _run_group(runner: Runner, source: Source, plans: list[TargetPlan]) -> None:
    """Run one post's targets that share a database, in order (LessWrong before AF).

    Each target after the first is planned again when its turn comes: it then sees what the
    earlier ones recorded (the post LessWrong just created is the one the Alignment Forum
    updates with ``af: true``), so a shared database never gets two copies.
    """
    for index, planned in enumerate(plans):
        plan = planned
        if index and planned.error is None:
            plan = plan_one(source, planned.target, runner.options)
        try:
            result = _run_one(runner, source, plan)
        except CrosspostError as exc:
            exc.with_context(target=plan.target)
            result = TargetResult(plan.path, plan.target, "failed",
                                  message=exc.text(with_target=False), error=exc,
                                  plan=plan)
        except Exception as exc:  # a bug in a target fails that target, not the run
            error = unexpected(exc, plan.target)
            result = TargetResult(plan.path, plan.target, "failed",
                                  message=error.text(with_target=False), error=error, plan=plan)
        runner.emit(result)


def _run_one(runner: Runner, source: Source, plan: TargetPlan) -> TargetResult:
    info = TARGETS[plan.target]
    if plan.error is not None:
        raise plan.error
    rendered = plan.rendered
    assert rendered is not None

    if plan.action == UP_TO_DATE:
        return TargetResult(plan.path, plan.target, "up to date", url=plan.remote_url,
                            id=plan.remote_id, plan=plan)
    if plan.action == SKIP and plan.reason == UNCERTAIN and info.name == "medium":
        # An earlier create's reply was lost; the feed may show the story it made.
        found, said = read_back(runner, plan, source=source)
        if found is not None:
            return found
        return TargetResult(plan.path, plan.target, "skipped", url=plan.remote_url,
                            message=plan.reason + (f" (crosspost {said})" if said else ""), plan=plan)
    if plan.action == SKIP:
        return TargetResult(plan.path, plan.target, "skipped", url=plan.remote_url,
                            message=plan.reason, plan=plan)
    if plan.action == NATIVE:
        def independently(plan: TargetPlan, why: str) -> TargetResult:
            native.note_fallback(runner, why)
            fresh = plan_one(source, plan.target, runner.options, native=False)
            return _run_one(runner, source, fresh)

        return native.settle(runner, source, plan, independently)
    if plan.action == MANUAL or (info.name == "medium" and not runner.has_token(info)
                                 and plan.action == CREATE):
        return manual(runner, source, plan)
    if info.name == "medium" and plan.action == CREATE and not runner.options.force_new:
        # A story imported by hand before (the feed shows it): recorded, never made twice.
        found, _said = read_back(runner, plan, source=source)
        if found is not None:
            return found

    adapter = runner.adapter(info, source)
    with adapter:
        if plan.action == RECONCILE:
            settled = reconcile(runner, source, plan, adapter)
            if settled is not None:
                return settled
            if plan.error is not None:
                raise plan.error
        adoption = plan.adoption
        if adoption is not None and adoption.verify and plan.action == UPDATE \
                and not ownership.verify(adapter, plan):
            # Not this post's copy after all: the sentence that linked it stays, and the post
            # gets a copy of its own.
            plan.action, plan.remote_id, plan.remote_url = CREATE, None, None
            plan.rendered = adoption.fallback or plan.rendered
        if plan.action == UPDATE and plan.remote_id:
            try:
                result = update(runner, source, plan, adapter)
            except EditedThere:
                if adoption is not None and adoption.verify:
                    # It is this post's copy (checked above), though its text was never sent
                    # by crosspost: record it, so `crosspost pull` can show what differs and
                    # no later run takes it for anything else.
                    runner.record(source, plan.target, {"id": plan.remote_id, "url": plan.remote_url,
                                                        "hash": None, "status": None})
                raise
        else:
            result = create(runner, source, plan, adapter)
        if adoption is not None and adoption.verdict:
            result.message = adoption.verdict
        return result


def link_new_siblings(runner: Runner, sources: Sequence[Source]) -> None:
    """One more pass when posts of this run link to each other.

    A post that links to a sibling points at the sibling's copy on the same target, but
    only once that copy exists: when both are published in one run, the first pass sent the
    link to the sibling's site URL. Now that every copy is recorded, posts whose rendering
    changed are updated again (where the target can update), so one run settles the batch.
    """
    made = {(r.target) for r in runner.report.results if r.status == "created"}
    if len(sources) < 2 or not made:
        return
    for source in sources:
        source.site.remember(source.post)
    again: list[tuple[Source, list[TargetPlan]]] = []
    done = {(r.path, r.target) for r in runner.report.results if r.ok}
    for source in sources:
        group = []
        for target in made:
            if not TARGETS[target].can_update or (source.path, target) not in done:
                continue
            plan = plan_one(source, target, runner.options)
            if plan.action == UPDATE and plan.error is None:
                plan.reason = "links to copies made in this run"
                group.append(plan)
        if group:
            again.append((source, group))
    if not again:
        return
    first = {(r.path, r.target): r for r in runner.report.results}
    before = len(runner.report.results)
    run_groups(runner, again)
    # Keep one line per post and target: the first pass's outcome, unless the second failed.
    for result in runner.report.results[before:]:
        earlier = first.get((result.path, result.target))
        if earlier is not None and result.ok:
            runner.report.results.remove(result)
        elif earlier is not None:
            runner.report.results.remove(earlier)


__all__ = ["link_new_siblings", "run_groups"]
