"""Hugo sites: ``hugo.toml`` and ``config/``, ``content/``, ``[permalinks]``, ``ref``/``relref``.

A page's canonical URL must be the one Hugo really publishes, or every forum copy points
readers at a 404. So the rules below follow Hugo's code, not its documentation's summary
of it: ``resources/page/permalinks.go`` (the tokens), ``resources/page/page_paths.go``
(``CreateTargetPaths``: default paths, ``url``, ugly URLs, the final sanitising),
``common/paths/path.go`` (``Sanitize``), ``helpers/url.go`` (``URLize``,
``PrependBasePath``), ``hugolib/pagecollections.go`` (``ref``/``relref`` lookup) and
``resources/page/pagemeta`` (drafts, publish and expiry dates), all in gohugoio/hugo.
Each function names the code it follows; keep it that way when changing one.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, unquote_plus, urlsplit

from crosspost.errors import ConfigError, CrosspostError
from crosspost.post import Post, parse_date
from crosspost.sites import hugohosts
from crosspost.sites.base import Finder, Site
from crosspost.sites.files import read_config_file, walk_markdown
from crosspost.sites.newpost import HUGO_FIGURE, Conventions, Place
from crosspost.sites.siteurl import Candidate, SiteURL
from crosspost.sites.urls import quote_path
from crosspost.sites.values import as_text, glob_match, go_slice, go_time_format, show_date, truthy

ROOT_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
LEGACY_CONFIGS = ("config.toml", "config.yaml", "config.yml", "config.json")
_SITE_DIRS = ("content", "layouts", "themes", "archetypes")

ATTRIBUTE = re.compile(r":\w+(\[.+?\])?", re.ASCII)  # permalinks.go attributeRegexp


@dataclass
class HugoSite(Site):
    """A site with a Hugo configuration (``hugo.toml``, ``config.toml``, ``config/_default``)."""

    generator: ClassVar[str] = "hugo"

    _content: HugoContent | None = field(default=None, init=False, repr=False, compare=False)
    _is_section: dict[Path, bool] = field(default_factory=dict, init=False, repr=False,
                                          compare=False)
    _homes: dict[str, SiteURL] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)

    @classmethod
    def detect(cls, directory: Path) -> Path | None:
        for name in ROOT_CONFIGS:
            if (directory / name).is_file():
                return directory / name
        config_dir = directory / "config" / "_default"
        if config_dir.is_dir() and any(
            (config_dir / name).is_file() for name in (*ROOT_CONFIGS, *LEGACY_CONFIGS)
        ):
            return config_dir
        # config.toml is a common name; it means Hugo only beside Hugo's own folders.
        if any((directory / name).is_dir() for name in _SITE_DIRS):
            for name in LEGACY_CONFIGS:
                if (directory / name).is_file():
                    return directory / name
        return None

    @classmethod
    def read_config(cls, root: Path, config_path: Path | None) -> Mapping[str, Any]:
        """The root config file, then ``config/_default/``, then ``config/production/``."""
        merged: dict[str, Any] = {}
        for name in (*ROOT_CONFIGS, *LEGACY_CONFIGS):
            if (root / name).is_file():
                _deep_merge(merged, _lower_keys(read_config_file(root / name)))
                break
        for env in ("_default", "production"):
            directory = root / "config" / env
            if not directory.is_dir():
                continue
            for path in sorted(directory.iterdir()):
                if path.suffix.lower() not in {".toml", ".yaml", ".yml", ".json"}:
                    continue
                data = _lower_keys(read_config_file(path))
                key = path.name.split(".", 1)[0].lower()
                if key in {"hugo", "config"}:
                    _deep_merge(merged, data)
                else:
                    _deep_merge(merged, {key: data})
        return merged

    @classmethod
    def url_candidates(cls, config: Mapping[str, Any], config_path: Path | None) -> list[Candidate]:
        # A language's own baseURL wins: on a multihost site the default language's is
        # the site URL (the others are asked for by home_of).
        return hugohosts.url_candidates(config, config_path)

    @classmethod
    def configured_base_path(cls, config: Mapping[str, Any]) -> str:
        return hugohosts.base_path(config)

    @classmethod
    def cname_files(cls, root: Path, config: Mapping[str, Any]) -> list[Path]:
        # Hugo copies its static folders to the root of what it publishes.
        return [static / "CNAME" for static in static_dirs(root, config)]

    # -- a host per language ----------------------------------------------------------------

    @property
    def multihost(self) -> bool:
        """Whether each language has its own ``baseURL`` (see :mod:`crosspost.sites.hugohosts`)."""
        return hugohosts.multihost(self.config)

    def home_of(self, post: Post | None) -> str:
        if post is None or not self.multihost:
            return super().home_of(post)
        return self._home(self.content.page(post).lang)

    def require_url(self) -> str:
        # Hugo does not build a multihost site whose default language has no baseURL: no
        # URL guessed from the repository either (crosspost.toml's `url` still decides).
        default = self.content.default_language()
        if (self.multihost and not hugohosts.own_base_url(self.config, default)
                and not self.settings.url):
            hugohosts.require(self._language_url(default))
        return super().require_url()

    def _home(self, lang: str) -> str:
        # The default language's is the site URL, which crosspost.toml may override.
        if lang == self.content.default_language():
            return self.require_url()
        return hugohosts.require(self._language_url(lang))

    def _language_url(self, lang: str) -> SiteURL:
        if lang not in self._homes:
            self._homes[lang] = hugohosts.language_url(self.config, lang, self.config_path,
                                                       self.root)
        return self._homes[lang]

    def title_for(self, post: Post) -> str:
        # A language's own `title`; a language on a host of its own is named by that host.
        lang = self.content.page(post).lang
        title = as_text(hugohosts.languages(self.config).get(lang, {}).get("title")).strip()
        if title:
            return title
        if self.multihost and not as_text(self.config.get("title")).strip():
            return urlsplit(self.home_of(post)).netloc
        return self.title

    def homes(self) -> list[str]:
        if not self.multihost:
            return super().homes()
        found: list[str] = []
        default = self.content.default_language()
        for lang in sorted(self.content.languages(), key=lambda lang: (lang != default, lang)):
            try:
                found.append(self._home(lang))
            except ConfigError:
                continue
        return found

    @property
    def content(self) -> HugoContent:
        if self._content is None:
            self._content = HugoContent(self)
        return self._content

    # -- permalinks ---------------------------------------------------------------------------

    def url_path(self, post: Post) -> str:
        page = self.content.page(post)
        url_fm = page.fm.get("url")
        if isinstance(url_fm, str) and url_fm.strip():
            url = url_fm.strip()
            if ":" in url:
                # hugolib/page__paths.go: a `url` with a colon is a permalink pattern too.
                url = unquote_plus(self._expand(url, page))
            return url_front_matter(url)
        section = page.container[0] if page.container else ""
        pattern = self._pattern(page)
        if pattern is not None:
            elements = [self._expand(pattern, page)]
        else:
            slug = as_text(page.fm.get("slug"))
            elements = ["/".join(page.container), slug or normalize(page.name)]
        elements = [e for e in elements if e not in {"", "/"}]
        if self._ugly(section):
            if elements:
                last = elements[-1]
                elements[-1] = (last[:-1] if last.endswith("/") else last) + ".html"
            else:
                elements = [".html"]
            index = False
        else:
            elements.append("index.html")
            index = True
        elements = [self._sanitize(e) for e in elements]
        link = join(elements[:-1] if index else elements)
        if index and not link.endswith("/"):
            link += "/"
        prefix = self.content.language_prefix(page)
        if prefix:
            link = f"/{prefix}{link}"
        link = re.sub(r"/{2,}", "/", link.replace("#", "%23"))
        return quote(link, safe="/%-._~+@$&,;=:!*'()") or "/"

    def _sanitize(self, element: str) -> str:
        text = sanitize(element)
        if self.config.get("removepathaccents"):
            text = "".join(c for c in unicodedata.normalize("NFD", text)
                           if not unicodedata.combining(c))
        return text.lower() if self.content.lower() else text

    def _urlize(self, text: str) -> str:
        return quote(self._sanitize(text), safe="/%-._~+@$&,;=:!*'()#")

    def _ugly(self, section: str) -> bool:
        ugly = self.config.get("uglyurls")
        if isinstance(ugly, Mapping):
            lowered = {str(k).lower(): v for k, v in ugly.items()}
            return bool(lowered.get(section.lower(), False))
        return bool(ugly)

    def _pattern(self, page: HugoPage) -> str | None:
        rules = permalink_rules(self.config.get("permalinks"))
        page_path = "/" + "/".join(normalize(p) for p in [*page.container, page.name])
        page_path = page_path.lower()
        for glob, pattern in rules:
            if glob_match(glob, page_path):
                return pattern
        return None

    def _sections(self, page: HugoPage) -> list[str]:
        """The current section's path: the first folder, and deeper ones with an _index."""
        content = page.content
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

    def _section_slug(self, content: Path, parts: list[str]) -> str:
        directory = content.joinpath(*parts)
        for candidate in sorted(directory.glob("_index.*")):
            try:
                section = Post.from_path(candidate)
            except CrosspostError:
                break
            fm = {str(k).lower(): v for k, v in section.front_matter.items()}
            value = as_text(fm.get("slug")) or as_text(fm.get("title"))
            if value:
                return self._urlize(value)
            break
        return self._urlize(parts[-1])

    def _expand(self, pattern: str, page: HugoPage) -> str:
        escaped = pattern.replace("\\:", "\x00")
        date = page_date(page.fm)
        title = as_text(page.fm.get("title"))
        slug = as_text(page.fm.get("slug"))

        def filename() -> str:
            if page.stem == "_index":
                return ""
            return self._urlize(page.name)

        def sections_slice(spec: str, values: list[str]) -> str:
            return "/".join(go_slice(spec, values))

        def value(attr: str) -> str:
            sections = self._sections(page)
            simple: dict[str, Callable[[], str]] = {
                "year": lambda: str(date.year),
                "month": lambda: f"{date.month:02d}",
                "monthname": lambda: date.strftime("%B"),
                "day": lambda: f"{date.day:02d}",
                "weekday": lambda: str((date.weekday() + 1) % 7),
                "weekdayname": lambda: date.strftime("%A"),
                "yearday": lambda: str(date.timetuple().tm_yday),
                "section": lambda: page.container[0] if page.container else "",
                "sectionslug": lambda: (self._section_slug(page.content, sections[:1])
                                        if sections else ""),
                "sections": lambda: "/".join(sections),
                "sectionslugs": lambda: "/".join(self._section_slug(page.content, sections[: i + 1])
                                                 for i in range(len(sections))),
                "title": lambda: self._urlize(title),
                "slug": lambda: self._urlize(slug or title),
                "slugorfilename": lambda: self._urlize(slug) if slug else filename(),
                "filename": filename,
                "contentbasename": lambda: self._urlize(page.name),
                "slugorcontentbasename": lambda: self._urlize(slug or page.name),
            }
            if attr in simple:
                return simple[attr]()
            if attr.startswith("sections["):
                return sections_slice(attr[len("sections"):], sections)
            if attr.startswith("sectionslugs["):
                slugs = [self._section_slug(page.content, sections[: i + 1])
                         for i in range(len(sections))]
                return sections_slice(attr[len("sectionslugs"):], slugs)
            formatted = go_time_format(attr, date)
            if formatted is not None:
                return formatted
            raise ConfigError(f"{self.config_path or self.root}: the permalink {pattern!r} "
                              f"uses the unknown token :{attr}",
                              hint="see https://gohugo.io/configuration/permalinks/")

        result = ATTRIBUTE.sub(lambda m: value(m.group(0)[1:]), escaped)
        return result.replace("\x00", ":")

    # -- drafts, future and expired pages -------------------------------------------------------

    def _unpublished(self, post: Post, now: dt.datetime) -> str | None:
        page = self.content.page(post)
        fm = page.fm
        if page.lang in hugohosts.disabled_languages(self.config):
            return f"its language `{page.lang}` is disabled: Hugo builds no page in it"
        if truthy(fm.get("draft")) and not truthy(self.config.get("builddrafts")):
            return "it is marked `draft: true`: Hugo builds it only with --buildDrafts"
        build = fm.get("build") if isinstance(fm.get("build"), Mapping) else fm.get("_build")
        if isinstance(build, Mapping):
            render = {str(k).lower(): v for k, v in build.items()}.get("render")
            if render is False or str(render).lower() in {"never", "false"}:
                return "its `build.render` is `never`: Hugo gives it no page"
        if truthy(fm.get("headless")):
            return "it is `headless: true`: Hugo gives it no page"
        # The default [frontmatter] order of publishDate and expiryDate (hugolib config).
        publish = next((fm[k] for k in ("publishdate", "pubdate", "published", "date")
                        if parse_date(fm.get(k)) is not None), None)
        if self._after(publish, now) and not truthy(self.config.get("buildfuture")):
            return (f"its publish date {show_date(publish)} is in the future: Hugo skips it "
                    "until then (unless buildFuture is set)")
        expiry = next((fm[k] for k in ("expirydate", "unpublishdate")
                       if parse_date(fm.get(k)) is not None), None)
        if (expiry is not None and not self._after(expiry, now, expiry=True)
                and not truthy(self.config.get("buildexpired"))):
            return (f"it expired on {show_date(expiry)}: Hugo no longer builds it "
                    "(unless buildExpired is set)")
        return None

    def default_zone(self) -> dt.tzinfo:
        return dt.UTC  # Hugo reads a date without a zone as UTC

    # -- files and pages ------------------------------------------------------------------------

    def _file_url(self, resolved: Path, rel: str, site_url: str, post: Post | None) -> str | None:
        for static in self._static_dirs():
            if resolved.is_relative_to(static):
                return site_url + "/" + quote_path(resolved.relative_to(static).as_posix())
        if post is not None and self.content.page(post).bundle:
            bundle = post.resolved_path.parent
            if resolved.is_relative_to(bundle):
                inner = resolved.relative_to(bundle).as_posix()
                return resource_base(self.canonical_url(post)) + quote_path(inner)
        for content in self.content.directories():
            if resolved.is_relative_to(content):
                return site_url + "/" + quote_path(resolved.relative_to(content).as_posix())
        return None

    def _more_file_candidates(self, path: str, post: Post) -> list[Path]:
        statics = self._static_dirs()
        if not path.startswith("/"):
            return [static / path for static in statics]
        candidates = [static / path.lstrip("/") for static in statics]
        # A page bundle's own files, named from the site root: /posts/x/photo.jpg.
        try:
            own = self.url_path(post)
        except CrosspostError:
            own = ""
        own = resource_base(own) if own else ""
        if own.endswith("/") and path.startswith(own) and len(path) > len(own):
            candidates.append(post.resolved_path.parent / path[len(own):])
        return candidates

    def _static_dirs(self) -> list[Path]:
        return static_dirs(self.root, self.config)

    def _own_post_paths(self) -> Iterator[Path]:
        bundles: set[Path] = set()
        paths = sorted({path for content in self.content.directories() if content.is_dir()
                        for path in walk_markdown(content)})
        languages = self.content.languages()

        def is_index(path: Path) -> bool:  # index.md, or a translation's index.fr.md
            stem, _, lang = path.stem.partition(".")
            return stem == "index" and (not lang or lang.lower() in languages)

        for path in paths:
            if is_index(path):
                bundles.add(path.parent)
        for path in paths:
            if path.stem.startswith("_index"):
                continue
            # Markdown files inside a leaf bundle are its resources, not pages.
            owner = path.parent.parent if is_index(path) else path.parent
            if any(parent in bundles for parent in (owner, *owner.parents)):
                continue
            yield path

    def link_forms(self) -> Mapping[str, Finder]:
        return self.content.link_forms()

    def translation(self, post: Post, lang: str) -> Post | None:
        return self.content.translation(post, lang)

    # -- new posts ------------------------------------------------------------------------------

    def default_conventions(self) -> Conventions:
        return Conventions(caption=HUGO_FIGURE)  # built into Hugo

    def new_post_place(self, slug: str, when: dt.datetime, conventions: Conventions) -> Place:
        """The posts' section (``content/posts/`` without siblings), as a page bundle
        (``<slug>/index.md`` with its images beside it) when the siblings are bundles, else a
        file with its images in ``static/images/<slug>/``."""
        section = self.content.directory() / (conventions.section or "posts")
        if conventions.bundles:
            path = section / slug / "index.md"
            return Place(path, path.parent, "")
        static = self._static_dirs()[0]
        return Place(section / f"{slug}.md", static / "images" / slug,
                     f"{self.base_path}/images/{slug}/")


