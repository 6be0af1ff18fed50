"""The real site generators, for tests that compare crosspost with what a site publishes.

    site = write_tree(tmp / "src", {"_config.yml": "...", "_posts/2024-01-02-x.md": "..."})
    built = build_jekyll(site)        # the _site folder
    public = build_hugo(hugo_source)  # the public folder
    sites = build([SiteSpec("a", "jekyll", files), ...], tmp)   # many sites, in parallel

The conformance tests (``test_conformance.py``) describe a few sites, build them all at once
and ask, for every post, whether the URL crosspost computes is a page the generator produced
(:meth:`Built.page`). Those builds get the caller's ``TZ``, so that Jekyll's default time zone
is the one crosspost assumes.

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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REQUIRE = "CI_REQUIRE_GENERATORS"
_TIMEOUT = 120
# What each generator is asked to do: the site folder in, the built site out.
COMMANDS = {
    "jekyll": lambda src, out, cache: ["jekyll", "build", "--quiet", "--source", str(src),
                                       "--destination", str(out)],
    "hugo": lambda src, out, cache: ["hugo", "--quiet", "--source", str(src), "--destination",
                                     str(out), "--cacheDir", str(cache)],
}


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


@dataclass(frozen=True)
class SiteSpec:
    """A site to build: its generator and its files (path relative to the root -> text)."""

    name: str
    generator: str
    files: Mapping[str, str | bytes]
    # A site with a host per language (Hugo's multihost): each site URL and the folder of
    # the output it is built into (Hugo writes language `fr` to `public/fr/`).
    hosts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """A site as written and as the generator built it."""

    spec: SiteSpec
    root: Path
    output: Path

    def page(self, url: str, site_url: str) -> Path | None:
        """The built file a URL below ``site_url`` is served from, if the generator made one.

        A URL ending in ``/`` is its folder's ``index.html``; a URL without an extension
        may be ``<path>.html`` (GitHub Pages and most servers answer so) or a folder. On a
        site with a host per language (``SiteSpec.hosts``) the URL is looked up below the
        host it is on, in that host's folder, and ``site_url`` is not used.
        """
        if not self.spec.hosts:
            return self._page_in(self.output, url, site_url)
        for home, folder in self.spec.hosts.items():
            found = self._page_in(self.output / folder, url, home)
            if found is not None:
                return found
        return None

    @staticmethod
    def _page_in(output: Path, url: str, site_url: str) -> Path | None:
        base = urlsplit(site_url)
        parts = urlsplit(url)
        if parts.netloc.lower() != base.netloc.lower():
            return None
        prefix = base.path.rstrip("/")
        path = unquote(parts.path)
        if not path.startswith(prefix + "/"):
            return None
        rel = path[len(prefix) + 1:]
        target = output / rel
        candidates = ([target / "index.html"] if rel.endswith("/") or not rel
                      else [target, target.with_name(target.name + ".html"), target / "index.html"])
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except OSError:
                continue
            if resolved.is_file() and resolved.is_relative_to(output.resolve()):
                return resolved
        return None


def build(specs: list[SiteSpec], top: Path) -> dict[str, Built]:
    """Write every site under ``top`` and build them all in parallel."""
    for spec in specs:
        require(spec.generator)
    home = top / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home),
           "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if "TZ" in os.environ:
        env["TZ"] = os.environ["TZ"]
    running: list[tuple[Built, subprocess.Popen[bytes]]] = []
    for spec in specs:
        root = top / spec.name
        for rel, content in spec.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        built = Built(spec, root, top / f"{spec.name}.out")
        command = COMMANDS[spec.generator](root, built.output, top / "cache")
        running.append((built, subprocess.Popen(command, cwd=root, env=env,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)))
    done: dict[str, Built] = {}
    failures: list[str] = []
    for built, process in running:
        out, err = process.communicate(timeout=300)
        if process.returncode != 0:
            text = (err or out).decode("utf-8", "replace").strip()
            failures.append(f"{built.spec.generator} failed on {built.spec.name} "
                            f"(exit {process.returncode}): {text}")
        done[built.spec.name] = built
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
    return done


__all__ = ["REQUIRE", "Built", "SiteSpec", "build", "build_hugo", "build_jekyll", "require", "write_tree"]
