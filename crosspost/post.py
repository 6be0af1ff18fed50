"""A post as it sits on disk: the exact text, its front matter, and its body.

The raw text is kept exactly as read (line endings, BOM, trailing spaces) because the record
step writes back into it byte for byte; the parsed front matter sits beside it for reading.
YAML (``---``) and TOML (``+++``) front matter are understood (Hugo's JSON front matter is refused
with a clear error rather than sent as text); a file with neither is a
plain Markdown post whose title is its first ``# heading``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from crosspost.errors import PostError, did_you_mean

_YAML_OPEN = re.compile(r"\A(\ufeff)?---[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_TOML_OPEN = re.compile(r"\A(\ufeff)?\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
# Hugo's JSON front matter: the file opens with a JSON object (`{` then a key).
_JSON_OPEN = re.compile(r'\A(\ufeff)?\{\s*"')
_JEKYLL_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}(?=[^`]*$)|~{3,})")
_FENCE_CLOSE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(?P<text>.+?)(?:[ \t]+#+)?[ \t]*$")
# Inline markup a plain-text title cannot carry: `{#id}` attribute lists (kramdown, Hugo),
# links, code spans and emphasis markers around words.
_HEADING_ATTRS = re.compile(r"[ \t]*\{[#.:][^}]*\}[ \t]*$")
_HEADING_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HEADING_CODE = re.compile(r"`+([^`]+)`+")
_HEADING_EMPHASIS = re.compile(r"(\*\*|\*)(?=\S)(.+?)(?<=\S)\1")
# Underscores emphasise only at word edges (CommonMark): snake_case stays as it is.
_HEADING_UNDERSCORE = re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)")


@dataclass(frozen=True)
class FrontMatterSpan:
    """Where the front matter sits in the raw text (character offsets)."""

    format: str  # "yaml", "toml" or "none"
    start: int  # first character of the front matter's content (after the opening fence)
    end: int  # first character of the closing fence
    body_start: int  # first character after the closing fence's line


@dataclass(frozen=True)
class Post:
    """One post file. Build it with :meth:`from_path` or :meth:`from_text`."""

    path: Path
    raw: str = field(repr=False)
    span: FrontMatterSpan
    front_matter: Mapping[str, Any] = field(default_factory=dict)

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def from_path(cls, path: str | Path) -> Post:
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise PostError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise PostError(f"{path}: is a directory, not a post") from None
        except OSError as exc:
            raise PostError(f"{path}: cannot read: {exc.strerror}") from exc
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise PostError.at(path, line, "not valid UTF-8",
                               hint="save the file as UTF-8") from None
        return cls.from_text(text, path)

    @classmethod
    def from_text(cls, text: str, path: str | Path = "<post>") -> Post:
        path = Path(path)
        span = split(text, path)
        front_matter: Mapping[str, Any] = {}
        if span.format != "none":
            front_matter = parse_front_matter(text[span.start:span.end], span.format, path,
                                              first_line=line_of(text, span.start))
        return cls(path=path, raw=text, span=span, front_matter=front_matter)

    # -- what the rest of crosspost reads -----------------------------------------------

    @property
    def format(self) -> str:
        return self.span.format

    @property
    def body(self) -> str:
        """The Markdown after the front matter, with the file's own line endings."""
        return self.raw[self.span.body_start:]

    @property
    def body_line(self) -> int:
        """1-based line number (in the file) of the body's first line."""
        return line_of(self.raw, self.span.body_start)

    @cached_property
    def heading_title(self) -> tuple[int, str] | None:
        """The first ``# heading`` of the body outside code, as (file line, text)."""
        fence: str | None = None
        for offset, line in enumerate(self.body.splitlines()):
            if fence is not None:
                closer = _FENCE_CLOSE.match(line)
                if closer and closer.group(1)[0] == fence[0] and len(closer.group(1)) >= len(fence):
                    fence = None
                continue
            opener = _FENCE.match(line)
            if opener:
                fence = opener.group(1)
                continue
            match = _ATX_H1.match(line)
            if match:
                text = plain_heading(match.group("text"))
                if text:
                    return self.body_line + offset, text
        return None

    @property
    def title(self) -> str:
        """The post's title: ``title:`` in the front matter, else its first ``# heading``."""
        return self.titled(None)

    def titled(self, file_title: str | None) -> str:
        """:attr:`title`, with ``file_title`` (Quartz and Obsidian title a note by its file
        name) last instead of an error."""
        value = self.front_matter.get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is not None and not isinstance(value, str):
            raise PostError.at(self.path, self.key_line("title"), "`title` must be text")
        heading = self.heading_title
        if heading is not None:
            return heading[1]
        if file_title and file_title.strip():
            return file_title.strip()
        raise PostError.at(self.path, 1, "the post has no title",
                           hint="add `title: …` to the front matter or start the body with `# Title`")

    @property
    def title_from_heading(self) -> bool:
        """True when the title comes from the body's first heading (it is then not repeated)."""
        value = self.front_matter.get("title")
        if isinstance(value, str) and value.strip():
            return False
        return self.heading_title is not None

    @property
    def date(self) -> dt.datetime | None:
        """The publication date: ``date:`` in the front matter, else a Jekyll file name."""
        value = self.front_matter.get("date")
        parsed = parse_date(value)
        if value is not None and parsed is None:
            raise PostError.at(self.path, self.key_line("date"), f"cannot read the date {value!r}",
                               hint="write it as YYYY-MM-DD or an ISO 8601 time")
        if parsed is not None:
            return parsed
        match = _JEKYLL_NAME.match(self.path.stem)
        if match:
            return parse_date(match.group("date"))
        return None

    @property
    def tags(self) -> tuple[str, ...]:
        """``tags:`` as a list of words (Jekyll also accepts one space-separated string)."""
        value = self.front_matter.get("tags")
        if isinstance(value, str):
            return tuple(value.replace(",", " ").split())
        if isinstance(value, list | tuple):
            return tuple(str(v).strip() for v in value if str(v).strip())
        return ()

    @property
    def file_slug(self) -> str:
        """The slug the file name gives (Jekyll date prefix removed; a bundle's folder name)."""
        stem = self.path.stem
        if stem in {"index", "_index"} and self.path.parent.name:
            stem = self.path.parent.name
        match = _JEKYLL_NAME.match(stem)
        return match.group("slug") if match else stem

    @property
    def crosspost(self) -> dict[str, dict[str, Any]]:
        """The ``crosspost`` block as {canonical target name: that target's mapping}.

        Accepts the list shorthand (``crosspost: [lesswrong, medium]``) and aliases. An
        unknown target name is an error with its line, not something silently skipped.
        """
        from crosspost.platforms import ALIASES

        block = self.front_matter.get("crosspost")
        if block is None:
            return {}
        line = self.key_line("crosspost")
        if isinstance(block, str):
            block = [block]
        if isinstance(block, list):
            if not all(isinstance(item, str | int | float | bool) for item in block):
                raise PostError.at(self.path, line, "a `crosspost` list names targets only; "
                                   "options go in a mapping",
                                   hint="write `crosspost:` with each target as a key under it "
                                   "(`lesswrong: {draft: true}`), or in TOML "
                                   "`[crosspost.lesswrong]`")
            block = dict.fromkeys(block)
        if not isinstance(block, Mapping):
            raise PostError.at(self.path, line, "`crosspost` must map target names to options",
                               hint="e.g. `crosspost: {lesswrong: {draft: true}}` "
                               "or `crosspost: [lesswrong]`")
        result: dict[str, dict[str, Any]] = {}
        for key, given in block.items():
            name = ALIASES.get(str(key).strip().lower())
            if name is None:
                raise PostError.at(self.path, self.key_line(str(key)) or line,
                                   f"unknown target {key!r} in `crosspost`",
                                   hint=did_you_mean(str(key), ALIASES) or
                                   f"known targets: {', '.join(sorted(set(ALIASES.values())))} "
                                   "(a target added by a package needs that package installed: "
                                   "`crosspost targets` lists them)")
            value = {} if given is None or given is True else given
            if value is False:
                continue
            if not isinstance(value, Mapping):
                raise PostError.at(self.path, self.key_line(str(key)) or line,
                                   f"`crosspost.{key}` must be a mapping of options")
            result[name] = dict(value)
        return result

    @cached_property
    def resolved_path(self) -> Path:
        """The file's absolute, symlink-free path: a post's identity.

        ``path`` stays as the user typed it (messages show it); two ``Post`` objects are the
        same post when their resolved paths are equal, whatever the working directory.
        """
        return Path(self.path).resolve()

    def is_same_file(self, other: Post) -> bool:
        """True when ``other`` was read from the same file (relative or absolute path)."""
        return self is other or self.resolved_path == other.resolved_path

    def key_line(self, key: str) -> int | None:
        """Best-effort file line of ``key`` inside the front matter, for error messages."""
        if self.span.format == "none":
            return None
        for indent in ("", r"[ \t]+"):
            pattern = re.compile(rf"^{indent}['\"]?{re.escape(key)}['\"]?[ \t]*[:=]",
                                 re.MULTILINE)
            match = pattern.search(self.raw, self.span.start, self.span.end)
            if match:
                return line_of(self.raw, match.start())
        return None

    def with_raw(self, raw: str) -> Post:
        """The same post re-read from new text (after the record step wrote it)."""
        return Post.from_text(raw, self.path)


