"""Which site a post belongs to: the generators in the order they are tried, and a cache.

Adding a generator is adding its module and its class to :data:`GENERATORS`, before
:class:`~crosspost.sites.plain.PlainSite` (whose ``crosspost.toml`` may sit beside any
generator's configuration, and so must lose to it).
"""

from __future__ import annotations

from pathlib import Path

from crosspost.sites.base import Site
from crosspost.sites.hugo import HugoSite
from crosspost.sites.jekyll import JekyllSite
from crosspost.sites.plain import PlainSite
from crosspost.sites.quartz import QuartzSite
from crosspost.sites.siteurl import announce

# Tried in this order in each folder, from the post's upwards. Quartz first: its
# quartz.config.ts is unmistakable, while its content/ folder would let a stray
# config.toml pass for Hugo's.
GENERATORS: tuple[type[Site], ...] = (QuartzSite, JekyllSite, HugoSite, PlainSite)


def generator_named(name: str) -> type[Site]:
    """The site class of the generator called ``name`` ("jekyll", "hugo", "quartz", "plain")."""
    for cls in GENERATORS:
        if cls.generator == name:
            return cls
    raise ValueError(f"unknown generator {name!r}")


def discover(post_path: Path) -> Site:
    """Walk up from ``post_path`` to the site root and read its configuration.

    The first directory with a generator's configuration, or a ``crosspost.toml``, is the
    root. The walk stops at a repository root (``.git``); a post with no site around it
    is a plain site rooted at its own folder.
    """
    site = _find(post_path)
    announce(site.url, site.url_source, site.url_problem)
    return site


def _find(post_path: Path) -> Site:
    start = Path(post_path).absolute()
    if not start.is_dir():
        start = start.parent
    for directory in (start, *start.parents):
        for cls in GENERATORS:
            config_path = cls.detect(directory)
            if config_path is not None:
                return cls.from_root(directory, config_path)
        if (directory / ".git").exists():
            break
    return PlainSite.from_root(start, None)


class SiteCache:
    """Sites found so far, so that many posts of one site share one :class:`Site`.

    Discovery reads configuration files; a run over hundreds of posts does it once per
    folder, and posts of one site share its sibling index.
    """

    def __init__(self) -> None:
        self._by_root: dict[Path, Site] = {}
        self._by_folder: dict[Path, Site] = {}

    def for_post(self, path: Path) -> Site:
        """The site of the post at ``path``."""
        return self.for_folder(Path(path).absolute().parent)

    def for_folder(self, folder: Path) -> Site:
        """The site ``folder`` belongs to (the site's root or any folder inside it)."""
        folder = Path(folder).absolute()
        site = self._by_folder.get(folder)
        if site is None:
            found = _find(folder)
            site = self._by_root.get(found.root)
            if site is None:
                site = self._by_root[found.root] = found
                announce(site.url, site.url_source, site.url_problem)
            self._by_folder[folder] = site
        return site


__all__ = ["GENERATORS", "SiteCache", "discover", "generator_named"]