@dataclass(frozen=True)
class HugoPage:
    rel: str  # path below the content folder
    container: list[str]  # folders above the page (a bundle's folder excluded)
    name: str  # file stem, or a bundle's folder name
    stem: str  # file stem ("index" for a leaf bundle)
    bundle: bool
    fm: Mapping[str, Any]  # front matter with lower-cased keys
    lang: str = "en"  # its language: the file name's (`x.fr.md`), else its folder's or the default
    content: Path = Path("content")  # the content folder it is in (a language's own, or the site's)


class HugoContent:
    """Hugo's view of a site's content folder: pages, their keys, and ``ref`` lookups.

    A Hugo site has one; so does a plain folder, whose posts may use ``ref`` too.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self._pages: dict[str, list[Path]] | None = None

    def directory(self) -> Path:
        """The default language's content folder (where new posts go)."""
        return self._folders().get(self.default_language(), self._site_folder())

    def _site_folder(self) -> Path:
        name = self.site.config.get("contentdir") or "content"
        return self.site.root / str(name)

    def _folders(self) -> dict[str, Path]:
        """Each language's own content folder (``languages.fr.contentDir``), where it has one."""
        languages = self.site.config.get("languages")
        folders: dict[str, Path] = {}
        for key, settings in (languages.items() if isinstance(languages, Mapping) else ()):
            name = as_text(settings.get("contentdir")) if isinstance(settings, Mapping) else ""
            if name.strip():
                folders[str(key).lower()] = (self.site.root / name.strip()).resolve()
        return folders

    def directories(self) -> list[Path]:
        """Every content folder (resolved), the most nested first: a file belongs to the
        first that holds it."""
        found = {self._site_folder().resolve(), *self._folders().values()}
        return sorted(found, key=lambda p: (-len(p.parts), str(p)))

    def _placed(self, path: Path) -> tuple[Path, str | None]:
        """The content folder holding ``path`` and the language it is for (None: the site's)."""
        owners = {folder: lang for lang, folder in self._folders().items()}
        for folder in self.directories():
            if path.is_relative_to(folder):
                return folder, owners.get(folder)
        return self._site_folder().resolve(), None

    def lower(self) -> bool:
        return not bool(self.site.config.get("disablepathtolower"))

    def page(self, post: Post) -> HugoPage:
        resolved = Path(post.path).resolve()
        content, folder_lang = self._placed(resolved)
        try:
            rel = resolved.relative_to(content).as_posix()
        except ValueError:
            rel = self.site.relative_path(post.path)
        parts = rel.split("/")
        stem = posixpath.splitext(parts[-1])[0]
        lang = folder_lang or self.default_language()
        if "." in stem:
            base, _, suffix = stem.rpartition(".")
            if suffix.lower() in self.languages():
                stem, lang = base, suffix.lower()
        bundle = stem == "index"
        dirs = parts[:-1]
        if bundle and dirs:
            container, name = dirs[:-1], dirs[-1]
        else:
            container, name = dirs, stem
        fm = {str(k).lower(): v for k, v in post.front_matter.items()}
        return HugoPage(rel=rel, container=container, name=name, stem=stem, bundle=bundle,
                        fm=fm, lang=lang, content=content)

    def languages(self) -> set[str]:
        """The site's language keys (lower case, as Hugo reads them)."""
        languages = self.site.config.get("languages")
        return {str(k).lower() for k in languages} if isinstance(languages, Mapping) else set()

    def default_language(self) -> str:
        return (as_text(self.site.config.get("defaultcontentlanguage")) or "en").lower()

    def language_prefix(self, page: HugoPage) -> str:
        """page_paths.go LangPrefix: a page of a multilingual site that is not in the default
        language is published below its language (``/fr/posts/x/``); default-language pages
        too under ``defaultContentLanguageInSubdir``. A ``url`` in front matter has none."""
        if len(self.languages()) < 2 or hugohosts.multihost(self.site.config):
            return ""  # a multihost site's languages are on hosts of their own
        if page.lang != self.default_language() or truthy(
                self.site.config.get("defaultcontentlanguageinsubdir")):
            return page.lang
        return ""

    def link_forms(self) -> dict[str, Finder]:
        return {"ref": self.find_ref, "relref": self.find_ref}

    def find_ref(self, ref: str, relative_to: Post | None) -> Post | None:
        """hugolib/pagecollections.go getContentNode / getContentNodeForRef."""
        ref = ref.split("#", 1)[0].replace("\\", "/").rstrip("/")
        if not ref:
            return None
        pages = self._index()
        # A page's references are to pages of its own language (its translations).
        lang = self.page(relative_to).lang if relative_to is not None else self.default_language()
        last = ref.rsplit("/", 1)[-1]
        has_ext = "." in last.lstrip(".")
        key = ref
        if has_ext:
            key = ref[: -len(posixpath.splitext(ref)[1])]
        if relative_to is not None and not ref.startswith("/"):
            info = self.page(relative_to)
            if info.bundle and has_ext and ref.startswith("../"):
                base_dir = "/" + "/".join([*info.container, info.name])
            else:
                base_dir = "/" + "/".join(info.container)
            found = pages.get(self._key(posixpath.normpath(posixpath.join(base_dir, key))))
            if found and (picked := self._pick(found, lang)) is not None:
                return picked
        if ref.startswith("."):
            return None
        found = pages.get(self._key("/" + key.lstrip("/")))
        if found and (picked := self._pick(found, lang)) is not None:
            return picked
        if "/" not in ref:
            name = self._key("/" + key).rsplit("/", 1)[-1]
            matches = pages.get("name:" + name, [])
            return self._pick(matches, lang) if matches else None
        return None

    def translation(self, post: Post, lang: str) -> Post | None:
        """``post`` in language ``lang`` (``ref`` with ``lang=``), if the site has it."""
        rel = self.page(post).rel
        found = self._index().get(self._key(posixpath.splitext(rel)[0]), [])
        return self._pick(found, lang.lower()) if found else None

    def _pick(self, paths: list[Path], lang: str) -> Post | None:
        """The one page of ``paths`` (a page and its translations) in ``lang``."""
        if len(paths) == 1:
            return self.site.load(paths[0])
        same = [p for p in paths if self._language_of(p) == lang]
        return self.site.load(same[0]) if len(same) == 1 else None

    def _language_of(self, path: Path) -> str:
        stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
        base, dot, suffix = stem.rpartition(".")
        if dot and base and suffix.lower() in self.languages():
            return suffix.lower()
        return self._placed(path.resolve())[1] or self.default_language()

    def _key(self, page_path: str) -> str:
        parts = [p for p in page_path.split("/") if p and p != "."]
        if parts:  # a translation (`hello.fr`) is the same page as `hello`
            base, dot, suffix = parts[-1].rpartition(".")
            if dot and base and suffix.lower() in self.languages():
                parts[-1] = base
        if parts and parts[-1] in {"index", "_index"}:
            parts = parts[:-1]
        key = "/" + "/".join(normalize(p) for p in parts)
        return key.lower() if self.lower() else key

    def _index(self) -> dict[str, list[Path]]:
        if self._pages is None:
            index: dict[str, list[Path]] = {}
            for path in self.site.post_paths():
                content, _ = self._placed(path.resolve())
                try:
                    rel = path.resolve().relative_to(content).as_posix()
                except ValueError:
                    continue
                key = self._key(posixpath.splitext(rel)[0])
                index.setdefault(key, []).append(path)
                index.setdefault("name:" + key.rsplit("/", 1)[-1], []).append(path)
            self._pages = index
        return self._pages