# -- parsing helpers ------------------------------------------------------------------------


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def split(text: str, path: str | Path = "<post>") -> FrontMatterSpan:
    """Locate the front matter without parsing it."""
    for opener, closer, fmt in ((_YAML_OPEN, _YAML_CLOSE, "yaml"), (_TOML_OPEN, _TOML_CLOSE, "toml")):
        head = opener.match(text)
        if not head:
            continue
        close = closer.search(text, head.end())
        if close is None:
            raise PostError.at(path, 1, f"the {fmt.upper()} front matter is never closed",
                               hint=f"end it with a line `{'---' if fmt == 'yaml' else '+++'}`")
        return FrontMatterSpan(fmt, head.end(), close.start(), close.end())
    if _JSON_OPEN.match(text):
        raise PostError.at(path, 1, "JSON front matter is not supported",
                           hint="write it as YAML between `---` lines or TOML between `+++` "
                           "lines (`hugo convert toYAML` does it for a whole site)")
    # No front matter: the body starts after a byte-order mark, if there is one, and that
    # is also where front matter would be inserted.
    start = 1 if text.startswith("\ufeff") else 0
    return FrontMatterSpan("none", start, start, start)


def parse_front_matter(source: str, fmt: str, path: Path, *, first_line: int) -> Mapping[str, Any]:
    """Parse YAML or TOML front matter; errors name the file and the line in the file.

    ``first_line`` is the file line of the front matter's first line, so a parser's
    front-matter-relative position becomes a file line.
    """
    data = _parse_yaml(source, path, first_line) if fmt == "yaml" else _parse_toml(
        source, path, first_line)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise PostError.at(path, first_line, "the front matter must be a mapping of keys to values")
    return data


