"""The site a post belongs to: its generator, its URL, its permalinks and its other posts.

A post's canonical URL must be the one its generator really publishes, or every forum copy
points readers at a 404. So the URL rules below follow the generators' own code, not their
documentation's summary of it:

- Jekyll 4: ``lib/jekyll/document.rb`` (``categories_from_path``, ``populate_categories``,
  ``populate_title``), ``lib/jekyll/drops/url_drop.rb`` (the placeholders),
  ``lib/jekyll/url.rb`` (``generate_url_from_drop``, ``sanitize_url``, ``escape_path``),
  ``lib/jekyll/utils.rb`` (``slugify``, ``add_permalink_suffix``) and
  ``lib/jekyll/configuration.rb`` (``STYLE_TO_PERMALINK``), all in jekyll/jekyll.
- Hugo: ``resources/page/permalinks.go`` (the tokens), ``resources/page/page_paths.go``
  (``CreateTargetPaths``: default paths, ``url``, ugly URLs, the final sanitising),
  ``common/paths/path.go`` (``Sanitize``), ``helpers/url.go`` (``URLize``,
  ``PrependBasePath``) and ``hugolib/pagecollections.go`` (``ref``/``relref`` lookup), all in
  gohugoio/hugo.

Discovery reads only configuration files; posts are parsed when something asks about them
(``load``, ``find_post``, ``post_for_url``), and each at most once per :class:`Site`.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit

from crosspost.config import Settings
from crosspost.errors import ConfigError, CrosspostError, PostError
from crosspost.permalinks import (
    HUGO_ATTRIBUTE,
    JEKYLL_POST_NAME,
    JEKYLL_STYLES,
    HugoPage,
    JekyllDrop,
    as_list,
    as_text,
    glob_match,
    go_time_format,
    hugo_date,
    hugo_join,
    hugo_normalize,
    hugo_permalink_rules,
    hugo_sanitize,
    hugo_slice,
    hugo_url_front_matter,
    jekyll_escape,
    jekyll_generate,
    jekyll_merge,
    jekyll_sanitize,
    pluralized,
    ruby_str,
)
from crosspost.post import Post, describe_yaml_error, parse_date

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown"})

# Directories that never hold posts: build output, dependencies, crosspost's own state.
_SKIP_DIRS = frozenset({"_site", "public", "node_modules", "vendor", "resources", "__pycache__"})

_JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")  # Jekyll's own order
_HUGO_ROOT_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
_HUGO_LEGACY_CONFIGS = ("config.toml", "config.yaml", "config.yml", "config.json")
_HUGO_SITE_DIRS = ("content", "layouts", "themes", "archetypes")

# lib/jekyll/tags/post_url.rb POST_PATH_MATCHER
_POST_URL_NAME = re.compile(r"^(.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Hosts that say "nobody set the site URL yet": dev servers, the reserved example domains
# (RFC 2606) and the "yourname.github.io" style of theme templates.
_PLACEHOLDER_HOSTS = re.compile(
    r"^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[?::1\]?|(?:.+\.)?localhost"
    r"|(?:.+\.)?example(?:\.(?:com|org|net|edu))?|(?:.+\.)?(?:test|invalid|local)"
    r"|(?:your|my)[-_]?(?:user)?(?:name|site|domain|website|blog|handle|account)\.[a-z.]+"
    r"|(?:user|username|github[-_]?user(?:name)?)\.github\.io)$",
    re.IGNORECASE,
)


@dataclass
class Site:
    """A Jekyll site, a Hugo site, or a plain folder of Markdown files.

    ``url`` is None when the site has no usable URL; ``url_problem`` then says why, and
    everything that needs the URL raises :class:`ConfigError` with that reason.
    """

    root: Path
    generator: str  # "jekyll", "hugo" or "plain"
    url: str | None  # absolute base URL including any baseurl, no trailing slash
    settings: Settings = field(default_factory=Settings)
    config: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    url_problem: str | None = None
    _posts: dict[Path, Post] = field(default_factory=dict, init=False, repr=False, compare=False)
    _paths: list[Path] | None = field(default=None, init=False, repr=False, compare=False)
    _url_index: dict[str, Path] | None = field(default=None, init=False, repr=False,
                                               compare=False)
    _hugo_pages: dict[str, list[Path]] | None = field(default=None, init=False, repr=False,
                                                      compare=False)
    _is_section: dict[Path, bool] = field(default_factory=dict, init=False, repr=False,
                                          compare=False)
    # Canonical URLs by (file, text): a post's URL is asked for by every target's render,
    # by sibling lookups and by the engine; a post's text fixes it.
    _canonical: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False,
                                                   compare=False)

    # -- discovery --------------------------------------------------------------------------

    @classmethod
    def discover(cls, post_path: Path) -> Site:
        """Walk up from ``post_path`` to the site root and read its configuration.

        The first directory with a Jekyll or Hugo configuration, or a ``crosspost.toml``,
        is the root. The walk stops at a repository root (``.git``); a post with no site
        around it is a plain site rooted at its own folder.
        """
        start = Path(post_path).absolute()
        if not start.is_dir():
            start = start.parent
        for directory in (start, *start.parents):
            found = _detect(directory)
            if found is not None:
                generator, config_path = found
                return cls.at(directory, generator, config_path)
            if (directory / ".git").exists():
                break
        return cls.at(start, "plain", None)

    @classmethod
    def at(cls, root: Path, generator: str, config_path: Path | None = None) -> Site:
        """The site rooted at ``root``, built by ``generator`` from ``config_path``."""
        root = Path(root).resolve()
        settings = Settings.load(root)
        config: Mapping[str, Any] = {}
        if generator == "jekyll" and config_path is not None:
            config = _read_config_file(config_path)
        elif generator == "hugo":
            config = _read_hugo_config(root)
        url, problem = _site_url(generator, config, settings, config_path, root)
        return cls(root=root, generator=generator, url=url, settings=settings, config=config,
                   config_path=config_path, url_problem=problem)

    # -- the site's own URL -----------------------------------------------------------------

    @property
    def title(self) -> str:
        """The site's name for attribution lines: its configured title, else its host."""
        title = self.config.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        if self.url:
            return urlsplit(self.url).netloc
        return self.root.name

    @property
    def base_path(self) -> str:
        """The path part of the site URL (Jekyll ``baseurl``), ``""`` for a site at ``/``."""
        if self.url is not None:
            return urlsplit(self.url).path.rstrip("/")
        return _config_base_path(self.generator, self.config, self.settings)

    def require_url(self) -> str:
        """The site URL, or a :class:`ConfigError` that says how to set one."""
        if self.url is not None:
            return self.url
        raise ConfigError(
            self.url_problem or f"{self.root}: the site has no URL",
            hint="set `url = \"https://…\"` in crosspost.toml at the site root "
            "(or `canonical_url:` in the post's front matter)",
        )

    # -- canonical URLs -----------------------------------------------------------------------

    def canonical_url(self, post: Post) -> str:
        """The URL the generator publishes ``post`` at (``canonical_url`` front matter wins).

        A Jekyll draft (``_drafts/x.md``) gets the URL it would have if it were published
        today (or on its front-matter ``date``); :meth:`unpublished_reason` says it is a draft.
        """
        key = (str(post.resolved_path), post.raw)
        known = self._canonical.get(key)
        if known is None:
            known = self._canonical[key] = self._compute_canonical_url(post)
        return known

    def _compute_canonical_url(self, post: Post) -> str:
        override = post.front_matter.get("canonical_url")
        if override is not None:
            if not isinstance(override, str) or not override.strip():
                raise PostError.at(post.path, post.key_line("canonical_url"),
                                   "`canonical_url` must be a URL")
            value = override.strip()
            if _SCHEME.match(value) or value.startswith("//"):
                return self.absolute_url(value)
            if not value.startswith("/"):
                raise PostError.at(post.path, post.key_line("canonical_url"),
                                   f"`canonical_url` must be an absolute URL, not {value!r}")
            return self.absolute_url(value)
        path = self.url_path(post)
        return _origin(self.require_url()) + _join_base(self.base_path, path)

    def url_path(self, post: Post) -> str:
        """The post's path below the site's base path, as its generator builds it."""
        if self.generator == "jekyll":
            return self._jekyll_path(post)
        if self.generator == "hugo":
            return self._hugo_path(post)
        return self._plain_path(post)

    # -- is the post live? ----------------------------------------------------------------

    def unpublished_reason(self, post: Post, *, now: dt.datetime | None = None) -> str | None:
        """Why the generator would not publish ``post`` at its canonical URL now, or None.

        A copy that says "originally published at <url>" must not point at a 404, so the
        engine refuses a public copy of a post that is not live. The rules are the
        generators' own (Jekyll's ``lib/jekyll/publisher.rb`` and ``reader.rb``; Hugo's
        ``resources/page/pagemeta``), including the site settings that lift them.
        ``now`` (default: the clock) is for tests.
        """
        when = now if now is not None else dt.datetime.now(dt.UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=self._zone())
        if self.generator == "jekyll":
            return self._jekyll_unpublished(post, when)
        if self.generator == "hugo":
            return self._hugo_unpublished(post, when)
        fm = post.front_matter
        if _truthy(fm.get("draft")):
            return "it is marked `draft: true`"
        if "published" in fm and not _truthy(fm.get("published")):
            return "it is marked `published: false`"
        return None

    def _jekyll_unpublished(self, post: Post, now: dt.datetime) -> str | None:
        rel = self._relative(post.path)
        folders = rel.split("/")[:-1]
        draft = "_drafts" in folders and "_posts" not in folders
        if draft and not _truthy(self.config.get("show_drafts")):
            return "it is a draft (in _drafts/): Jekyll publishes it only with --drafts"
        is_post = draft or "_posts" in folders
        data = self._jekyll_data(post, rel, is_post=is_post)
        # Publisher#can_be_published?: `data.fetch("published", true)`, so an empty
        # `published:` (nil) hides the post too; `unpublished: true` shows them all.
        if ("published" in data and not _truthy(data["published"])
                and not _truthy(self.config.get("unpublished"))):
            return "it is marked `published: false`"
        if not is_post or draft or _truthy(self.config.get("future")):
            return None
        date = data.get("date")
        if date is None:
            named = JEKYLL_POST_NAME.match(rel)
            date = named.group(1) if named else None
        if self._after(date, now):
            return (f"it is dated {_show_date(date)}, in the future: Jekyll skips it until "
                    "then (unless `future: true` is set in _config.yml)")
        return None

    def _hugo_unpublished(self, post: Post, now: dt.datetime) -> str | None:
        fm = self._hugo_page_info(post).fm
        if _truthy(fm.get("draft")) and not _truthy(self.config.get("builddrafts")):
            return "it is marked `draft: true`: Hugo builds it only with --buildDrafts"
        build = fm.get("build") if isinstance(fm.get("build"), Mapping) else fm.get("_build")
        if isinstance(build, Mapping):
            render = {str(k).lower(): v for k, v in build.items()}.get("render")
            if render is False or str(render).lower() in {"never", "false"}:
                return "its `build.render` is `never`: Hugo gives it no page"
        if _truthy(fm.get("headless")):
            return "it is `headless: true`: Hugo gives it no page"
        # The default [frontmatter] order of publishDate and expiryDate (hugolib config).
        publish = next((fm[k] for k in ("publishdate", "pubdate", "published", "date")
                        if parse_date(fm.get(k)) is not None), None)
        if self._after(publish, now) and not _truthy(self.config.get("buildfuture")):
            return (f"its publish date {_show_date(publish)} is in the future: Hugo skips it "
                    "until then (unless buildFuture is set)")
        expiry = next((fm[k] for k in ("expirydate", "unpublishdate")
                       if parse_date(fm.get(k)) is not None), None)
        if (expiry is not None and not self._after(expiry, now, expiry=True)
                and not _truthy(self.config.get("buildexpired"))):
            return (f"it expired on {_show_date(expiry)}: Hugo no longer builds it "
                    "(unless buildExpired is set)")
        return None

    def _after(self, value: Any, now: dt.datetime, *, expiry: bool = False) -> bool:
        """Whether the date ``value`` is later than ``now`` (a date alone: by the day).

        A date without a time is midnight where the site is, so it has arrived on that day
        (and a post expiring that day has expired). A time without a zone is the site's.
        """
        moment = parse_date(value)
        if moment is None:
            return False
        zone = self._zone()
        if _date_only(value):
            today = now.astimezone(zone).date()
            return moment.date() > today
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment > now if not expiry else moment >= now

    def _zone(self) -> dt.tzinfo:
        """The site's time zone: its ``timezone`` setting, else Jekyll's machine-local
        time or Hugo's UTC (what each uses for dates written without a zone)."""
        name = self.config.get("timezone")
        if isinstance(name, str) and name.strip():
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                return ZoneInfo(name.strip())
            except (ZoneInfoNotFoundError, ValueError):
                pass
        if self.generator == "hugo":
            return dt.UTC
        local = dt.datetime.now().astimezone().tzinfo
        return local if local is not None else dt.UTC

    def _today(self) -> dt.date:
        return dt.datetime.now(self._zone()).date()

    # Jekyll ---------------------------------------------------------------------------------

    def _relative(self, path: Path) -> str:
        resolved = Path(path).resolve()  # the user's path may be relative to any folder
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).name

    def _jekyll_path(self, post: Post) -> str:
        rel = self._relative(post.path)
        folders = rel.split("/")[:-1]
        draft = "_drafts" in folders and "_posts" not in folders
        is_post = draft or "_posts" in folders
        data = self._jekyll_data(post, rel, is_post=is_post)
        own = data.get("permalink")
        if not is_post:
            return self._jekyll_page_path(post, rel, own)
        template = own if isinstance(own, str) and own else self._jekyll_posts_template()
        # A draft has no date of its own: `jekyll serve --drafts` dates it by the file's
        # mtime, and publishing it (moving it into _posts) dates it the day it is moved. Its
        # URL is the one it would get published today, unless its front matter has a date.
        when = None
        if draft and parse_date(data.get("date")) is None:
            when = dt.datetime.combine(self._today(), dt.time())
        drop = JekyllDrop(post, rel, data, date=when)
        try:
            url = jekyll_generate(template, drop.placeholder)
        except KeyError as exc:
            where = f"{post.path}" if own else f"{self.config_path or self.root}"
            raise ConfigError(f"{where}: the permalink {template!r} uses the unknown "
                              f"placeholder :{exc.args[0]}",
                              hint="see https://jekyllrb.com/docs/permalinks/") from None
        return jekyll_sanitize(url)

    def _jekyll_posts_template(self) -> str:
        collections = self.config.get("collections")
        if isinstance(collections, Mapping):
            posts = collections.get("posts")
            own = posts.get("permalink") if isinstance(posts, Mapping) else None
            if isinstance(own, str) and own:
                return JEKYLL_STYLES.get(own, own)
        style = self.config.get("permalink") or "date"
        return JEKYLL_STYLES.get(str(style), str(style))

    def _jekyll_page_path(self, post: Post, rel: str, own: Any) -> str:
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
            if style == "pretty" or (style not in JEKYLL_STYLES and style.endswith("/")):
                template += "/"
            elif style in {"date", "ordinal", "none"} or style.endswith(":output_ext"):
                template += ":output_ext"
        url = template
        for key, value in placeholders.items():
            url = url.replace(f":{key}", jekyll_escape(value))
        return jekyll_sanitize(url)

    def _jekyll_data(self, post: Post, rel: str, *, is_post: bool) -> dict[str, Any]:
        """The document data Jekyll builds: path categories, then defaults, then front matter."""
        data: dict[str, Any] = {}
        if is_post:
            # Document#categories_from_path: the folders above _posts are categories.
            special = "_drafts" if "_posts" not in rel.split("/")[:-1] else "_posts"
            superdirs = re.sub(special + r".*", "", rel, count=1)
            basename = posixpath.basename(rel)
            cats = [c for c in superdirs.split("/") if c and c not in {special, basename}]
            jekyll_merge(data, {"categories": cats})
        for values in self._jekyll_defaults(rel, "posts" if is_post else "pages"):
            jekyll_merge(data, dict(values))
        jekyll_merge(data, dict(post.front_matter))
        if is_post:
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

    def _jekyll_defaults(self, rel: str, kind: str) -> Iterator[Mapping[str, Any]]:
        defaults = self.config.get("defaults")
        if not isinstance(defaults, list):
            return
        for entry in defaults:
            if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
                continue
            scope = entry.get("scope") or {}
            if not isinstance(scope, Mapping):
                continue
            scope_path = str(scope.get("path") or "").strip("/")
            scope_type = scope.get("type")
            if scope_type and scope_type != kind:
                continue
            if scope_path and not (rel == scope_path or rel.startswith(scope_path + "/")
                                   or glob_match(scope_path, rel)):
                continue
            yield entry["values"]

    # Hugo -----------------------------------------------------------------------------------

    def _hugo_content_dir(self) -> Path:
        name = self.config.get("contentdir") or "content"
        return self.root / str(name)

    def _hugo_lower(self) -> bool:
        return not bool(self.config.get("disablepathtolower"))

    def _hugo_page_info(self, post: Post) -> HugoPage:
        content = self._hugo_content_dir().resolve()
        resolved = Path(post.path).resolve()
        try:
            rel = resolved.relative_to(content).as_posix()
        except ValueError:
            rel = self._relative(post.path)
        parts = rel.split("/")
        stem = posixpath.splitext(parts[-1])[0]
        languages = self.config.get("languages")
        if isinstance(languages, Mapping) and "." in stem:
            base, _, lang = stem.rpartition(".")
            if lang.lower() in {str(k).lower() for k in languages}:
                stem = base
        bundle = stem == "index"
        dirs = parts[:-1]
        if bundle and dirs:
            container, name = dirs[:-1], dirs[-1]
        else:
            container, name = dirs, stem
        fm = {str(k).lower(): v for k, v in post.front_matter.items()}
        return HugoPage(rel=rel, container=container, name=name, stem=stem, bundle=bundle,
                         fm=fm)

    def _hugo_path(self, post: Post) -> str:
        page = self._hugo_page_info(post)
        url_fm = page.fm.get("url")
        if isinstance(url_fm, str) and url_fm.strip():
            url = url_fm.strip()
            if ":" in url:
                # hugolib/page__paths.go: a `url` with a colon is a permalink pattern too.
                url = unquote_plus(self._hugo_expand(url, page, post))
            return hugo_url_front_matter(url)
        section = page.container[0] if page.container else ""
        pattern = self._hugo_pattern(page)
        if pattern is not None:
            elements = [self._hugo_expand(pattern, page, post)]
        else:
            slug = as_text(page.fm.get("slug"))
            elements = ["/".join(page.container), slug or hugo_normalize(page.name)]
        elements = [e for e in elements if e not in {"", "/"}]
        if self._hugo_ugly(section):
            if elements:
                last = elements[-1]
                elements[-1] = (last[:-1] if last.endswith("/") else last) + ".html"
            else:
                elements = [".html"]
            index = False
        else:
            elements.append("index.html")
            index = True
        elements = [self._hugo_sanitize(e) for e in elements]
        link = hugo_join(elements[:-1] if index else elements)
        if index and not link.endswith("/"):
            link += "/"
        link = re.sub(r"/{2,}", "/", link.replace("#", "%23"))
        return quote(link, safe="/%-._~+@$&,;=:!*'()") or "/"

    def _hugo_sanitize(self, element: str) -> str:
        text = hugo_sanitize(element)
        if self.config.get("removepathaccents"):
            text = "".join(c for c in unicodedata.normalize("NFD", text)
                           if not unicodedata.combining(c))
        return text.lower() if self._hugo_lower() else text

    def _hugo_urlize(self, text: str) -> str:
        return quote(self._hugo_sanitize(text), safe="/%-._~+@$&,;=:!*'()#")

    def _hugo_ugly(self, section: str) -> bool:
        ugly = self.config.get("uglyurls")
        if isinstance(ugly, Mapping):
            lowered = {str(k).lower(): v for k, v in ugly.items()}
            return bool(lowered.get(section.lower(), False))
        return bool(ugly)

    def _hugo_pattern(self, page: HugoPage) -> str | None:
        rules = hugo_permalink_rules(self.config.get("permalinks"))
        page_path = "/" + "/".join(hugo_normalize(p) for p in [*page.container, page.name])
        page_path = page_path.lower()
        for glob, pattern in rules:
            if glob_match(glob, page_path):
                return pattern
        return None

    def _hugo_sections(self, page: HugoPage) -> list[str]:
        """The current section's path: the first folder, and deeper ones with an _index."""
        content = self._hugo_content_dir()
        sections: list[str] = []
        for depth in range(len(page.container)):
            if depth == 0 or self._has_index(content.joinpath(*page.container[: depth + 1])):
                sections = page.container[: depth + 1]
        return sections

    def _has_index(self, directory: Path) -> bool:
        known = self._is_section.get(directory)
        if known is None:
            known = any(directory.glob("_index.*"))
            self._is_section[directory] = known
        return known

    def _hugo_section_slug(self, parts: list[str]) -> str:
        directory = self._hugo_content_dir().joinpath(*parts)
        for candidate in sorted(directory.glob("_index.*")):
            try:
                section = Post.from_path(candidate)
            except CrosspostError:
                break
            fm = {str(k).lower(): v for k, v in section.front_matter.items()}
            value = as_text(fm.get("slug")) or as_text(fm.get("title"))
            if value:
                return self._hugo_urlize(value)
            break
        return self._hugo_urlize(parts[-1])

    def _hugo_expand(self, pattern: str, page: HugoPage, post: Post) -> str:
        escaped = pattern.replace("\\:", "\x00")
        date = hugo_date(page.fm)
        title = as_text(page.fm.get("title"))
        slug = as_text(page.fm.get("slug"))

        def filename() -> str:
            if page.stem == "_index":
                return ""
            return self._hugo_urlize(page.name)

        def sections_slice(spec: str, values: list[str]) -> str:
            return "/".join(hugo_slice(spec, values))

        def value(attr: str) -> str:
            sections = self._hugo_sections(page)
            simple: dict[str, Callable[[], str]] = {
                "year": lambda: str(date.year),
                "month": lambda: f"{date.month:02d}",
                "monthname": lambda: date.strftime("%B"),
                "day": lambda: f"{date.day:02d}",
                "weekday": lambda: str((date.weekday() + 1) % 7),
                "weekdayname": lambda: date.strftime("%A"),
                "yearday": lambda: str(date.timetuple().tm_yday),
                "section": lambda: page.container[0] if page.container else "",
                "sectionslug": lambda: (self._hugo_section_slug(sections[:1])
                                        if sections else ""),
                "sections": lambda: "/".join(sections),
                "sectionslugs": lambda: "/".join(self._hugo_section_slug(sections[: i + 1])
                                                 for i in range(len(sections))),
                "title": lambda: self._hugo_urlize(title),
                "slug": lambda: self._hugo_urlize(slug or title),
                "slugorfilename": lambda: self._hugo_urlize(slug) if slug else filename(),
                "filename": filename,
                "contentbasename": lambda: self._hugo_urlize(page.name),
                "slugorcontentbasename": lambda: self._hugo_urlize(slug or page.name),
            }
            if attr in simple:
                return simple[attr]()
            if attr.startswith("sections["):
                return sections_slice(attr[len("sections"):], sections)
            if attr.startswith("sectionslugs["):
                slugs = [self._hugo_section_slug(sections[: i + 1])
                         for i in range(len(sections))]
                return sections_slice(attr[len("sectionslugs"):], slugs)
            formatted = go_time_format(attr, date)
            if formatted is not None:
                return formatted
            raise ConfigError(f"{self.config_path or self.root}: the permalink {pattern!r} "
                              f"uses the unknown token :{attr}",
                              hint="see https://gohugo.io/configuration/permalinks/")

        result = HUGO_ATTRIBUTE.sub(lambda m: value(m.group(0)[1:]), escaped)
        return result.replace("\x00", ":")

    # plain ----------------------------------------------------------------------------------

    def _plain_path(self, post: Post) -> str:
        rel = self._relative(post.path)
        own = post.front_matter.get("permalink")
        template = own if isinstance(own, str) and own else (self.settings.permalink
                                                             or "/:slug/")
        data: dict[str, Any] = {}
        jekyll_merge(data, dict(post.front_matter))
        cats = as_list(data.get("categories")) + pluralized(data, "category", "categories")
        data["categories"] = list(dict.fromkeys(ruby_str(c) for c in cats))
        drop = JekyllDrop(post, rel, data)
        try:
            url = jekyll_generate(template, drop.placeholder)
        except KeyError as exc:
            where = post.path if own else (self.settings.path or self.root)
            raise ConfigError(f"{where}: the permalink {template!r} uses the unknown "
                              f"placeholder :{exc.args[0]}") from None
        return jekyll_sanitize(url)

    # -- resolving references -----------------------------------------------------------------

    def absolute_url(self, ref: str, *, base: str | None = None) -> str:
        """Resolve a link/image reference found in a post to an absolute URL.

        Absolute URLs, other schemes (``mailto:``) and fragment-only refs come back as they
        are; protocol-relative refs get ``https:``. Root-relative refs get the site's base
        path exactly once. Relative refs resolve against ``base`` (an absolute URL, usually
        the post's canonical URL), or the site root without one. Whatever follows the path
        (query, ``#:~:text=`` fragment) is carried over byte for byte.
        """
        if not ref or ref.startswith("#") or _SCHEME.match(ref):
            return ref
        if ref.startswith("//"):
            return "https:" + ref
        site_url = self.require_url()
        origin = _origin(site_url)
        if ref.startswith("/"):
            return origin + _join_base(self.base_path, ref)
        if base is None:
            base_url = site_url + "/"
        elif _SCHEME.match(base):
            base_url = base
        elif base.startswith("//"):
            base_url = "https:" + base
        else:
            base_url = origin + _join_base(self.base_path, "/" + base.lstrip("/"))
        return _resolve(base_url, ref)

    def published_url(self, ref: str, *, post: Post) -> str:
        """Where what ``ref`` (found in ``post``) names is published on the site.

        Unlike :meth:`absolute_url`, a relative ref that names a file of the site resolves
        to where the generator publishes that file (al-folio's ``assets/img/x.png`` means
        the site root's ``assets``; a Hugo page bundle's ``x.png`` sits under the page's
        URL), and a relative ``.md`` link to a sibling post becomes its canonical URL.
        Anything else resolves like a browser would, against the post's canonical URL.
        """
        if not ref or ref.startswith(("#", "/")) or _SCHEME.match(ref):
            return self.absolute_url(ref)
        path_part, rest = _split_ref(ref)
        if posixpath.splitext(unquote(path_part))[1].lower() in MARKDOWN_SUFFIXES:
            sibling = self.find_post(ref, kind="relative", relative_to=post)
            if sibling is not None:
                return self.canonical_url(sibling) + rest
        found = self.local_file(ref, post=post)
        if found is not None:
            url = self.file_url(found, post=post)
            if url is not None:
                return url + rest
        return self.absolute_url(ref, base=self.canonical_url(post))

    def file_url(self, path: Path, *, post: Post | None = None) -> str | None:
        """The URL the generator publishes a (non-post) file of the site at, if any."""
        resolved = Path(path).resolve()
        try:
            rel = resolved.relative_to(self.root).as_posix()
        except ValueError:
            return None
        site_url = self.require_url()
        if self.generator == "hugo":
            for static in self._hugo_static_dirs():
                if resolved.is_relative_to(static):
                    return site_url + "/" + _quote_path(resolved.relative_to(static).as_posix())
            if post is not None and post.resolved_path.stem == "index":
                bundle = post.resolved_path.parent
                if resolved.is_relative_to(bundle):
                    inner = resolved.relative_to(bundle).as_posix()
                    return self.canonical_url(post) + _quote_path(inner)
            content = self._hugo_content_dir().resolve()
            if resolved.is_relative_to(content):
                return site_url + "/" + _quote_path(resolved.relative_to(content).as_posix())
            return None
        if self.generator == "jekyll" and any(part.startswith(("_", "."))
                                              for part in rel.split("/")):
            return None  # Jekyll does not copy _folders or hidden files to the site
        return site_url + "/" + _quote_path(rel)

    def local_file(self, ref: str, *, post: Post) -> Path | None:
        """The file inside the site that ``ref`` (relative, root-relative or site URL) names.

        Relative refs are tried beside the post (Hugo page bundles, plain folders), then at
        the site root (al-folio's ``assets/img/…``), then in Hugo's static folders.
        Root-relative refs and URLs on the site's own host lose the base path first.
        Nothing outside the site root is ever returned.
        """
        path_part, _rest = _split_ref(ref)
        if not path_part:
            return None
        if _SCHEME.match(path_part) or path_part.startswith("//"):
            url = "https:" + path_part if path_part.startswith("//") else path_part
            if self.url is None or not _same_host(url, self.url):
                return None
            path_part = urlsplit(url).path or "/"
        path = unquote(path_part)
        candidates: list[Path] = []
        if path.startswith("/"):
            base = self.base_path
            if base and (path == base or path.startswith(base + "/")):
                path = path[len(base):] or "/"
            inner = path.lstrip("/")
            candidates.append(self.root / inner)
            if self.generator == "hugo":
                candidates += [static / inner for static in self._hugo_static_dirs()]
                try:
                    own = self.url_path(post)
                except CrosspostError:
                    own = ""
                if own.endswith("/") and path.startswith(own) and len(path) > len(own):
                    candidates.append(post.resolved_path.parent / path[len(own):])
        else:
            candidates.append(post.resolved_path.parent / path)
            candidates.append(self.root / path)
            if self.generator == "hugo":
                candidates += [static / path for static in self._hugo_static_dirs()]
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except OSError:
                continue
            if resolved.is_relative_to(self.root) and resolved.is_file():
                return resolved
        return None

    def _hugo_static_dirs(self) -> list[Path]:
        configured = self.config.get("staticdir") or "static"
        names = configured if isinstance(configured, list) else [configured]
        return [(self.root / str(name)).resolve() for name in names]

    # -- the site's posts ---------------------------------------------------------------------

    def post_paths(self) -> list[Path]:
        """Every post file of the site, sorted (``posts`` globs in crosspost.toml win)."""
        if self._paths is None:
            self._paths = sorted(self._find_post_paths())
        return list(self._paths)

    def _find_post_paths(self) -> Iterator[Path]:
        if self.settings.posts:
            seen: set[Path] = set()
            for pattern in self.settings.posts:
                for path in self.root.glob(pattern):
                    rel_parts = path.relative_to(self.root).parts[:-1]
                    if (path.is_file() and path not in seen
                            and not any(_skipped(p) for p in rel_parts)):
                        seen.add(path)
                        yield path.resolve()
            return
        if self.generator == "jekyll":
            for path in _walk_markdown(self.root):
                rel = path.relative_to(self.root).as_posix()
                if "_posts" in rel.split("/")[:-1] and JEKYLL_POST_NAME.match(rel):
                    yield path
        elif self.generator == "hugo":
            content = self._hugo_content_dir().resolve()
            if not content.is_dir():
                return
            bundles: set[Path] = set()
            paths = sorted(_walk_markdown(content))
            for path in paths:
                if path.stem == "index":
                    bundles.add(path.parent)
            for path in paths:
                if path.stem.startswith("_index"):
                    continue
                # Markdown files inside a leaf bundle are its resources, not pages.
                owner = path.parent if path.stem != "index" else path.parent.parent
                if any(parent in bundles for parent in (owner, *owner.parents)):
                    continue
                yield path
        else:
            yield from _walk_markdown(self.root)

    def load(self, path: Path) -> Post:
        """Load (and cache) a post of this site."""
        key = Path(path).resolve()
        post = self._posts.get(key)
        if post is None:
            post = Post.from_path(key)
            self._posts[key] = post
        return post

    def remember(self, post: Post) -> None:
        """Use ``post`` (already loaded or just rewritten) for its path from now on."""
        self._posts[post.resolved_path] = post
        self._url_index = None

    def find_post(self, ref: str, *, kind: str, relative_to: Post | None = None) -> Post | None:
        """The post a generator reference names (``post_url``, ``link``, ``ref``, ``relref``).

        ``kind`` is ``post_url`` (Jekyll ``{% post_url 2023-08-30-name %}``), ``link``
        (Jekyll ``{% link _posts/….md %}``, from the site root), ``ref``/``relref`` (Hugo
        shortcodes) or ``relative`` (a Markdown link to a ``.md`` file). None when nothing,
        or more than one post, matches.
        """
        text = ref.strip().strip("\"'").strip()
        if kind == "post_url":
            return self._find_post_url(text)
        if kind == "link":
            return self._load_if_markdown(self.root / unquote(text).lstrip("/"))
        if kind in {"ref", "relref"}:
            return self._find_hugo_ref(text, relative_to)
        if kind == "relative":
            path_part, _rest = _split_ref(text)
            if not path_part or _SCHEME.match(path_part) or path_part.startswith("//"):
                return None
            path = unquote(path_part)
            if path.startswith("/"):
                base = self.base_path
                if base and path.startswith(base + "/"):
                    path = path[len(base):]
                return self._load_if_markdown(self.root / path.lstrip("/"))
            origin = relative_to.resolved_path.parent if relative_to is not None else self.root
            return self._load_if_markdown(origin / path)
        raise ValueError(f"unknown reference kind {kind!r}")

    def _load_if_markdown(self, path: Path) -> Post | None:
        try:
            resolved = path.resolve()
        except OSError:
            return None
        if (resolved.suffix.lower() in MARKDOWN_SUFFIXES and resolved.is_file()
                and resolved.is_relative_to(self.root)):
            return self.load(resolved)
        return None

    def _find_post_url(self, name: str) -> Post | None:
        # lib/jekyll/tags/post_url.rb PostComparer: the name may carry folders, either
        # below _posts or above it (category folders).
        match = _POST_URL_NAME.match(name.lstrip("/"))
        if not match:
            return None
        folder, date, slug = match.group(1) or "", match.group(2), match.group(3)
        base = re.escape(date) + "-" + re.escape(slug) + r"\.[^.]+"
        pattern = re.compile(rf"^_posts/{re.escape(folder)}{base}$"
                             rf"|^{re.escape(folder)}_posts/?{base}$")
        for path in self.post_paths():
            if pattern.match(self._relative(path)):
                return self.load(path)
        return None

    def _find_hugo_ref(self, ref: str, relative_to: Post | None) -> Post | None:
        # hugolib/pagecollections.go getContentNode / getContentNodeForRef
        ref = ref.split("#", 1)[0].replace("\\", "/").rstrip("/")
        if not ref:
            return None
        pages = self._hugo_page_index()
        last = ref.rsplit("/", 1)[-1]
        has_ext = "." in last.lstrip(".")
        key = ref
        if has_ext:
            key = ref[: -len(posixpath.splitext(ref)[1])]
        if relative_to is not None and not ref.startswith("/"):
            info = self._hugo_page_info(relative_to)
            if info.bundle and has_ext and ref.startswith("../"):
                base_dir = "/" + "/".join([*info.container, info.name])
            else:
                base_dir = "/" + "/".join(info.container)
            found = pages.get(self._hugo_key(posixpath.normpath(posixpath.join(base_dir, key))))
            if found is not None and len(found) == 1:
                return self.load(found[0])
        if ref.startswith("."):
            return None
        found = pages.get(self._hugo_key("/" + key.lstrip("/")))
        if found is not None and len(found) == 1:
            return self.load(found[0])
        if "/" not in ref:
            name = self._hugo_key("/" + key).rsplit("/", 1)[-1]
            matches = pages.get("name:" + name, [])
            if len(matches) == 1:
                return self.load(matches[0])
        return None

    def _hugo_key(self, page_path: str) -> str:
        parts = [p for p in page_path.split("/") if p and p != "."]
        if parts and parts[-1] in {"index", "_index"}:
            parts = parts[:-1]
        key = "/" + "/".join(hugo_normalize(p) for p in parts)
        return key.lower() if self._hugo_lower() else key

    def _hugo_page_index(self) -> dict[str, list[Path]]:
        if self._hugo_pages is None:
            content = self._hugo_content_dir().resolve()
            index: dict[str, list[Path]] = {}
            for path in self.post_paths():
                try:
                    rel = path.relative_to(content).as_posix()
                except ValueError:
                    continue
                key = self._hugo_key(posixpath.splitext(rel)[0])
                index.setdefault(key, []).append(path)
                index.setdefault("name:" + key.rsplit("/", 1)[-1], []).append(path)
            self._hugo_pages = index
        return self._hugo_pages

    def post_for_url(self, url: str) -> Post | None:
        """The sibling post whose canonical URL is ``url`` (ignoring scheme, query, fragment).

        ``www.``, a trailing slash, ``index.html`` and ``.html`` do not matter either. The
        index is built once per :class:`Site`, on first use.
        """
        key = self._url_key(url)
        if key is None:
            return None
        index = self._build_url_index()
        path = index.get(key)
        return self.load(path) if path is not None else None

    def same_address(self, one: str, two: str) -> bool:
        """True when two URLs name the same page of this site (as :meth:`post_for_url`
        compares them: scheme, ``www.``, query, fragment, ``index.html`` do not matter)."""
        key = self._url_key(one)
        return key is not None and key == self._url_key(two)

    def _url_key(self, url: str) -> str | None:
        text = url.strip()
        if text.startswith("//"):
            text = "https:" + text
        if _SCHEME.match(text):
            parts = urlsplit(text)
            if parts.scheme not in {"http", "https"}:
                return None
            host = (parts.hostname or "").lower()
            path = parts.path
        elif text.startswith("/"):
            host = ""
            path = urlsplit(text).path
        else:
            return None
        host = host.removeprefix("www.")
        if self.url is not None:
            site_host = (urlsplit(self.url).hostname or "").lower().removeprefix("www.")
            if host in {"", site_host}:
                host = site_host
        path = unquote(path)
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        elif path.endswith(".html"):
            path = path[: -len(".html")]
        return host + "/" + path.strip("/")

    def _build_url_index(self) -> dict[str, Path]:
        if self._url_index is None:
            index: dict[str, Path] = {}
            for path in self.post_paths():
                try:
                    post = self.load(path)
                    override = post.front_matter.get("canonical_url")
                    if isinstance(override, str) and override.strip():
                        key = self._url_key(self.absolute_url(override.strip())
                                            if override.strip().startswith("/")
                                            else override.strip())
                    else:
                        key = self._url_key(_join_base(self.base_path, self.url_path(post)))
                except CrosspostError:
                    continue  # a broken sibling is reported when it is itself published
                if key is not None:
                    index.setdefault(key, path)
            self._url_index = index
        return self._url_index


