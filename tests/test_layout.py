"""The package's layout: its top-level rooms import one way, and no file grows past 800 lines.

A room is a module or package directly under ``crosspost/`` (``cli``, ``sites``, ``engine``,
``platforms``, ...). Imports count wherever they are written, inside functions too (a lazy
import is still a dependency); only those under ``if TYPE_CHECKING:`` do not, since they
never run. A cycle between rooms means neither can be understood, tested or replaced
without the other, so the graph must stay acyclic, and the README's picture of the rooms
(each imports only those below it) must stay true. ``--help`` must stay light.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crosspost"
ROOT = "crosspost"  # the package's own __init__ (the public facade) counts as a room too
MAX_LINES = 800


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _rooms() -> set[str]:
    return {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()
            if (p.is_file() and p.suffix == ".py" and p.name != "__init__.py")
            or (p.is_dir() and (p / "__init__.py").is_file())}


def _room_of_file(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    if len(rel.parts) == 1:
        return ROOT if rel.name == "__init__.py" else rel.stem
    return rel.parts[0]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported_modules(tree: ast.Module, here: str, is_package: bool) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every import that runs, lazy ones included."""
    found: list[tuple[str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                visit(other)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = here.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            found.append((module, [alias.name for alias in node.names]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def room_graph() -> dict[str, set[str]]:
    """Which room imports which (edges within one room left out)."""
    rooms = _rooms()
    graph: dict[str, set[str]] = {room: set() for room in (*rooms, ROOT)}
    for path in _modules():
        source = _room_of_file(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module, names in _imported_modules(tree, _module_name(path),
                                               path.name == "__init__.py"):
            parts = module.split(".")
            if parts[0] != "crosspost":
                continue
            if len(parts) > 1:
                targets = {parts[1] if parts[1] in rooms else ROOT}
            else:  # `from crosspost import credentials, __version__`
                targets = {name if name in rooms else ROOT for name in names}
            graph[source] |= targets - {source}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a closed path (``[a, b, a]``), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                cycle = walk(nxt)
                if cycle is not None:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = walk(node)
            if cycle is not None:
                return cycle
    return None


def describe(graph: dict[str, set[str]]) -> str:
    return "\n".join(f"{room} -> {', '.join(sorted(graph[room])) or '(nothing)'}"
                     for room in sorted(graph))


def test_the_rooms_import_one_way() -> None:
    graph = room_graph()
    cycle = find_cycle(graph)
    assert cycle is None, ("import cycle between rooms: " + " -> ".join(cycle)
                           + "\n\nthe room graph:\n" + describe(graph))


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_lazy_imports_count_and_type_checking_ones_do_not(tmp_path: Path) -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from crosspost.engine import Report\n"
        "def f():\n    from crosspost.sites import Site\n    import crosspost.render.links\n"
        "from . import errors\n"
    )
    found = [module for module, _ in _imported_modules(tree, "crosspost.status", False)]
    assert found == ["typing", "crosspost.sites", "crosspost.render.links", "crosspost"]


def test_the_bottom_rooms_import_nothing_of_ours() -> None:
    graph = room_graph()
    for room in ("errors", "fsutil", "history"):
        assert graph[room] == set(), f"{room} imports {sorted(graph[room])}"
    # The table of targets reads installed packages' entry points, whose failures are errors.
    assert graph["platforms"] == {"errors"}, f"platforms imports {sorted(graph['platforms'])}"


def test_help_imports_nothing_heavy() -> None:
    """``crosspost --help`` and every command's help load no heavy library and no room that
    needs one: the table of targets is enough to describe them."""
    program = (
        "import contextlib, io, sys\n"
        "from crosspost.cli import COMMANDS, main\n"
        "for args in (['--help'], *([name, '--help'] for name in COMMANDS)):\n"
        "    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "        main(args)\n"
        "heavy = {'httpx', 'keyring', 'markdown_it', 'bs4', 'markdownify', 'ruamel', 'tomlkit'}\n"
        "rooms = ('crosspost.targets', 'crosspost.render', 'crosspost.engine', 'crosspost.sites')\n"
        "loaded = {m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(rooms)}\n"
        "print(sorted(loaded))\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_800_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines (at most {MAX_LINES})"


def _readme_layers() -> list[list[str]]:
    """The room picture in the README's "How it works": rooms per line, top to bottom."""
    text = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    block = text.split("bottom that imports nothing of ours", 1)[1].split("| module | holds |", 1)[0]
    layers = []
    for line in block.splitlines():
        if line.startswith("    ") and line.strip():
            rooms = line.strip().split("   ", 1)[0]
            layers.append([room.strip() for room in rooms.split(",")])
    return layers


def test_the_readme_picture_of_the_rooms_is_true() -> None:
    graph = room_graph()
    layers = _readme_layers()
    level = {room: depth for depth, rooms in enumerate(layers) for room in rooms}
    # The entry point and the package's facade (only `__version__` is imported from it).
    pictured = set(graph) - {"__main__", ROOT}
    assert sorted(level) == sorted(pictured), "every room appears once in the README's picture"
    upward = [f"{room} -> {other}" for room in pictured for other in graph[room] - {ROOT}
              if level[other] <= level[room]]
    assert not upward, "imports that do not go down the README's picture: " + ", ".join(sorted(upward))
