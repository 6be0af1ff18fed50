"""Liquid's values: the filters whose result is certain, and the splitting of expressions.

The Liquid step evaluates a variable only where its value is certain; these are the pieces
that say what certain means (a filter is applied only when Python gives exactly Liquid's
answer) and how an output expression splits into its head, filters and arguments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit


class SiteUrls:
    """Jekyll's ``site.url``, ``site.baseurl`` and its two URL filters, from ``Site.url``."""

    def __init__(self, site_url: str | None) -> None:
        parts = urlsplit(site_url or "")
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        self.baseurl = parts.path.rstrip("/")

    def relative_url(self, path: str) -> str:
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", path):
            return path
        path = "/" + path.lstrip("/")
        if self.baseurl and (path == self.baseurl or path.startswith(self.baseurl + "/")):
            return path  # already carries the baseurl ("{{ site.baseurl }}/assets/…")
        return self.baseurl + path

    def absolute_url(self, path: str) -> str:
        relative = self.relative_url(path)
        return relative if not relative.startswith("/") else self.origin + relative


def apply_filter(name: str, value: str, args: list[str], urls: SiteUrls) -> str | None:
    """``value | name: args`` for the filters whose result is certain, else None."""
    first = args[0] if args else ""
    second = args[1] if len(args) > 1 else ""
    simple: dict[str, Callable[[str], str]] = {
        "relative_url": urls.relative_url, "absolute_url": urls.absolute_url,
        "strip": str.strip, "lstrip": str.lstrip, "rstrip": str.rstrip,
        "downcase": str.lower, "upcase": str.upper,
        "capitalize": lambda v: v[:1].upper() + v[1:].lower(),
        "strip_newlines": lambda v: v.replace("\r\n", "").replace("\n", ""),
        "size": lambda v: str(len(v)),
        # They make text safe (or pretty) for HTML; Markdown wants it as it is. markdownify
        # turns Markdown into the HTML the target makes of the same Markdown.
        "escape": str, "xml_escape": str, "smartify": str, "markdownify": str,
    }
    if name in simple:
        return simple[name](value)
    if name == "prepend":
        return first + value
    if name == "append":
        return value + first
    if name == "default":
        return value if value not in {"", "false"} else first
    if name == "replace":
        return value.replace(first, second)
    if name == "replace_first":
        return value.replace(first, second, 1)
    if name == "remove":
        return value.replace(first, "")
    if name == "remove_first":
        return value.replace(first, "", 1)
    return None


def split_arguments(args: str) -> list[str]:
    """A filter's arguments (``replace: "a", "b"``): split on commas outside quotes."""
    return _split_outside_quotes(args, ",") if args.strip() else []


def split_filters(expr: str) -> list[str]:
    """Split a Liquid expression on ``|`` outside quotes."""
    return _split_outside_quotes(expr, "|")


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            current.append(ch)
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def variables_of(expr: str) -> list[str]:
    """The names an output expression reads (its head and its filters' arguments)."""
    names: list[str] = []
    for i, part in enumerate(split_filters(expr)):
        _, _, arg = part.partition(":")
        candidates = [part] if i == 0 else split_arguments(arg)
        names.extend(c.strip() for c in candidates
                     if re.fullmatch(r"[A-Za-z_][\w-]*", c.strip()))
    return names


__all__ = ["SiteUrls", "apply_filter", "split_arguments", "split_filters", "variables_of"]
