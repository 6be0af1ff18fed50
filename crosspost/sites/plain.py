"""Plain sites: a folder of Markdown files, described (if at all) by ``crosspost.toml``.

No generator builds them, so crosspost's own settings say what a generator would: ``url``,
``permalink`` (Jekyll placeholders, ``/:slug/`` by default) and ``posts`` (globs). A plain
folder may hold Markdown written for either generator, so both link forms are understood:
Jekyll's ``post_url``/``link`` and Hugo's ``ref``/``relref``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from crosspost.errors import ConfigError
from crosspost.post import Post
from crosspost.sites import jekyll
from crosspost.sites.base import Finder, Site
from crosspost.sites.files import walk_markdown
from crosspost.sites.hugo import HugoContent
from crosspost.sites.newpost import Conventions, Place
from crosspost.sites.values import as_list, ruby_str, truthy
from crosspost.sites.vault import Vault


@dataclass
class PlainSite(Site):
    """A folder of Markdown files, with or without a ``crosspost.toml``."""

    generator: ClassVar[str] = "plain"

    _content: HugoContent | None = field(default=None, init=False, repr=False, compare=False)
    _vault: Vault | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def detect(cls, directory: Path) -> Path | None:
        if (directory / "crosspost.toml").is_file():
            return directory / "crosspost.toml"
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.crosspost" in pyproject.read_text(encoding="utf-8",
                                                                            errors="replace"):
            return pyproject
        return None

    def url_path(self, post: Post) -> str:
        rel = self.relative_path(post.path)
        own = post.front_matter.get("permalink")
        template = own if isinstance(own, str) and own else (self.settings.permalink
                                                             or "/:slug/")
        data: dict[str, Any] = {}
        jekyll.merge_data(data, dict(post.front_matter))
        cats = as_list(data.get("categories")) + jekyll.pluralized(data, "category", "categories")
        data["categories"] = list(dict.fromkeys(ruby_str(c) for c in cats))
        drop = jekyll.UrlDrop(post, rel, data)
        try:
            url = jekyll.generate_url(template, drop.placeholder)
        except KeyError as exc:
            where = post.path if own else (self.settings.path or self.root)
            raise ConfigError(f"{where}: the permalink {template!r} uses the unknown "
                              f"placeholder :{exc.args[0]}") from None
        return jekyll.sanitize_url(url)

    def _unpublished(self, post: Post, now: dt.datetime) -> str | None:
        fm = post.front_matter
        if truthy(fm.get("draft")):
            return "it is marked `draft: true`"
        if "published" in fm and not truthy(fm.get("published")):
            return "it is marked `published: false`"
        return None

    def _own_post_paths(self) -> Iterator[Path]:
        yield from walk_markdown(self.root)

    def new_post_place(self, slug: str, when: dt.datetime, conventions: Conventions) -> Place:
        """Beside the site's posts (the folder most of them are in), images in
        ``images/<slug>/`` there, linked relatively."""
        folder = self.root / conventions.folder if conventions.folder else self.root
        return Place(folder / f"{slug}.md", folder / "images" / slug, f"images/{slug}/")

    def link_forms(self) -> Mapping[str, Finder]:
        if self._content is None:
            self._content = HugoContent(self)  # for `ref`: its index is built once
        forms = {**jekyll.link_forms(self), **self._content.link_forms()}
        if self.obsidian:
            forms["wikilink"] = self._find_wikilink
        return forms

    # -- an Obsidian vault kept as a plain folder -------------------------------------------------

    @property
    def obsidian(self) -> bool:
        """A folder with Obsidian's own ``.obsidian/`` settings is a vault: its posts are
        written in Obsidian's Markdown, where ``[[…]]`` and ``==…==`` mean nothing else."""
        return (self.root / ".obsidian").is_dir()

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            self._vault = Vault(self.root)
        return self._vault

    def _find_wikilink(self, text: str, relative_to: Post | None) -> Post | None:
        found = self.vault.resolve(text, relative_to=relative_to.path if relative_to else None)
        return self.load_if_markdown(found) if found is not None else None

    def vault_file(self, name: str, *, post: Post | None = None) -> Path | None:
        if not self.obsidian:
            return None
        return self.vault.resolve(name, relative_to=post.path if post else None, note=False)


__all__ = ["PlainSite"]
