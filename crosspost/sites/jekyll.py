"""Jekyll sites: ``_config.yml``, ``_posts/``, permalink styles and placeholders, ``post_url``.

A post's canonical URL must be the one Jekyll really publishes, or every forum copy points
readers at a 404. So the rules below follow Jekyll 4's code, not its documentation's
summary of it: ``lib/jekyll/document.rb`` (``categories_from_path``,
``populate_categories``, ``populate_title``, ``merge_data!``),
``lib/jekyll/drops/url_drop.rb`` (the placeholders), ``lib/jekyll/url.rb``
(``generate_url_from_drop``, ``sanitize_url``, ``escape_path``), ``lib/jekyll/utils.rb``
(``slugify``, ``pluralized_array_from_hash``), ``lib/jekyll/configuration.rb``
(``STYLE_TO_PERMALINK``), ``lib/jekyll/page.rb`` (pages), ``lib/jekyll/publisher.rb`` and
``reader.rb`` (what is published), and ``lib/jekyll/tags/post_url.rb``, all in
jekyll/jekyll. Each function names the code it follows; keep it that way when changing one.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote

from crosspost.errors import ConfigError, PostError
from crosspost.post import Post, parse_date
from crosspost.sites.base import Finder, Site
from crosspost.sites.files import read_config_file, walk_markdown
from crosspost.sites.newpost import Conventions, Place
from crosspost.sites.siteurl import Candidate
from crosspost.sites.urls import clean_base
from crosspost.sites.values import as_list, as_text, glob_match, ruby_str, show_date, truthy

CONFIG_FILES = ("_config.yml", "_config.yaml", "_config.toml")  # Jekyll's own order

# lib/jekyll/configuration.rb STYLE_TO_PERMALINK
STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
# lib/jekyll/document.rb DATE_FILENAME_MATCHER (posts must be named like this to be read)
POST_NAME = re.compile(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")
# lib/jekyll/tags/post_url.rb POST_PATH_MATCHER
_POST_URL_NAME = re.compile(r"^(.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)$")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
# lib/jekyll/utils.rb SLUGIFY_DEFAULT_REGEXP / SLUGIFY_PRETTY_REGEXP, as character tests
_PRETTY_KEEP = frozenset("._~!$&'()+,;=@")


class JekyllSite(Site):
    """A site with a Jekyll ``_config.yml`` (al-folio and other themes included)."""

    generator: ClassVar[str] = "jekyll"

    @classmethod
    def detect(cls, directory: Path) -> Path | None:
        for name in CONFIG_FILES:
            if (directory / name).is_file():
                return directory / name
        return None

    @classmethod
    def read_config(cls, root: Path, config_path: Path | None) -> Mapping[str, Any]:
        return read_config_file(config_path) if config_path is not None else {}

    @classmethod
    def url_candidates(cls, config: Mapping[str, Any], config_path: Path | None) -> list[Candidate]:
        return [Candidate(as_text(config.get("url")), f"{config_path}: `url`")]

    @classmethod
    def configured_base_path(cls, config: Mapping[str, Any]) -> str:
        return clean_base(as_text(config.get("baseurl")))

    # -- permalinks ---------------------------------------------------------------------------

    def _place(self, rel: str) -> tuple[str, bool, bool, tuple[str, Mapping[str, Any]] | None]:
        """What Jekyll reads the file at ``rel`` as: (its path as Jekyll names it, draft,
        post, its collection). Posts, drafts and collections are read only inside
        ``collections_dir`` (reader.rb), and named by their path inside it (document.rb
        ``relative_path``); anything else is a page, named by its path in the site."""
        doc = document_path(self.config, rel)
        folders = doc.split("/")[:-1] if doc is not None else []
        draft = "_drafts" in folders and "_posts" not in folders
        is_post = draft or "_posts" in folders
        collection = None if is_post or doc is None else self._collection(doc)
        named = doc if doc is not None and (is_post or collection is not None) else rel
        return named, draft, is_post, collection

    def url_path(self, post: Post) -> str:
        rel, draft, is_post, collection = self._place(self.relative_path(post.path))
        kind = "posts" if is_post else collection[0] if collection else "pages"
        data = self._data(post, rel, is_post=is_post, kind=kind)
        own = data.get("permalink")
        if not is_post and collection is None:
            return self._page_path(rel, own)
        if collection is not None:
            # Collection#url_template: the collection's permalink, else /:collection/:path
            # with the site style's suffix (Utils.add_permalink_suffix).
            meta = collection[1].get("permalink")
            template = (own if isinstance(own, str) and own
                        else meta if isinstance(meta, str) and meta
                        else "/:collection/:path" + self._permalink_suffix())
        else:
            template = own if isinstance(own, str) and own else self._posts_template()
        # A draft has no date of its own: `jekyll serve --drafts` dates it by the file's
        # mtime, and publishing it (moving it into _posts) dates it the day it is moved. Its
        # URL is the one it would get published today, unless its front matter has a date.
        # A collection's document without one is dated when the site is built (site.time).
        when = None
        if ((draft or collection is not None) and parse_date(data.get("date")) is None
                and not POST_NAME.match(rel)):
            when = dt.datetime.combine(self.today(), dt.time())
        drop = UrlDrop(post, rel, data, date=when, zone=self.zone(), collection=kind)
        try:
            url = generate_url(template, drop.placeholder)
        except KeyError as exc:
            where = f"{post.path}" if own else f"{self.config_path or self.root}"
            raise ConfigError(f"{where}: the permalink {template!r} uses the unknown "
                              f"placeholder :{exc.args[0]}",
                              hint="see https://jekyllrb.com/docs/permalinks/") from None
        return sanitize_url(url)

    def _posts_template(self) -> str:
        collections = self.config.get("collections")
        if isinstance(collections, Mapping):
            posts = collections.get("posts")
            own = posts.get("permalink") if isinstance(posts, Mapping) else None
            if isinstance(own, str) and own:
                return STYLES.get(own, own)
        style = self.config.get("permalink") or "date"
        return STYLES.get(str(style), str(style))

    def _collection(self, rel: str) -> tuple[str, Mapping[str, Any]] | None:
        """The collection other than posts whose folder (``_<label>/``) holds ``rel``, with
        its settings (lib/jekyll/collection.rb; ``collections:`` as a map or a list)."""
        collections = self.config.get("collections")
        if isinstance(collections, Mapping):
            items = [(str(k), v if isinstance(v, Mapping) else {}) for k, v in collections.items()]
        elif isinstance(collections, list):
            items = [(str(k), {}) for k in collections]
        else:
            return None
        top, _, rest = rel.partition("/")
        for label, settings in items:
            if rest and label != "posts" and top == f"_{label}":
                return label, settings
        return None

    def _permalink_suffix(self) -> str:
        """lib/jekyll/utils.rb add_permalink_suffix, for the site's permalink style."""
        style = str(self.config.get("permalink") or "date")
        if style == "pretty":
            return "/"
        if style in {"date", "ordinal", "none"}:
            return ":output_ext"
        return ("/" if style.endswith("/") else "") + (
            ":output_ext" if style.endswith(":output_ext") else "")

    def _page_path(self, rel: str, own: Any) -> str:
        # lib/jekyll/page.rb: template and url_placeholders (a Hash, not a drop).
        directory = posixpath.dirname(rel)
        basename = posixpath.splitext(posixpath.basename(rel))[0]
        placeholders = {"path": directory, "basename": basename, "output_ext": ".html"}
        if isinstance(own, str) and own:
            template = own
        elif basename == "index":
            template = "/:path/"
        else:
            style = str(self.config.get("permalink") or "date")
            template = "/:path/:basename"
            if style == "pretty" or (style not in STYLES and style.endswith("/")):
                template += "/"
            elif style in {"date", "ordinal", "none"} or style.endswith(":output_ext"):
                template += ":output_ext"
        url = template
        for key, value in placeholders.items():
            url = url.replace(f":{key}", escape_path(value))
        return sanitize_url(url)

    def _data(self, post: Post, rel: str, *, is_post: bool, kind: str | None = None) -> dict[str, Any]:
        """The document data Jekyll builds: path categories, then defaults (those scoped to
        ``kind``: posts, pages or a collection's label), then front matter."""
        data: dict[str, Any] = {}
        if is_post:
            # Document#categories_from_path: the folders above _posts are categories.
            special = "_drafts" if "_posts" not in rel.split("/")[:-1] else "_posts"
            superdirs = re.sub(special + r".*", "", rel, count=1)
            basename = posixpath.basename(rel)
            cats = [c for c in superdirs.split("/") if c and c not in {special, basename}]
            merge_data(data, {"categories": cats})
        for values in self._defaults(rel, kind or ("posts" if is_post else "pages")):
            merge_data(data, dict(values))
        merge_data(data, dict(post.front_matter))
        if is_post or kind not in {None, "pages"}:
            # Document#populate_categories
            cats = as_list(data.get("categories"))
            cats += pluralized(data, "category", "categories")
            seen: list[str] = []
            for cat in cats:
                text = ruby_str(cat)
                if text not in seen:
                    seen.append(text)
            data["categories"] = seen
        return data

    def _defaults(self, rel: str, kind: str) -> Iterator[Mapping[str, Any]]:
        defaults = self.config.get("defaults")
        if not isinstance(defaults, list):
            return
        for entry in defaults:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
                continue
            scope = entry.get("scope") or {}
            if not isinstance(scope, Mapping):
                continue
            # FrontmatterDefaults#strip_collections_dir: a scope may name collections_dir.
            scope_path = str(scope.get("path") or "").strip("/")
            within = document_path(self.config, scope_path)
            scope_path = within if within is not None and scope_path else scope_path
            scope_type = scope.get("type")
            if scope_type and scope_type != kind:
                continue
            if scope_path and not (rel == scope_path or rel.startswith(scope_path + "/")
                                   or glob_match(scope_path, rel)):
                continue
            yield entry["values"]

    # -- drafts and future posts ----------------------------------------------------------------

    def _unpublished(self, post: Post, now: dt.datetime) -> str | None:
        in_site = self.relative_path(post.path)
        rel, draft, is_post, collection = self._place(in_site)
        if draft and not truthy(self.config.get("show_drafts")):
            return "it is a draft (in _drafts/): Jekyll publishes it only with --drafts"
        folder = collections_dir(self.config)
        if folder and document_path(self.config, in_site) is None and (
                {"_posts", "_drafts"} & set(in_site.split("/")[:-1])):
            return (f"it is outside `collections_dir` ({folder}/): Jekyll reads posts only "
                    f"from {folder}/_posts/")
        if collection is not None and not truthy(collection[1].get("output")):
            return (f"it is in the `{collection[0]}` collection, whose documents Jekyll does "
                    f"not write (`output: true` is not set for it in _config.yml)")
        if not is_post and collection is None and self._hidden_folder(rel):
            return ("it is in a folder whose name starts with `_` or `.`: Jekyll publishes "
                    "no page from there unless it is a collection")
        kind = "posts" if is_post else collection[0] if collection else "pages"
        data = self._data(post, rel, is_post=is_post, kind=kind)
        # Publisher#can_be_published?: `data.fetch("published", true)`, so an empty
        # `published:` (nil) hides the post too; `unpublished: true` shows them all.
        if ("published" in data and not truthy(data["published"])
                and not truthy(self.config.get("unpublished"))):
            return "it is marked `published: false`"
        if (collection is None and (not is_post or draft)) or truthy(self.config.get("future")):
            return None
        date = data.get("date")
        if date is None:
            named = POST_NAME.match(rel)
            date = named.group(1) if named else None
        if self._after(date, now):
            return (f"it is dated {show_date(date)}, in the future: Jekyll skips it until "
                    "then (unless `future: true` is set in _config.yml)")
        return None

    def _hidden_folder(self, rel: str) -> bool:
        """Reader#filter_entries: folders starting with ``_`` or ``.`` are not read, unless
        ``include:`` names them."""
        include = {str(i).strip("/") for i in as_list(self.config.get("include"))}
        parts = rel.split("/")[:-1]
        return any(part.startswith(("_", ".")) and "/".join(parts[: i + 1]) not in include
                   and part not in include for i, part in enumerate(parts))

    # -- files and posts ------------------------------------------------------------------------

    def _file_url(self, resolved: Path, rel: str, site_url: str, post: Post | None) -> str | None:
        if any(part.startswith(("_", ".")) for part in rel.split("/")):
            return None  # Jekyll does not copy _folders or hidden files to the site
        return super()._file_url(resolved, rel, site_url, post)

    def _own_post_paths(self) -> Iterator[Path]:
        for path in walk_markdown(self.root):
            rel, draft, is_post, _ = self._place(path.relative_to(self.root).as_posix())
            if is_post and not draft and POST_NAME.match(rel):
                yield path

    def link_forms(self) -> Mapping[str, Finder]:
        return link_forms(self)

    # -- new posts ------------------------------------------------------------------------------

    def new_post_place(self, slug: str, when: dt.datetime, conventions: Conventions) -> Place:
        """``_posts/YYYY-MM-DD-<slug>.md``, dated where the site is (Jekyll reads the name's
        date and the permalink's in the site's ``timezone``); images in ``assets/img/<slug>/``
        (or the folder the siblings' images are in), linked from the site root."""
        day = (when.astimezone(self.zone()) if when.tzinfo else when).date()
        folder = conventions.image_root or "assets/img"
        posts = self.root / collections_dir(self.config) / "_posts"
        return Place(posts / f"{day:%Y-%m-%d}-{slug}.md",
                     self.root / folder / slug, f"{self.base_path}/{folder}/{slug}/")


