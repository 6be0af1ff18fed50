"""``crosspost journal``: the interrupted writes a site's journal holds, and clearing one."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crosspost.cli.options import json_option

_SITE_HELP = "A folder of the site (default: the current folder)."


@click.group(invoke_without_command=True)
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=".",
              help=_SITE_HELP)
@json_option()
@click.pass_context
def journal(ctx: click.Context, site_dir: Path, as_json: bool) -> None:
    """List the remote writes an interrupted run left unfinished.

    `crosspost publish` settles them by itself (a renamed post too: it is found by the
    copy it records, its address, or its text). An entry whose post is gone for good can be
    cleared.

    \b
    Example:
        crosspost journal
        crosspost journal clear 3fa9c2d1-lesswrong
    """
    if ctx.invoked_subcommand is not None:
        return
    from crosspost.journal import Journal
    from crosspost.sites import SiteCache

    site = SiteCache().for_folder(site_dir)
    book = Journal(site.root)
    entries = list(book.entries())
    if as_json:
        click.echo(json.dumps([{"key": e.key.removesuffix(".json"), "post": e.post,
                                "post_exists": book.exists(e), "target": e.target,
                                "action": e.action, "state": e.state, "started": e.started,
                                "title": e.title, "result": e.result} for e in entries], indent=2))
        return
    if not entries:
        click.echo("the journal is empty: no interrupted write to settle")
        return
    for entry in entries:
        where = entry.post if book.exists(entry) else f"{entry.post} (gone)"
        click.echo(f"{entry.key.removesuffix('.json')}  {where}  {entry.target}: "
                   f"{entry.action} {entry.state} since {entry.started or '?'}: {entry.title!r}")
    click.echo("`crosspost publish POST` settles an entry; `crosspost journal clear KEY` drops one")


@journal.command()
@click.argument("keys", nargs=-1, required=True)
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=".",
              help=_SITE_HELP)
def clear(keys: tuple[str, ...], site_dir: Path) -> None:
    """Drop journal entries (by the KEY `crosspost journal` shows, or its start).

    An unfinished create may have made a post: after clearing it, nothing looks for that post
    any more, so check the platform and `crosspost link` it if it is there.

    \b
    Example:
        crosspost journal clear 3fa9c2d1-lesswrong
    """
    from crosspost.errors import InputError
    from crosspost.journal import Journal
    from crosspost.sites import SiteCache

    site = SiteCache().for_folder(site_dir)
    book = Journal(site.root)
    chosen = []
    for key in keys:
        found = book.named(key)
        if not found:
            raise InputError(f"no journal entry {key!r}", hint="`crosspost journal` lists them")
        if len(found) > 1:
            raise InputError(f"{key!r} names {len(found)} entries",
                             hint="give more of the key, as `crosspost journal` shows it")
        chosen.append(found[0])
    for entry in chosen:
        book.clear(entry)
        click.echo(f"cleared {entry.key.removesuffix('.json')} ({entry.post}: {entry.target})")
        if entry.action == "create" and entry.state == "sending":
            click.echo(f"  note: that create may have made a post titled {entry.title!r} on "
                       f"{entry.target}; if it is there, `crosspost link` it to its post", err=True)
