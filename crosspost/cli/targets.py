"""``crosspost targets``: every target, and where it comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from crosspost.cli.options import json_option

if TYPE_CHECKING:
    from crosspost.platforms.listing import Listed


@click.command()
@json_option()
@click.option("--check", is_flag=True,
              help="Also import each target's module, show what it says about itself, and exit "
              "with status 1 when one cannot be used.")
def targets(as_json: bool, check: bool) -> None:
    """List every target, built in or added by an installed package.

    A package adds a target by declaring an entry point in the group
    `crosspost.targets` (README, "Writing a target"). Listing imports no
    target module, so a package's target shows its label and whether it can
    update once --check (or a run that uses it) has imported it.

    \b
    Example:
        crosspost targets
        crosspost targets --check --json
    """
    import json
    import sys
    from dataclasses import asdict

    from crosspost.errors import EXIT_FAILED
    from crosspost.platforms.listing import list_targets

    rows = list_targets(check=check)
    if as_json:
        click.echo(json.dumps([{**asdict(row), "aliases": list(row.aliases)} for row in rows],
                              indent=2))
    else:
        _print(rows)
    for row in rows:
        if row.problem is not None:
            click.echo(f"crosspost: error: {row.problem}", err=True)
    if any(row.problem is not None for row in rows):
        sys.exit(EXIT_FAILED)


def _print(rows: list[Listed]) -> None:
    table = [["target", "aliases", "label", "updates", "from"]]
    unknown = False
    for row in rows:
        if row.label is not None:
            label, updates = row.label, "yes" if row.can_update else "no"
        elif row.problem is not None:
            label = updates = "-"
        else:
            label, updates, unknown = "?", "?", True
        where = f"{row.package} {row.version}" if row.version else (row.package or "-")
        where += " (built in)" if row.builtin else f" ({row.entry_point})"
        table.append([row.name, ", ".join(row.aliases), label, updates, where])
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
                   .rstrip())
    if unknown:
        click.echo("(? = known once the package's module is imported: `crosspost targets --check`)")
