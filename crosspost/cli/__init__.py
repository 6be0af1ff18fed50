"""The ``crosspost`` command: a thin shell over the library.

Each command lives in its own module under ``crosspost.cli`` and is imported only when it is
run or its own help is asked for; ``crosspost --help`` lists them from a static table. Command
modules import nothing heavier than click at module level; the library is imported inside the
command functions.

This module is the one exit door: :func:`main` turns every
:class:`~crosspost.errors.CrosspostError` into one line on stderr and its exit status, and
any other exception into one line too (the traceback only with ``--debug``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from crosspost import __version__
from crosspost.errors import EXIT_CODES_HELP, EXIT_FAILED, EXIT_INTERRUPTED, CrosspostError

# command name -> ("module:function", its short help). Modules are imported on demand; the
# short help is written here too so that `crosspost --help` lists the commands without
# importing any of them (tests/test_docs.py checks it matches each command's own).
COMMANDS: dict[str, tuple[str, str]] = {
    "publish": ("crosspost.cli.publish:publish",
                "Publish or update each post on each target, and record the copies' URLs."),
    "render": ("crosspost.cli.publish:render",
               "Print exactly the body a target would receive; warnings go to stderr."),
    "status": ("crosspost.cli.status:status",
               "Show where each post stands on each of its targets; offline unless --remote."),
    "pull": ("crosspost.cli.pull:pull",
             "Show the edits made on a platform's copy since crosspost last sent it."),
    "import": ("crosspost.cli.importing:import_",
               "Bring posts from LessWrong, the EA Forum, the Alignment Forum or Medium into the site."),
    "link": ("crosspost.cli.link:link",
             "Record URL as POST's copy on a target (for copies made by hand)."),
    "login": ("crosspost.cli.auth:login",
              "Check a token with the platform and store it in the system keyring."),
    "logout": ("crosspost.cli.auth:logout", "Remove a target's token from the system keyring."),
    "whoami": ("crosspost.cli.auth:whoami",
               "Show whom each target's token belongs to (asks each platform)."),
    "hook": ("crosspost.cli.hook:hook",
             "Manage the git pre-push hook that keeps cross-posted copies in step with pushes."),
    "journal": ("crosspost.cli.journal:journal",
                "List the remote writes an interrupted run left unfinished."),
    "targets": ("crosspost.cli.targets:targets",
                "List every target, built in or added by an installed package."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported when first needed (not for ``--help``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        import importlib

        module_name, _, attr = entry[0].partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the static table: listing imports no command module."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        # A bare Command shortens the text exactly as click shortens a real command's help.
        rows = [(name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
                for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def setup_logging(verbosity: int) -> None:
    """Warnings always; ``-v`` adds where tokens and the site URL came from, ``-vv`` every HTTP
    request.

    ``logging`` is imported here, not at module level: ``--help`` never needs it.
    """
    import logging

    from crosspost.credentials import RedactingFilter

    class ConsoleFormatter(logging.Formatter):
        def format(self, record: logging.LogRecord) -> str:
            return f"crosspost: {record.levelname.lower()}: {record.getMessage()}"

    class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
        """Writes to whatever ``sys.stderr`` is when a record is emitted, not when it was made."""

        @property
        def stream(self) -> Any:
            return sys.stderr

        @stream.setter
        def stream(self, value: Any) -> None:
            pass

    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = StderrHandler()
    handler.setFormatter(ConsoleFormatter())
    handler.addFilter(RedactingFilter())
    root = logging.getLogger("crosspost")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    if verbosity >= 3:  # httpx/httpcore's own debug lines (headers are redacted by the filter)
        for name in ("httpx", "httpcore"):
            lib = logging.getLogger(name)
            lib.handlers[:] = [handler]
            lib.setLevel(logging.DEBUG)
            lib.propagate = False


@click.group(
    cls=LazyGroup,
    epilog=EXIT_CODES_HELP.replace("\n", "\n\n\b\n", 1),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="crosspost")
@click.option("-v", "--verbose", count=True,
              help="Say more: -v where tokens and the site URL came from, -vv every HTTP request.")
@click.option("--debug", is_flag=True, envvar="CROSSPOST_DEBUG",
              help="Show the Python traceback of an unexpected error.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, debug: bool) -> None:
    """Republish Markdown posts from a static site on LessWrong, the EA Forum,
    the Alignment Forum, Medium and dev.to, and record where each copy lives.

    \b
    Example:
        crosspost publish _posts/2023-08-30-my-post.md --to lesswrong --dry-run
        crosspost publish _posts/2023-08-30-my-post.md --to lesswrong --to medium
        crosspost status
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["verbose"] = verbose
    setup_logging(verbose)


def _one_line(error: BaseException) -> str:
    from crosspost.credentials import redact

    return redact(" ".join(str(error).split()))


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the single place errors become exit statuses."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:]) or bool(
        os.environ.get("CROSSPOST_DEBUG"))
    try:
        cli.main(args=argv, prog_name="crosspost", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("crosspost: aborted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("crosspost: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except CrosspostError as exc:
        if debug:
            _print_traceback()
        click.echo(f"crosspost: error: {_one_line(exc)}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(EXIT_FAILED)
    except Exception as exc:
        if debug:
            _print_traceback()
        click.echo(
            f"crosspost: internal error: {type(exc).__name__}: {_one_line(exc)} "
            "(run again with --debug for the traceback, and please report it)",
            err=True,
        )
        sys.exit(EXIT_FAILED)


def _print_traceback() -> None:
    import traceback

    from crosspost.credentials import redact

    click.echo(redact(traceback.format_exc()), err=True)


def run_command(ctx: click.Context, result: Any) -> Any:
    """Hook for commands that return an exit status: ``ctx.exit(code)`` when non-zero."""
    if isinstance(result, int) and result:
        ctx.exit(result)
    return result


__all__ = ["COMMANDS", "LazyGroup", "cli", "main", "setup_logging"]
