"""``crosspost pull``: show (and with --apply, bring home) the edits made on a platform's copy."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from crosspost.cli.options import color_diff, from_option, http_settings, json_option, use_color

if TYPE_CHECKING:
    from crosspost.engine.pull import Pulled


@click.command()
@click.argument("post", type=click.Path(path_type=Path))
@from_option("The target whose copy to read (lw, ea, af…); default: every recorded copy its "
             "platform can return.")
@click.option("--apply", "apply_", is_flag=True,
              help="Write the edits that map onto lines of the post into the file (the rest "
              "are shown, for you to carry over).")
@json_option()
def pull(post: Path, source: str | None, apply_: bool, as_json: bool) -> None:
    """Show the edits made on a platform's copy since crosspost last sent it.

    They are shown as a patch of POST: each edited line is mapped back to the
    line of the post it was rendered from. An edit inside text crosspost
    rewrote for the platform (a link made absolute, a figure, the attribution)
    is shown and left for you. A copy crosspost never sent shows every
    difference, and its text then counts as seen: the next publish replaces
    what you did not bring home.

    \b
    Example:
        crosspost pull _posts/2023-08-30-my-post.md
        crosspost pull _posts/2023-08-30-my-post.md --from lesswrong --apply
    """
    from crosspost.engine.model import PublishOptions
    from crosspost.engine.pull import pull as run

    options = PublishOptions(environ=dict(os.environ), http=http_settings())
    found = run(post, options, target=source, apply=apply_)
    if as_json:
        click.echo(json.dumps([_as_json(p) for p in found], indent=2, ensure_ascii=False))
        return
    color = use_color(sys.stdout)
    for pulled in found:
        _print(pulled, color=color, apply=apply_)


def _print(pulled: Pulled, *, color: bool, apply: bool) -> None:
    where = f"{pulled.path}: {pulled.target}"
    label = pulled.label
    if pulled.base is None:
        click.echo(f"{where}: crosspost never sent this copy's text, so every difference from "
                   f"your post is shown (edits made on {label} and your own alike); from now "
                   "on its text is the base, and the next publish replaces what you do not "
                   "bring home")
    n = len(pulled.hunks)
    if not n and not pulled.conflicts and pulled.title_there is None:
        click.echo(f"{where}: no edits made on {label} since crosspost last sent it")
        return
    if n:
        click.echo(f"{where}: {n} edit{'s' * (n != 1)} made on {label} "
                   f"({pulled.url or 'the copy'}):")
    if pulled.patch:
        click.echo(color_diff(pulled.patch, color), nl=False)
    if pulled.left:
        click.echo(f"{where}: {len(pulled.left)} edit{'s' * (len(pulled.left) != 1)} in text "
                   "crosspost rewrote for the platform, left for you to carry over:")
        for hunk in pulled.left:
            click.echo(color_diff(hunk.diff(label), color), nl=False)
    for conflict in pulled.conflicts:
        click.echo(f"{where}: line {conflict.line} was edited on {label} and in your post; "
                   "keep what you want by hand:")
        click.echo("".join(f"  {label}: {line}" for line in conflict.theirs), nl=False)
        click.echo("".join(f"  post: {line}" for line in conflict.ours), nl=False)
    if pulled.title_there is not None:
        click.echo(f"{where}: the title on {label} is {pulled.title_there!r}; change the "
                   "post's `title:` by hand to keep it")
    if pulled.applied:
        m = len(pulled.mapped)
        click.echo(f"{where}: wrote {m} edit{'s' * (m != 1)} into {pulled.path}")
    elif pulled.mapped and not apply:
        click.echo(f"{where}: run again with --apply to write "
                   f"{'them' if len(pulled.mapped) != 1 else 'it'} into the post")


def _as_json(pulled: Pulled) -> dict[str, Any]:
    return {
        "path": str(pulled.path), "target": pulled.target, "url": pulled.url,
        "base": pulled.base, "seen": pulled.seen, "applied": pulled.applied,
        "patch": pulled.patch,
        "edits": [{"line": h.at + 1, "ours": "".join(h.ours), "theirs": "".join(h.theirs),
                   "file_lines": list(h.place) if h.place else None, "left": h.why or None}
                  for h in pulled.hunks],
        "conflicts": [{"line": c.line, "theirs": "".join(c.theirs), "ours": "".join(c.ours)}
                      for c in pulled.conflicts],
        "title_there": pulled.title_there,
    }
