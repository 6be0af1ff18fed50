"""Targets as entry points: the group ``crosspost.targets``, read from the installed packages.

A package adds a target by declaring ``name = "module:Class"`` in the group; crosspost's own
``pyproject.toml`` declares the built-in targets the same way, and their classes are loaded
through the same code (:func:`load_class`).

Reading the group means importing :mod:`importlib.metadata` (15 to 25 ms: it brings in the
email parser) and looking at every installed distribution, so it happens once per process
and only when a command needs target names (a post's front matter, ``--to``,
``crosspost targets``). ``crosspost --help`` and the git hook's no-op never get here.

A package's module is imported only when its target is used. Until then its target is a
:class:`DeclaredInfo`: the name (and so its database and token variable) comes from the
entry point, every other fact from the class on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from crosspost.errors import PluginError
from crosspost.platforms.info import DIALECTS, Described, TargetInfo

if TYPE_CHECKING:
    import re
    from importlib.metadata import EntryPoint

GROUP = "crosspost.targets"
OWN = "crosspost"  # the distribution whose entry points are the built-in targets


class Declaration:
    """One entry point of the group, as an installed package's metadata states it.

    The package's name and version are read only when asked for (each costs a parse of the
    package's METADATA file): messages and ``crosspost targets`` need them, a publish does not.
    """

    def __init__(self, point: EntryPoint) -> None:
        self.name = point.name
        self.value = point.value  # "module:Class"
        self._point = point

    @cached_property
    def package(self) -> str | None:
        dist = self._point.dist
        return (dist.name or None) if dist is not None else None

    @cached_property
    def version(self) -> str | None:
        dist = self._point.dist
        return dist.version if dist is not None else None

    @property
    def own(self) -> bool:
        """Declared by crosspost itself (reads the package's metadata)."""
        return (self.package or "").lower().replace("_", "-") == OWN

    @property
    def in_crosspost(self) -> bool:
        """Names a class inside crosspost's own package: how a built-in target's entry point is
        found without reading any package's metadata (:func:`load_class` then checks that the
        class is that very target)."""
        return self.value.strip().startswith(f"{OWN}.")

    def where(self) -> str:
        """``quill = crosspost_quill:Quill (crosspost-quill 0.2.0)``: the entry point and its
        package."""
        version = f" {self.version}" if self.version else ""
        return f"{self.name} = {self.value} ({self.package or 'an unnamed package'}{version})"

    def error(self, problem: str) -> PluginError:
        """The one line that says this entry point cannot be used, and what to do."""
        hint = ("reinstall crosspost (`pip install -e .` in its folder)" if self.own else
                f"fix the package, or uninstall it: `pip uninstall {self.package}`" if self.package
                else "fix the package that declares it, or uninstall it")
        return PluginError(f"the entry point {self.where()} {problem}", hint=hint, target=self.name)


def read_declarations() -> list[Declaration]:
    """Every entry point of the group in the installed packages (a fresh read)."""
    from importlib.metadata import entry_points

    return [Declaration(point) for point in entry_points(group=GROUP)]


def load_class(declaration: Declaration, *, builtin: TargetInfo | None = None) -> type[Described]:
    """Import the class an entry point names and check that it is a usable target.

    Raises PluginError, naming the entry point and its package, for a module that does not
    import (whatever it raises), a name it lacks, a class that is not a target or leaves
    methods unwritten, and an ``info`` that does not fit the entry point.
    """
    import importlib

    module_name, _, attributes = declaration.value.partition(":")
    # "module:Class [extra]": extras name optional dependencies, nothing to import here.
    module_name, attributes = module_name.strip(), attributes.split("[", 1)[0].strip()
    if not module_name or not attributes:
        raise declaration.error("does not name a class: write `name = \"module:Class\"`")
    try:
        found: object = importlib.import_module(module_name)
    except Exception as exc:  # a plugin may raise anything while importing
        raise declaration.error(f"cannot be imported: {_said(exc)}") from exc
    for attribute in attributes.split("."):
        try:
            found = getattr(found, attribute)
        except AttributeError:
            raise declaration.error(f"cannot be loaded: {module_name} has no {attributes}") from None
    if not (isinstance(found, type) and issubclass(found, Described)):
        raise declaration.error("is not a crosspost target: a target is a subclass of "
                                "crosspost.targets.base.Target")
    missing = sorted(getattr(found, "__abstractmethods__", ()))
    if missing:
        raise declaration.error(f"is not a complete target: it does not write {', '.join(missing)}")
    info = getattr(found, "info", None)
    if builtin is not None:
        if info is not builtin:
            raise declaration.error("is not the built-in target of that name")
        return found
    problem = _info_problem(declaration.name, info)
    if problem:
        raise declaration.error(f"is not a usable target: {problem}")
    return found


def _info_problem(name: str, info: object) -> str:
    """What is wrong with a package's ``Class.info`` for the entry point ``name``, or ""."""
    if not isinstance(info, TargetInfo):
        return "its `info` is not a crosspost.platforms.TargetInfo"
    if info.name != name:
        return f"its info is for {info.name!r}, its entry point for {name!r}"
    if info.aliases:
        return "a package's target has no aliases (only its entry point's name)"
    if info.database != name:
        return "a package's target is its own database (leave `database` out)"
    if info.dialect not in DIALECTS:
        return f"dialect {info.dialect!r} is none of {', '.join(DIALECTS)}"
    if "id" not in info.post_url.groupindex:
        return "its post_url has no (?P<id>…) group"
    return ""


def _said(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class DeclaredInfo(TargetInfo):
    """A package's target before its class is imported.

    Planning a LessWrong post looks at every target's database, and ``--to`` lists every
    target's aliases; neither imports a package's module. Reading any other fact imports it
    once and, when the package is broken, raises PluginError (the same line each time), which
    the engine reports as that target's failure while the other targets go on.
    """

    declarations: tuple[Declaration, ...]
    _lock: threading.Lock
    _class: type[Described] | None
    _error: tuple[str, str | None] | None  # a PluginError's message and hint, kept

    def __init__(self, name: str, declarations: Sequence[Declaration]) -> None:
        # Not the dataclass __init__: only these are known without importing the class.
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "aliases", ())
        object.__setattr__(self, "database", name)
        object.__setattr__(self, "declarations", tuple(declarations))
        object.__setattr__(self, "_lock", threading.Lock())
        object.__setattr__(self, "_class", None)
        object.__setattr__(self, "_error", None)

    def target_class(self) -> type[Described]:
        """The class, imported and checked on first use; PluginError if it cannot be used."""
        with self._lock:
            if self._class is None and self._error is None:
                try:
                    object.__setattr__(self, "_class", load_class(self._declaration()))
                except PluginError as exc:
                    object.__setattr__(self, "_error", (exc.message, exc.hint))
            cls, error = self._class, self._error
        if cls is None:
            assert error is not None
            raise PluginError(error[0], hint=error[1], target=self.name)
        return cls

    def _declaration(self) -> Declaration:
        values = {d.value for d in self.declarations}
        if len(values) > 1:
            raise PluginError("is declared by several packages: "
                              + "; ".join(d.where() for d in self.declarations),
                              hint="uninstall all but one of them", target=self.name)
        return self.declarations[0]

    @property
    def loaded(self) -> TargetInfo:
        return self.target_class().info

    @property
    def label(self) -> str:
        return self.loaded.label

    @property
    def dialect(self) -> str:
        return self.loaded.dialect

    @property
    def default_endpoint(self) -> str:
        return self.loaded.default_endpoint

    @property
    def site_url(self) -> str:
        return self.loaded.site_url

    @property
    def post_url(self) -> re.Pattern[str]:
        return self.loaded.post_url

    @property
    def token_help(self) -> str:
        return self.loaded.token_help

    @property
    def can_update(self) -> bool:
        return self.loaded.can_update

    @property
    def token_env(self) -> tuple[str, ...]:
        return self.loaded.token_env

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"DeclaredInfo({self.name!r}, {', '.join(d.value for d in self.declarations)})"


__all__ = ["GROUP", "Declaration", "DeclaredInfo", "load_class", "read_declarations"]
