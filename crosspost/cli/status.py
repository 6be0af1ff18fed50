"""``crosspost status``: posts × targets, offline; with ``--remote``, as the platforms show them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from crosspost.cli.options import json_option, use_color
from crosspost.errors import EXIT_INPUT

if TYPE_CHECKING:
    from crosspost.sites import SiteCache


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@json_option()
@click.option("--all", "show_all", is_flag=True, help="Also list posts that ask for no target.")
@click.option("--check", is_flag=True,
              help="Exit with status 1 when any post is unpublished, changed since publish or "
              "in conflict with another file (status 4 when a post cannot be read); with "
              "--remote, when a copy is gone or was edited there.")
@click.option("--remote", is_flag=True,
              help="Ask the platforms (one read per copy, concurrently): live, draft or gone, "
              "edited there since last sent, score and comments.")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=4, show_default=True,
              help="With --remote: how many copies to read at once.")
def status(paths: tuple[Path, ...], as_json: bool, show_all: bool, check: bool, remote: bool,
           jobs: int) -> None:
    """Show where each post stands on each of its targets; offline unless --remote.

    States: not published, up to date, draft, changed since publish, uncertain,
    conflict (another file records the same copy).
    PATH may be post files or folders; the default is every post of the site
    around the current directory.

    With --remote, each recorded copy as its platform shows it: live, draft,
    or gone (deleted or moved to draft there); whether it was edited there
    since crosspost last sent it (`crosspost pull` shows the edits); its score
    and comments where the platform counts them. Medium cannot be read: its
    copies say "unknown (no read API)".

    \b
    Example:
        crosspost status
        crosspost status _posts/2023-08-30-my-post.md --json
        crosspost status --check      # in CI: fail when something needs publishing
        crosspost status --remote
    """
    from crosspost.sites import SiteCache
    from crosspost.status import ERROR, NEEDS_ATTENTION, site_statuses

    sites = SiteCache()
    files = _post_files(paths, sites)
    if remote:
        sys.exit(_remote(files, sites, as_json=as_json, check=check, jobs=jobs))
    results, quiet = site_statuses(files, sites=sites)

    if as_json:
        rows = [{"path": _shown(r.path), "target": r.target, "state": r.state, "url": r.url,
                 "detail": r.detail} for r in results]
        if show_all:
            rows += [{"path": _shown(p), "target": None, "state": "no targets", "url": None,
                      "detail": ""} for p in quiet]
        click.echo(json.dumps(rows, indent=2))
    elif not results and not quiet:
        click.echo("no posts found")
    elif not results and not show_all:
        click.echo(f"no post asks for a target ({len(quiet)} post(s); add a `crosspost:` block "
                   "to one, or pass --all to list them)")
    else:
        _print_table(results, quiet if show_all else [], color=use_color(sys.stdout))
        if quiet and not show_all:
            click.echo(f"({len(quiet)} other post(s) ask for no target; --all lists them)")
    if any(r.state == ERROR for r in results):
        sys.exit(EXIT_INPUT)
    if check and any(r.state in NEEDS_ATTENTION for r in results):
        sys.exit(1)


def _remote(files: list[Path], sites: SiteCache, *, as_json: bool, check: bool, jobs: int) -> int:
    """``status --remote``: one line per post and target; the exit status."""
    import os

    from crosspost.cli.options import http_settings
    from crosspost.engine.model import PublishOptions
    from crosspost.engine.remote import ERROR, GONE_DELETED, GONE_DRAFT, YES, remote_statuses

    options = PublishOptions(environ=dict(os.environ), http=http_settings(), jobs=jobs)
    rows = remote_statuses(files, options, sites=sites)
    if as_json:
        click.echo(json.dumps([{"path": _shown(r.path), "target": r.target, "state": r.state,
                                "url": r.url, "edited_there": r.edited or None,
                                "score": r.score, "comments": r.comments, "detail": r.detail}
                               for r in rows], indent=2))
    elif not rows:
        click.echo("no post asks for a target")
    else:
        table = [["post", "target", "state", "edited there", "score", "comments"]]
        for r in rows:
            table.append([_shown(r.path), r.target, r.state, r.edited or "-",
                          _number(r.score, r.state), _number(r.comments, r.state)])
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        for row in table:
            click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        for r in rows:
            if r.detail:
                click.echo(f"{_shown(r.path)}: {r.target}: {r.detail}", err=True)
        edited = [r for r in rows if r.edited == YES]
        if edited:
            click.echo(f"({len(edited)} cop{'ies' if len(edited) != 1 else 'y'} edited there: "
                       "`crosspost pull POST` shows the edits)")
    if any(r.state == ERROR for r in rows):
        return 1
    if check and any(r.edited == YES or r.state in {GONE_DELETED, GONE_DRAFT} for r in rows):
        return 1
    return 0


def _number(value: float | int | None, state: str) -> str:
    if value is None:
        return "unknown" if state.startswith("unknown") else "-"
    return f"{value:g}"


def _post_files(paths: tuple[Path, ...], sites: SiteCache) -> list[Path]:
    """The posts to look at: files as named, folders through their site's list of posts."""
    from crosspost.errors import InputError

    files: list[Path] = []
    for path in paths or (Path.cwd(),):
        if path.is_dir():
            site = sites.for_folder(path)
            if site.generator == "plain" and site.settings.path is None and not paths:
                # A folder that is no site: walking it all would list every Markdown file
                # on the disk below it.
                raise InputError(f"{path}: no site here (no _config.yml, hugo.toml or "
                                 "crosspost.toml)", hint="run it in your site's folder, or name "
                                 "the posts: `crosspost status _posts/*.md`")
            root = path.resolve()
            files.extend(p for p in site.post_paths() if p.resolve().is_relative_to(root))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file")
    return files


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_COLORS = {"up to date": "green", "draft": "blue", "not published": "yellow",
           "changed since publish": "yellow", "uncertain": "red", "error": "red"}


def _print_table(results: list, quiet: list[Path], *, color: bool) -> None:  # type: ignore[type-arg]
    from crosspost.platforms import TARGETS

    targets = [t for t in TARGETS if any(r.target == t for r in results)]
    rows: dict[str, dict[str, str]] = {}
    details: list[str] = []
    for r in results:
        rows.setdefault(_shown(r.path), {})[r.target] = r.state
        if r.detail:
            details.append(f"{_shown(r.path)}: {r.target}: {r.detail}")
    for p in quiet:
        rows.setdefault(_shown(p), {})
    header = ["post", *targets]
    table = [header] + [[path, *(cells.get(t, "-") for t in targets)] for path, cells in rows.items()]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for index, row in enumerate(table):
        cells = []
        for i, cell in enumerate(row):
            text = cell.ljust(widths[i])
            if color and index and i:
                text = click.style(text, fg=_COLORS.get(cell))
            elif color and index == 0:
                text = click.style(text, bold=True)
            cells.append(text)
        click.echo("  ".join(cells).rstrip())
    for line in details:
        click.echo(line, err=True)
