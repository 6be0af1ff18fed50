"""Where the site lives: its URL, decided in one place, with where it came from.

Every canonical URL, attribution line and sibling link starts from the site URL, and a
wrong one sends every reader of every copy to a 404. So the places a URL may come from
are tried in one written order, and the answer says which one it was (``-v`` shows it,
once per site found):

1. ``url`` in ``crosspost.toml`` (or ``[tool.crosspost]``): said on purpose for crosspost,
   so it decides, even when it looks like a placeholder;
2. the generator's own setting (Jekyll's ``url``, Hugo's ``baseURL``, Quartz's
   ``baseUrl``), unless it is a placeholder a theme template or a dev server left behind;
3. the repository, where GitHub Pages serves it (:mod:`crosspost.sites.ghpages`): a
   ``CNAME`` file's custom domain, then the ``origin`` remote of a ``<user>.github.io`` or
   project repository. Git runs only when nothing before settled the URL.

Each generator module lists its candidates (:meth:`crosspost.sites.base.Site.url_candidates`)
and where its ``CNAME`` would be. The base path (Jekyll's ``baseurl``) is the site's when it
configures one; only when it does not may a candidate bring its own (a project site's
``/<repo>``). It is appended to whichever origin wins.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from crosspost.config import Settings

log = logging.getLogger("crosspost.sites")

# Hosts that say "nobody set the site URL yet": dev servers, the reserved example domains
# (RFC 2606), the "yourname.github.io" style of theme templates, and the Quartz template's
# own site (quartz.config.ts ships with Quartz's documentation as its baseUrl).
PLACEHOLDER_HOSTS = re.compile(
    r"^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[?::1\]?|(?:.+\.)?localhost"
    r"|(?:.+\.)?example(?:\.(?:com|org|net|edu))?|(?:.+\.)?(?:test|invalid|local)"
    r"|(?:your|my)[-_]?(?:user)?(?:name|site|domain|website|blog|handle|account)\.[a-z.]+"
    r"|(?:user|username|github[-_]?user(?:name)?)\.github\.io|quartz\.jzhao\.xyz)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """A URL some file states for the site, and the file and key that state it."""

    value: str
    source: str  # "<file>: `<key>`", as messages and -v show it
    # Said on purpose for crosspost: used even if it looks like a placeholder, and its
    # problem, if any, is the answer (a later candidate does not paper over it).
    decisive: bool = False
    # The base path this origin implies when the site configures none (a GitHub Pages
    # project site is served below /<repo>).
    base_path: str = ""


@dataclass(frozen=True)
class SiteURL:
    """The site URL (with its base path, no trailing slash), or why there is none."""

    url: str | None
    source: str | None = None  # the candidate the URL came from
    problem: str | None = None  # when there is no URL: why, naming the file to fix


def site_url(settings: Settings, generator: Iterable[Candidate], *, base_path: str | None,
             nowhere: str, repository: Callable[[], Iterable[Candidate]] | None = None) -> SiteURL:
    """The site URL, from the places in the order above.

    ``generator`` are the generator's own candidates, in its order; ``repository`` gives
    the repository's (asked only if those settle nothing); ``base_path`` is the site's
    (crosspost.toml's ``baseurl`` already applied), None when nothing configures one;
    ``nowhere`` names the file or folder a "no URL" message points at.
    """

    def ordered() -> Iterable[Candidate]:
        if settings.url:
            yield Candidate(settings.url, f"{settings.path}: `url`", decisive=True)
        yield from generator
        if repository is not None:
            yield from repository()

    return find_site_url(ordered(), base_path=base_path, nowhere=nowhere)


def find_site_url(candidates: Iterable[Candidate], *, base_path: str | None,
                  nowhere: str) -> SiteURL:
    """The first usable candidate's origin plus ``base_path`` (the candidate's own when
    ``base_path`` is None).

    An empty candidate is passed over; a malformed or placeholder one is passed over too
    (unless decisive) but its problem is kept, and reported if nothing later works.
    ``nowhere`` names the file or folder the "no URL" message points at. ``candidates``
    are taken one at a time: the later ones are not looked for once one is usable.
    """
    problem: str | None = None
    for candidate in candidates:
        raw = candidate.value.strip()
        if not raw:
            continue
        parts = urlsplit(raw)
        found: str | None = None
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            found = f"{candidate.source} is {raw!r}, not an absolute http(s) URL"
        elif not candidate.decisive and PLACEHOLDER_HOSTS.match(parts.hostname):
            found = f"{candidate.source} is the placeholder {raw!r}"
        if found is None:
            path = base_path if base_path is not None else candidate.base_path
            return SiteURL(f"{parts.scheme}://{parts.netloc}" + path, candidate.source)
        if candidate.decisive:
            problem = found
            break
        problem = problem or found
    return SiteURL(None, problem=problem or f"{nowhere}: the site has no URL")


def announce(url: str | None, source: str | None, problem: str | None) -> None:
    """Say (at ``-v``) where a newly found site's URL came from, or why it has none."""
    if url is not None:
        log.info("the site URL is %s (from %s)", url, source)
    else:
        log.info("%s", problem)


__all__ = ["PLACEHOLDER_HOSTS", "Candidate", "SiteURL", "announce", "find_site_url", "site_url"]
