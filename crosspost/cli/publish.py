"""``crosspost publish`` and ``crosspost render``: parse, call the library, print."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crosspost.cli.options import color_diff, http_settings, json_option, targets_option, use_color
from crosspost.errors import EXIT_CODES_HELP

if TYPE_CHECKING:
    from crosspost.engine import Report, TargetPlan, TargetResult
    from crosspost.render import Rendered

_EPILOG = EXIT_CODES_HELP.replace("\n", "\n\n\b\n", 1)


@click.command(epilog=_EPILOG)
@click.argument("posts", nargs=-1, required=True, type=click.Path(path_type=Path))
@targets_option()
@click.option("--dry-run", is_flag=True,
              help="Print the plan and a diff per target; send and write nothing.")
@click.option("--draft", is_flag=True, default=None,
              help="Create or keep every copy as a draft (overrides `draft:` options).")
@click.option("-y", "--yes", is_flag=True,
              help="Do not ask before making anything public (never asked off a terminal).")
@click.option("--force-new", is_flag=True,
              help="Create a new copy although one may exist: on Medium after a lost reply, "
              "and where the account already has an unrecorded post of the same title.")
@click.option("--overwrite", is_flag=True,
              help="Replace a copy edited on the platform since crosspost last sent it "
              "(without it, such edits are merged, or the copy is left alone).")
@click.option("--manual", is_flag=True,
              help="Medium: write an import-ready HTML file instead of using the API.")
@click.option("--strict", is_flag=True, help="Treat rendering warnings as errors.")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=4, show_default=True,
              help="How many targets to publish at once.")
@click.option("--wait", "wait", type=click.FloatRange(0), default=60, show_default=True,
              metavar="SECONDS", help="How long to wait for another crosspost run on the same "
              "site to finish (one run at a time per site).")
@json_option()
def publish(posts: tuple[Path, ...], targets: tuple[str, ...], dry_run: bool, draft: bool | None,
            yes: bool, force_new: bool, overwrite: bool, manual: bool, strict: bool, jobs: int,
            wait: float, as_json: bool) -> None:
    """Publish or update each post on each target, and record the copies' URLs.

    Without --to, each post goes to the targets named in its front matter
    (`crosspost: {lesswrong: {}, medium: {}}`). A second run updates the same
    copies instead of creating new ones.

    A copy edited on the platform since crosspost last sent it is never
    overwritten silently: edits on other lines than yours are merged (and
    reported), edits on the same lines stop that target (see `crosspost pull`),
    and --overwrite replaces them on purpose.

    \b
    Example:
        crosspost publish _posts/2023-08-30-my-post.md --to lesswrong --dry-run
        crosspost publish _posts/2023-08-30-my-post.md --to lw --to medium
        crosspost publish _posts/*.md --yes
    """
    from crosspost.engine import PublishOptions
    from crosspost.engine import publish as run

    color = use_color(sys.stdout) and not as_json
    many = len(posts) > 1
    done = {"n": 0}

    def on_event(result: TargetResult) -> None:
        if as_json or dry_run:
            return
        done["n"] += 1
        prefix = f"[{done['n']}] " if many else ""
        click.echo(prefix + _result_line(result, color), err=not result.ok)
        if result.status == "manual" and result.message:
            for line in result.message.splitlines():
                click.echo(f"    {line}")
        for line in _drift_lines(result):
            click.echo(line, err=not result.ok)

    confirm = None
    if not yes and not dry_run and sys.stdin.isatty() and not as_json:
        confirm = _confirm

    options = PublishOptions(
        targets=targets, dry_run=dry_run, draft=draft or None, force_new=force_new,
        overwrite=overwrite, manual=manual,
        environ=dict(os.environ), http=http_settings(), jobs=jobs, confirm=confirm,
        on_event=on_event, strict=strict, lock_wait=wait,
        on_wait=lambda message: click.echo(f"crosspost: {message}", err=True))
    report = run(list(posts), options)

    if as_json:
        click.echo(json.dumps(_report_json(report, with_diff=dry_run), indent=2, ensure_ascii=False))
    elif dry_run:
        _print_dry_run(report, color)
    else:
        _print_summary(report, many=many)
    for note in report.notices:
        click.echo(f"note: {note}", err=True)
    if (click.get_current_context().find_root().obj or {}).get("debug"):
        _print_bugs(report)
    code = report.exit_code
    if code:
        sys.exit(code)


def _print_bugs(report: Report) -> None:
    """--debug: the traceback of each unexpected exception a target failed with (a bug in its
    code, reported as that target's failure so the run went on)."""
    import traceback

    from crosspost.credentials import redact
    from crosspost.errors import TargetBug

    for result in report.results:
        cause: BaseException | None = result.error
        while cause is not None and not isinstance(cause, TargetBug):
            cause = cause.__cause__
        cause = cause.__cause__ if cause is not None else None
        if cause is not None:
            click.echo(f"{result.path}: {result.target}: traceback:", err=True)
            click.echo(redact("".join(traceback.format_exception(cause))), err=True, nl=False)


def _confirm(plans: Sequence[TargetPlan]) -> bool:
    click.echo("About to change what the public sees:")
    for plan in plans:
        click.echo(f"  {plan.path}: {plan.target}: {plan.summary()}")
    return click.confirm("Go ahead?", default=False)


def _drift_lines(result: TargetResult) -> list[str]:
    """What an update did about edits made on the platform: kept, in conflict, replaced."""
    if result.plan is None or result.plan.drift is None:
        return []
    from crosspost.engine.drift import report_lines

    return report_lines(result, str(result.path))


def _style(text: str, color: bool, **styles: Any) -> str:
    return click.style(text, **styles) if color else text


_STATUS_COLORS = {
    "created": "green", "updated": "green", "recorded": "green", "up to date": "blue",
    "skipped": "yellow", "manual": "yellow", "cancelled": "yellow", "planned": "cyan",
    "failed": "red",
}


def _message(result: TargetResult) -> str:
    """The result's message without the post's path or the target's name, which the line
    already shows (a ``path:line:`` stays: the line number is news)."""
    message = result.message
    for prefix in (f"{result.path}: ", f"{result.target}: "):
        message = message.removeprefix(prefix)
    return message


def _result_line(result: TargetResult, color: bool) -> str:
    status = _style(result.status, color, fg=_STATUS_COLORS.get(result.status), bold=True)
    text = f"{result.path}: {result.target}: {status}"
    if result.url and result.status != "failed":
        text += f" {result.url}"
    if result.status in {"failed", "skipped", "cancelled", "recorded"} and result.message:
        text += f": {_message(result)}"
    return text


def _print_dry_run(report: Report, color: bool) -> None:
    shown: set[tuple[Path, str]] = set()  # notices already printed for a post
    for result in report.results:
        plan = result.plan
        if plan is None or result.status == "failed":
            click.echo(_result_line(result, color), err=result.status == "failed")
        else:
            click.echo(f"{plan.path}: {plan.target}: {_style(plan.summary(), color, bold=True)}")
        if plan is None:
            continue
        for line in _drift_lines(result):
            click.echo(line, err=result.status == "failed")
        for notice in plan.notices:
            if (plan.path, str(notice)) not in shown:
                shown.add((plan.path, str(notice)))
                click.echo(f"  {notice}")
        diff = plan.diff() if plan.action not in {"up to date", "skip"} else ""
        if diff and result.status != "failed":
            click.echo(color_diff(diff, color), nl=False)
    click.echo(f"dry run: {_plan_counts(report)}; nothing was sent or written")


_PLAN_WORDS = {"create": "to create", "update": "to update", "up to date": "up to date",
               "skip": "skipped", "manual": "to import by hand", "reconcile": "to settle first"}


def _plan_counts(report: Report) -> str:
    tally: dict[str, int] = {}
    for result in report.results:
        if result.status == "failed":
            name = "failed"
        elif result.plan is not None:
            name = _PLAN_WORDS.get(result.plan.action, result.plan.action)
        else:
            name = result.status
        tally[name] = tally.get(name, 0) + 1
    return ", ".join(f"{n} {name}" for name, n in tally.items()) or "nothing to do"


def _print_summary(report: Report, *, many: bool) -> None:
    """Warnings once per post (with the targets they concern), a table, the counts."""
    sent = {"created", "updated", "recorded", "manual", "failed"}
    warnings: dict[tuple[Path, str], list[str]] = {}
    for result in report.results:
        if result.plan is None or result.status not in sent:
            continue
        for notice in result.plan.notices:
            if notice.severity == "warning":
                warnings.setdefault((result.path, str(notice)), []).append(result.target)
    for (_, text), targets in warnings.items():
        click.echo(f"{text} [{', '.join(targets)}]", err=True)
    if many:
        click.echo("")
        click.echo(_table(report))
    tally: dict[str, int] = {}
    for result in report.results:
        tally[result.status] = tally.get(result.status, 0) + 1
    click.echo(", ".join(f"{n} {name}" for name, n in tally.items()) or "nothing to do")


def _table(report: Report) -> str:
    rows = [("post", "target", "status", "url")]
    for r in report.results:
        rows.append((str(r.path), r.target, r.status, r.url or _message(r)[:70]))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
    return "\n".join(line.rstrip() for line in lines)


def _report_json(report: Report, *, with_diff: bool) -> list[dict[str, Any]]:
    out = []
    for r in report.results:
        item: dict[str, Any] = {"path": str(r.path), "target": r.target, "status": r.status,
                                "id": r.id, "url": r.url, "message": r.message}
        if r.plan is not None:
            item["action"] = r.plan.action
            item["warnings"] = [str(n) for n in r.plan.notices if n.severity == "warning"]
            if r.plan.rendered is not None:
                item["hash"] = r.plan.rendered.hash
            if with_diff:
                item["diff"] = r.plan.diff()
            if r.plan.drift is not None:
                item["edits_there"] = _drift_json(r.plan)
        out.append(item)
    return out


def _drift_json(plan: TargetPlan) -> dict[str, Any]:
    drift = plan.drift
    assert drift is not None
    return {"state": drift.state, "base": drift.base.origin if drift.base else None,
            "kept": drift.kept(), "lost": drift.lost(),
            "conflicts": [{"line": c.line, "theirs": "".join(c.theirs), "ours": "".join(c.ours),
                           "base": "".join(c.base)} for c in drift.conflicts],
            "title_there": drift.title_there}


@click.command(epilog=_EPILOG)
@click.argument("post", type=click.Path(path_type=Path))
@targets_option(required=True, multiple=False)
@json_option("Print the whole payload (title, body, format, canonical URL, options) as JSON.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when there are warnings.")
def render(post: Path, targets: str, as_json: bool, strict: bool) -> None:
    """Print exactly the body a target would receive; warnings go to stderr.

    Works offline and needs no account.

    \b
    Example:
        crosspost render _posts/2023-08-30-my-post.md --to lesswrong
        crosspost render _posts/2023-08-30-my-post.md --to medium --json
    """
    from crosspost.post import Post
    from crosspost.render import render_post
    from crosspost.sites import Site

    the_post = Post.from_path(post)
    site = Site.discover(post)
    from crosspost.targets import payload_notices

    rendered = render_post(the_post, site, targets)
    rendered = rendered.with_body(rendered.body,
                                  notices=rendered.notices + payload_notices(rendered))
    for notice in rendered.notices:
        click.echo(str(notice), err=True)
    if as_json:
        click.echo(json.dumps(render_json(rendered), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(rendered.body, nl=not rendered.body.endswith("\n"))
    if strict and rendered.warnings:
        click.echo(f"crosspost: {len(rendered.warnings)} warning(s) and --strict", err=True)
        sys.exit(1)


def render_json(rendered: Rendered) -> dict[str, Any]:
    """The whole payload, as ``render --json`` shows it (also used by the docs)."""
    import dataclasses

    from crosspost.http import HttpSettings
    from crosspost.platforms import TARGETS
    from crosspost.targets import blamed, load_adapter
    from crosspost.targets.base import TargetContext

    info = TARGETS[rendered.target]
    with blamed(info.name):
        adapter = load_adapter(info)(TargetContext(endpoint=info.default_endpoint, token=None,
                                                   http=HttpSettings()))
        payload = adapter.build_payload(rendered)
    return {
        "target": rendered.target,
        "title": rendered.title,
        "format": rendered.format,
        "canonical_url": rendered.canonical_url,
        "hash": rendered.hash,
        "options": dataclasses.asdict(rendered.options),
        "warnings": [str(n) for n in rendered.notices],
        "assets": [{"url": a.url, "path": str(a.path)} for a in rendered.assets],
        "self_ids": list(rendered.self_ids),
        "copy_candidates": list(rendered.copy_candidates),
        "body": rendered.body,
        "payload": payload,
    }