# -- link forms ------------------------------------------------------------------------------------


def link_forms(site: Site) -> dict[str, Finder]:
    """``{% post_url 2023-08-30-name %}`` and ``{% link _posts/….md %}`` over ``site``."""
    return {"post_url": lambda text, _post: find_post_url(site, text),
            "link": lambda text, _post: _linked(site, unquote(text).lstrip("/"))}


def _linked(site: Site, path: str) -> Post | None:
    """The file ``{% link path %}`` names: a document by its path inside ``collections_dir``,
    a page by its path in the site (tags/link.rb compares ``relative_path``)."""
    folder = collections_dir(site.config)
    if folder:
        found = site.load_if_markdown(site.root / folder / path)
        if found is not None:
            return found
    return site.load_if_markdown(site.root / path)


def find_post_url(site: Site, name: str) -> Post | None:
    """lib/jekyll/tags/post_url.rb PostComparer: the name may carry folders, either below
    _posts or above it (category folders)."""
    match = _POST_URL_NAME.match(name.lstrip("/"))
    if not match:
        return None
    folder, date, slug = match.group(1) or "", match.group(2), match.group(3)
    base = re.escape(date) + "-" + re.escape(slug) + r"\.[^.]+"
    pattern = re.compile(rf"^_posts/{re.escape(folder)}{base}$"
                         rf"|^{re.escape(folder)}_posts/?{base}$")
    for path in site.post_paths():
        if pattern.match(document_path(site.config, site.relative_path(path)) or ""):
            return site.load(path)
    return None


