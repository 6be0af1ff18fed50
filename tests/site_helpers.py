"""Small sites on disk for the Site tests: each with a ``.git`` folder, so discovery stops there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crosspost.sites import Site


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def jekyll_site(root: Path, config: str = "url: https://jane.github.io\n") -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    write(root / "_config.yml", config)
    return root


def hugo_site(root: Path, config: str = "baseURL = 'https://sam.dev/'\n") -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    write(root / "hugo.toml", config)
    (root / "content").mkdir(exist_ok=True)
    return root


def url_of(path: Path) -> str:
    site = Site.discover(path)
    return site.canonical_url(site.load(path))


# 2024-03-09 10:00 UTC; the sites below set their time zone, so nothing depends on the machine.
NOW = dt.datetime(2024, 3, 9, 10, 0, tzinfo=dt.UTC)


def reason(path: Path, now: dt.datetime = NOW) -> str | None:
    site = Site.discover(path)
    return site.unpublished_reason(site.load(path), now=now)
