"""An in-memory site for the renderer's unit tests.

It implements ``crosspost.sites.Site``'s interface over a dict of posts, with Jekyll's URL
rules kept simple (``/<slug>/`` under the base URL), so the renderer's tests do not depend on
the generators' permalink logic. The example sites test the real ``Site``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from crosspost.post import Post
from crosspost.render import Rendered, render_post
from crosspost.sites import Site


@dataclass
class MemorySite(Site):
    generator: ClassVar[str] = "jekyll"  # what the renderer treats the site as

    posts: dict[str, Post] = field(default_factory=dict)
    # Site paths (no leading slash, under the base URL) of files that exist locally.
    files: set[str] = field(default_factory=set)

    def add(self, name: str, text: str) -> Post:
        post = Post.from_text(text, self.root / name)
        self.posts[str(post.path)] = post
        return post

    def canonical_url(self, post: Post) -> str:
        explicit = post.front_matter.get("canonical_url")
        if isinstance(explicit, str):
            return explicit
        return f"{self.url}/{post.file_slug}/"

    def absolute_url(self, ref: str, *, base: str | None = None, post: Post | None = None) -> str:
        if ref.startswith("/") and not ref.startswith("//"):
            # As the real Site: a root-relative ref gets the base path exactly once.
            parts = urlsplit(self.url or "")
            base = parts.path.rstrip("/")
            path = ref if base and (ref == base or ref.startswith(base + "/")) else base + ref
            return f"{parts.scheme}://{parts.netloc}{path}"
        return urljoin(base or f"{self.url}/", ref)

    def published_url(self, ref: str, *, post: Post) -> str:
        return self.absolute_url(ref, base=self.canonical_url(post))

    def local_file(self, ref: str, *, post: Post) -> Path | None:
        absolute = self.absolute_url(ref, base=self.canonical_url(post))
        base = f"{self.url}/"
        if not absolute.startswith(base):
            return None
        relative = urlsplit(absolute[len(base):]).path
        return self.root / relative if relative in self.files else None

    def post_paths(self) -> list[Path]:
        return sorted(Path(p) for p in self.posts)

    def load(self, path: Path) -> Post:
        return self.posts[str(path)]

    def find_post(self, ref: str, *, kind: str, relative_to: Post | None = None) -> Post | None:
        for post in self.posts.values():
            if kind == "post_url" and post.path.stem == ref:
                return post
            if kind == "link" and str(post.path).endswith(ref):
                return post
            if kind in {"ref", "relref"} and (ref in {post.path.name, post.path.stem}
                                               or str(post.path.with_suffix("")).endswith(ref)):
                return post
        return None

    def post_for_url(self, url: str) -> Post | None:
        wanted = _bare(url)
        for post in self.posts.values():
            if _bare(self.canonical_url(post)) == wanted:
                return post
        return None


def _bare(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc + parts.path.rstrip("/")


class MemoryHugoSite(MemorySite):
    generator: ClassVar[str] = "hugo"


class MemoryPlainSite(MemorySite):
    generator: ClassVar[str] = "plain"


_KINDS: dict[str, type[MemorySite]] = {"jekyll": MemorySite, "hugo": MemoryHugoSite,
                                       "plain": MemoryPlainSite}


def make_site(generator: str = "jekyll", url: str = "https://blog.example.org",
              **config: object) -> MemorySite:
    return _KINDS[generator](root=Path("/site"), url=url, config=dict(config))


def render_text(text: str, target: str = "lesswrong", *, site: MemorySite | None = None,
                name: str = "_posts/2024-01-02-post.md", **options: object) -> Rendered:
    """Render ``text`` as a post of ``site`` (a fresh Jekyll site by default)."""
    from crosspost.config import TargetOptions

    site = site if site is not None else make_site()
    post = site.add(name, text)
    resolved = TargetOptions.from_layers(options, where="test") if options else None
    return render_post(post, site, target, resolved)


def body_of(text: str, target: str = "lesswrong", *, site: MemorySite | None = None,
            name: str = "_posts/2024-01-02-post.md", **options: object) -> str:
    """The rendered body with the attribution switched off."""
    options.setdefault("attribution", False)
    return render_text(text, target, site=site, name=name, **options).body
