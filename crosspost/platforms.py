"""The table of targets: names, aliases, labels and URL shapes. It imports nothing of ours.

Everything that must be known without touching the network (the renderer recognising a
link to a forum copy, ``status``, the hook's cheap path, ``--help``, the front-matter
reader accepting ``lw:`` for ``lesswrong:``) reads this table, so it sits at the bottom of
the house: any room may import it, and it imports none. The adapter class behind a name is
a ``"module:Class"`` string that only :func:`crosspost.targets.load_adapter` imports, so
``crosspost --help`` never pays for httpx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TargetInfo:
    """Static facts about one target.

    ``database`` groups targets that share one store of posts: LessWrong and the Alignment
    Forum are one database (an AF post is a LessWrong post with ``af: true``), so the engine
    never creates a post on one while the other already has it.
    """

    name: str
    label: str
    aliases: tuple[str, ...]
    adapter: str  # "module:Class", imported lazily
    dialect: str  # "forum" or "devto" (Markdown), or "medium" (HTML)
    default_endpoint: str
    site_url: str  # where readers see the posts; used to build and recognise post URLs
    database: str
    # Recognises a URL of a post copy on this target and captures its id.
    post_url: re.Pattern[str]
    # Environment variables tried for the token, in order.
    token_env: tuple[str, ...]
    token_help: str
    can_update: bool

    @property
    def endpoint_env(self) -> str:
        return f"CROSSPOST_{self.name.upper()}_ENDPOINT"

    def post_id_in(self, url: str) -> str | None:
        """The remote id if ``url`` points at a post on this target, else None."""
        match = self.post_url.match(url)
        return match.group("id") if match else None


_FORUM_TOKEN_HELP = (
    "log in on {site} in a browser, open the developer tools' cookie storage for that site, "
    "and copy the value of the `loginToken` cookie (64 hex characters)"
)
# ForumMagnum ids are 17-character Meteor ids; /posts/<id>/<slug> and /posts/<id> both resolve.
_FORUM_PATH = r"/posts/(?P<id>[A-Za-z0-9]{17})(?:[/?#]|$)"

TARGETS: dict[str, TargetInfo] = {
    info.name: info
    for info in (
        TargetInfo(
            name="lesswrong",
            label="LessWrong",
            aliases=("lw",),
            adapter="crosspost.targets.forummagnum:LessWrong",
            dialect="forum",
            default_endpoint="https://www.lesswrong.com/graphql",
            site_url="https://www.lesswrong.com",
            database="lesswrong",
            post_url=re.compile(r"https?://(?:www\.)?lesswrong\.com" + _FORUM_PATH),
            token_env=("CROSSPOST_LESSWRONG_TOKEN",),
            token_help=_FORUM_TOKEN_HELP.format(site="https://www.lesswrong.com"),
            can_update=True,
        ),
        TargetInfo(
            name="eaforum",
            label="EA Forum",
            aliases=("ea",),
            adapter="crosspost.targets.forummagnum:EAForum",
            dialect="forum",
            default_endpoint="https://forum.effectivealtruism.org/graphql",
            site_url="https://forum.effectivealtruism.org",
            database="eaforum",
            post_url=re.compile(r"https?://forum\.effectivealtruism\.org" + _FORUM_PATH),
            token_env=("CROSSPOST_EAFORUM_TOKEN",),
            token_help=_FORUM_TOKEN_HELP.format(site="https://forum.effectivealtruism.org")
            + " (the EA Forum sets it httpOnly: copy it from the cookie panel, not document.cookie)",
            can_update=True,
        ),
        TargetInfo(
            name="alignmentforum",
            label="Alignment Forum",
            aliases=("af",),
            adapter="crosspost.targets.forummagnum:AlignmentForum",
            dialect="forum",
            default_endpoint="https://www.alignmentforum.org/graphql",
            site_url="https://www.alignmentforum.org",
            database="lesswrong",
            post_url=re.compile(r"https?://(?:www\.)?alignmentforum\.org" + _FORUM_PATH),
            token_env=("CROSSPOST_ALIGNMENTFORUM_TOKEN", "CROSSPOST_LESSWRONG_TOKEN"),
            token_help="the Alignment Forum uses your LessWrong account: "
            + _FORUM_TOKEN_HELP.format(site="https://www.lesswrong.com"),
            can_update=True,
        ),
        TargetInfo(
            name="medium",
            label="Medium",
            aliases=(),
            adapter="crosspost.targets.medium:Medium",
            dialect="medium",
            default_endpoint="https://api.medium.com/v1",
            site_url="https://medium.com",
            database="medium",
            # https://medium.com/@user/slug-<12 hex>, https://medium.com/p/<id>,
            # https://<pub>.medium.com/slug-<id>, https://medium.com/<publication>/slug-<id>
            post_url=re.compile(
                r"https?://(?:[\w-]+\.)?medium\.com/(?:p/|(?:[^/?#]+/)*?[^/?#]*?-?)"
                r"(?P<id>[0-9a-f]{10,16})(?:[/?#]|$)"
            ),
            token_env=("CROSSPOST_MEDIUM_TOKEN",),
            token_help="Medium no longer issues new integration tokens; if you have one, it is in "
            "https://medium.com/me/settings/security under 'Integration tokens'. Without one, "
            "use `crosspost publish --to medium --manual` and Medium's 'Import a story'",
            can_update=False,
        ),
        TargetInfo(
            name="devto",
            label="DEV",
            aliases=("dev",),
            adapter="crosspost.targets.devto:DevTo",
            dialect="devto",
            default_endpoint="https://dev.to/api",
            site_url="https://dev.to",
            database="devto",
            # https://dev.to/<user or organisation>/<slug>; the slug ends in a random suffix
            # (devto.md §A3). The API's numeric id is not in the URL, so "user/slug" stands
            # for it until the adapter looks the article up.
            post_url=re.compile(r"https?://dev\.to/(?P<id>[A-Za-z0-9_]+/[a-z0-9][a-z0-9-]*-[a-z0-9]+)"
                                r"/?(?:[?#]|$)"),
            token_env=("CROSSPOST_DEVTO_TOKEN",),
            token_help="on https://dev.to/settings/extensions, under 'DEV Community API Keys', "
            "give the key a description (e.g. crosspost), generate it and copy it",
            can_update=True,
        ),
    )
}

ALIASES: dict[str, str] = {
    alias: info.name for info in TARGETS.values() for alias in (info.name, *info.aliases)
}


def resolve(name: str) -> TargetInfo:
    """The target called ``name`` (or one of its aliases). Raises KeyError if unknown."""
    return TARGETS[ALIASES[name.strip().lower()]]


def known_names() -> list[str]:
    """Every accepted spelling, for help texts and error messages."""
    return sorted(ALIASES)


__all__ = ["ALIASES", "TARGETS", "TargetInfo", "known_names", "resolve"]
