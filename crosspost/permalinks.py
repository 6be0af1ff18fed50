"""The generators' URL rules as pure functions: Jekyll's placeholders and Hugo's tokens.

:class:`crosspost.site.Site` decides which post and which configuration; this module turns
them into URL paths exactly as the generators do. Each function names the generator code it
follows (jekyll/jekyll and gohugoio/hugo); keep it that way when changing one.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from crosspost.errors import PostError
from crosspost.post import Post, parse_date

# lib/jekyll/configuration.rb STYLE_TO_PERMALINK
JEKYLL_STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
# lib/jekyll/document.rb DATE_FILENAME_MATCHER (posts must be named like this to be read)
JEKYLL_POST_NAME = re.compile(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
_JEKYLL_PLACEHOLDER = re.compile(r":([a-z_]+)")
# lib/jekyll/utils.rb SLUGIFY_DEFAULT_REGEXP / SLUGIFY_PRETTY_REGEXP, as character tests
_PRETTY_KEEP = frozenset("._~!$&'()+,;=@")

HUGO_ATTRIBUTE = re.compile(r":\w+(\[.+?\])?", re.ASCII)  # permalinks.go attributeRegexp


def as_text(value: Any) -> str:
    """A scalar front-matter or config value as text ("" for anything else)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    return ""


def as_list(value: Any) -> list[Any]:
    """Ruby's ``Array(value)``: nil is empty, a list stays, anything else is wrapped."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def ruby_str(value: Any) -> str:
    """Ruby's ``to_s`` for the scalars YAML gives (``true``, not ``True``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def glob_match(glob: str, path: str) -> bool:
    """Hugo/Jekyll-style globs: ``*`` within a segment, ``**`` across, ``{a,b}``."""
    return re.fullmatch(_glob_regex(glob), path) is not None


