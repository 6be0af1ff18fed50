"""A post for both LessWrong and the EA Forum: one linked pair, made by the forums themselves.

LessWrong's own cross-posting (accounts linked once in the forums' settings) makes the EA Forum
copy, shows the "crosspost" banner on it, links the two discussions and keeps title and draft
state in step. Two independent posts are what a moderator frowns at, so that pair is what
crosspost asks for (:mod:`crosspost.targets.fmcrosspost` has the protocol):

* planning marks the EA Forum target ``NATIVE`` when the post also goes to LessWrong, its
  ``eaforum`` block does not say ``native: false``, and it has no independent EA Forum copy
  (one is left as it is: no silent conversion). Its turn comes right after LessWrong's, in
  the same group;
* LessWrong's create carries the request, so the pair is made when the post goes public;
* the EA Forum step sends nothing to the EA Forum: it records the copy LessWrong made
  (``via: lesswrong``), reading ``fmCrosspost.foreignPostId`` back from LessWrong when this
  run did not create the post (an interrupted run, a re-run, an existing post), or asks
  LessWrong once for the pair of an existing public post;
* an account that cannot have a pair (not linked, under 100 karma, refused by the server)
  gets an independent EA Forum copy, and the run says, once, how to get a native one.

Exactly once: the pair is found again through LessWrong every time, never by creating.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from crosspost.copies import record_of
from crosspost.engine.model import CREATE, NATIVE, PublishOptions, TargetPlan, TargetResult
from crosspost.engine.runner import Runner
from crosspost.engine.source import Source
from crosspost.errors import AmbiguousWrite, CrosspostError, Rejected
from crosspost.platforms import TARGETS

if TYPE_CHECKING:
    from crosspost.render import Rendered
    from crosspost.targets.fmcrosspost import FMCrosspostOrigin

log = logging.getLogger("crosspost.engine")

ORIGIN = "lesswrong"
PEER = "eaforum"


def native_reason(source: Source, target: str, record: dict[str, Any], rendered: Rendered,
                  options: PublishOptions) -> str | None:
    """Why the EA Forum copy is LessWrong's native crosspost (None when it is not one)."""
    if target != PEER or not rendered.options.native:
        return None
    if record.get("id") and record.get("via") != ORIGIN:
        return None  # an independent copy: left as it is
    in_run = ORIGIN in options.targets or (not options.targets and ORIGIN in source.post.crosspost)
    if not in_run and not record_of(source.post, ORIGIN).get("id"):
        return None  # LessWrong is not part of this run and has no copy to pair with
    if record.get("via") == ORIGIN and record.get("id"):
        return "LessWrong's native crosspost: it follows LessWrong, nothing is sent to the EA Forum"
    return ("to be LessWrong's native crosspost, made by the forums when the post is public on "
            "LessWrong (nothing is sent to the EA Forum)")


def resolve_early(runner: Runner, plans: list[tuple[Source, TargetPlan]],
                  replan: Callable[[Source, str], TargetPlan]) -> None:
    """Ask LessWrong once, before anything runs, whether the account can have pairs at all.

    A native EA Forum copy waits for LessWrong's turn; an independent one does not. When the
    account cannot have pairs (not linked, under the karma threshold), the EA Forum copies
    are planned as independent ones from the start, so they run alongside LessWrong instead
    of after it. ``replan(source, target)`` plans a target without the native rule.
    """
    wanting = [i for i, (s, p) in enumerate(plans) if p.target == PEER and p.action == NATIVE
               and not record_of(s.post, PEER).get("id")]
    if not wanting:
        return
    source = plans[wanting[0]][0]
    try:
        adapter = runner.adapter(TARGETS[ORIGIN], source)
    except CrosspostError as exc:  # no token: LessWrong's own turn says so
        log.info("could not ask LessWrong whether it can crosspost: %s", exc)
        return
    try:
        why = adapter.pair_refusal()  # type: ignore[attr-defined]
    except CrosspostError as exc:  # token refused, unreachable: LessWrong's own turn says so
        log.info("could not ask LessWrong whether it can crosspost: %s", exc)
        adapter.close()
        return
    runner.keep_warm(adapter, TARGETS[ORIGIN], source)  # LessWrong's turn knows the user already
    if why is None:
        return
    note_fallback(runner, why)
    for i in wanting:
        source, _ = plans[i]
        plans[i] = (source, replan(source, PEER))


