"""Options shared by several commands, defined once (so their help reads the same everywhere)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

TARGET_HELP = ("Target: lesswrong (lw), eaforum (ea), alignmentforum (af), medium, devto (dev), "
               "or one an installed package adds (see `crosspost targets`). Repeat, or separate "
               "with commas, for several.")


def _resolve_targets(ctx: click.Context, param: click.Parameter, values: Any) -> Any:
    from crosspost.errors import did_you_mean
    from crosspost.platforms import ALIASES, TARGETS

    if values is None:
        return values
    single = isinstance(values, str)
    # `--to lw,medium` is how many tools spell a list: taken as `--to lw --to medium`.
    names = [values] if single else [part for value in values for part in value.split(",")
                                     if part.strip()]
    out: list[str] = []
    for value in names:
        name = ALIASES.get(value.strip().lower())
        if name is None:
            known = ", ".join(f"{n} ({', '.join(i.aliases)})" if i.aliases else n
                              for n, i in TARGETS.items())
            guess = did_you_mean(value, ALIASES)
            raise click.BadParameter(
                f"unknown target {value!r}; {guess + ' ' if guess else ''}known targets: {known}",
                ctx=ctx, param=param)
        if name not in out:
            out.append(name)
    return out[0] if single else tuple(out)


def targets_option(*, required: bool = False, multiple: bool = True) -> Callable[[F], F]:
    """``--to T`` (repeatable unless ``multiple=False``), aliases accepted, unknown → exit 2."""
    return click.option(
        "--to", "targets", multiple=multiple, required=required, metavar="TARGET",
        callback=_resolve_targets,
        help=TARGET_HELP if multiple else TARGET_HELP.split(" Repeat", maxsplit=1)[0],
    )


def from_option(help_text: str) -> Callable[[F], F]:
    """``--from T``: the one target a command reads from (aliases accepted)."""
    return click.option("--from", "source", metavar="TARGET", callback=_resolve_targets,
                        help=help_text)


def json_option(help_text: str = "Print machine-readable JSON instead of text.") -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def use_color(stream: TextIO | None = None) -> bool:
    """Colour only on a terminal, and never under NO_COLOR (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def color_diff(diff: str, color: bool) -> str:
    if not color:
        return diff
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        else:
            out.append(line)
    return "".join(out)


def http_settings() -> Any:
    """The HTTP settings every networked command uses, tunable for slow networks and CI.

    ``CROSSPOST_TIMEOUT`` (seconds per request) and ``CROSSPOST_RETRIES`` (extra attempts for
    reads and updates; creates are never retried) are read here, at the edge, once.
    """
    from crosspost.http import HttpSettings

    values: dict[str, Any] = {}
    for var, field, kind in (("CROSSPOST_TIMEOUT", "timeout", float),
                             ("CROSSPOST_RETRIES", "retries", int)):
        raw = os.environ.get(var)
        if not raw:
            continue
        try:
            value = kind(raw)
        except ValueError:
            raise click.BadParameter(f"{var} must be a number, not {raw!r}") from None
        if value < 0:
            raise click.BadParameter(f"{var} must not be negative")
        values[field] = value
    if "timeout" in values:
        values["connect_timeout"] = min(values["timeout"], HttpSettings.connect_timeout)
    return HttpSettings(**values)
