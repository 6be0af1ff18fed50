"""The real site generators, for tests that compare crosspost with what a site publishes.

    site = write_tree(tmp / "src", {"_config.yml": "...", "_posts/2024-01-02-x.md": "..."})
    built = build_jekyll(site)        # the _site folder
    public = build_hugo(hugo_source)  # the public folder

Each build runs the Debian ``jekyll`` (4.3, ``--safe``, kramdown) or ``hugo`` (0.111) binary
on a small site in a temporary folder: no network, no theme gems. When a binary is not
installed the test is skipped with the reason, unless ``CI_REQUIRE_GENERATORS=1`` is set, in
which case it fails (CI must not pass by skipping). Build once per session where you can
(``scope="session"`` fixtures with ``tmp_path_factory``): a Jekyll build takes about a second.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

REQUIRE = "CI_REQUIRE_GENERATORS"
_TIMEOUT = 120


def require(binary: str) -> str:
    """The path of ``binary``, or skip the test (fail under ``CI_REQUIRE_GENERATORS=1``)."""
    found = shutil.which(binary)
    if found is not None:
        return found
    reason = f"the real {binary} is not installed (apt-get install {binary})"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{reason}, and {REQUIRE}=1 asks for it")
    pytest.skip(reason)


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write ``files`` (relative path → text) under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return root


def build_jekyll(src: Path) -> Path:
    """Build the Jekyll site at ``src`` the way GitHub Pages does (``--safe``); returns the
    ``_site`` folder. A failed build fails the test with Jekyll's own message."""
    jekyll = require("jekyll")
    dest = src / "_site"
    _run([jekyll, "build", "--safe", "--disable-disk-cache", "--quiet", "--source", str(src),
          "--destination", str(dest)], src)
    return dest


def build_hugo(src: Path) -> Path:
    """Build the Hugo site at ``src``; returns the ``public`` folder."""
    hugo = require("hugo")
    dest = src / "public"
    _run([hugo, "--quiet", "--noBuildLock", "--source", str(src), "--destination", str(dest),
          "--cacheDir", str(src / ".hugo_cache")], src)
    return dest


def _run(command: list[str], cwd: Path) -> None:
    # A clean, UTF-8 environment: Ruby reads posts in the locale's encoding.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "LANG": "C.UTF-8",
           "LC_ALL": "C.UTF-8", "JEKYLL_ENV": "production", "TZ": "UTC"}
    try:
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command[0]} took longer than {_TIMEOUT} s to build {cwd}")
    if done.returncode != 0:
        pytest.fail(f"{Path(command[0]).name} could not build {cwd}:\n{done.stdout}\n{done.stderr}")


__all__ = ["REQUIRE", "build_hugo", "build_jekyll", "require", "write_tree"]