def collections_dir(config: Mapping[str, Any]) -> str:
    """``collections_dir``: the folder that holds ``_posts``, ``_drafts`` and the
    collections ("" when they are at the site's root)."""
    return as_text(config.get("collections_dir")).strip().strip("/")


def document_path(config: Mapping[str, Any], rel: str) -> str | None:
    """``rel`` (relative to the site) as a path inside ``collections_dir``; None outside it."""
    folder = collections_dir(config)
    if not folder:
        return rel
    return rel[len(folder) + 1:] if rel.startswith(folder + "/") else None


# -- the permalink machinery ----------------------------------------------------------------------


def merge_data(data: dict[str, Any], other: dict[str, Any]) -> None:
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


def slugify(text: str, mode: str = "default", *, cased: bool = False) -> str:
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


class UrlDrop:
    """lib/jekyll/drops/url_drop.rb: the values of a permalink's placeholders."""

    def __init__(self, post: Post, rel: str, data: Mapping[str, Any], *,
                 date: dt.datetime | None = None, zone: dt.tzinfo | None = None,
                 collection: str = "posts") -> None:
        self.post = post
        self.collection = collection
        self.rel = rel
        self.data = data
        self.date = date  # when given, the date the URL is built with (a draft's)
        # Jekyll sets TZ to the site's `timezone:` and formats the date's local time there:
        # a post at 23:30 -0800 on a New York site is under the next day.
        self.zone = zone

    def _slug_source(self) -> str:
        own = self.data.get("slug")
        if own is not None and ruby_str(own):
            return ruby_str(own)
        # Document#populate_title: the file name after the date, trailing dots removed.
        match = POST_NAME.match(self.rel)
        if match:
            return match.group(2).rstrip(".")
        return posixpath.splitext(posixpath.basename(self.rel))[0].rstrip(".")

    def _date(self) -> dt.datetime:
        date = self.date if self.date is not None else self.post.date
        if date is None:
            raise PostError.at(self.post.path, None, "the post has no date for its permalink",
                               hint="add `date: YYYY-MM-DD` to the front matter")
        if date.tzinfo is not None and self.zone is not None:
            return date.astimezone(self.zone)
        return date  # a time without a zone is the site's own already

    def placeholder(self, name: str) -> str:
        basename = posixpath.splitext(posixpath.basename(self.rel))[0]
        values: dict[str, Callable[[], str]] = {
            "title": lambda: slugify(self._slug_source(), "pretty", cased=True),
            "slug": lambda: slugify(self._slug_source()),
            "name": lambda: slugify(basename),
            "categories": lambda: "/".join(dict.fromkeys(
                str(c).lower() for c in as_list(self.data.get("categories")))),
            "slugified_categories": lambda: "/".join(dict.fromkeys(
                slugify(str(c)) for c in as_list(self.data.get("categories")))),
            "output_ext": lambda: ".html",
            "collection": lambda: self.collection,
            # Document#cleaned_relative_path: the path below the collection's folder.
            "path": lambda: "/" + posixpath.splitext(
                self.rel.replace(f"_{self.collection}/", "", 1))[0].rstrip("."),
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


def generate_url(template: str, value: Callable[[str], str]) -> str:
    """URL#generate_url_from_drop: ``:name`` (one trailing ``_`` may belong to the text)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        tail = ""
        if name.endswith("_"):
            try:
                return escape_path(value(name))
            except KeyError:
                name, tail = name[:-1], "_"
        return escape_path(value(name)) + tail

    return _PLACEHOLDER.sub(replace, template)


def escape_path(value: str) -> str:
    """URL.escape_path: Addressable's path character class, everything else %-encoded."""
    if not value or re.fullmatch(r"[a-zA-Z0-9./-]+", value):
        return value
    return quote(value, safe="/!$&'()*+,;=:@-._~")


def sanitize_url(url: str) -> str:
    """URL#sanitize_url: a leading slash, no ``..``, no ``./``, no repeated slashes."""
    result = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", result)


__all__ = ["CONFIG_FILES", "POST_NAME", "STYLES", "JekyllSite", "UrlDrop", "escape_path",
           "find_post_url", "generate_url", "link_forms", "merge_data", "pluralized",
           "sanitize_url", "slugify"]