def _glob_regex(glob: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{" and glob.find("}", i) != -1:
            end = glob.find("}", i)
            options = glob[i + 1:end].split(",")
            out.append("(?:" + "|".join(_glob_regex(o) for o in options) + ")")
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


# -- Jekyll ---------------------------------------------------------------------------------------


def jekyll_merge(data: dict[str, Any], other: dict[str, Any]) -> None:
    """Document#merge_data!: categories from a string are split, and united with earlier ones."""
    cats = other.get("categories")
    if cats is not None:
        if isinstance(cats, str):
            cats = cats.split()
        cats = as_list(cats)
        if isinstance(data.get("categories"), list):
            cats = list(dict.fromkeys([*data["categories"], *cats]))
        other = {**other, "categories": cats}
    data.update(other)


def pluralized(data: Mapping[str, Any], singular: str, plural: str) -> list[Any]:
    """Utils.pluralized_array_from_hash: the singular key wins; a plural string is split."""
    if singular in data and data[singular] is not None:
        value: Any = data[singular]
    elif plural in data:
        value = data[plural]
        if isinstance(value, str):
            value = value.split()
        elif isinstance(value, list):
            value = [v for v in value if v is not None]
        else:
            value = None
    else:
        value = None
    flat: list[Any] = []
    for item in as_list(value):
        flat.extend(as_list(item))
    return [v for v in flat if v is not None]


def jekyll_slugify(text: str, mode: str = "default", *, cased: bool = False) -> str:
    """lib/jekyll/utils.rb ``slugify``: modes raw, default, pretty, ascii and latin."""
    if mode not in {"raw", "default", "pretty", "ascii", "latin"}:
        return text if cased else text.lower()
    if mode == "latin":
        # I18n.transliterate: accents dropped, anything else non-Latin becomes "?".
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
        text = "".join(c if c.isascii() else "?" for c in text)
        mode = "ascii"
    if mode == "raw":
        slug = re.sub(r"\s+", "-", text)
    else:
        out: list[str] = []
        hyphen = False
        for char in text:
            category = unicodedata.category(char)
            keep = category[0] in {"L", "M"} or category == "Nd"
            if mode == "pretty":
                keep = keep or char in _PRETTY_KEEP
            elif mode == "ascii":
                keep = char.isascii() and char.isalnum()
            if keep:
                out.append(char)
                hyphen = False
            elif not hyphen:
                out.append("-")
                hyphen = True
        slug = "".join(out)
    slug = re.sub(r"^-|-$", "", slug)
    return slug if cased else slug.lower()


class JekyllDrop:
    """lib/jekyll/drops/url_drop.rb: the values of a permalink's placeholders."""

    def __init__(self, post: Post, rel: str, data: Mapping[str, Any], *,
                 date: dt.datetime | None = None) -> None:
        self.post = post
        self.rel = rel
        self.data = data
        self.date = date  # when given, the date the URL is built with (a draft's)

    def _slug_source(self) -> str:
        own = self.data.get("slug")
        if own is not None and ruby_str(own):
            return ruby_str(own)
        # Document#populate_title: the file name after the date, trailing dots removed.
        match = JEKYLL_POST_NAME.match(self.rel)
        if match:
            return match.group(2).rstrip(".")
        return posixpath.splitext(posixpath.basename(self.rel))[0].rstrip(".")

    def _date(self) -> dt.datetime:
        date = self.date if self.date is not None else self.post.date
        if date is None:
            raise PostError.at(self.post.path, None, "the post has no date for its permalink",
                               hint="add `date: YYYY-MM-DD` to the front matter")
        return date

    def placeholder(self, name: str) -> str:
        basename = posixpath.splitext(posixpath.basename(self.rel))[0]
        values: dict[str, Callable[[], str]] = {
            "title": lambda: jekyll_slugify(self._slug_source(), "pretty", cased=True),
            "slug": lambda: jekyll_slugify(self._slug_source()),
            "name": lambda: jekyll_slugify(basename),
            "categories": lambda: "/".join(dict.fromkeys(
                str(c).lower() for c in as_list(self.data.get("categories")))),
            "slugified_categories": lambda: "/".join(dict.fromkeys(
                jekyll_slugify(str(c)) for c in as_list(self.data.get("categories")))),
            "output_ext": lambda: ".html",
            "collection": lambda: "posts",
            "path": lambda: "/" + posixpath.splitext(
                self.rel.replace("_posts/", "", 1))[0].rstrip("."),
            "year": lambda: self._date().strftime("%Y"),
            "month": lambda: self._date().strftime("%m"),
            "day": lambda: self._date().strftime("%d"),
            "hour": lambda: self._date().strftime("%H"),
            "minute": lambda: self._date().strftime("%M"),
            "second": lambda: self._date().strftime("%S"),
            "i_day": lambda: str(self._date().day),
            "i_month": lambda: str(self._date().month),
            "short_month": lambda: self._date().strftime("%b"),
            "long_month": lambda: self._date().strftime("%B"),
            "short_year": lambda: self._date().strftime("%y"),
            "w_year": lambda: str(self._date().isocalendar()[0]),
            "week": lambda: f"{self._date().isocalendar()[1]:02d}",
            "w_day": lambda: str(self._date().isoweekday()),
            "short_day": lambda: self._date().strftime("%a"),
            "long_day": lambda: self._date().strftime("%A"),
            "y_day": lambda: self._date().strftime("%j"),
        }
        if name not in values:
            raise KeyError(name)
        return values[name]()


def jekyll_generate(template: str, value: Callable[[str], str]) -> str:
    """URL#generate_url_from_drop: ``:name`` (one trailing ``_`` may belong to the text)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        tail = ""
        if name.endswith("_"):
            try:
                return jekyll_escape(value(name))
            except KeyError:
                name, tail = name[:-1], "_"
        return jekyll_escape(value(name)) + tail

    return _JEKYLL_PLACEHOLDER.sub(replace, template)


def jekyll_escape(value: str) -> str:
    """URL.escape_path: Addressable's path character class, everything else %-encoded."""
    if not value or re.fullmatch(r"[a-zA-Z0-9./-]+", value):
        return value
    return quote(value, safe="/!$&'()*+,;=:@-._~")


def jekyll_sanitize(url: str) -> str:
    """URL#sanitize_url: a leading slash, no ``..``, no ``./``, no repeated slashes."""
    result = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", result)


# -- Hugo -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HugoPage:
    rel: str  # path below the content folder
    container: list[str]  # folders above the page (a bundle's folder excluded)
    name: str  # file stem, or a bundle's folder name
    stem: str  # file stem ("index" for a leaf bundle)
    bundle: bool
    fm: Mapping[str, Any]  # front matter with lower-cased keys


def hugo_sanitize(text: str) -> str:
    """common/paths/path.go Sanitize: keep letters, digits, marks and ``./\\_#+~-@`` (and
    valid ``%XX``); a run of spaces becomes one hyphen; everything else goes."""
    out: list[str] = []
    prepend_hyphen = False
    was_hyphen = False
    for i, char in enumerate(text):
        category = unicodedata.category(char)
        allowed = char != " " and (
            category[0] == "L" or category == "Nd" or category[0] == "M"
            or char in "./\\_#+~-@"
            or (char == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 1:i + 3]) is not None)
        )
        if allowed:
            was_hyphen = char == "-"
            if prepend_hyphen:
                if not was_hyphen:
                    out.append("-")
                prepend_hyphen = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            prepend_hyphen = True
    return "".join(out)


def hugo_normalize(part: str) -> str:
    """How Hugo's path parser normalises a file or folder name (spaces to hyphens)."""
    return part.replace(" ", "-")


def hugo_join(elements: list[str]) -> str:
    out: list[str] = []
    trailing = False
    for element in elements:
        if not trailing and not element.startswith("/"):
            out.append("/")
        trailing = element.endswith("/")
        out.append(element)
    return "".join(out) or "/"


