"""The rendering pipeline's public face: what a target receives, and how to get it.

``render_post`` is a pure function of (post, site, target, options): no network, no writes.
It runs the pipeline in ``crosspost.render.pipeline`` (imported lazily, because the Markdown
parser is the heaviest thing crosspost loads after httpx):

    source dialect (Liquid and kramdown: ``liquid``; Hugo shortcodes: ``shortcodes``)
        → portable Markdown, parsed again (``markdown``: parser, protected code, span edits)
        → links made absolute, sibling and self links resolved (``links``), raw HTML
          converted (``html``)
        → the target's dialect (``forum`` or ``devto`` Markdown, or ``medium`` HTML)

Everything that could not be carried over is reported as a :class:`Notice` with its line in
the source file, never dropped silently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crosspost.config import TargetOptions
    from crosspost.post import Post
    from crosspost.sites import Site


@dataclass(frozen=True)
class Notice:
    """Something the reader should know about the rendering, placed at ``path:line``."""

    path: str
    line: int | None
    message: str
    severity: str = "warning"  # "warning" or "info"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Asset:
    """A local file the body refers to by ``url`` (absolute, on the user's site).

    Medium uploads these (``POST /images``) and swaps the URL; the forums let their servers
    fetch the absolute URL.
    """

    url: str
    path: Path


def content_hash(title: str, body: str, draft: bool) -> str:
    """The fingerprint recorded as ``hash`` in the front matter.

    It covers everything a target is sent that the user controls: title, body and whether it
    is a draft, so flipping ``draft: false`` counts as a change that needs publishing.
    """
    digest = hashlib.sha256()
    for part in (title, body, "draft" if draft else "public"):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass(frozen=True)
class Rendered:
    """Exactly what one target would receive for one post."""

    target: str
    title: str
    body: str
    format: str  # "markdown" (forums) or "html" (Medium)
    canonical_url: str
    options: TargetOptions
    source_path: Path
    notices: tuple[Notice, ...] = ()
    assets: tuple[Asset, ...] = ()
    # Ids of this post's own (recorded) copy on this target, found as links in the body and
    # removed from it: "Cross-posted on [LessWrong](https://www.lesswrong.com/posts/<id>/…)".
    self_ids: tuple[str, ...] = ()
    # URLs of unrecorded posts on this target (or its database) linked from a cross-post
    # notice: maybe this post's copy, maybe another's. Left in the body; the engine decides.
    copy_candidates: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    # For each line of a forum body, the file line it copies verbatim, or None (rewritten,
    # or added): ``crosspost pull`` maps edits made on the platform back through it. Only
    # computed when asked for (``render_post(..., provenance=True)``).
    lines: tuple[int | None, ...] | None = None

    @property
    def hash(self) -> str:
        return content_hash(self.title, self.body, self.options.draft)

    @property
    def meta(self) -> str | None:
        """The fingerprint recorded as ``meta``: of the fields a target is sent beside the
        body and can change in place (dev.to's tags, description, series, cover, canonical
        URL), so changing only those still updates the copy; None where there are none.
        Apart from ``hash``, so the hashes of copies recorded before it stay valid."""
        fields = self.extra.get("meta")
        if not fields:
            return None
        import json

        text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def warnings(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.severity == "warning")

    def with_body(self, body: str, **changes: Any) -> Rendered:
        """A copy with a new body (Medium swaps uploaded image URLs in after rendering)."""
        from dataclasses import replace

        return replace(self, body=body, **changes)


def render_post(post: Post, site: Site, target: str, options: TargetOptions | None = None, *,
                provenance: bool = False) -> Rendered:
    """Render ``post`` for ``target`` (a canonical target name).

    ``options`` default to the merge of the site configuration and the post's own
    ``crosspost.<target>`` block. ``provenance`` fills in :attr:`Rendered.lines`.
    """
    from crosspost.render.pipeline import render

    return render(post, site, target, options, provenance=provenance)


__all__ = ["Asset", "Notice", "Rendered", "content_hash", "render_post"]
