"""URL arithmetic that must not touch what it does not understand.

Links carry tracking queries and ``#:~:text=`` fragments that must survive byte for byte,
and a site's base path must appear exactly once, so these helpers compute paths
themselves instead of round-tripping through ``urllib.parse.urljoin``.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def origin(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def join_base(base_path: str, path: str) -> str:
    """``path`` (root-relative) under ``base_path``, which appears exactly once."""
    if not path.startswith("/"):
        path = "/" + path
    if not base_path:
        return path
    if path == base_path or path.startswith((base_path + "/", base_path + "?",
                                             base_path + "#")):
        return path
    return base_path + path


def clean_base(value: str) -> str:
    """A base path as ``/path`` or ``""``, however it was written."""
    value = value.strip().strip("/")
    return "/" + value if value else ""


def split_ref(ref: str) -> tuple[str, str]:
    """(path, the rest from the first ``?`` or ``#``), never re-encoding either."""
    cut = len(ref)
    for mark in "?#":
        at = ref.find(mark)
        if at != -1:
            cut = min(cut, at)
    return ref[:cut], ref[cut:]


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path that starts with ``/``."""
    segments = path.split("/")
    out: list[str] = []
    last = len(segments) - 1
    for i, segment in enumerate(segments):
        if segment == ".":
            if i == last:
                out.append("")
            continue
        if segment == "..":
            if len(out) > 1:
                out.pop()
            if i == last:
                out.append("")
            continue
        out.append(segment)
    result = "/".join(out)
    return result if result.startswith("/") else "/" + result


def resolve(base: str, ref: str) -> str:
    """RFC 3986 resolution of a relative ``ref`` against an absolute ``base``.

    ``urllib.parse.urljoin`` would do, but it re-assembles the query and fragment and can
    drop an empty ``?``; links carry tracking queries and text fragments that must survive
    exactly, so only the path is computed here.
    """
    path_part, rest = split_ref(ref)
    parts = urlsplit(base)
    prefix = f"{parts.scheme}://{parts.netloc}"
    if not path_part:
        if rest.startswith("#"):
            return base.split("#", 1)[0] + rest
        return prefix + (parts.path or "/") + rest
    base_path = parts.path or "/"
    merged = base_path[: base_path.rfind("/") + 1] + path_part
    return prefix + remove_dot_segments(merged) + rest


def same_host(url: str, site_url: str) -> bool:
    """Whether two URLs are on one host (``www.`` and case do not matter)."""
    one = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    two = (urlsplit(site_url).hostname or "").lower().removeprefix("www.")
    return bool(one) and one == two


_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def upper_hex(text: str) -> str:
    """Percent-escapes in upper case (``%C3%BC``), as the generators write them and RFC
    3986 section 2.1 asks producers to (comparisons ignore the case anyway)."""
    return _ESCAPE.sub(lambda m: m.group(0).upper(), text) if "%" in text else text


def quote_path(path: str) -> str:
    """A file's site path as a URL path (what is already %-encoded stays so)."""
    return quote(path, safe="/-._~!$&'()*+,;=:@%")


__all__ = ["SCHEME", "clean_base", "join_base", "origin", "quote_path", "remove_dot_segments",
           "resolve", "same_host", "split_ref", "upper_hex"]
