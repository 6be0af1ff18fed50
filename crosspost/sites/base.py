"""What every site is, whatever builds it: a root, a URL, files, and an index of its posts.

:class:`Site` holds everything that does not depend on the generator: joining and
absolutising URLs, finding the site's files and posts, looking up sibling posts by URL or
by a relative link, and whether a post is live. What does depend on it (which folder is a
site, how its configuration is read, the permalink rules, the draft and future rules, the
generator's own link forms) is asked of the subclass in :mod:`crosspost.sites.jekyll`,
:mod:`crosspost.sites.hugo` or :mod:`crosspost.sites.plain`, through the methods marked
"generator" below.

Discovery reads only configuration files; posts are parsed when something asks about them
(``load``, ``find_post``, ``post_for_url``), and each at most once per :class:`Site`.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import unquote, urlsplit

from crosspost.config import Settings
from crosspost.errors import ConfigError, CrosspostError, PostError
from crosspost.post import Post, parse_date
from crosspost.sites import ghpages
from crosspost.sites.files import MARKDOWN_SUFFIXES, skipped
from crosspost.sites.siteurl import Candidate, site_url
from crosspost.sites.urls import (
    SCHEME,
    clean_base,
    join_base,
    origin,
    quote_path,
    resolve,
    same_host,
    split_ref,
    upper_hex,
)
from crosspost.sites.values import date_only

if TYPE_CHECKING:
    from crosspost.sites.facts import SiteFacts
    from crosspost.sites.newpost import Conventions, Place

# A lookup of a post by one of a generator's own link forms: (reference, linking post).
Finder = Callable[[str, Post | None], Post | None]


@dataclass
class Site:
    """A site: a Jekyll site, a Hugo site, or a plain folder of Markdown files.

    ``url`` is None when the site has no usable URL; ``url_problem`` then says why, and
    everything that needs the URL raises :class:`ConfigError` with that reason.
    ``url_source`` says where the URL came from (see :mod:`crosspost.sites.siteurl`).
    """

    generator: ClassVar[str] = ""  # the name users see: "jekyll", "hugo", "plain"

    root: Path
    url: str | None  # absolute base URL including any baseurl, no trailing slash
    settings: Settings = field(default_factory=Settings)
    config: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    url_problem: str | None = None
    url_source: str | None = None
    _posts: dict[Path, Post] = field(default_factory=dict, init=False, repr=False, compare=False)
    _paths: list[Path] | None = field(default=None, init=False, repr=False, compare=False)
    _url_index: dict[str, Path] | None = field(default=None, init=False, repr=False,
                                               compare=False)
    # Canonical URLs by (file, text): a post's URL is asked for by every target's render,
    # by sibling lookups and by the engine; a post's text fixes it.
    _canonical: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False,
                                                   compare=False)

    # -- discovery ----------------------------------------------------------------------------

    @classmethod
    def discover(cls, post_path: Path) -> Site:
        """The site ``post_path`` belongs to (see :func:`crosspost.sites.discover`)."""
        # The generator modules subclass this one, so the list of them lives above it.
        from crosspost.sites.discovery import discover

        return discover(post_path)

    @classmethod
    def at(cls, root: Path, generator: str, config_path: Path | None = None) -> Site:
        """The site rooted at ``root``, built by ``generator`` from ``config_path``."""
        from crosspost.sites.discovery import generator_named

        return generator_named(generator).from_root(root, config_path)

    @classmethod
    def from_root(cls, root: Path, config_path: Path | None = None) -> Self:
        """This generator's site at ``root``: its settings, its configuration, its URL."""
        root = Path(root).resolve()
        settings = Settings.load(root)
        config = cls.read_config(root, config_path)
        found = site_url(settings, cls.url_candidates(config, config_path),
                         base_path=cls._base_path_of(config, settings),
                         nowhere=str(config_path or settings.path or root),
                         repository=lambda: ghpages.candidates(root, cls.cname_files(root, config)))
        return cls(root=root, url=found.url, settings=settings, config=config,
                   config_path=config_path, url_problem=found.problem, url_source=found.source)

    @cached_property
    def facts(self) -> SiteFacts:
        """What the site's own files decide about a post's text (math delimiters, templates)."""
        from crosspost.sites.facts import SiteFacts

        return SiteFacts(self.generator, self.root, self.config)

    # generator: which folder is a site, and what its configuration says

    @classmethod
    def detect(cls, directory: Path) -> Path | None:
        """The configuration file (or folder) that makes ``directory`` this kind of site."""
        raise NotImplementedError

    @classmethod
    def read_config(cls, root: Path, config_path: Path | None) -> Mapping[str, Any]:
        """The generator's configuration, as the generator merges it."""
        return {}

    @classmethod
    def url_candidates(cls, config: Mapping[str, Any], config_path: Path | None) -> list[Candidate]:
        """Where the generator's configuration states the site URL, in order (after
        crosspost.toml's ``url``, which comes first: see :mod:`crosspost.sites.siteurl`)."""
        return []

    @classmethod
    def configured_base_path(cls, config: Mapping[str, Any]) -> str:
        """The base path the generator's configuration gives (``""`` for none)."""
        return ""

    @classmethod
    def cname_files(cls, root: Path, config: Mapping[str, Any]) -> list[Path]:
        """Generator: where a GitHub Pages ``CNAME`` file would be (in the published tree)."""
        return [root / "CNAME"]

    @classmethod
    def _base_path_of(cls, config: Mapping[str, Any], settings: Settings) -> str | None:
        """The configured base path; None when nothing configures one (a GitHub Pages
        project site found from the git remote then brings its own)."""
        if settings.baseurl is not None:
            return clean_base(settings.baseurl)
        if settings.url:
            path = urlsplit(settings.url).path.rstrip("/")
            if path:
                return path
        return cls.configured_base_path(config) or None

    # -- the site's own URL -------------------------------------------------------------------

    @property
    def title(self) -> str:
        """The site's name for attribution lines: its configured title, else its host."""
        title = self.config.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        if self.url:
            return urlsplit(self.url).netloc
        return self.root.name

    def title_for(self, post: Post) -> str:
        """Generator: the site's name as ``post``'s readers see it (a language may have
        its own title)."""
        return self.title

    @property
    def base_path(self) -> str:
        """The path part of the site URL (Jekyll ``baseurl``), ``""`` for a site at ``/``."""
        if self.url is not None:
            return urlsplit(self.url).path.rstrip("/")
        return self._base_path_of(self.config, self.settings) or ""

    def require_url(self) -> str:
        """The site URL, or a :class:`ConfigError` that says how to set one."""
        if self.url is not None:
            return self.url
        raise ConfigError(
            self.url_problem or f"{self.root}: the site has no URL",
            hint="set `url = \"https://…\"` in crosspost.toml at the site root "
            "(or `canonical_url:` in the post's front matter)",
        )

    def home_of(self, post: Post | None) -> str:
        """The site URL ``post`` is served under (no trailing slash): where its root-relative
        links point and its canonical URL starts. ``None``: the site's.

        Generator: the site URL, except where each language has a host of its own (Hugo's
        multihost sites).
        """
        return self.require_url()

    def homes(self) -> list[str]:
        """Generator: every site URL the site is served under (the site's, and each
        language's where languages have their own hosts), for recognising its links."""
        return [self.url] if self.url is not None else []

    def _home_path(self, post: Post | None) -> str:
        """The base path of ``post``'s home, or the site's when it has no usable URL."""
        if post is not None and self.url is not None:
            try:
                return urlsplit(self.home_of(post)).path.rstrip("/")
            except ConfigError:
                pass
        return self.base_path

    # -- canonical URLs -------------------------------------------------------------------------

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
            if SCHEME.match(value) or value.startswith("//"):
                return self.absolute_url(value)
            if not value.startswith("/"):
                raise PostError.at(post.path, post.key_line("canonical_url"),
                                   f"`canonical_url` must be an absolute URL, not {value!r}")
            return self.absolute_url(value, post=post)
        # The generators put a page's own path below the base path always, even when it
        # starts with the same segment (Jekyll's `baseurl: /blog` with a `/blog/…`
        # permalink, Hugo's `url: /blog/…` under a baseURL ending in /blog/, both serve
        # at /blog/blog/…): only links written by hand may already hold the base path.
        return self.home_of(post) + upper_hex(self.url_path(post))

    def url_path(self, post: Post) -> str:
        """Generator: the post's path below the site's base path (its permalink rules)."""
        raise NotImplementedError

    # -- is the post live? ----------------------------------------------------------------------

    def unpublished_reason(self, post: Post, *, now: dt.datetime | None = None) -> str | None:
        """Why the generator would not publish ``post`` at its canonical URL now, or None.

        A copy that says "originally published at <url>" must not point at a 404, so the
        engine refuses a public copy of a post that is not live. The rules are the
        generators' own, including the site settings that lift them.
        ``now`` (default: the clock) is for tests.
        """
        when = now if now is not None else dt.datetime.now(dt.UTC)
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.zone())
        return self._unpublished(post, when)

    def _unpublished(self, post: Post, now: dt.datetime) -> str | None:
        """Generator: why ``post`` is not live at ``now`` (an aware time), or None."""
        raise NotImplementedError

    def _after(self, value: Any, now: dt.datetime, *, expiry: bool = False) -> bool:
        """Whether the date ``value`` is later than ``now`` (a date alone: by the day).

        A date without a time is midnight where the site is, so it has arrived on that day
        (and a post expiring that day has expired). A time without a zone is the site's.
        """
        moment = parse_date(value)
        if moment is None:
            return False
        zone = self.zone()
        if date_only(value):
            today = now.astimezone(zone).date()
            return moment.date() > today
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment > now if not expiry else moment >= now

    def zone(self) -> dt.tzinfo:
        """The site's time zone: its ``timezone`` setting, else the generator's default
        (what it uses for dates written without a zone)."""
        name = self.config.get("timezone")
        if isinstance(name, str) and name.strip():
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                return ZoneInfo(name.strip())
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return self.default_zone()

    def default_zone(self) -> dt.tzinfo:
        """Generator: the zone of dates written without one (here: the machine's, as Ruby)."""
        local = dt.datetime.now().astimezone().tzinfo
        return local if local is not None else dt.UTC

    def today(self) -> dt.date:
        return dt.datetime.now(self.zone()).date()

    def relative_path(self, path: Path) -> str:
        """``path`` relative to the site root, as a POSIX path (its name if outside)."""
        resolved = Path(path).resolve()  # the user's path may be relative to any folder
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).name

    # -- new posts (crosspost import) -------------------------------------------------------

    def default_conventions(self) -> Conventions:
        """Generator: how a post is written when the site has none to learn from."""
        from crosspost.sites.newpost import Conventions

        return Conventions()

    def new_post_place(self, slug: str, when: dt.datetime, conventions: Conventions) -> Place:
        """Generator: where a new post called ``slug``, dated ``when``, goes, and where its
        images go (see :mod:`crosspost.sites.newpost`)."""
        raise NotImplementedError

    def heading_anchors(self, texts: list[str]) -> list[str]:
        """The ``id`` the generator gives each heading (texts in order, duplicates counted).

        kramdown's GFM input (Jekyll's default), goldmark's ``github`` ids (Hugo's default)
        and github-slugger (Quartz) agree, checked with jekyll 4.3 and hugo 0.111: lower
        case, everything but letters, digits, ``_``, ``-`` and spaces dropped, spaces as
        ``-``, and ``-1``, ``-2``… after a repeated one.
        """
        used: dict[str, int] = {}
        out: list[str] = []
        for text in texts:
            base = "".join(ch for ch in " ".join(text.split()).lower()
                           if ch.isalnum() or ch in "_- " or unicodedata.category(ch)[0] == "M")
            base = base.replace(" ", "-")
            count = used.get(base)
            used[base] = 0 if count is None else count + 1
            out.append(base if count is None else f"{base}-{count + 1}")
        return out

    # -- resolving references -------------------------------------------------------------------

    def absolute_url(self, ref: str, *, base: str | None = None, post: Post | None = None) -> str:
        """Resolve a link/image reference found in a post to an absolute URL.

        Absolute URLs, other schemes (``mailto:``) and fragment-only refs come back as they
        are; protocol-relative refs get ``https:``. Root-relative refs get the base path of
        the site ``post`` is served under (:meth:`home_of`) exactly once. Relative refs
        resolve against ``base`` (an absolute URL, usually the post's canonical URL), or
        that site's root without one. Whatever follows the path (query, ``#:~:text=``
        fragment) is carried over byte for byte.
        """
        if not ref or ref.startswith("#") or SCHEME.match(ref):
            return ref
        if ref.startswith("//"):
            return "https:" + ref
        site_url = self.home_of(post)
        site_origin = origin(site_url)
        base_path = urlsplit(site_url).path.rstrip("/")
        if ref.startswith("/"):
            return site_origin + join_base(base_path, ref)
        if base is None:
            base_url = site_url + "/"
        elif SCHEME.match(base):
            base_url = base
        elif base.startswith("//"):
            base_url = "https:" + base
        else:
            base_url = site_origin + join_base(base_path, "/" + base.lstrip("/"))
        return resolve(base_url, ref)

    def published_url(self, ref: str, *, post: Post) -> str:
        """Where what ``ref`` (found in ``post``) names is published on the site.

        Unlike :meth:`absolute_url`, a relative ref that names a file of the site resolves
        to where the generator publishes that file (al-folio's ``assets/img/x.png`` means
        the site root's ``assets``; a Hugo page bundle's ``x.png`` sits under the page's
        URL), and a relative ``.md`` link to a sibling post becomes its canonical URL.
        Anything else resolves like a browser would, against the post's canonical URL.
        """
        if not ref or ref.startswith(("#", "/")) or SCHEME.match(ref):
            return self.absolute_url(ref, post=post)
        path_part, rest = split_ref(ref)
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
        if not self.within(resolved):
            return None
        return self._file_url(resolved, self.relative_path(resolved), self.home_of(post), post)

    def within(self, resolved: Path) -> bool:
        """Whether a resolved path is a file of the site (nothing outside ever is).

        Generator: Quartz's content folder may be a symlink to a vault elsewhere.
        """
        return resolved.is_relative_to(self.root)

    def _file_url(self, resolved: Path, rel: str, site_url: str, post: Post | None) -> str | None:
        """Generator: where a file of the site (``rel`` from the root) is published.

        Here: at the same path below the site URL, as a plain folder served as it is.
        """
        return site_url + "/" + quote_path(rel)

    def local_file(self, ref: str, *, post: Post) -> Path | None:
        """The file inside the site that ``ref`` (relative, root-relative or site URL) names.

        Relative refs are tried beside the post (Hugo page bundles, plain folders), then at
        the site root (al-folio's ``assets/img/…``), then where the generator keeps more
        (Hugo's static folders). Root-relative refs and URLs on one of the site's own hosts
        lose that site's base path first. Nothing outside the site root is ever returned.
        """
        path_part, _rest = split_ref(ref)
        if not path_part:
            return None
        if SCHEME.match(path_part) or path_part.startswith("//"):
            url = "https:" + path_part if path_part.startswith("//") else path_part
            home = self._home_for_url(url)
            if home is None:
                return None
            base = urlsplit(home).path.rstrip("/")
            path_part = urlsplit(url).path or "/"
        else:
            base = self._home_path(post) if path_part.startswith("/") else ""
        path = unquote(path_part)
        candidates: list[Path] = []
        if path.startswith("/"):
            if base and (path == base or path.startswith(base + "/")):
                path = path[len(base):] or "/"
            candidates.append(self.root / path.lstrip("/"))
        else:
            candidates.append(post.resolved_path.parent / path)
            candidates.append(self.root / path)
        candidates += self._more_file_candidates(path, post)
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except OSError:
                continue
            if self.within(resolved) and resolved.is_file():
                return resolved
        return None

    def _home_for_url(self, url: str) -> str | None:
        """Which of the site's homes an absolute URL is on: the one on its host whose base
        path it is below (the longest), else the first on its host; None when on none."""
        on_host = [home for home in self.homes() if same_host(url, home)]
        path = urlsplit(url).path
        below = [home for home in on_host
                 if path == (p := urlsplit(home).path.rstrip("/")) or path.startswith(p + "/")]
        below.sort(key=lambda home: -len(urlsplit(home).path))
        found = below or on_host
        return found[0] if found else None

    def _more_file_candidates(self, path: str, post: Post) -> list[Path]:
        """Generator: where else ``path`` (root-relative without the base path, or
        relative to ``post``) may be, after the post's folder and the site root."""
        return []

    # -- the site's posts -----------------------------------------------------------------------

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
                            and not any(skipped(p) for p in rel_parts)):
                        seen.add(path)
                        yield path.resolve()
            return
        yield from self._own_post_paths()

    def _own_post_paths(self) -> Iterator[Path]:
        """Generator: the files the generator publishes as posts."""
        raise NotImplementedError

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
        """The post a reference names, or None when nothing (or more than one post) matches.

        ``kind`` is ``relative`` (a Markdown link to a ``.md`` file, for every site) or one
        of the generator's own link forms (:meth:`link_forms`): Jekyll's ``post_url`` and
        ``link``, Hugo's ``ref`` and ``relref``, an Obsidian vault's ``wikilink``. A form
        this site's generator does not have names nothing here.
        """
        text = ref.strip().strip("\"'").strip()
        if kind == "relative":
            return self._find_relative(text, relative_to)
        forms = self.link_forms()
        if kind in forms:
            return forms[kind](text, relative_to)
        if kind in LINK_FORMS:
            return None
        raise ValueError(f"unknown reference kind {kind!r}")

    def link_forms(self) -> Mapping[str, Finder]:
        """Generator: the lookups behind its own reference syntax, by kind."""
        return {}

    def translation(self, post: Post, lang: str) -> Post | None:
        """Generator: ``post`` in language ``lang``; a site in one language has only it."""
        return post

    # -- Obsidian vaults --------------------------------------------------------------------------

    @property
    def obsidian(self) -> bool:
        """Generator: whether posts are written in Obsidian's Markdown (wikilinks, embeds,
        callouts, highlights, comments), which the renderer then carries over."""
        return False

    def title_of(self, post: Post) -> str:
        """``post``'s title as the site shows it: a Quartz or Obsidian note without one is
        titled by its file name."""
        return post.titled(post.path.stem if self.obsidian else None)

    def vault_file(self, name: str, *, post: Post | None = None) -> Path | None:
        """Generator: the file an Obsidian embed (``![[name]]``) names, found as Obsidian
        finds it (by name anywhere in the vault, the shortest path winning)."""
        return None

    def _find_relative(self, text: str, relative_to: Post | None) -> Post | None:
        path_part, _rest = split_ref(text)
        if not path_part or SCHEME.match(path_part) or path_part.startswith("//"):
            return None
        path = unquote(path_part)
        if path.startswith("/"):
            base = self._home_path(relative_to)
            if base and path.startswith(base + "/"):
                path = path[len(base):]
            return self.load_if_markdown(self.root / path.lstrip("/"))
        folder = relative_to.resolved_path.parent if relative_to is not None else self.root
        return self.load_if_markdown(folder / path)

    def load_if_markdown(self, path: Path) -> Post | None:
        """The post at ``path`` if it is a Markdown file inside the site, else None."""
        try:
            resolved = path.resolve()
        except OSError:
            return None
        if (resolved.suffix.lower() in MARKDOWN_SUFFIXES and resolved.is_file()
                and self.within(resolved)):
            return self.load(resolved)
        return None

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
        if SCHEME.match(text):
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
            if host == "":
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
                        key = self._url_key(self.absolute_url(override.strip(), post=post)
                                            if override.strip().startswith("/")
                                            else override.strip())
                    elif self.url is not None:
                        key = self._url_key(self.home_of(post) + self.url_path(post))
                    else:
                        key = self._url_key(self.base_path + self.url_path(post))
                except CrosspostError:
                    continue  # a broken sibling is reported when it is itself published
                if key is not None:
                    index.setdefault(key, path)
            self._url_index = index
        return self._url_index


# Every generator's link forms; a site answers only its own (see Site.find_post).
LINK_FORMS = frozenset({"post_url", "link", "ref", "relref", "wikilink"})


__all__ = ["LINK_FORMS", "Finder", "Site"]
