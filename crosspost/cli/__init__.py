"""The ``crosspost`` command: a thin shell over the library.

Each command lives in its own module under ``crosspost.cli`` and is imported only when it is
run (or when ``--help`` lists it). Command modules import nothing heavier than click at module
level; the library is imported inside the command functions.

This module is the one exit door: :func:`main` turns every
:class:`~crosspost.errors.CrosspostError` into one line on stderr and its exit status, and
any other exception into one line too (the traceback only with ``--debug``).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from crosspost import __version__
from crosspost.errors import EXIT_CODES_HELP, EXIT_FAILED, EXIT_INTERRUPTED, CrosspostError

# command name -> "module:function"; modules are imported on demand.
COMMANDS: dict[str, str] = {
    "publish": "crosspost.cli.publish:publish",
    "render": "crosspost.cli.publish:render",
    "status": "crosspost.cli.status:status",
    "link": "crosspost.cli.link:link",
    "login": "crosspost.cli.auth:login",
    "logout": "crosspost.cli.auth:logout",
    "whoami": "crosspost.cli.auth:whoami",
    "hook": "crosspost.cli.hook:hook",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported when first needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        import importlib

        module_name, _, attr = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attr)
        return command


class _ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"crosspost: {record.levelname.lower()}: {record.getMessage()}"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted, not when it was made."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def setup_logging(verbosity: int) -> None:
    """Warnings always; ``-v`` adds where tokens came from, ``-vv`` every HTTP request."""
    from crosspost.credentials import RedactingFilter

    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    handler = _StderrHandler()
    handler.setFormatter(_ConsoleFormatter())
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
              help="Say more: -v where tokens came from, -vv every HTTP request.")
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
