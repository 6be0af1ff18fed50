"""Small sites on disk and the environment that points crosspost at the fake servers."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crosspost.http import HttpSettings
from tests.fakes.devto import DevtoFake
from tests.fakes.forummagnum import FakeForum
from tests.fakes.medium import MediumFake

if TYPE_CHECKING:
    from crosspost.engine import Report

# Retries without waiting: the fakes answer at once, and no test sleeps.
FAST = HttpSettings(timeout=5.0, connect_timeout=2.0, retries=1, backoff=0.0, max_wait=0.0)

CONFIG = """\
title: Jane's notes
url: https://janedoe.net
baseurl: ""
permalink: /blog/:year/:title/
"""


def post_text(title: str, body: str, *, crosspost: str = "crosspost:\n  lesswrong:\n",
              date: str = "2024-01-02", extra: str = "") -> str:
    return (f"---\nlayout: post\ntitle: {title}\ndate: {date}\n{extra}{crosspost}---\n\n"
            + textwrap.dedent(body).lstrip("\n"))


def make_site(root: Path, posts: dict[str, str], *, config: str = CONFIG) -> Path:
    """A Jekyll site at ``root`` with ``posts`` (file name → text) under ``_posts``."""
    (root / "_posts").mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in posts.items():
        (root / "_posts" / name).write_bytes(text.encode("utf-8"))
    return root


def env_for(*, forum: FakeForum | None = None, ea: FakeForum | None = None,
            af: FakeForum | None = None, medium: MediumFake | None = None,
            devto: DevtoFake | None = None) -> dict[str, str]:
    """``CROSSPOST_*`` variables pointing each given target at its fake, with its token."""
    env: dict[str, str] = {}
    for name, fake in (("LESSWRONG", forum), ("EAFORUM", ea), ("ALIGNMENTFORUM", af)):
        if fake is not None:
            env[f"CROSSPOST_{name}_ENDPOINT"] = fake.endpoint
            env[f"CROSSPOST_{name}_TOKEN"] = fake.token
    if medium is not None:
        env["CROSSPOST_MEDIUM_ENDPOINT"] = medium.endpoint
        env["CROSSPOST_MEDIUM_TOKEN"] = medium.token
    if devto is not None:
        env["CROSSPOST_DEVTO_ENDPOINT"] = devto.endpoint
        env["CROSSPOST_DEVTO_TOKEN"] = devto.token
    return env


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes (to prove a dry run wrote nothing)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def publish_over_fakes(paths: list[Path], env: dict[str, str], **options: Any) -> Report:
    """``crosspost publish`` as a library call against the fakes ``env`` points at, with
    retries that do not wait."""
    from crosspost.engine import PublishOptions, publish

    return publish(paths, PublishOptions(environ=env, http=FAST, **options))
