"""crosspost: republish Markdown posts on LessWrong, the EA Forum, the Alignment Forum and Medium.

The package is a library first; the ``crosspost`` command is a thin shell over it::

    from crosspost import Post, Site, render_post, publish, PublishOptions

    post = Post.from_path("_posts/2023-08-30-my-post.md")
    print(render_post(post, Site.discover(post.path), "lesswrong").body)

Importing this package is cheap: every name below is imported on first use, so the CLI's
``--help`` and the git hook's no-op path never load httpx, keyring or the Markdown parser.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Post": "crosspost.post",
    "Site": "crosspost.sites",
    "Settings": "crosspost.config",
    "TargetOptions": "crosspost.config",
    "Rendered": "crosspost.render",
    "render_post": "crosspost.render",
    "PublishOptions": "crosspost.engine",
    "plan": "crosspost.engine",
    "publish": "crosspost.engine",
    "CrosspostError": "crosspost.errors",
}

__all__ = [
    "CrosspostError",
    "Post",
    "PublishOptions",
    "Rendered",
    "Settings",
    "Site",
    "TargetOptions",
    "__version__",
    "plan",
    "publish",
    "render_post",
]

if TYPE_CHECKING:
    from crosspost.config import Settings as Settings
    from crosspost.config import TargetOptions as TargetOptions
    from crosspost.engine import PublishOptions as PublishOptions
    from crosspost.engine import plan as plan
    from crosspost.engine import publish as publish
    from crosspost.errors import CrosspostError as CrosspostError
    from crosspost.post import Post as Post
    from crosspost.render import Rendered as Rendered
    from crosspost.render import render_post as render_post
    from crosspost.sites import Site as Site


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'crosspost' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
