"""The table of targets: the built-in ones and those installed packages add.

Everything that must be known without touching the network (the renderer recognising a
link to a forum copy, ``status``, the hook, the front-matter reader accepting ``lw:`` for
``lesswrong:``) reads this table, so it sits near the bottom of the house: it imports only
:mod:`crosspost.errors`.

:data:`TARGETS` maps each name to its :class:`TargetInfo`: the built-in targets first, in a
fixed order, with their static facts (:mod:`.builtin`), then the targets of the entry-point
group ``crosspost.targets`` by name (:mod:`.plugins`). The group is read on the first look
at the table, once per process; nothing is imported from a package until its target is
used. :func:`target_class` is where a target's class is imported, for every target alike:
through its entry point (crosspost declares its own in its ``pyproject.toml``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from crosspost.errors import PluginError
from crosspost.platforms.builtin import BUILTIN
from crosspost.platforms.info import DIALECTS, NAME, Described, TargetInfo
from crosspost.platforms.plugins import GROUP, Declaration, DeclaredInfo, load_class, read_declarations


@dataclass(frozen=True)
class Table:
    """One reading of the installed entry points."""

    infos: dict[str, TargetInfo]  # built-in targets in their order, then packages' by name
    aliases: dict[str, str]  # every accepted spelling -> the name
    declarations: dict[str, tuple[Declaration, ...]]  # every entry point of the group, by name
    ignored: dict[str, str]  # names of entry points that are no target, and why


class _Cache:
    """What this process read: the table, and the built-in targets' classes once imported."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.table: Table | None = None
        self.classes: dict[str, type[Described]] = {}


_cache = _Cache()


def table() -> Table:
    """The table, reading the entry points on first use (once per process)."""
    with _cache.lock:
        if _cache.table is None:
            _cache.table = _read()
        return _cache.table


def refresh() -> None:
    """Forget what was read: the next look reads the installed entry points again.

    For a long-lived process that installed a package meanwhile, and for tests.
    """
    with _cache.lock:
        _cache.table = None
        _cache.classes.clear()


def _read() -> Table:
    declared: dict[str, list[Declaration]] = {}
    for declaration in read_declarations():
        declared.setdefault(declaration.name, []).append(declaration)
    infos: dict[str, TargetInfo] = dict(BUILTIN)
    aliases = {alias: info.name for info in BUILTIN.values() for alias in (info.name, *info.aliases)}
    ignored: dict[str, str] = {}
    for name in sorted(declared):
        if name in BUILTIN:
            continue  # crosspost's own entry point; another package's is never used
        if name in aliases:
            ignored[name] = f"{name!r} is an alias of the built-in target {aliases[name]!r}"
        elif not NAME.match(name):
            ignored[name] = (f"{name!r} is not a target name (a lower-case letter, then lower-case "
                             "letters, digits or _)")
        else:
            infos[name] = DeclaredInfo(name, declared[name])
            aliases[name] = name
    return Table(infos, aliases, {n: tuple(d) for n, d in declared.items()}, ignored)


class _Targets(Mapping[str, TargetInfo]):
    """``TARGETS[name]``, ``name in TARGETS``, ``TARGETS.values()``: the table's infos.

    Iterating imports nothing: a package's target is a :class:`DeclaredInfo` until used.
    """

    def __getitem__(self, name: str) -> TargetInfo:
        return table().infos[name]

    def __iter__(self) -> Iterator[str]:
        return iter(table().infos)

    def __len__(self) -> int:
        return len(table().infos)

    def __repr__(self) -> str:
        return f"TARGETS({', '.join(self)})"


class _Aliases(Mapping[str, str]):
    """Every accepted spelling of a target (names and the built-in aliases) -> its name."""

    def __getitem__(self, spelling: str) -> str:
        return table().aliases[spelling]

    def __iter__(self) -> Iterator[str]:
        return iter(table().aliases)

    def __len__(self) -> int:
        return len(table().aliases)

    def __repr__(self) -> str:
        return f"ALIASES({', '.join(self)})"


TARGETS: Mapping[str, TargetInfo] = _Targets()
ALIASES: Mapping[str, str] = _Aliases()


def resolve(name: str) -> TargetInfo:
    """The target called ``name`` (or one of its aliases). Raises KeyError if unknown."""
    return TARGETS[ALIASES[name.strip().lower()]]


def known_names() -> list[str]:
    """Every accepted spelling, for help texts and error messages."""
    return sorted(ALIASES)


def target_class(name: str) -> type[Described]:
    """Import the class of target ``name`` through its entry point and check it.

    Raises KeyError for an unknown name and PluginError (one line naming the entry point and
    its package) for one that cannot be used.
    """
    info = TARGETS[name]
    if isinstance(info, DeclaredInfo):
        return info.target_class()
    with _cache.lock:
        cls = _cache.classes.get(name)
    if cls is None:
        ours = [d for d in table().declarations.get(name, ()) if d.in_crosspost]
        if not ours:
            raise missing_entry_point(name)
        if len(ours) > 1:  # another package claims the name too: crosspost's own comes first
            ours.sort(key=lambda d: not d.own)
        cls = load_class(ours[0], builtin=info)
        with _cache.lock:
            _cache.classes[name] = cls
    return cls


def missing_entry_point(name: str) -> PluginError:
    """A built-in target whose entry point crosspost's installed metadata lacks (an install
    from before the targets became entry points, or a copy of the source not installed)."""
    return PluginError(f"crosspost's installed metadata declares no entry point for it in the "
                       f"group {GROUP}", hint="reinstall crosspost (`pip install -e .` in its "
                       "folder)", target=name)


__all__ = ["ALIASES", "DIALECTS", "GROUP", "TARGETS", "Declaration", "DeclaredInfo", "Described",
           "Table", "TargetInfo", "known_names", "missing_entry_point", "refresh", "resolve",
           "table", "target_class"]