# -- configuration ---------------------------------------------------------------------------------


def static_dirs(root: Path, config: Mapping[str, Any]) -> list[Path]:
    """The folders Hugo copies as they are to the root of the site (``staticDir``)."""
    configured = config.get("staticdir") or "static"
    names = configured if isinstance(configured, list) else [configured]
    return [(root / str(name)).resolve() for name in names]


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


# -- the permalink machinery ----------------------------------------------------------------------


def sanitize(text: str) -> str:
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


def normalize(part: str) -> str:
    """How Hugo's path parser normalises a file or folder name (spaces to hyphens)."""
    return part.replace(" ", "-")


def join(elements: list[str]) -> str:
    out: list[str] = []
    trailing = False
    for element in elements:
        if not trailing and not element.startswith("/"):
            out.append("/")
        trailing = element.endswith("/")
        out.append(element)
    return "".join(out) or "/"


def resource_base(page_url: str) -> str:
    """Where a page bundle's files are published: below the page's folder, which for an
    ugly URL (``/posts/b.html``) is the page's path without ``.html`` (``/posts/b/``)."""
    if page_url.endswith(".html"):
        return page_url[: -len(".html")] + "/"
    return page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"


def url_front_matter(url: str) -> str:
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


def permalink_rules(config: Any) -> list[tuple[str, str]]:
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


_DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")


def page_date(fm: Mapping[str, Any]) -> dt.datetime:
    """Hugo's ``.Date``: the first date field set (frontmatter config default order)."""
    for key in _DATE_KEYS:
        parsed = parse_date(fm.get(key))
        if parsed is not None:
            return parsed
    return dt.datetime(1, 1, 1)  # Go's zero time, which is what Hugo would use


__all__ = ["LEGACY_CONFIGS", "ROOT_CONFIGS", "HugoContent", "HugoPage", "HugoSite",
           "join", "normalize", "page_date", "permalink_rules", "resource_base",
           "sanitize", "url_front_matter"]
