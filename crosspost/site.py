"""The site a post belongs to: its generator, its URL, its permalinks and its other posts.

(Interface stub: the implementation is being written. Signatures are the contract.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosspost.config import Settings
from crosspost.post import Post


@dataclass
class Site:
    """A Jekyll site, a Hugo site, or a plain folder of Markdown files."""

    root: Path
    generator: str  # "jekyll", "hugo" or "plain"
    url: str | None  # absolute base URL including any baseurl, no trailing slash
    settings: Settings = field(default_factory=Settings)
    config: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def discover(cls, post_path: Path) -> Site:
        """Walk up from ``post_path`` to the site root and read its configuration."""
        raise NotImplementedError

    def canonical_url(self, post: Post) -> str:
        """The URL the generator publishes ``post`` at (``canonical_url`` front matter wins)."""
        raise NotImplementedError

    def absolute_url(self, ref: str, *, base: str | None = None) -> str:
        """Resolve a link/image reference found in a post to an absolute URL."""
        raise NotImplementedError

    def local_file(self, ref: str, *, post: Post) -> Path | None:
        """The file inside the site that ``ref`` (relative, root-relative or site URL) names."""
        raise NotImplementedError

    def post_paths(self) -> list[Path]:
        """Every post file of the site, sorted."""
        raise NotImplementedError

    def load(self, path: Path) -> Post:
        """Load (and cache) a post of this site."""
        raise NotImplementedError

    def find_post(self, ref: str, *, kind: str, relative_to: Post | None = None) -> Post | None:
        """The post a generator reference names (``post_url``, ``link``, ``ref``, ``relref``)."""
        raise NotImplementedError

    def post_for_url(self, url: str) -> Post | None:
        """The sibling post whose canonical URL is ``url`` (ignoring scheme, query, fragment)."""
        raise NotImplementedError


__all__ = ["Site"]