def ask_for_pairs(plans: Sequence[tuple[Source, TargetPlan]]) -> None:
    """A LessWrong create whose EA Forum copy is to be native carries the request."""
    native = {id(s) for s, p in plans
              if p.target == PEER and p.action == NATIVE and not record_of(s.post, PEER).get("id")}
    for source, plan in plans:
        if plan.target == ORIGIN and id(source) in native and plan.rendered is not None \
                and plan.action == CREATE:
            plan.rendered = plan.rendered.with_body(
                plan.rendered.body, extra={**plan.rendered.extra, "fm_crosspost": True})


def settle(runner: Runner, source: Source, plan: TargetPlan,
           fallback: Callable[[TargetPlan, str], TargetResult]) -> TargetResult:
    """The EA Forum's turn, after LessWrong's: record the pair, or fall back.

    ``fallback(plan, why)`` runs the target as an independent copy and returns its result.
    """
    ea = record_of(source.post, PEER)
    if ea.get("via") == ORIGIN and ea.get("id"):
        return TargetResult(plan.path, PEER, "up to date", url=ea.get("url"), id=str(ea["id"]),
                            plan=plan, message="LessWrong's native crosspost; it follows LessWrong")
    failed = next((r for r in runner.report.results
                   if r.path == plan.path and r.target == ORIGIN and not r.ok), None)
    if failed is not None:
        return TargetResult(plan.path, PEER, "skipped", plan=plan,
                            message="waits for LessWrong, whose native crosspost it is")
    lw = record_of(source.post, ORIGIN)
    if not lw.get("id"):
        return TargetResult(plan.path, PEER, "skipped", plan=plan,
                            message="waits for the post's LessWrong copy, whose native crosspost it is")
    lw_id = str(lw["id"])
    made = runner.remotes.get((source.path, ORIGIN))
    if made is not None and made.extra.get("pair_refused"):
        return fallback(plan, str(made.extra["pair_refused"]))
    foreign = made.extra.get("foreign_post_id") if made is not None else None
    if not foreign:
        with runner.adapter(TARGETS[ORIGIN], source) as adapter:
            found = _find_or_ask(adapter, lw_id)  # type: ignore[arg-type]
        if isinstance(found, _Refused):
            return fallback(plan, found.why)
        if found is None:
            return TargetResult(plan.path, PEER, "skipped", plan=plan,
                                message="LessWrong's copy is a draft; LessWrong makes its EA Forum "
                                "crosspost when it is published")
        foreign = found
    url = f"{TARGETS[PEER].site_url}/posts/{foreign}"
    runner.record(source, PEER, {"id": str(foreign), "url": url, "via": ORIGIN, "hash": None,
                                 "status": None})
    return TargetResult(plan.path, PEER, "created", url=url, id=str(foreign), plan=plan,
                        message="LessWrong's native crosspost")


class _Refused:
    def __init__(self, why: str) -> None:
        self.why = why


def _find_or_ask(adapter: FMCrosspostOrigin, lw_id: str) -> str | _Refused | None:
    """The EA Forum post LessWrong made for ``lw_id``, asking for it once if none was asked
    for; None while the LessWrong copy is a draft."""
    pair = adapter.pair_of(lw_id)
    if pair.foreign_id:
        return pair.foreign_id
    if pair.draft:
        return None
    if pair.asked:
        # Asked, public, and still no peer: the servers failed to make it. Asking again would
        # risk two; an independent copy would make a stranger beside a late one.
        raise Rejected("LessWrong was asked for its EA Forum crosspost and has not made it",
                       hint="see the post on LessWrong; to make an independent EA Forum copy "
                       "instead, set `native: false` in the post's `eaforum` block", target=PEER)
    why = adapter.pair_refusal()
    if why is not None:
        return _Refused(why)
    try:
        pair = adapter.request_pair(lw_id)
    except AmbiguousWrite:
        pair = adapter.pair_of(lw_id)  # the answer was lost: read what the servers did
    except Rejected as exc:
        if "crosspost" in exc.message.lower():
            return _Refused(exc.message)
        raise
    if pair.foreign_id:
        return pair.foreign_id
    raise Rejected("LessWrong accepted the request for its EA Forum crosspost but made none",
                   hint="run again later; nothing was sent to the EA Forum", target=PEER)


def note_fallback(runner: Runner, why: str) -> None:
    """Say, once per run, how to get native crossposts next time."""
    from crosspost.targets.fmcrosspost import LINK_HINT

    note = (f"the EA Forum copy was made on its own, not as LessWrong's native crosspost ({why}); "
            f"{LINK_HINT}")
    with runner.lock:
        if not any(n.startswith("the EA Forum copy was made on its own") for n in runner.report.notices):
            runner.report.notices.append(note)


__all__ = ["ORIGIN", "PEER", "ask_for_pairs", "native_reason", "note_fallback", "resolve_early", "settle"]
