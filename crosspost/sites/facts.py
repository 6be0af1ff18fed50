"""What the site itself decides about a post's text, read from the site's own files.

Some constructs mean what the site's templates make of them, not what the Markdown says:
whether ``$x$`` is math depends on the MathJax or KaTeX setup in the layouts (kramdown only
knows ``$$``; MathJax's default inline delimiters are ``\\(…\\)``), and what an unknown
shortcode shows depends on its template. Guessing either garbles copies, so the renderer asks
here. Every answer is a function of (generator name, site root, parsed configuration); when
the files that decide are not in the site's folder (a theme gem, a remote theme, a Hugo module
that is not vendored), the answer says it cannot be known and why.

:class:`SiteFacts` caches the answers for one site (``Site.facts``); the files are read only
when a post needs an answer.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

# Templates and scripts that can configure MathJax or KaTeX; a configuration is small, so
# large files (vendored libraries) are not read.
_SCRIPT_SUFFIXES = frozenset({".html", ".htm", ".liquid", ".js", ".mjs", ".njk", ".tmpl",
                              ".gohtml"})
_MAX_SCRIPT_BYTES = 256 * 1024
_MAX_FILES = 4000
_SKIP_DIRS = frozenset({"node_modules", ".git", "_site", "public", "resources", ".jekyll-cache",
                        "vendor"})
# MathJax 2 (``tex2jax``) and 3 (``tex``) both name the inline delimiters ``inlineMath``.
_INLINE_MATH = re.compile(r"""["']?inlineMath["']?\s*[:=]\s*""")
_PAIR = re.compile(r"""\[\s*(["'])((?:\\.|(?!\1).)*)\1\s*,\s*(["'])((?:\\.|(?!\3).)*)\3\s*\]""")
# KaTeX's auto-render extension: ``{left: "$", right: "$", display: false}``.
_KATEX_DOLLAR = re.compile(r"""left["']?\s*:\s*(["'])\$\1\s*,\s*["']?right["']?\s*:\s*(["'])\$\2""")


@dataclass(frozen=True)
class Answer:
    """A fact about the site: ``value`` is None when it cannot be known; ``why`` says where
    the answer comes from (or why there is none), for notices."""

    value: bool | None
    why: str


@dataclass(frozen=True)
class Template:
    """A Hugo shortcode's template, and which parameters it shows."""

    path: Path
    text: str

    @property
    def blockquote(self) -> bool:
        return re.search(r"<blockquote\b", self.text, re.IGNORECASE) is not None

    @property
    def named(self) -> frozenset[str]:
        """Names of the parameters the template prints as text (``{{ .Get "author" }}``
        in an element, not in an attribute such as ``class="{{ .Get "class" }}"``)."""
        return self._shown[0]

    @property
    def positional(self) -> frozenset[int]:
        """Positions of the parameters the template prints as text (``.Get 0``)."""
        return self._shown[1]

    @cached_property
    def _shown(self) -> tuple[frozenset[str], frozenset[int]]:
        text = self.text
        actions = list(_ACTION.finditer(text))
        # Where an action stands: inside a tag (an attribute) or in the element's text.
        masked = _ACTION.sub(lambda m: " " * len(m.group(0)), text)

        def in_text(offset: int) -> bool:
            return masked.rfind("<", 0, offset) <= masked.rfind(">", 0, offset)

        names: set[str] = set()
        positions: set[int] = set()
        for action in actions:
            body = action.group(1)
            refs = [(m.group(1) or m.group(2) or m.group(3) or "").lower()
                    for m in _GET_NAMED.finditer(body)]
            places = [int(m.group(1) or m.group(2)) for m in _GET_POSITION.finditer(body)]
            if not refs and not places:
                continue
            assigned = re.match(r"\s*(\$\w+)\s*:?=", body)
            if assigned is not None:
                # `{{ $type := .Get 0 }}`: shown where the variable is printed as text.
                used = re.compile(re.escape(assigned.group(1)) + r"\b(?!\s*:?=)")
                visible = any(other is not action and in_text(other.start())
                              and used.search(other.group(1)) for other in actions)
            elif re.match(r"\s*(?:if|else|range|and|or|not|eq|ne)\b", body):
                visible = False  # a condition tests it; it is not printed here
            else:
                visible = in_text(action.start())  # printed, or `with` it printed as `.`
            if visible:
                names.update(refs)
                positions.update(places)
        return frozenset(names), frozenset(positions)


_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
_GET_NAMED = re.compile(
    r"""\.Get\s+["`]([\w-]+)["`]|\.Params\.([\w-]+)|index\s+\.Params\s+["`]([\w-]+)["`]""")
_GET_POSITION = re.compile(r"\.Get\s+(\d+)|index\s+\.Params\s+(\d+)")


def markdown_engine(generator: str, config: Mapping[str, Any]) -> str:
    """The Markdown converter the site uses: ``kramdown`` (Jekyll's default), another
    Jekyll converter by its configured name, ``goldmark`` for Hugo, else ``plain``."""
    if generator == "jekyll":
        engine = config.get("markdown")
        return engine.lower() if isinstance(engine, str) and engine.strip() else "kramdown"
    if generator == "hugo":
        return "goldmark"
    return "plain"


def hugo_passthrough(config: Mapping[str, Any]) -> list[tuple[str, str, bool]]:
    """goldmark's passthrough delimiters, when the site enables them: (open, close, display).

    Hugo's documented math setup (``markup.goldmark.extensions.passthrough``) keeps these
    away from Markdown for MathJax or KaTeX to find on the page.
    """
    node: Any = config
    for key in ("markup", "goldmark", "extensions", "passthrough"):
        node = node.get(key) if isinstance(node, Mapping) else None
    if not isinstance(node, Mapping) or not node.get("enable"):
        return []
    delimiters = node.get("delimiters")
    if not isinstance(delimiters, Mapping):
        return []
    found: list[tuple[str, str, bool]] = []
    for kind, display in (("inline", False), ("block", True)):
        for pair in delimiters.get(kind) or []:
            if (isinstance(pair, list | tuple) and len(pair) == 2
                    and all(isinstance(p, str) and p for p in pair)):
                found.append((pair[0], pair[1], display))
    return found


def template_roots(generator: str, root: Path, config: Mapping[str, Any]) -> tuple[list[Path], str | None]:
    """The folders whose templates make the site's pages (the site first, then its themes),
    and, when some theme is not in the site's folder, a sentence naming it."""
    if not root.is_dir():
        return [], f"the site's folder {root} cannot be read"
    roots = [root]
    missing: list[str] = []
    if generator == "jekyll":
        for key in ("theme", "remote_theme"):
            value = config.get(key)
            if isinstance(value, str) and value.strip():
                missing.append(f"the {key.replace('_', ' ')} {value.strip()!r}")
    elif generator == "hugo":
        themes_dir = root / _text(config.get("themesdir"), "themes")
        themes = config.get("theme")
        names = [themes] if isinstance(themes, str) else themes if isinstance(themes, list) else []
        for name in names:
            if not isinstance(name, str) or not name.strip():
                continue
            directory = themes_dir / name
            if directory.is_dir():
                roots.append(directory)
            else:
                missing.append(f"the theme {name!r} (no {directory.relative_to(root).as_posix()}/)"
                               if directory.is_relative_to(root) else f"the theme {name!r}")
        module = config.get("module")
        imports = module.get("imports") if isinstance(module, Mapping) else None
        for item in imports if isinstance(imports, list) else []:
            path = item.get("path") if isinstance(item, Mapping) else item
            if not isinstance(path, str) or not path.strip():
                continue
            for candidate in (root / "_vendor" / path, themes_dir / path):
                if candidate.is_dir():
                    roots.append(candidate)
                    break
            else:
                missing.append(f"the module {path!r}")
    if missing:
        return roots, " and ".join(missing) + " " + (
            "is" if len(missing) == 1 else "are") + " not in the site's folder"
    return roots, None


def dollar_math(generator: str, root: Path, config: Mapping[str, Any]) -> Answer:
    """Whether a single ``$`` starts inline math on the site's pages.

    Yes when a MathJax configuration lists ``$`` among its ``inlineMath`` delimiters, a
    KaTeX auto-render configuration has a ``$`` pair, or Hugo's passthrough keeps ``$…$``
    for them; Obsidian and Quartz (plain folders) read ``$…$`` as math. No when the site's
    templates are all in its folder and none of them says so: kramdown's own math is ``$$``,
    and MathJax and KaTeX default to ``\\(…\\)``. Unknown when a theme is elsewhere.
    """
    if generator == "plain":
        return Answer(True, "Obsidian and Quartz read $…$ as math")
    if generator == "quartz":
        if config.get("latex"):
            return Answer(True, "quartz.config.ts has Plugin.Latex, which reads $…$ as math")
        return Answer(False, "quartz.config.ts has no Plugin.Latex, so Quartz shows $ as text")
    if generator == "hugo" and any(not display and opening == "$"
                                   for opening, _, display in hugo_passthrough(config)):
        return Answer(True, "the site's goldmark passthrough keeps $…$ for math")
    if _dollar_config(json.dumps(config, default=str)):
        return Answer(True, "the site's configuration makes $ a math delimiter")
    roots, missing = template_roots(generator, root, config)
    for path in _script_files(generator, roots):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if _dollar_config(text):
            where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            return Answer(True, f"{where} makes $ a math delimiter")
    if missing is not None:
        return Answer(None, missing)
    if generator == "jekyll":
        return Answer(False, "kramdown's math is $$…$$ and no MathJax or KaTeX setting in the "
                             "site makes $ a delimiter")
    return Answer(False, "no passthrough, MathJax or KaTeX setting in the site makes $ a "
                         "math delimiter")


def _dollar_config(text: str) -> bool:
    if "$" not in text:
        return False
    for match in _INLINE_MATH.finditer(text):
        block = _bracketed(text, match.end())
        if any(m.group(2) == "$" for m in _PAIR.finditer(block)):
            return True
    return _KATEX_DOLLAR.search(text) is not None


def _bracketed(text: str, start: int) -> str:
    """The balanced ``[…]`` or ``{…}`` starting at ``start`` (quotes respected)."""
    if start >= len(text) or text[start] not in "[{":
        return ""
    depth = 0
    quote = ""
    i = start
    while i < len(text) and i - start < 2000:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return text[start:i]


def _script_files(generator: str, roots: list[Path]) -> Iterator[Path]:
    """Files that can hold a math configuration, in the site and its local themes."""
    if generator == "jekyll":
        folders: tuple[str, ...] = ("_includes", "_layouts", "assets", "js")
    else:
        folders = ("layouts", "assets", "static")
    count = 0
    for root in roots:
        for folder in folders:
            top = root / folder
            if not top.is_dir():
                continue
            for directory, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    path = Path(directory) / name
                    if path.suffix.lower() not in _SCRIPT_SUFFIXES:
                        continue
                    try:
                        if path.stat().st_size > _MAX_SCRIPT_BYTES:
                            continue
                    except OSError:
                        continue
                    count += 1
                    if count > _MAX_FILES:
                        return
                    yield path


def shortcode_template(generator: str, root: Path, config: Mapping[str, Any],
                       name: str) -> Template | None:
    """The template of Hugo shortcode ``name`` (the site's own before its themes')."""
    if generator != "hugo" or not re.fullmatch(r"[\w.-]+(?:/[\w.-]+)*", name):
        return None
    roots, _ = template_roots(generator, root, config)
    for base in roots:
        for folder in ("layouts/shortcodes", "layouts/_shortcodes"):
            directory = base / folder
            for candidate in (directory / f"{name}.html", *sorted(directory.glob(f"{name}.*"))):
                if candidate.is_file():
                    return _template(candidate)
    return None


def _template(path: Path) -> Template | None:
    try:
        return Template(path, path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def _text(value: Any, default: str) -> str:
    return value.strip() if isinstance(value, str) and value.strip() else default


class SiteFacts:
    """The facts of one site, each read once, when first asked for (``Site.facts``)."""

    def __init__(self, generator: str, root: Path, config: Mapping[str, Any]) -> None:
        self.generator = generator
        self.root = root
        self.config = config
        self._shortcodes: dict[str, Template | None] = {}

    @cached_property
    def dollar_math(self) -> Answer:
        return dollar_math(self.generator, self.root, self.config)

    @cached_property
    def markdown_engine(self) -> str:
        return markdown_engine(self.generator, self.config)

    @cached_property
    def missing_templates(self) -> str | None:
        """Why some of the site's templates cannot be read, or None when all can."""
        return template_roots(self.generator, self.root, self.config)[1]

    def shortcode(self, name: str) -> Template | None:
        if name not in self._shortcodes:
            self._shortcodes[name] = shortcode_template(self.generator, self.root, self.config,
                                                        name)
        return self._shortcodes[name]



__all__ = [
    "Answer", "SiteFacts", "Template", "dollar_math", "hugo_passthrough", "markdown_engine",
    "shortcode_template", "template_roots",
]