# Problems PyYAML reports where it gave up, which is after the mistake: the context mark
# (where the unclosed quote, bracket or key started) points at the line to fix.
_LATE_PROBLEMS = ("end of stream", "could not find expected", "did not find expected")


def _parse_yaml(source: str, path: Path, first_line: int) -> Any:
    import yaml

    try:
        return yaml.load(source, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        offset, problem = describe_yaml_error(exc)
        line = first_line + offset if offset is not None else first_line
        raise PostError.at(path, line, f"broken YAML front matter: {problem}",
                           hint="fix the front matter and run again") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise PostError.at(path, first_line, f"broken YAML front matter: {exc}",
                           hint="fix the front matter and run again") from None


def describe_yaml_error(exc: Any) -> tuple[int | None, str]:
    """(0-based line of the mistake, what is wrong) for a PyYAML ``MarkedYAMLError``."""
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark
    if exc.context_mark is not None and (
        mark is None or any(late in problem for late in _LATE_PROBLEMS)
    ):
        mark = exc.context_mark
        if exc.context and exc.problem:
            problem = f"{problem} {exc.context}"
    return (mark.line if mark is not None else None), str(problem)


@functools.cache
def _yaml_loader() -> type:
    """A safe loader (libyaml's when installed) whose bad dates carry their line.

    PyYAML raises a bare ``ValueError`` for ``date: 2023-02-30``; re-raising it as a
    ``ConstructorError`` at the node keeps the "file:line" promise.
    """
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def timestamp(loader: Any, node: Any) -> Any:
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a date ({exc})", node.start_mark
            ) from None

    loader: Any = type("FrontMatterLoader", (base,), {})
    loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return loader  # type: ignore[no-any-return]


def _parse_toml(source: str, path: Path, first_line: int) -> Any:
    import tomllib

    try:
        return tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        if found:
            line = first_line + int(found.group(1)) - 1
        elif "end of document" in message:
            line = first_line + max(source.count("\n") - (1 if source.endswith("\n") else 0), 0)
        else:
            line = first_line
        problem = re.sub(r"\s*\((?:at line \d+, column \d+|at end of document)\)", "", message)
        raise PostError.at(path, line, f"broken TOML front matter: {problem}",
                           hint="fix the front matter and run again") from None


def parse_date(value: Any) -> dt.datetime | None:
    """A front-matter date as a datetime (as written: no time-zone conversion), else None."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        # Jekyll accepts "2023-08-30 10:00:00 +0100"; make it ISO first.
        text = re.sub(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*([+-]\d{2}):?(\d{2})$",
                      r"\1T\2\3:\4", text)
        text = re.sub(r"^(\d{4}-\d{2}-\d{2})\s+(\d{1,2}:\d{2}(?::\d{2})?)$", r"\1T\2", text)
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def plain_heading(text: str) -> str:
    """A heading's Markdown as the plain text a title field takes."""
    text = _HEADING_ATTRS.sub("", text)
    text = _HEADING_LINK.sub(r"\1", text)
    text = _HEADING_CODE.sub(r"\1", text)
    text = _HEADING_EMPHASIS.sub(r"\2", text)
    text = _HEADING_UNDERSCORE.sub(r"\2", text)
    return " ".join(text.split())


__all__ = ["FrontMatterSpan", "Post", "describe_yaml_error", "line_of", "parse_date", "parse_front_matter",
           "plain_heading", "split"]
