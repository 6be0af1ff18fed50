"""``crosspost hook``: install, remove and run the git pre-push hook (see :mod:`crosspost.hook`)."""

from __future__ import annotations

import sys

import click

_MODE_HELP = ("check: block the push while a post, as pushed, is unpublished, changed since "
              "publish, or lacks the record of a copy that exists. publish: publish the pushed "
              "version, commit the recorded URLs, and stop the push so the next one carries "
              "that commit.")


@click.group()
def hook() -> None:
    """Manage the git pre-push hook that keeps cross-posted copies in step with pushes.

    The hook looks only at Markdown posts changed by the commits being pushed whose front
    matter has a `crosspost` block, each as the pushed commit has it (the working tree may
    hold more); a push that touches none costs about a Python start-up. Only branch pushes
    are blocked: a tag passes, with a note. Skip it once with `git push --no-verify`, or
    with CROSSPOST_HOOK=skip in the environment.

    \b
    Example:
        crosspost hook install                  # check mode
        crosspost hook install --mode publish   # publish on push, then push again
        crosspost hook uninstall
    """


@hook.command()
@click.option("--mode", type=click.Choice(["check", "publish"]), default="check", show_default=True,
              help=_MODE_HELP)
@click.option("--chain", is_flag=True,
              help="Keep an existing pre-push hook as pre-push.legacy and run it first "
              "(its failure blocks the push); `uninstall` puts it back.")
def install(mode: str, chain: bool) -> None:
    """Write the pre-push hook into this repository (.git/hooks, or core.hooksPath).

    The hook runs crosspost with the Python that runs this command; installing again
    (to change --mode) replaces it. A hook crosspost did not write is never overwritten.

    \b
    Example:
        crosspost hook install
        crosspost hook install --mode publish --chain
    """
    from crosspost import hook as lib

    result = lib.install(".", mode=mode, chain=chain)
    verb = "updated" if result.replaced_ours else "installed"
    click.echo(f"{verb} crosspost's pre-push hook ({result.mode} mode) at {result.path}")
    if result.moved_foreign:
        click.echo(f"moved the existing hook to {result.chained}; it runs first, and its failure "
                   "blocks the push (`crosspost hook uninstall` puts it back)")
    elif result.chained:
        click.echo(f"the hook in {result.chained} still runs first")


@hook.command()
def uninstall() -> None:
    """Remove crosspost's pre-push hook, restoring a hook it chained; others are left alone.

    \b
    Example:
        crosspost hook uninstall
    """
    from crosspost import hook as lib

    result = lib.uninstall(".")
    if not result.removed:
        click.echo(f"no pre-push hook at {result.path}; nothing to do")
        return
    click.echo(f"removed crosspost's pre-push hook from {result.path}")
    if result.restored:
        click.echo(f"restored the previous hook at {result.restored}")


@hook.command()
@click.option("--mode", type=click.Choice(["check", "publish"]), default="check", show_default=True,
              help=_MODE_HELP)
@click.option("--pre-push", "pre_push", is_flag=True,
              help="Read git's pre-push input from stdin; ARGS are then the remote's name and URL.")
@click.option("--hook-path", type=click.Path(dir_okay=False), default=None,
              help="With --pre-push: the installed hook, whose pre-push.legacy runs first.")
@click.option("--commit-message", default=None, metavar="TEXT",
              help="Publish mode: the subject of the commit recording the URLs; {posts} becomes "
              "'1 post', '2 posts'...  [default: crosspost: record URLs of {posts}]")
@click.argument("args", nargs=-1)
def run(mode: str, pre_push: bool, hook_path: str | None, commit_message: str | None,
        args: tuple[str, ...]) -> None:
    """Check (or publish) the posts of a push; exit 1 to stop it.

    ARGS are post files (the pre-commit framework passes the files a push changes, and they
    are read from the pushed commit it names in PRE_COMMIT_TO_REF), or with --pre-push the
    remote's name and URL, as git gives them to a pre-push hook. Only Markdown files whose
    front matter has a `crosspost` block are considered. Output goes to stderr.

    \b
    Example:
        crosspost hook run _posts/2023-08-30-my-post.md
        crosspost hook run --mode publish _posts/*.md
        crosspost hook run --pre-push origin git@github.com:me/site.git < refs
    """
    from crosspost import hook as lib

    message = commit_message or lib.COMMIT_MESSAGE
    if pre_push:
        if len(args) != 2:
            raise click.UsageError("--pre-push takes two arguments: the remote's name and URL")
        code = lib.run_pre_push(mode, hook_path, args[0], args[1], sys.stdin.buffer.read(),
                                commit_message=message)
    else:
        outcome = lib.run(mode, files=args, commit_message=message, on_wait=lib.say_now)
        for line in outcome.lines:
            click.echo(line, err=True)
        code = outcome.exit_code
    if code:
        sys.exit(code)
