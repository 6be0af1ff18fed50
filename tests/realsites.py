"""Small sites built with the real ``jekyll`` and ``hugo``, to check crosspost against them.

A conformance test describes a few sites (files by path), builds them all at once (each
build costs a fraction of a second to seconds, so they run in parallel, once per session)
and then asks, for every post, whether the URL crosspost computes is a page the generator
produced. A generator that is not installed skips the test with the reason, unless
``CI_REQUIRE_GENERATORS=1`` (set by ``.ci/run``, which installs them): then it fails.

The generators run with a clean environment of their own (``HOME`` in a temp folder, a
UTF-8 locale so Ruby reads non-ASCII file names, the caller's ``TZ`` so that Jekyll's
default time zone is the one crosspost assumes) and with nothing Debian does not ship.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REQUIRE = "CI_REQUIRE_GENERATORS"
# What each generator is asked to do: the site folder in, the built site out.
COMMANDS = {
    "jekyll": lambda src, out, cache: ["jekyll", "build", "--quiet", "--source", str(src),
                                       "--destination", str(out)],
    "hugo": lambda src, out, cache: ["hugo", "--quiet", "--source", str(src), "--destination",
                                     str(out), "--cacheDir", str(cache)],
}


def require(binary: str) -> str:
    """The path of ``binary``; skip (or fail under ``CI_REQUIRE_GENERATORS=1``) without it."""
    found = shutil.which(binary)
    if found is not None:
        return found
    message = (f"{binary} is not installed, so the conformance tests against it cannot run "
               f"(apt-get install -y {binary})")
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message}; {REQUIRE}=1 says they must", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class SiteSpec:
    """A site to build: its generator and its files (path relative to the root -> text)."""

    name: str
    generator: str
    files: Mapping[str, str | bytes]


@dataclass(frozen=True)
class Built:
    """A site as written and as the generator built it."""

    spec: SiteSpec
    root: Path
    output: Path

    def page(self, url: str, site_url: str) -> Path | None:
        """The built file a URL below ``site_url`` is served from, if the generator made one.

        A URL ending in ``/`` is its folder's ``index.html``; a URL without an extension
        may be ``<path>.html`` (GitHub Pages and most servers answer so) or a folder.
        """
        base = urlsplit(site_url)
        parts = urlsplit(url)
        if parts.netloc.lower() != base.netloc.lower():
            return None
        prefix = base.path.rstrip("/")
        path = unquote(parts.path)
        if not path.startswith(prefix + "/"):
            return None
        rel = path[len(prefix) + 1:]
        target = self.output / rel
        candidates = ([target / "index.html"] if rel.endswith("/") or not rel
                      else [target, target.with_name(target.name + ".html"), target / "index.html"])
        for candidate in candidates:
            try:
                resolved = candidate.resolve()
            except OSError:
                continue
            if resolved.is_file() and resolved.is_relative_to(self.output.resolve()):
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


__all__ = ["REQUIRE", "Built", "SiteSpec", "build", "require"]
