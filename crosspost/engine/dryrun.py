"""A dry run: the plans as they stand, with the remote copies read for the diffs.

Nothing is written anywhere. When a token is at hand, the copy on the platform is read so
the diff starts from what readers see now (and a copy that already matches is up to date).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from crosspost.engine import ownership
from crosspost.engine.model import CREATE, MANUAL, NATIVE, UP_TO_DATE, UPDATE, TargetPlan, TargetResult
from crosspost.engine.native import ORIGIN
from crosspost.engine.runner import Runner
from crosspost.engine.send import blamed, read_back
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError, NotFound
from crosspost.platforms import TARGETS
from crosspost.targets import checked

if TYPE_CHECKING:
    from crosspost.targets.base import Target


def finish_dry_run(runner: Runner, plans: Iterable[tuple[Source, TargetPlan]]) -> None:
    """Fill in remote copies for the diffs (when possible) and report each plan."""
    for source, plan in plans:
        info = TARGETS[plan.target]
        if plan.error is None and plan.action in {CREATE, UPDATE}:
            try:
                runner.endpoint(info)
            except CrosspostError as exc:  # publish fails the same way, sending nothing
                exc.with_context(target=plan.target)
                plan.error, plan.reason = exc, exc.text(with_target=False)
        if plan.action == NATIVE and not plan.remote_id and runner.options.fetch_remote:
            _native_or_not(runner, source, plan)
        if (info.name == "medium" and runner.options.fetch_remote and plan.error is None
                and (plan.action == MANUAL or (plan.action == CREATE and not runner.options.force_new))):
            found, said = read_back(runner, plan, source=source)  # the feed: a story imported by hand
            if found is not None:
                plan.reason = found.message
            elif said and not runner.has_token(info):  # with a token, it is created
                plan.reason = said
        if (runner.options.fetch_remote and plan.error is None and plan.action in {CREATE, UPDATE}
                and runner.has_token(info)):
            try:
                with blamed(plan.target), runner.adapter(info, source) as adapter:
                    _ask_as_publish_would(runner, source, plan, adapter)
            except CrosspostError as exc:
                plan.reason = (plan.reason + "; " if plan.reason else "") + \
                    f"could not ask {info.label}: {exc}"
        if (runner.options.fetch_remote and plan.error is None and plan.action == UPDATE
                and plan.remote_id and info.can_update and runner.has_token(info)):
            try:
                with blamed(plan.target), runner.adapter(info, source) as adapter:
                    remote = checked(adapter.fetch(plan.remote_id), plan.target, "fetch")
                if remote.body is not None:
                    plan.before, plan.before_label = remote.body, f"on {info.label} now"
                    plan.before_title, plan.before_draft = remote.title, remote.draft
                    rendered = plan.rendered
                    same_state = (rendered is not None and (rendered.options.keep_state
                                                            or remote.draft == rendered.options.draft))
                    if rendered is not None and remote.body == rendered.body \
                            and remote.title == rendered.title and same_state \
                            and not plan.fields_changed:
                        plan.action, plan.reason = UP_TO_DATE, "the remote copy matches"
                    else:  # issue 12: edits made there: merged, replaced, or in the way
                        from crosspost.engine.drift import annotate_dry_run

                        annotate_dry_run(source, plan, remote, overwrite=runner.options.overwrite)
            except NotFound as exc:  # deleted there: publish fails the same way, sending nothing
                plan.error, plan.reason = exc, exc.text(with_target=False)
            except CrosspostError as exc:
                plan.reason = (plan.reason + "; " if plan.reason else "") + \
                    f"could not read the remote copy: {exc}"
        status = "failed" if plan.error is not None else "planned"
        runner.emit(TargetResult(plan.path, plan.target, status, url=plan.remote_url,
                                 id=plan.remote_id, message=plan.reason, error=plan.error,
                                 plan=plan))


def _native_or_not(runner: Runner, source: Source, plan: TargetPlan) -> None:
    """Whether LessWrong's account can have the native crosspost the plan counts on."""
    from crosspost.targets.fmcrosspost import LINK_HINT

    origin = TARGETS[ORIGIN]
    try:
        if not runner.has_token(origin):
            return
        with runner.adapter(origin, source) as adapter:
            why = adapter.pair_refusal()  # type: ignore[attr-defined]
    except CrosspostError as exc:
        plan.reason += f"; could not ask LessWrong: {exc}"
        return
    if why is not None:
        plan.reason = (f"an independent EA Forum copy: LessWrong cannot make its native "
                       f"crosspost ({why}); {LINK_HINT}")


def _ask_as_publish_would(runner: Runner, source: Source, plan: TargetPlan, adapter: Target) -> None:
    """The checks publish makes with the platform before it writes, made now, so the plan
    says what will happen: whether a linked post is this one's copy, and whether a create
    would be refused for a post of the same title."""
    adoption = plan.adoption
    if plan.action == UPDATE and adoption is not None and adoption.verify:
        if ownership.verify(adapter, plan):
            plan.reason = adoption.verdict
        else:
            plan.action, plan.remote_id, plan.remote_url = CREATE, None, None
            plan.rendered = adoption.fallback or plan.rendered
            plan.reason = adoption.verdict
    if plan.action == CREATE and not runner.options.force_new and plan.rendered is not None:
        refusal = ownership.same_title_error(source, adapter, plan.rendered, plan.target)
        if refusal is not None:
            plan.error, plan.reason = refusal, refusal.text(with_target=False)


__all__ = ["finish_dry_run"]