def hugo_url_front_matter(url: str) -> str:
    """CreateTargetPaths with ``url`` set: kept as written, a directory unless it has a dot."""
    path = url.replace("\\", "/")
    if ".." in path:
        path = posixpath.normpath("/" + path)
    fields = [f for f in path.split("/") if f]
    link = "/" + "/".join(fields)
    if url.endswith("/") or "." not in url:
        link = link.rstrip("/") + "/"
    link = link.replace("#", "%23")
    return quote(link, safe="/%-._~!$&'()*+,;=:@?")


def hugo_permalink_rules(config: Any) -> list[tuple[str, str]]:
    """``[permalinks]`` as (glob over the page path, pattern) rules for regular pages."""
    rules: list[tuple[str, str]] = []

    def section_glob(section: str) -> str:
        section = section.strip(" /").lower()
        return "/*" if not section else "/{" + section + "," + section + "/**}"

    if isinstance(config, Mapping):
        plain: list[tuple[str, str]] = []
        for key, value in config.items():
            if isinstance(value, str):
                plain.append((str(key), value))
            elif isinstance(value, Mapping) and str(key).lower() == "page":
                plain.extend((str(k), v) for k, v in value.items() if isinstance(v, str))
        # Go maps have no order; the most specific section is the only sensible winner.
        plain.sort(key=lambda item: -len(item[0].strip(" /")))
        rules = [(section_glob(key), pattern) for key, pattern in plain]
    elif isinstance(config, list):
        for entry in config:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("pattern"), str):
                continue
            target = entry.get("target") or {}
            if not isinstance(target, Mapping):
                continue
            kind = str(target.get("kind") or "").lower()
            if kind and kind != "page":
                continue
            glob = str(target.get("path") or "/**").lower()
            rules.append((glob, entry["pattern"]))
    return rules


_HUGO_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")


def hugo_date(fm: Mapping[str, Any]) -> dt.datetime:
    """Hugo's ``.Date``: the first date field set (frontmatter config default order)."""
    for key in _HUGO_DATE_KEYS:
        parsed = parse_date(fm.get(key))
        if parsed is not None:
            return parsed
    return dt.datetime(1, 1, 1)  # Go's zero time, which is what Hugo would use


def hugo_slice(spec: str, values: list[str]) -> list[str]:
    """permalinks.go toSliceFunc: ``[2]``, ``[last]``, ``[1:]``, ``[:last]``."""
    cut = spec.strip().lower()
    if len(cut) < 3 or cut[0] != "[" or cut[-1] != "]" or not values:
        return []
    inner = cut[1:-1]

    def index(text: str, low: bool) -> int:
        if text == "":
            return 0 if low else len(values)
        if text == "last":
            return len(values) - 1
        try:
            number = max(int(text), 0)
        except ValueError:
            number = 0
        if number >= len(values):
            return -1 if low else len(values)
        return number

    if ":" not in inner:
        at = index(inner, True)
        return [] if at < 0 or not values[at] else [values[at]]
    low_text, high_text = inner.split(":", 1)
    low, high = index(low_text, True), index(high_text, False)
    return [] if low < 0 or high < 0 else values[low:high]


_GO_LAYOUT = [
    ("January", "%B"), ("Monday", "%A"), ("2006", "%Y"), ("Jan", "%b"), ("Mon", "%a"),
    ("01", "%m"), ("02", "%d"), ("15", "%H"), ("03", "%I"), ("04", "%M"), ("05", "%S"),
    ("06", "%y"), ("PM", "%p"), ("_2", "{_day}"), ("1", "{month}"), ("2", "{day}"),
    ("3", "{hour12}"), ("4", "{minute}"), ("5", "{second}"),
]


def go_time_format(layout: str, date: dt.datetime) -> str | None:
    """Go's ``time.Format`` for the common layout elements; None if there are none."""
    out: list[str] = []
    found = False
    i = 0
    while i < len(layout):
        for element, code in _GO_LAYOUT:
            if layout.startswith(element, i):
                found = True
                if code.startswith("{"):
                    out.append({
                        "{_day}": f"{date.day:2d}", "{month}": str(date.month),
                        "{day}": str(date.day), "{hour12}": str(date.hour % 12 or 12),
                        "{minute}": str(date.minute), "{second}": str(date.second),
                    }[code])
                else:
                    out.append(date.strftime(code))
                i += len(element)
                break
        else:
            out.append(layout[i])
            i += 1
    return "".join(out) if found else None


__all__ = [
    "HUGO_ATTRIBUTE", "JEKYLL_POST_NAME", "JEKYLL_STYLES", "HugoPage", "JekyllDrop", "as_list",
    "as_text", "glob_match", "go_time_format", "hugo_date", "hugo_join", "hugo_normalize",
    "hugo_permalink_rules", "hugo_sanitize", "hugo_slice", "hugo_url_front_matter",
    "jekyll_escape", "jekyll_generate", "jekyll_merge", "jekyll_sanitize", "jekyll_slugify",
    "pluralized", "ruby_str",
]
