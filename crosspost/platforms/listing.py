"""Every target crosspost can publish to, and where each comes from (``crosspost targets``).

The listing reads the installed packages' metadata and imports no target module: a
package's target shows its name and package, and its label and whether it can update stay
unknown until its class is imported (``check=True`` imports every target's class, built-in
ones too, and reports those that cannot be used).
"""

from __future__ import annotations

from dataclasses import dataclass

from crosspost.errors import PluginError
from crosspost.platforms import Declaration, DeclaredInfo, missing_entry_point, table, target_class
from crosspost.platforms.builtin import BUILTIN


@dataclass(frozen=True)
class Listed:
    """One row of the listing. ``label`` and ``can_update`` are None until the class is known."""

    name: str
    aliases: tuple[str, ...]
    label: str | None
    can_update: bool | None
    builtin: bool
    package: str | None  # the distribution that declares the entry point
    version: str | None
    entry_point: str | None  # "module:Class"
    loaded: bool  # the class was imported (and checked)
    problem: str | None  # why it cannot be used, in one line

    @property
    def ok(self) -> bool:
        return self.problem is None


def list_targets(*, check: bool = False) -> list[Listed]:
    """The built-in targets in their order, then the packages' by name, then entry points of
    the group that are no target (a bad name, another package's claim on a built-in name).

    With ``check``, every target's class is imported and checked.
    """
    the_table = table()
    rows: list[Listed] = []
    for name, info in the_table.infos.items():
        declarations = the_table.declarations.get(name, ())
        if isinstance(info, DeclaredInfo):
            chosen: Declaration | None = declarations[0]
        else:
            chosen = next((d for d in declarations if d.own), None)
        problem: str | None = None
        loaded = False
        if check or isinstance(info, DeclaredInfo):
            try:
                if check:
                    target_class(name)
                    loaded = True
                elif len({d.value for d in declarations}) > 1:
                    assert isinstance(info, DeclaredInfo)
                    info.target_class()  # raises: several packages declare it
            except PluginError as exc:
                problem = str(exc)
        elif chosen is None:
            problem = str(missing_entry_point(name))
        known = not isinstance(info, DeclaredInfo) or loaded
        rows.append(Listed(
            name=name, aliases=info.aliases,
            label=info.label if known else None,
            can_update=info.can_update if known else None,
            builtin=name in BUILTIN,
            package=chosen.package if chosen else None,
            version=chosen.version if chosen else None,
            entry_point=chosen.value if chosen else None,
            loaded=loaded, problem=problem))
    for name, declarations in the_table.declarations.items():
        for declaration in declarations:
            why = the_table.ignored.get(name)
            if why is None and name in BUILTIN and not declaration.own:
                why = f"{name!r} is a built-in target's name"
            if why is not None:
                rows.append(Listed(
                    name=name, aliases=(), label=None, can_update=None, builtin=False,
                    package=declaration.package, version=declaration.version,
                    entry_point=declaration.value, loaded=False,
                    problem=f"the entry point {declaration.where()} is not used: {why}"))
    return rows


__all__ = ["Listed", "list_targets"]
