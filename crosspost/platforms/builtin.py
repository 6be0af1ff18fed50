"""The built-in targets' static facts: names, aliases, labels, endpoints and URL shapes.

Their classes are declared, like any package's, as entry points of the group
``crosspost.targets`` (in crosspost's own ``pyproject.toml``) and imported only when a
target is used. These facts stay here, static, so that ``status``, the front-matter reader
and link recognition never import an adapter to know them.
"""

from __future__ import annotations

import re

from crosspost.platforms.info import TargetInfo

_FORUM_TOKEN_HELP = (
    "log in on {site} in a browser, open the developer tools' cookie storage for that site, "
    "and copy the value of the `loginToken` cookie (64 hex characters)"
)
# ForumMagnum ids are 17-character Meteor ids; /posts/<id>/<slug>, /posts/<id> and a post
# read inside its sequence, /s/<sequence>/p/<id>, all resolve.
_FORUM_PATH = r"/(?:posts|s/[A-Za-z0-9]+/p)/(?P<id>[A-Za-z0-9]{17})(?:[/?#]|$)"

BUILTIN: dict[str, TargetInfo] = {
    info.name: info
    for info in (
        TargetInfo(
            name="lesswrong",
            label="LessWrong",
            aliases=("lw",),
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

__all__ = ["BUILTIN"]
