"""What every rendering step shares for one (post, target): inputs, notices, placeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from crosspost.render import Asset, Notice

if TYPE_CHECKING:
    from crosspost.config import TargetOptions
    from crosspost.platforms import TargetInfo
    from crosspost.post import Post
    from crosspost.render.links import LinkResolver
    from crosspost.render.markdown import Layer
    from crosspost.sites import Site

# Placeholders stand for finished HTML in the Markdown that Medium's emitter renders:
# private-use characters, which neither Markdown nor HTML escaping touches.
PLACEHOLDER_OPEN = "\ue000"
PLACEHOLDER_CLOSE = "\ue001"


class Emitter(Protocol):
    """What differs between the target dialects when a construct is carried over.

    Each method returns Markdown source to put in place of the construct; the Medium emitter
    returns placeholders for HTML it builds itself (figures, iframes as links, clean HTML).
    Blocks come without surrounding blank lines (see ``markdown.block_edit``).
    """

    def figure(self, src: str, *, alt: str, title: str | None, caption: str | None,
               caption_is_html: bool, link: str | None, offset: int) -> str: ...

    def embed(self, url: str) -> str: ...

    def media(self, url: str, label: str) -> str: ...

    def collapsible_open(self, summary: str) -> str: ...

    def collapsible_close(self) -> str: ...

    def html_block(self, html: str, offset: int) -> str: ...


@dataclass
class RenderContext:
    """The inputs of one rendering and what it collects on the way."""

    post: Post
    site: Site
    target: str
    info: TargetInfo
    options: TargetOptions
    canonical_url: str
    layer: Layer
    notices: list[Notice] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)
    self_ids: list[str] = field(default_factory=list)
    copy_candidates: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    collapsible_depth: int = 0
    # Set by the pipeline once the pieces exist (they need the context themselves).
    links: LinkResolver = field(init=False)
    emitter: Emitter = field(init=False)

    @property
    def dialect(self) -> str:
        return self.info.dialect

    @property
    def path(self) -> str:
        return str(self.post.path)

    def line(self, offset: int) -> int:
        """The file line of ``offset`` in the text being worked on now."""
        return self.layer.line(offset)

    def warn(self, offset: int, message: str) -> None:
        self._notice(offset, message, "warning")

    def inform(self, offset: int, message: str) -> None:
        self._notice(offset, message, "info")

    def _notice(self, offset: int, message: str, severity: str) -> None:
        notice = Notice(self.path, self.line(offset), message, severity)
        if notice not in self.notices:
            self.notices.append(notice)

    def placeholder(self, html: str) -> str:
        """A stand-in for finished HTML, swapped back after Medium's Markdown is rendered."""
        self.fragments.append(html)
        return f"{PLACEHOLDER_OPEN}{len(self.fragments) - 1}{PLACEHOLDER_CLOSE}"

    @property
    def label(self) -> str:
        return self.info.label

    def note(self, what: str) -> str:
        """Markdown for something that cannot be shown here: say what, and where to see it."""
        from crosspost.render.markdown import escape_inline

        return f"*({escape_inline(what)}: see [the original post]({self.canonical_url}).)*"


__all__ = ["PLACEHOLDER_CLOSE", "PLACEHOLDER_OPEN", "Emitter", "RenderContext"]
