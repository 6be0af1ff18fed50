"""Where GitHub Pages serves a site whose configuration does not say: ``CNAME``, or the remote.

Many real ``_config.yml`` files leave ``url:`` empty because GitHub Pages fills it in when it
builds (the ``jekyll-github-metadata`` plugin), and Hugo's Pages workflow passes
``--baseURL`` on the command line over a placeholder in ``hugo.toml``. The repository still
says where the site lives (GitHub Docs, "Managing a custom domain" and "About GitHub
Pages"):

- a ``CNAME`` file in the published tree names the custom domain: ``https://<domain>/``;
- else the ``origin`` remote names the repository: ``<user>.github.io`` is served at
  ``https://<user>.github.io/``, any other repository ``<repo>`` at
  ``https://<user>.github.io/<repo>/`` (a project site, whose base path is ``/<repo>``).

These are guesses about deployment, so they come after everything the user wrote
(:mod:`crosspost.sites.siteurl` says where each URL came from at ``-v``).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from crosspost.sites.siteurl import Candidate

# The GIT_* variables that may stay: none of them points git at another repository.
_GIT_ENV_KEPT = frozenset({"GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
                           "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_COUNT"})
# The remote forms git accepts for github.com: scp-like, ssh://, https://, git://.
_REMOTE = re.compile(
    r"^(?:(?:ssh|git|https?|git\+ssh)://(?:[^@/]+@)?github\.com(?::\d+)?/"
    r"|(?:[^@/]+@)?github\.com:/?)"
    r"(?P<user>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/(?P<repo>[A-Za-z0-9._-]+?)"
    r"(?:\.git)?/?$",
    re.IGNORECASE,
)
# A domain as a CNAME file holds it (one line, no scheme, no path).
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                     r"[A-Za-z][A-Za-z0-9-]{0,61}$")


def candidates(root: Path, cname_files: Iterable[Path]) -> Iterator[Candidate]:
    """The ``CNAME`` file's domain (the first of ``cname_files`` that exists), then the
    ``origin`` remote's Pages URL. Lazy: git runs only if the CNAME did not settle it."""
    for path in cname_files:
        found = cname_candidate(path)
        if found is not None:
            yield found
            break
    remote = remote_url(root)
    if remote is not None:
        found = remote_candidate(remote)
        if found is not None:
            yield found


def cname_candidate(path: Path) -> Candidate | None:
    """``https://<domain>`` from a ``CNAME`` file, if it exists and holds a domain."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    domain = re.sub(r"^https?://", "", lines[0], flags=re.IGNORECASE).rstrip("/")
    if not _DOMAIN.match(domain):
        return Candidate(domain, f"{path} (GitHub Pages custom domain)")  # reported as malformed
    return Candidate(f"https://{domain.lower()}", f"{path} (GitHub Pages custom domain)")


def remote_candidate(remote: str) -> Candidate | None:
    """The Pages URL of a GitHub remote (with its base path), or None for another host."""
    found = pages_url(remote)
    if found is None:
        return None
    url, base_path = found
    kind = "a project site" if base_path else "a user site"
    return Candidate(url, f"the git remote origin {shown_remote(remote)} (GitHub Pages, {kind})",
                     base_path=base_path)


def shown_remote(remote: str) -> str:
    """A remote URL as messages may show it: a token or password in it is left out
    (``https://<token>@github.com/…`` is a common way to push from CI)."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://)[^@/]*@", r"\1", remote.strip(), flags=re.IGNORECASE)


def pages_url(remote: str) -> tuple[str, str] | None:
    """(``https://<user>.github.io``, base path) for a github.com remote URL, else None.

    GitHub lower-cases the user in the host; the repository keeps its case in the path.
    """
    match = _REMOTE.match(remote.strip())
    if match is None:
        return None
    user, repo = match.group("user").lower(), match.group("repo")
    origin = f"https://{user}.github.io"
    if repo.lower() == f"{user}.github.io":
        return origin, ""
    return origin, "/" + repo


def remote_url(root: Path) -> str | None:
    """``git remote get-url origin`` in ``root``'s repository, or None (no git, no repo,
    no origin). Only what git itself reads from the repository counts: the GIT_*
    variables of a hook that runs crosspost must not point it at another one."""
    try:
        done = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root,
                              env=without_git_env(os.environ), capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    url = done.stdout.strip()
    return url or None


def without_git_env(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` without the GIT_* variables that would point git at another repository."""
    return {k: v for k, v in environ.items()
            if not k.startswith("GIT_") or k in _GIT_ENV_KEPT
            or k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))}


__all__ = ["candidates", "cname_candidate", "pages_url", "remote_candidate", "remote_url",
           "shown_remote", "without_git_env"]
