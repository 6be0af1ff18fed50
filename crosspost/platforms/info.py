"""What crosspost knows about a target without talking to it, and the root of every target class."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

# The renderer's output dialects. A target receives one of them; a plugin picks one.
#   forum   Markdown as the forums' markdown-it reads it: footnotes and tables, `$…$`/`$$…$$`
#           math, a figure as an image with an italic caption below, no raw HTML left;
#   devto   the forum Markdown, plus what Forem renders differently: Liquid in prose escaped,
#           math as `{% katex %}` tags, `^` escaped, never front matter in the body;
#   medium  HTML in the subset Medium's API keeps (title as <h1>, attribution last).
DIALECTS = ("forum", "devto", "medium")

# What a target's name may look like: it becomes a front-matter key and part of the
# environment variables CROSSPOST_<NAME>_TOKEN and CROSSPOST_<NAME>_ENDPOINT.
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\Z")


@dataclass(frozen=True)
class TargetInfo:
    """Static facts about one target.

    ``database`` groups targets that share one store of posts: LessWrong and the Alignment
    Forum are one database (an AF post is a LessWrong post with ``af: true``), so the engine
    never creates a post on one while the other already has it. It defaults to the name, and
    ``token_env`` to ``CROSSPOST_<NAME>_TOKEN``.
    """

    name: str
    label: str
    dialect: str  # one of DIALECTS
    default_endpoint: str
    site_url: str  # where readers see the posts; used to build and recognise post URLs
    # Recognises a URL of a post copy on this target and captures its id (group "id").
    post_url: re.Pattern[str]
    # Where to get a token, said after "no token" and "the token was refused".
    token_help: str
    can_update: bool
    aliases: tuple[str, ...] = ()
    database: str = ""
    # Environment variables tried for the token, in order.
    token_env: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.database:
            object.__setattr__(self, "database", self.name)
        if not self.token_env:
            object.__setattr__(self, "token_env", (f"CROSSPOST_{self.name.upper()}_TOKEN",))

    @property
    def endpoint_env(self) -> str:
        return f"CROSSPOST_{self.name.upper()}_ENDPOINT"

    def post_id_in(self, url: str) -> str | None:
        """The remote id if ``url`` points at a post on this target, else None."""
        match = self.post_url.match(url)
        return match.group("id") if match else None


class Described:
    """The root of every target class: a class that carries its :class:`TargetInfo`.

    :class:`crosspost.targets.base.Target` derives from it. It lives down here so that the
    table can tell a target class from anything else a package points its entry point at,
    without importing the adapters (which sit far above this table).
    """

    info: ClassVar[TargetInfo]


__all__ = ["DIALECTS", "NAME", "Described", "TargetInfo"]
