"""Video and post embeds: from an id or an embed URL to the URL a reader (or Embedly) opens.

The forums show a bare YouTube link on its own line well, and Medium turns a bare provider URL
on its own line into an embed, so every embed is carried over as its watch URL.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com", "youtu.be")


def youtube_watch(value: str) -> str | None:
    """``https://www.youtube.com/watch?v=<id>`` for an id or any YouTube URL, else None."""
    value = value.strip().strip("'\"")
    if _YOUTUBE_ID.fullmatch(value):
        return f"https://www.youtube.com/watch?v={value}"
    return watch_url(value) if value.startswith(("http://", "https://", "//")) else None


def watch_url(url: str) -> str | None:
    """The watch URL behind a YouTube or Vimeo URL (embed, short or watch), else None."""
    parts = urlsplit(url if not url.startswith("//") else "https:" + url)
    host = parts.netloc.lower()
    if host in _YOUTUBE_HOSTS:
        video = ""
        if host == "youtu.be":
            video = parts.path.strip("/")
        elif parts.path.startswith(("/embed/", "/v/", "/shorts/", "/live/")):
            video = parts.path.split("/")[2]
        elif parts.path == "/watch":
            video = (parse_qs(parts.query).get("v") or [""])[0]
        if not _YOUTUBE_ID.fullmatch(video):
            return None
        start = (parse_qs(parts.query).get("start") or parse_qs(parts.query).get("t") or [""])[0]
        return f"https://www.youtube.com/watch?v={video}" + (f"&t={start}" if start else "")
    if host in {"player.vimeo.com", "vimeo.com", "www.vimeo.com"}:
        found = re.search(r"/(\d+)", parts.path)
        return f"https://vimeo.com/{found.group(1)}" if found else None
    return None


__all__ = ["watch_url", "youtube_watch"]
