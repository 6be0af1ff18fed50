"""``crosspost link``: record a copy made by hand, so later runs update it."""

from __future__ import annotations

from pathlib import Path

import click

from crosspost.cli.options import targets_option


@click.command()
@click.argument("post", type=click.Path(path_type=Path))
@targets_option(required=True, multiple=False)
@click.argument("url")
def link(post: Path, targets: str, url: str) -> None:
    """Record URL as POST's copy on a target (for copies made by hand).

    The next `crosspost publish` updates a forum copy into crosspost's rendering;
    a Medium copy (whose API cannot update) is taken to show the post as it is now.

    \b
    Example:
        crosspost link _posts/2023-08-30-my-post.md --to medium https://medium.com/@jane/my-post-1a2b3c4d5e6f
    """
    from crosspost.linking import link_copy

    recorded = link_copy(post, targets, url)
    if recorded.replaced:
        click.echo(f"{post}: the {recorded.target} record pointed at {recorded.replaced}; "
                   "it now points at the new URL", err=True)
    click.echo(f"{post}: recorded the {recorded.target} copy {recorded.url}")
    for other in recorded.released:
        click.echo(f"{other}: recorded the same copy; that record is removed (a copy belongs to "
                   "one file)", err=True)
    for other in recorded.still_claimed:
        click.echo(f"{other}: names the same copy; remove that key, or crosspost will not send "
                   "to it from either file", err=True)
