"""A dry run: the plans as they stand, with the remote copies read for the diffs.

Nothing is written anywhere. When a token is at hand, the copy on the platform is read so
the diff starts from what readers see now (and a copy that already matches is up to date).
"""

from __future__ import annotations

from collections.abc import Iterable

from crosspost.engine.model import UP_TO_DATE, UPDATE, TargetPlan, TargetResult
from crosspost.engine.runner import Runner
from crosspost.engine.source import Source
from crosspost.errors import CrosspostError
from crosspost.platforms import TARGETS


def finish_dry_run(runner: Runner, plans: Iterable[tuple[Source, TargetPlan]]) -> None:
    """Fill in remote copies for the diffs (when possible) and report each plan."""
    for source, plan in plans:
        info = TARGETS[plan.target]
        if (runner.options.fetch_remote and plan.action == UPDATE and plan.remote_id
                and info.can_update and runner.has_token(info)):
            try:
                with runner.adapter(info, source) as adapter:
                    remote = adapter.fetch(plan.remote_id)
                if remote.body is not None:
                    plan.before, plan.before_label = remote.body, f"on {info.label} now"
                    plan.before_title, plan.before_draft = remote.title, remote.draft
                    rendered = plan.rendered
                    same_state = (rendered is not None and (rendered.options.keep_state
                                                            or remote.draft == rendered.options.draft))
                    if rendered is not None and remote.body == rendered.body \
                            and remote.title == rendered.title and same_state:
                        plan.action, plan.reason = UP_TO_DATE, "the remote copy matches"
                    else:  # issue 12: edits made there: merged, replaced, or in the way
                        from crosspost.engine.drift import annotate_dry_run

                        annotate_dry_run(source, plan, remote, overwrite=runner.options.overwrite)
            except CrosspostError as exc:
                plan.reason = (plan.reason + "; " if plan.reason else "") + \
                    f"could not read the remote copy: {exc}"
        status = "failed" if plan.error is not None else "planned"
        runner.emit(TargetResult(plan.path, plan.target, status, url=plan.remote_url,
                                 id=plan.remote_id, message=plan.reason, error=plan.error,
                                 plan=plan))


__all__ = ["finish_dry_run"]
