"""The site a post belongs to: its generator, its URL, its permalinks and its other posts.

One module per generator, each owning its detection, its configuration, its permalink
rules, its draft and future rules and its own link forms, behind one base:

- :mod:`~crosspost.sites.base`: :class:`Site`, what every site is (URL joining, files,
  the index of posts, sibling lookup);
- :mod:`~crosspost.sites.jekyll`, :mod:`~crosspost.sites.hugo`,
  :mod:`~crosspost.sites.quartz`, :mod:`~crosspost.sites.plain`: the generators
  (:mod:`~crosspost.sites.vault`: how an Obsidian vault finds a note or a file by name);
- :mod:`~crosspost.sites.discovery`: which generator a folder is (in a written order) and
  the :class:`SiteCache`;
- :mod:`~crosspost.sites.siteurl`: where the site URL comes from, decided in one place
  (:mod:`~crosspost.sites.ghpages`: what a GitHub Pages repository says about it);
- :mod:`~crosspost.sites.files`, :mod:`~crosspost.sites.urls` and
  :mod:`~crosspost.sites.values`: Markdown files and config files, URL arithmetic, and
  values as Ruby and Go read them.
"""

from __future__ import annotations

from crosspost.sites.base import Site
from crosspost.sites.discovery import GENERATORS, SiteCache, discover, generator_named
from crosspost.sites.files import MARKDOWN_SUFFIXES
from crosspost.sites.hugo import HugoSite
from crosspost.sites.jekyll import JekyllSite
from crosspost.sites.plain import PlainSite
from crosspost.sites.quartz import QuartzSite
from crosspost.sites.siteurl import SiteURL

__all__ = ["GENERATORS", "MARKDOWN_SUFFIXES", "HugoSite", "JekyllSite", "PlainSite", "QuartzSite",
           "Site", "SiteCache", "SiteURL", "discover", "generator_named"]
