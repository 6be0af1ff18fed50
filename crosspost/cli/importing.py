"""``crosspost import``: parse, call the library, print."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crosspost.cli.options import from_option, http_settings
from crosspost.errors import EXIT_CODES_HELP

if TYPE_CHECKING:
    from crosspost.homecoming import ImportReport, ImportResult

_EPILOG = EXIT_CODES_HELP.replace("\n", "\n\n\b\n", 1)


@click.command("import", epilog=_EPILOG)
@click.argument("urls", nargs=-1)
@from_option("With --user: the forum whose posts to import (lesswrong, eaforum, "
             "alignmentforum).  [default: lesswrong]")
@click.option("--user", metavar="SLUG",
              help="Import every published post of this user (the name in their profile's "
                   "address, /users/SLUG).")
@click.option("--since", metavar="DATE", help="With --user: only posts published since DATE "
              "(YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1), metavar="N",
              help="With --user: at most the N newest posts.")
@click.option("--site", "site", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=".",
              show_default=True, help="A folder of the site to import into.")
@click.option("--dry-run", is_flag=True,
              help="List each file that would be written, with its front matter; write nothing.")
@click.option("--keep-remote-images", is_flag=True,
              help="Leave images where they are instead of downloading them into the site.")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=4, show_default=True,
              help="How many posts to read at once.")
@click.option("--wait", "wait", type=click.FloatRange(0), default=60, show_default=True,
              metavar="SECONDS", help="How long to wait for another crosspost run on the same "
              "site to finish (one run at a time per site).")
def import_(urls: tuple[str, ...], source: str | None, user: str | None, since: str | None,
            limit: int | None, site: Path, dry_run: bool, keep_remote_images: bool, jobs: int,
            wait: float) -> None:
    """Bring posts from LessWrong, the EA Forum, the Alignment Forum or Medium into the site.

    Each post becomes a new file where the site's generator publishes it, written the way the
    site's posts are (front matter, figures, math, footnotes), with its images downloaded
    beside the site's own; its front matter records the copy it came from, so `crosspost
    status` says it is up to date and later runs update that copy. A post the site already
    has is named, not written again. Medium stories are read from your feed (the latest ten):
    set `username` under [targets.medium] in crosspost.toml, or CROSSPOST_MEDIUM_FEED.

    \b
    Example:
        crosspost import https://www.lesswrong.com/posts/GreaiJYjFDziXbfCw/my-post
        crosspost import --from lesswrong --user jane-doe --since 2023-01-01 --dry-run
        crosspost import https://medium.com/@jane/my-story-1a2b3c4d5e6f --site ~/blog
    """
    from crosspost.homecoming import ImportOptions, import_posts
    from crosspost.homecoming.run import parse_since

    if urls and user:
        raise click.UsageError("give the addresses of posts or --user SLUG, not both")
    if not urls and not user:
        raise click.UsageError("give the addresses of the posts to import, or --user SLUG")
    if not user and (since or limit or source):
        raise click.UsageError("--from, --since and --limit go with --user")
    printer = _Printer(dry_run)
    options = ImportOptions(
        urls=urls, source=source, user=user, since=parse_since(since) if since else None,
        limit=limit, site=site, dry_run=dry_run, keep_remote_images=keep_remote_images,
        environ=dict(os.environ), http=http_settings(), jobs=jobs, lock_wait=wait,
        on_wait=lambda message: click.echo(f"crosspost: {message}", err=True),
        on_total=printer.start, on_event=printer.done)
    try:
        report = import_posts(options)
    finally:
        printer.stop()
    _print_report(report, dry_run)
    code = report.exit_code
    if code:
        sys.exit(code)


class _Printer:
    """A progress bar on a terminal (posts done of total, the current title); elsewhere a
    line per post."""

    def __init__(self, dry_run: bool) -> None:
        self.dry_run = dry_run
        self.lock = threading.Lock()
        self.bar: Any = None
        self.tty = sys.stderr.isatty()

    def start(self, total: int) -> None:
        if self.tty and total > 1:
            self.bar = click.progressbar(length=total, label="importing", show_pos=True,
                                         file=sys.stderr, item_show_func=lambda t: t or "")
            self.bar.__enter__()

    def done(self, result: ImportResult) -> None:
        with self.lock:
            if self.bar is not None:
                self.bar.update(1, _short(result.title or result.given))
                return
            if not self.dry_run:
                click.echo(_line(result), err=result.status == "failed")

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _line(result: ImportResult) -> str:
    where = f" {result.path}" if result.path is not None else ""
    title = f" ({result.title})" if result.title and result.status != "failed" else ""
    text = f"{result.given}: {result.status}{where}{title}"
    if result.message and result.status in {"failed", "skipped", "already in the site"}:
        text += f": {result.message}"
    return text


def _print_report(report: ImportReport, dry_run: bool) -> None:
    from crosspost.homecoming import ALREADY, FAILED, PLANNED, SKIPPED, WRITTEN

    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if dry_run:
        for result in report.results:
            if result.status != PLANNED:
                click.echo(_line(result), err=result.status == FAILED)
                continue
            click.echo(f"would write {result.path} ({result.title})")
            click.echo("".join(f"    {line}\n" for line in result.front_matter.splitlines()),
                       nl=False)
            for src, path in result.images:
                click.echo(f"    image {src} -> {path}")
    for result in report.results:
        for warning in result.warnings:
            click.echo(f"{warning}", err=True)
    failed = [r for r in report.results if r.status == FAILED]
    if failed and (dry_run or sys.stderr.isatty()):
        for result in failed:  # the progress bar did not show them
            click.echo(_line(result), err=True)
    written, planned = report.count(WRITTEN), report.count(PLANNED)
    already, skipped = report.count(ALREADY), report.count(SKIPPED)
    rest = f" ({skipped} not an article, skipped)" if skipped else ""
    if already and not (written or planned or failed):
        click.echo("nothing to import: " + ("the post is" if already == 1 else f"all {already} posts are")
                   + f" already in the site{rest}")
        return
    parts = [f"{written or planned} post{'s' * ((written or planned) != 1)} "
             f"{'would be written' if dry_run else 'imported'} into {report.site_root}"]
    if already:
        parts.append(f"{already} already there")
    if failed:
        parts.append(f"{len(failed)} failed")
    click.echo("; ".join(parts) + rest)
