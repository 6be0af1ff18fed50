"""Plan and publish: the one room that decides create / update / skip, and runs the targets.

Data flows one way::

    load (Post, Site) → render (Rendered) → plan (TargetPlan) → publish (adapters) → record

* **plan** (:mod:`.planning`) is offline: the front-matter record, the body hash, the journal,
  and links to the post's own copy in its body decide the action. A dry run
  (:mod:`.dryrun`) stops here (optionally reading the remote copies for the diff when a
  token is at hand) and writes nothing anywhere.
* **publish** (:mod:`.run`) runs every (post, database) group concurrently. Targets sharing
  a database (LessWrong and the Alignment Forum) run one after the other inside their
  group, so an Alignment Forum run reuses the LessWrong post instead of creating a second.
* Every remote write (:mod:`.send`) is journaled before it is sent (:mod:`crosspost.journal`);
  unfinished entries are reconciled (:mod:`.reconcile`) before anything new is sent for
  that post and target.
* **record** is the only step that writes the post file (:mod:`crosspost.record`, through
  :class:`.runner.Runner`), under a per-file lock, always against the text this run last saw.

:mod:`.model` holds what callers see; :mod:`.source` the posts of a run. Nothing here
prints, prompts or exits: callers get a :class:`Report`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from crosspost.copies import targets_for
from crosspost.engine import native
from crosspost.engine.dryrun import finish_dry_run
from crosspost.engine.model import NATIVE, PublishOptions, Report, TargetPlan, TargetResult
from crosspost.engine.native import ask_for_pairs
from crosspost.engine.planning import chain_shared_creates, plan_one
from crosspost.engine.reconcile import note_other_entries
from crosspost.engine.run import link_new_siblings, run_groups
from crosspost.engine.runner import Runner
from crosspost.engine.source import Source, load_sources
from crosspost.errors import InputError
from crosspost.platforms import TARGETS


def plan(paths: Sequence[Path], options: PublishOptions) -> list[TargetPlan]:
    """The plans for ``paths`` (offline; see :func:`publish` with ``dry_run`` for the diffs)."""
    sources, _, _ = load_sources(paths)
    return [plan_one(s, t, options) for s in sources for t in targets_for(s.post, options.targets)]


def publish(paths: Sequence[Path], options: PublishOptions, *,
            texts: Mapping[Path, str] | None = None) -> Report:
    """Publish (or, with ``dry_run``, plan) every post on its targets. Never raises for a
    target's failure: each outcome is in the report. Raises only when a single post
    cannot be read at all, or another run holds a site's lock (nothing was attempted).

    A run that may write holds the lock of every site it touches (:mod:`crosspost.lock`)
    from before it reads the posts it plans from until it has recorded its results.

    ``texts`` gives the text to publish for some of ``paths`` instead of the file's (the
    pre-push hook publishes the pushed version while the file may hold unpushed work).
    Their records still go into the file, merged as with an edit made during a run, and
    ``report.texts`` ends with each given text plus its records.
    """
    report = Report()
    sources, failures, notes = load_sources([Path(p) for p in paths], texts)
    report.results.extend(failures)
    report.notices.extend(notes)
    if options.dry_run:
        _publish(sources, report, options, single=len(paths) == 1)
        return report
    from crosspost.lock import site_locks

    with site_locks([s.site.root for s in sources], wait=options.lock_wait, on_wait=options.on_wait):
        for source in sources:
            source.reload()  # another run may have recorded a copy while we waited
        _publish(sources, report, options, single=len(paths) == 1)
    report.texts.update((s.path, s.post.raw) for s in sources if s.pinned)
    return report


def _publish(sources: Sequence[Source], report: Report, options: PublishOptions, *,
             single: bool) -> None:
    runner = Runner(options, report)
    try:
        _run(runner, sources, report, options, single=single)
    finally:
        runner.close()


def _run(runner: Runner, sources: Sequence[Source], report: Report, options: PublishOptions, *,
         single: bool) -> None:
    plans: list[tuple[Source, TargetPlan]] = []
    for source in sources:
        names = targets_for(source.post, options.targets)
        if not names:
            if single:
                raise InputError(f"{source.path}: the post names no target",
                                 hint="add a `crosspost:` block to its front matter, or pass --to")
            # Among many posts, those that ask for no target are simply not cross-posted.
            runner.emit(TargetResult(source.path, "*", "skipped", message="asks for no target"))
            continue
        plans.extend((source, plan_one(source, name, options)) for name in names)

    chain_shared_creates(plans)
    if options.dry_run:
        ask_for_pairs(plans)
        finish_dry_run(runner, plans)
        return
    native.resolve_early(runner, plans, lambda s, t: plan_one(s, t, options, native=False))
    ask_for_pairs(plans)

    going_public = [p for _, p in plans if p.goes_public]
    if going_public and options.confirm is not None and not options.confirm(going_public):
        for _, p in plans:
            runner.emit(TargetResult(p.path, p.target, "cancelled",
                                     message="not confirmed; nothing was sent", plan=p))
        return

    groups: dict[tuple[int, str], list[TargetPlan]] = {}
    by_key: dict[tuple[int, str], Source] = {}
    for source, p in plans:
        # A native EA Forum crosspost takes its turn after LessWrong's, in LessWrong's group.
        database = TARGETS[native.ORIGIN].database if p.action == NATIVE else TARGETS[p.target].database
        key = (id(source), database)
        groups.setdefault(key, []).append(p)
        by_key[key] = source
    note_other_entries(report, sources, plans)
    run_groups(runner, [(by_key[key], group) for key, group in groups.items()])
    link_new_siblings(runner, sources)
    order = {(p.path, p.target): i for i, (_, p) in enumerate(plans)}
    report.results.sort(key=lambda r: order.get((r.path, r.target), -1))


__all__ = ["PublishOptions", "Report", "TargetPlan", "TargetResult", "plan", "publish", "targets_for"]