# -- front matter helpers -----------------------------------------------------------------------


def _truthy(value: Any) -> bool:
    """A front-matter or config flag: YAML/TOML booleans, and "true"/"false" as text."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "on", "1"}
    return bool(value)


_DAY = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")


def _date_only(value: Any) -> bool:
    """True for a date with no time of day (``2024-03-09``, a file-name date)."""
    if isinstance(value, dt.datetime):
        return False
    if isinstance(value, dt.date):
        return True
    return isinstance(value, str) and _DAY.match(value) is not None


def _show_date(value: Any) -> str:
    moment = parse_date(value)
    if moment is None:
        return str(value)
    return moment.date().isoformat() if _date_only(value) else moment.isoformat(sep=" ")


class SiteCache:
    """Sites found so far, so that many posts of one site share one :class:`Site`.

    Discovery reads configuration files; a run over hundreds of posts does it once per
    folder, and posts of one site share its sibling index.
    """

    def __init__(self) -> None:
        self._by_root: dict[Path, Site] = {}
        self._by_folder: dict[Path, Site] = {}

    def for_post(self, path: Path) -> Site:
        folder = Path(path).absolute().parent
        site = self._by_folder.get(folder)
        if site is None:
            found = Site.discover(path)
            site = self._by_root.setdefault(found.root, found)
            self._by_folder[folder] = site
        return site


# -- discovery helpers -------------------------------------------------------------------------


def _detect(directory: Path) -> tuple[str, Path | None] | None:
    for name in _JEKYLL_CONFIGS:
        if (directory / name).is_file():
            return "jekyll", directory / name
    for name in _HUGO_ROOT_CONFIGS:
        if (directory / name).is_file():
            return "hugo", directory / name
    config_dir = directory / "config" / "_default"
    if config_dir.is_dir() and any(
        (config_dir / name).is_file() for name in (*_HUGO_ROOT_CONFIGS, *_HUGO_LEGACY_CONFIGS)
    ):
        return "hugo", config_dir
    # config.toml is a common name; it means Hugo only beside Hugo's own folders.
    if any((directory / name).is_dir() for name in _HUGO_SITE_DIRS):
        for name in _HUGO_LEGACY_CONFIGS:
            if (directory / name).is_file():
                return "hugo", directory / name
    if (directory / "crosspost.toml").is_file():
        return "plain", directory / "crosspost.toml"
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file() and "[tool.crosspost" in pyproject.read_text(encoding="utf-8",
                                                                        errors="replace"):
        return "plain", pyproject
    return None


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix == ".toml":
        import tomllib

        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: broken TOML: {exc}") from None
    elif suffix == ".json":
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{exc.lineno}: broken JSON: {exc.msg}") from None
    else:
        import yaml

        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError as exc:
            offset, problem = describe_yaml_error(exc)
            line = f":{offset + 1}" if offset is not None else ""
            raise ConfigError(f"{path}{line}: broken YAML: {problem}") from None
        except (yaml.YAMLError, ValueError) as exc:
            raise ConfigError(f"{path}: broken YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return data


def _lower_keys(value: Any) -> Any:
    """Hugo's configuration keys are case-insensitive (it lower-cases them)."""
    if isinstance(value, Mapping):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value


