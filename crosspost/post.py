"""A post as it sits on disk: the exact text, its front matter, and its body.

The raw text is kept exactly as read (line endings, BOM, trailing spaces) because the record
step writes back into it byte for byte; the parsed front matter sits beside it for reading.
YAML (``---``) and TOML (``+++``) front matter are understood; a file with neither is a
plain Markdown post whose title is its first ``# heading``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from crosspost.errors import PostError

_YAML_OPEN = re.compile(r"\A(\ufeff)?---[ \t]*\r?\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_TOML_OPEN = re.compile(r"\A(\ufeff)?\+\+\+[ \t]*\r?\n")
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_JEKYLL_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(?P<text>.+?)(?:[ \t]+#+)?[ \t]*$")


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
    raw: str
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
            opener = _FENCE.match(line)
            if fence is not None:
                if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                    fence = None
                continue
            if opener:
                fence = opener.group(1)
                continue
            match = _ATX_H1.match(line)
            if match:
                return self.body_line + offset, match.group("text").strip()
        return None

    @property
    def title(self) -> str:
        """The post's title: ``title:`` in the front matter, else its first ``# heading``."""
        value = self.front_matter.get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is not None and not isinstance(value, str):
            raise PostError.at(self.path, self.key_line("title"), "`title` must be text")
        heading = self.heading_title
        if heading is not None:
            return heading[1]
        raise PostError.at(self.path, 1, "the post has no title",
                           hint="add `title: …` to the front matter or start the body with `# Title`")

    @property
    def title_from_heading(self) -> bool:
        """True when the title comes from the body's first heading (it is then not repeated)."""
        value = self.front_matter.get("title")
        return not (isinstance(value, str) and value.strip())

    @property
    def date(self) -> dt.datetime | None:
        """The publication date: ``date:`` in the front matter, else a Jekyll file name."""
        value = self.front_matter.get("date")
        parsed = _to_datetime(value)
        if value is not None and parsed is None:
            raise PostError.at(self.path, self.key_line("date"), f"cannot read the date {value!r}",
                               hint="write it as YYYY-MM-DD or an ISO 8601 time")
        if parsed is not None:
            return parsed
        match = _JEKYLL_NAME.match(self.path.stem)
        if match:
            return _to_datetime(match.group("date"))
        return None

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
        from crosspost.targets import ALIASES

        block = self.front_matter.get("crosspost")
        if block is None:
            return {}
        line = self.key_line("crosspost")
        if isinstance(block, str):
            block = [block]
        if isinstance(block, list):
            block = {name: None for name in block}
        if not isinstance(block, Mapping):
            raise PostError.at(self.path, line, "`crosspost` must map target names to options",
                               hint="e.g. `crosspost: {lesswrong: {draft: true}}` or `crosspost: [lesswrong]`")
        result: dict[str, dict[str, Any]] = {}
        for key, value in block.items():
            name = ALIASES.get(str(key).strip().lower())
            if name is None:
                raise PostError.at(self.path, self.key_line(str(key)) or line,
                                   f"unknown target {key!r} in `crosspost`",
                                   hint=f"known targets: {', '.join(sorted(set(ALIASES.values())))}")
            if value is None or value is True:
                value = {}
            if value is False:
                continue
            if not isinstance(value, Mapping):
                raise PostError.at(self.path, self.key_line(str(key)) or line,
                                   f"`crosspost.{key}` must be a mapping of options")
            result[name] = dict(value)
        return result

    def key_line(self, key: str) -> int | None:
        """Best-effort file line of ``key`` inside the front matter, for error messages."""
        if self.span.format == "none":
            return None
        pattern = re.compile(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*[:=]", re.MULTILINE)
        match = pattern.search(self.raw, self.span.start, self.span.end)
        return line_of(self.raw, match.start()) if match else None

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
    return FrontMatterSpan("none", 0, 0, 0)


def parse_front_matter(source: str, fmt: str, path: Path, *, first_line: int) -> Mapping[str, Any]:
    """Parse YAML (through python-frontmatter's handler) or TOML; errors name file and line."""
    if fmt == "yaml":
        import yaml
        from frontmatter.default_handlers import YAMLHandler

        try:
            data = YAMLHandler().load(source)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + mark.line if mark is not None else first_line
            problem = exc.problem or exc.context or "invalid YAML"
            raise PostError.at(path, line, f"broken YAML front matter: {problem}",
                               hint="fix the front matter and run again") from None
        except yaml.YAMLError as exc:
            raise PostError.at(path, first_line, f"broken YAML front matter: {exc}") from None
    else:
        import tomllib

        try:
            data = tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            found = re.search(r"\(at line (\d+), column \d+\)", message)
            line = first_line + int(found.group(1)) - 1 if found else first_line
            problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
            raise PostError.at(path, line, f"broken TOML front matter: {problem}",
                               hint="fix the front matter and run again") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise PostError.at(path, first_line, "the front matter must be a mapping of keys to values")
    return data


def _to_datetime(value: Any) -> dt.datetime | None:
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


__all__ = ["FrontMatterSpan", "Post", "line_of", "parse_front_matter", "split"]
