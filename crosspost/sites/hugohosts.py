"""Hugo's multihost sites: a ``baseURL`` per language, each language on its own host.

With ``[languages.fr] baseURL = "https://fr.example.org/"`` (and one for every other
language: Hugo refuses to build when only some have one), Hugo publishes each language as a
site of its own: its pages at that language's URL with no ``/fr/`` prefix, into
``public/<lang>/``, with the static files and a bundle's resources copied into each. The
top-level ``baseURL`` is not used then. Checked with hugo 0.111; Hugo's code is
``langs/config.go`` (``multihost``) and ``hugolib/site.go`` (the per-language paths).

With a single language, that language's ``baseURL`` is simply the site's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crosspost.errors import ConfigError
from crosspost.sites.siteurl import Candidate, SiteURL, find_site_url
from crosspost.sites.values import as_text


def languages(config: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """``[languages]`` by lower-cased key (a language's settings, ``{}`` when it has none)."""
    table = config.get("languages")
    if not isinstance(table, Mapping):
        return {}
    return {str(k).lower(): (v if isinstance(v, Mapping) else {}) for k, v in table.items()}


def disabled_languages(config: Mapping[str, Any]) -> set[str]:
    """The languages Hugo leaves out: ``disableLanguages``, or ``disabled = true`` in a
    language's own table."""
    listed = config.get("disablelanguages")
    out = {str(x).lower() for x in listed} if isinstance(listed, list | tuple) else set()
    return out | {k for k, v in languages(config).items() if v.get("disabled") is True}


def default_language(config: Mapping[str, Any]) -> str:
    return (as_text(config.get("defaultcontentlanguage")) or "en").lower()


def multihost(config: Mapping[str, Any]) -> bool:
    """Whether Hugo gives each language its own host: more than one language, and a
    ``baseURL`` on one of them (Hugo then wants one on all)."""
    langs = languages(config)
    return len(langs) > 1 and any(as_text(s.get("baseurl")).strip() for s in langs.values())


def own_base_url(config: Mapping[str, Any], lang: str) -> str:
    """The ``baseURL`` written under ``[languages.<lang>]`` (``""`` when none)."""
    return as_text(languages(config).get(lang, {}).get("baseurl")).strip()


def url_candidates(config: Mapping[str, Any], config_path: Path | None) -> list[Candidate]:
    """Where the site URL is written: on a multihost site the default language's
    ``baseURL`` (the top-level one is not used); on a site of one language, that language's
    before the top-level one."""
    langs = languages(config)
    top = Candidate(as_text(config.get("baseurl")), f"{config_path}: `baseURL`")
    if multihost(config):
        lang = default_language(config)
    elif len(langs) == 1:
        lang = next(iter(langs))
    else:
        return [top]
    own = own_base_url(config, lang)
    found = [Candidate(own, f"{config_path}: `languages.{lang}.baseURL`")] if own else []
    return found if multihost(config) else [*found, top]


def base_path(config: Mapping[str, Any]) -> str:
    """The path of the URL the site's configuration gives (the default language's)."""
    for candidate in url_candidates(config, None):
        if candidate.value.strip():
            return urlsplit(candidate.value.strip()).path.rstrip("/")
    return ""


def language_url(config: Mapping[str, Any], lang: str, config_path: Path | None,
                 root: Path) -> SiteURL:
    """Language ``lang``'s own site URL on a multihost site, or why it has none."""
    raw = own_base_url(config, lang)
    source = f"{config_path or root}: `languages.{lang}.baseURL`"
    if not raw:
        return SiteURL(None, problem=(
            f"{config_path or root}: language {lang!r} has no `baseURL` while other languages "
            "have one (Hugo wants one on every language or none)"))
    return find_site_url([Candidate(raw, source)], base_path=urlsplit(raw).path.rstrip("/"),
                         nowhere=str(config_path or root))


def require(found: SiteURL) -> str:
    """The URL, or the one-line error saying what to fix."""
    if found.url is not None:
        return found.url
    raise ConfigError(found.problem or "the language has no URL",
                      hint="give each language a `baseURL` under `[languages.<lang>]` "
                           "in the Hugo config")


__all__ = ["base_path", "default_language", "disabled_languages", "language_url", "languages", "multihost",
           "own_base_url", "require", "url_candidates"]