def _deep_merge(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def _read_hugo_config(root: Path) -> dict[str, Any]:
    """The root config file, then ``config/_default/``, then ``config/production/``."""
    merged: dict[str, Any] = {}
    for name in (*_HUGO_ROOT_CONFIGS, *_HUGO_LEGACY_CONFIGS):
        if (root / name).is_file():
            _deep_merge(merged, _lower_keys(_read_config_file(root / name)))
            break
    for env in ("_default", "production"):
        directory = root / "config" / env
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.suffix.lower() not in {".toml", ".yaml", ".yml", ".json"}:
                continue
            data = _lower_keys(_read_config_file(path))
            key = path.name.split(".", 1)[0].lower()
            if key in {"hugo", "config"}:
                _deep_merge(merged, data)
            else:
                _deep_merge(merged, {key: data})
    return merged


def _config_base_path(generator: str, config: Mapping[str, Any], settings: Settings) -> str:
    if settings.baseurl is not None:
        return _clean_base(settings.baseurl)
    if settings.url:
        path = urlsplit(settings.url).path.rstrip("/")
        if path:
            return path
    if generator == "jekyll":
        return _clean_base(as_text(config.get("baseurl")))
    if generator == "hugo":
        return urlsplit(as_text(config.get("baseurl"))).path.rstrip("/")
    return ""


def _clean_base(value: str) -> str:
    value = value.strip().strip("/")
    return "/" + value if value else ""


def _site_url(generator: str, config: Mapping[str, Any], settings: Settings,
              config_path: Path | None, root: Path) -> tuple[str | None, str | None]:
    """(site URL with base path, None) or (None, why there is none)."""
    if settings.url:
        # Said on purpose in crosspost.toml: trusted, even if it looks like a placeholder.
        parts = urlsplit(settings.url.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return None, f"{settings.path}: `url` is {settings.url!r}, not an absolute http(s) URL"
        return (f"{parts.scheme}://{parts.netloc}"
                + _config_base_path(generator, config, settings)), None
    if generator == "jekyll":
        raw, source = as_text(config.get("url")), f"{config_path}: `url`"
    elif generator == "hugo":
        raw, source = as_text(config.get("baseurl")), f"{config_path}: `baseURL`"
    else:
        raw, source = "", ""
    raw = raw.strip()
    if not raw:
        return None, f"{config_path or settings.path or root}: the site has no URL"
    parts = urlsplit(raw)
    host = parts.hostname or ""
    if parts.scheme not in {"http", "https"} or not host:
        return None, f"{source} is {raw!r}, not an absolute http(s) URL"
    if _PLACEHOLDER_HOSTS.match(host):
        return None, f"{source} is the placeholder {raw!r}"
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin + _config_base_path(generator, config, settings), None


# -- URL helpers ---------------------------------------------------------------------------------


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _join_base(base_path: str, path: str) -> str:
    """``path`` (root-relative) under ``base_path``, which appears exactly once."""
    if not path.startswith("/"):
        path = "/" + path
    if not base_path:
        return path
    if path == base_path or path.startswith((base_path + "/", base_path + "?",
                                             base_path + "#")):
        return path
    return base_path + path


def _split_ref(ref: str) -> tuple[str, str]:
    """(path, the rest from the first ``?`` or ``#``), never re-encoding either."""
    cut = len(ref)
    for mark in "?#":
        at = ref.find(mark)
        if at != -1:
            cut = min(cut, at)
    return ref[:cut], ref[cut:]


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path that starts with ``/``."""
    segments = path.split("/")
    out: list[str] = []
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        if segment == ".":
            if i == last:
                out.append("")
            continue
        if segment == "..":
            if len(out) > 1:
                out.pop()
            if i == last:
                out.append("")
            continue
        out.append(segment)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def _resolve(base: str, ref: str) -> str:
    """RFC 3986 resolution of a relative ``ref`` against an absolute ``base``.

    ``urllib.parse.urljoin`` would do, but it re-assembles the query and fragment and can
    drop an empty ``?``; links carry tracking queries and text fragments that must survive
    exactly, so only the path is computed here.
    """
    path_part, rest = _split_ref(ref)
    parts = urlsplit(base)
    prefix = f"{parts.scheme}://{parts.netloc}"
    if not path_part:
        if rest.startswith("#"):
            return base.split("#", 1)[0] + rest
        return prefix + (parts.path or "/") + rest
    base_path = parts.path or "/"
    merged = base_path[: base_path.rfind("/") + 1] + path_part
    return prefix + _remove_dot_segments(merged) + rest


def _same_host(url: str, site_url: str) -> bool:
    one = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    two = (urlsplit(site_url).hostname or "").lower().removeprefix("www.")
    return bool(one) and one == two


def _quote_path(path: str) -> str:
    return quote(path, safe="/-._~!$&'()*+,;=:@%")


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in _SKIP_DIRS


def _walk_markdown(top: Path) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not _skipped(d))
        for name in filenames:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
                yield Path(directory, name).resolve()





__all__ = ["MARKDOWN_SUFFIXES", "Site", "SiteCache"]
