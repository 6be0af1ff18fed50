"""Quartz (v4) sites: Obsidian vaults published as digital gardens.

``quartz.config.ts`` names the site (``baseUrl``, written without a scheme), the files left
out (``ignorePatterns``) and the filters (``RemoveDrafts``, ``ExplicitPublish``); the notes
are the ``.md`` files of ``content/``. A note is published at ``https://<baseUrl>/<slug>``:
its path below ``content/`` without ``.md``, with the characters a URL cannot hold
replaced, case kept, no trailing slash (``quartz/util/path.ts`` ``slugifyFilePath``,
``simplifySlug``). Attachments keep their extension and get the same treatment. Links
are Obsidian's: wikilinks by name (:mod:`crosspost.sites.vault`).

The configuration is TypeScript; crosspost reads the few literal values it needs from it
and never runs it.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

from crosspost.config import read_config_text
from crosspost.post import Post
from crosspost.sites.base import Finder, Site
from crosspost.sites.newpost import Conventions, Place
from crosspost.sites.siteurl import Candidate
from crosspost.sites.values import as_text, glob_match, truthy
from crosspost.sites.vault import Vault

CONFIG_NAMES = ("quartz.config.ts", "config/quartz.config.ts")
CONTENT = "content"
# The template's defaults (quartz.config.ts as Quartz ships it).
DEFAULT_IGNORE = ("private", "templates", ".obsidian")

_STRING = r"""(["'`])((?:(?!\1)[^\\]|\\.)*)\1"""
_BASE_URL = re.compile(r"\bbaseUrl\s*:\s*" + _STRING)
_PAGE_TITLE = re.compile(r"\bpageTitle\s*:\s*" + _STRING)
_IGNORE = re.compile(r"\bignorePatterns\s*:\s*\[(?P<items>[^\]]*)\]", re.DOTALL)
_RESOLUTION = re.compile(r"\bmarkdownLinkResolution\s*:\s*" + _STRING)
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_LINE_COMMENT = re.compile(r"(?m)^[ \t]*//.*$|(?<=[\s,;{}()\[\]])//[^\n]*")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")


@dataclass
class QuartzSite(Site):
    """A Quartz site: ``quartz.config.ts`` and a ``content/`` folder of notes."""

    generator: ClassVar[str] = "quartz"

    _vault: Vault | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def detect(cls, directory: Path) -> Path | None:
        for name in CONFIG_NAMES:
            if (directory / name).is_file():
                return directory / name
        return None

    @classmethod
    def read_config(cls, root: Path, config_path: Path | None) -> Mapping[str, Any]:
        """The literal settings crosspost needs, read from the TypeScript source."""
        if config_path is None:
            return {}
        return parse_config(read_config_text(config_path))

    @classmethod
    def url_candidates(cls, config: Mapping[str, Any], config_path: Path | None) -> list[Candidate]:
        base = as_text(config.get("baseUrl")).strip()
        if base and "://" not in base:
            base = "https://" + base.lstrip("/")  # written without a scheme, served over HTTPS
        return [Candidate(base, f"{config_path}: `baseUrl`")]

    @classmethod
    def configured_base_path(cls, config: Mapping[str, Any]) -> str:
        base = as_text(config.get("baseUrl")).strip()
        if not base:
            return ""
        return urlsplit(base if "://" in base else "https://" + base).path.rstrip("/")

    @classmethod
    def cname_files(cls, root: Path, config: Mapping[str, Any]) -> list[Path]:
        return [root / CONTENT / "CNAME"]  # content files are published at the root

    # -- the vault ------------------------------------------------------------------------------

    @property
    def content(self) -> Path:
        return self.root / CONTENT

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            self._vault = Vault(self.content, keep=lambda rel: not self.ignored(rel),
                                slug=slugify_file_path)
        return self._vault

    @property
    def obsidian(self) -> bool:
        return True

    def ignored(self, rel: str) -> bool:
        """Whether ``ignorePatterns`` leaves out ``rel`` (a path below ``content/``)."""
        patterns = self.config.get("ignorePatterns", DEFAULT_IGNORE)
        parts = rel.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        # A pattern names a path from the content folder; naming a folder leaves out all in it.
        return any(glob_match(str(p).strip("/"), prefix) for p in patterns for prefix in prefixes)

    def content_path(self, path: Path) -> str | None:
        """``path`` below ``content/`` as a POSIX path (the folder may be a symlink to a
        vault elsewhere), or None outside it."""
        resolved = Path(path).resolve()
        for top in (self.content.resolve(), self.content.absolute()):
            try:
                return resolved.relative_to(top).as_posix()
            except ValueError:
                continue
        return None

    def within(self, resolved: Path) -> bool:
        return super().within(resolved) or resolved.is_relative_to(self.content.resolve())

    # -- permalinks ---------------------------------------------------------------------------

    def url_path(self, post: Post) -> str:
        own = post.front_matter.get("permalink")
        if isinstance(own, str | int) and str(own).strip(" /"):
            # An alias that redirects to the page (forks serve the page at it): it resolves.
            return quote_slug("/" + str(own).strip(" /"))
        rel = self.content_path(post.path)
        if rel is None:
            rel = self.relative_path(post.path)
        return quote_slug(page_path(slugify_file_path(rel)))

    # -- drafts and explicit publishing ---------------------------------------------------------

    def _unpublished(self, post: Post, now: dt.datetime) -> str | None:
        rel = self.content_path(post.path)
        if rel is None:
            return f"it is not in the site's {CONTENT}/ folder: Quartz does not publish it"
        if self.ignored(rel):
            return "it matches `ignorePatterns` in quartz.config.ts: Quartz leaves it out"
        fm = post.front_matter
        filters = self.config.get("filters", ("RemoveDrafts",))
        if "RemoveDrafts" in filters and truthy(fm.get("draft")):
            return "it is marked `draft: true`: Quartz's RemoveDrafts filter leaves it out"
        if "ExplicitPublish" in filters and not truthy(fm.get("publish")):
            return ("it has no `publish: true`, and quartz.config.ts publishes only notes "
                    "that say so (ExplicitPublish)")
        return None

    # -- files and posts ------------------------------------------------------------------------

    def _file_url(self, resolved: Path, rel: str, site_url: str, post: Post | None) -> str | None:
        inside = self.content_path(resolved)
        if inside is not None:
            return site_url + quote_slug("/" + slugify_file_path(inside))
        static = (self.root / "quartz" / "static").resolve()
        if resolved.is_relative_to(static):
            return site_url + quote_slug("/static/" + resolved.relative_to(static).as_posix())
        return None

    def _more_file_candidates(self, path: str, post: Post) -> list[Path]:
        candidates = [self.content / path.lstrip("/")] if path.startswith("/") else []
        found = self.vault.path_for_slug(path) if path.startswith("/") else None
        if found is not None:
            candidates.append(found)  # an attachment named by its published (slugified) URL
        return candidates

    def _own_post_paths(self) -> Iterator[Path]:
        for rel, path in self.vault.files().items():
            if rel.endswith(".md"):
                yield path.resolve()

    def link_forms(self) -> Mapping[str, Finder]:
        return {"wikilink": self._find_wikilink}

    def _find_wikilink(self, text: str, relative_to: Post | None) -> Post | None:
        # CrawlLinks' markdownLinkResolution: "shortest" (the default) finds a note by
        # name, "absolute" reads the path from the content folder, "relative" from the note.
        strategy = self.config.get("markdownLinkResolution", "shortest")
        if strategy == "relative" and relative_to is not None and not text.startswith("."):
            text = "./" + text
        found = self.vault.resolve(text, relative_to=relative_to.path if relative_to else None,
                                   by_name=strategy == "shortest")
        return self.load_if_markdown(found) if found is not None else None

    def vault_file(self, name: str, *, post: Post | None = None) -> Path | None:
        return self.vault.resolve(name, relative_to=post.path if post else None, note=False)

    # -- new posts ------------------------------------------------------------------------------

    def new_post_place(self, slug: str, when: dt.datetime, conventions: Conventions) -> Place:
        """The content folder (or the folder of it most notes are in); images in the
        vault's ``attachments/`` folder, named after the note, linked relatively (or
        embedded by name, as Obsidian does, when the siblings embed theirs)."""
        folder = self.content
        if conventions.folder and (conventions.folder == CONTENT
                                   or conventions.folder.startswith(CONTENT + "/")):
            folder = self.root / conventions.folder
        images = self.content / "attachments"
        prefix = posixpath.relpath(images, folder).replace(os.sep, "/") + "/"
        return Place(folder / f"{slug}.md", images, prefix, image_name_prefix=f"{slug}-",
                     embeds=conventions.embeds)


# -- the configuration -----------------------------------------------------------------------------


def parse_config(source: str) -> dict[str, Any]:
    """``baseUrl``, ``pageTitle`` (as ``title``, the site's name in attribution lines),
    ``ignorePatterns``, the filters and the link resolution of a ``quartz.config.ts``, from
    its literals (comments left out)."""
    text = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", source))
    config: dict[str, Any] = {}
    title = _PAGE_TITLE.search(text)
    if title:
        config["title"] = title.group(2)
    found = _BASE_URL.search(text)
    if found:
        config["baseUrl"] = found.group(2)
    ignore = _IGNORE.search(text)
    if ignore:
        config["ignorePatterns"] = tuple(m.group(2) for m in re.finditer(_STRING, ignore["items"]))
    config["filters"] = tuple(name for name in ("RemoveDrafts", "ExplicitPublish")
                              if re.search(rf"\bPlugin\.{name}\s*\(", text))
    # Plugin.Latex is remark-math (+ KaTeX or MathJax): single `$` is inline math with it.
    config["latex"] = re.search(r"\bPlugin\.Latex\s*\(", text) is not None
    resolution = _RESOLUTION.search(text)
    if resolution:
        config["markdownLinkResolution"] = resolution.group(2)
    return config


# -- slugs -----------------------------------------------------------------------------------------


def slugify_file_path(rel: str) -> str:
    """quartz/util/path.ts ``slugifyFilePath``: a content path as its slug.

    Each segment: whitespace to ``-``, ``&`` to ``-and-``, ``%`` to ``-percent``, ``?``
    and ``#`` dropped; ``.md`` (and ``.html``) go, other extensions stay; a final
    ``_index`` is ``index``. Case is kept.
    """
    rel = rel.strip("/")
    found = _EXTENSION.search(rel)
    ext = found.group(0) if found else ""
    stem = rel[: len(rel) - len(ext)] if ext else rel
    if ext in {".md", ".html"}:
        ext = ""
    segments = [re.sub(r"\s", "-", seg).replace("&", "-and-").replace("%", "-percent")
                .replace("?", "").replace("#", "") for seg in stem.split("/")]
    slug = "/".join(segments).rstrip("/")
    if slug == "_index" or slug.endswith("/_index"):
        slug = slug[: -len("_index")] + "index"
    return slug + ext


def page_path(slug: str) -> str:
    """A page's URL path from its slug (``simplifySlug``): ``index`` names its folder."""
    if slug == "index":
        return "/"
    if slug.endswith("/index"):
        return "/" + slug[: -len("index")]
    return "/" + slug


def quote_slug(path: str) -> str:
    """A slug path as a URL path: what a URL cannot hold is %-escaped (upper-case hex)."""
    return quote(path, safe="/-._~!$&'()*+,;=:@")


__all__ = ["CONFIG_NAMES", "QuartzSite", "page_path", "parse_config", "quote_slug",
           "slugify_file_path"]
