"""``crosspost login``, ``logout`` and ``whoami``: tokens in the keyring, checked with the platform."""

from __future__ import annotations

import os
import sys

import click

from crosspost.cli.options import http_settings, targets_option


@click.command()
@targets_option(required=False, multiple=False)
@click.argument("target_name", required=False, metavar="[TARGET]")
def login(targets: str | None, target_name: str | None) -> None:
    """Check a token with the platform and store it in the system keyring.

    The token is read without echo (or from standard input when it is not a
    terminal: `printf %s "$TOKEN" | crosspost login medium`). It is never printed.

    \b
    Example:
        crosspost login lesswrong
        crosspost login --to medium
    """
    from crosspost.accounts import login as do_login
    from crosspost.platforms import TARGETS

    info = TARGETS[_target(targets, target_name)]
    click.echo(f"How to get the token: {info.token_help}.", err=True)
    if sys.stdin.isatty():
        token = click.prompt(f"{info.label} token", hide_input=True, err=True)
    else:
        token = sys.stdin.readline()
    result = do_login(info.name, token, environ=dict(os.environ), http=http_settings())
    click.echo(f"Logged in to {info.label} as {result.identity}. "
               f"The token is in the system keyring ({result.where}).")


@click.command()
@targets_option(required=False, multiple=False)
@click.argument("target_name", required=False, metavar="[TARGET]")
def logout(targets: str | None, target_name: str | None) -> None:
    """Remove a target's token from the system keyring.

    \b
    Example:
        crosspost logout lesswrong
    """
    from crosspost.accounts import logout as do_logout
    from crosspost.platforms import TARGETS

    info = TARGETS[_target(targets, target_name)]
    if do_logout(info.name, environ=dict(os.environ)):
        click.echo(f"Removed the {info.label} token from the keyring.")
    else:
        click.echo(f"No {info.label} token was stored in the keyring.")


@click.command()
@click.argument("target_names", nargs=-1, metavar="[TARGET]...")
def whoami(target_names: tuple[str, ...]) -> None:
    """Show whom each target's token belongs to (asks each platform).

    \b
    Example:
        crosspost whoami
        crosspost whoami lesswrong
    """
    from crosspost.accounts import whoami as do_whoami
    from crosspost.errors import EXIT_CREDENTIALS
    from crosspost.platforms import TARGETS

    names = [_resolve(n) for n in target_names] or list(TARGETS)
    codes: set[int] = set()
    for entry in do_whoami(names, environ=dict(os.environ), http=http_settings()):
        click.echo(entry.line())
        if entry.error is not None and (target_names or entry.has_token):
            codes.add(entry.error.exit_code)
    # A token missing or refused anywhere is the news (5); else the failure's own status
    # (a platform out of reach is 1, as it is for publish).
    if codes:
        sys.exit(EXIT_CREDENTIALS if EXIT_CREDENTIALS in codes else max(codes))


def _resolve(name: str) -> str:
    from crosspost.errors import did_you_mean
    from crosspost.platforms import ALIASES

    target = ALIASES.get(name.strip().lower())
    if target is None:
        guess = did_you_mean(name, ALIASES)
        raise click.BadParameter(f"unknown target {name!r}{'; ' + guess if guess else ''}",
                                 param_hint="TARGET")
    return target


def _target(option: str | None, argument: str | None) -> str:
    if option and argument:
        raise click.UsageError("name the target once: `crosspost login lesswrong`")
    if not option and not argument:
        raise click.UsageError("which target? e.g. `crosspost login lesswrong`")
    return option or _resolve(argument or "")
