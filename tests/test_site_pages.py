"""The site URL when the configuration has none: a ``CNAME`` file, or the git remote.

GitHub Pages fills in Jekyll's ``url`` itself, so many real ``_config.yml`` files leave it
empty; the repository still says where the site lives (GitHub Docs, "Managing a custom
domain", "About GitHub Pages"). The repositories here are real (``git init`` in a temp
folder), their remotes set with ``git remote add``.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.sites import Site
from crosspost.sites.ghpages import pages_url
from tests.site_helpers import url_of, write


def git_repo(root: Path, remote: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    if remote is not None:
        subprocess.run(["git", "-C", str(root), "remote", "add", "origin", remote], check=True)
    return root


POST = "---\ntitle: X\n---\nText.\n"


@pytest.mark.parametrize(("remote", "expected"), [
    ("git@github.com:jane/notes.git", ("https://jane.github.io", "/notes")),
    ("https://github.com/jane/notes", ("https://jane.github.io", "/notes")),
    ("https://github.com/jane/notes.git", ("https://jane.github.io", "/notes")),
    ("https://github.com/jane/notes/", ("https://jane.github.io", "/notes")),
    ("ssh://git@github.com/jane/notes.git", ("https://jane.github.io", "/notes")),
    ("https://token@github.com/jane/notes.git", ("https://jane.github.io", "/notes")),
    ("git://github.com/jane/my.blog.git", ("https://jane.github.io", "/my.blog")),
    # the user is lower-cased in the host; the repository keeps its case in the path
    ("git@github.com:Jane-Doe/Notes.git", ("https://jane-doe.github.io", "/Notes")),
    ("git@github.com:jane/jane.github.io.git", ("https://jane.github.io", "")),
    ("https://github.com/Jane/JANE.github.io", ("https://jane.github.io", "")),
    ("git@gitlab.com:jane/notes.git", None),
    ("https://github.com.evil.org/jane/notes.git", None),
    ("https://github.com/jane", None),
    ("/srv/git/notes.git", None),
])
def test_pages_url_of_a_remote(remote: str, expected: tuple[str, str] | None) -> None:
    assert pages_url(remote) == expected


def test_a_project_site_gets_its_repository_as_base_path(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "notes", "git@github.com:Jane/notes.git")
    write(site / "_config.yml", "title: Notes\nurl: \"\"\npermalink: pretty\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    found = Site.discover(post)
    assert found.url == "https://jane.github.io/notes"
    assert found.url_source == ("the git remote origin git@github.com:Jane/notes.git "
                                "(GitHub Pages, a project site)")
    assert url_of(post) == "https://jane.github.io/notes/2024/01/02/first/"
    assert found.absolute_url("/assets/x.png") == "https://jane.github.io/notes/assets/x.png"


def test_a_configured_baseurl_wins_over_the_repository_name(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "notes", "https://github.com/jane/notes.git")
    write(site / "_config.yml", "baseurl: /writing\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    assert url_of(post) == "https://jane.github.io/writing/2024/01/02/first.html"


def test_a_user_site_is_at_the_root(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "jane.github.io", "git@github.com:jane/jane.github.io.git")
    write(site / "_config.yml", "title: Jane\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    assert url_of(post) == "https://jane.github.io/2024/01/02/first.html"


def test_a_site_in_a_subfolder_uses_its_repositorys_remote(tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "project", "https://github.com/jane/project")
    write(repo / "docs/_config.yml", "title: Docs\n")
    post = write(repo / "docs/_posts/2024-01-02-first.md", POST)
    assert url_of(post) == "https://jane.github.io/project/2024/01/02/first.html"


def test_cname_beats_the_remote(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "notes", "git@github.com:jane/notes.git")
    write(site / "_config.yml", "url:\n")
    write(site / "CNAME", "Blog.Jane.dev\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    found = Site.discover(post)
    assert found.url == "https://blog.jane.dev"  # a custom domain serves a project site at /
    assert found.url_source == f"{(site / 'CNAME').resolve()} (GitHub Pages custom domain)"
    assert url_of(post) == "https://blog.jane.dev/2024/01/02/first.html"


def test_cname_without_git(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # not a repository: git finds nothing, the CNAME still counts
    write(tmp_path / "_config.yml", "title: t\n")
    write(tmp_path / "CNAME", "https://jane.dev/\n")
    post = write(tmp_path / "_posts/2024-01-02-first.md", POST)
    assert url_of(post) == "https://jane.dev/2024/01/02/first.html"


def test_the_config_and_crosspost_toml_still_win(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "notes", "git@github.com:jane/notes.git")
    write(site / "CNAME", "cname.jane.dev\n")
    write(site / "_config.yml", "url: https://config.jane.dev\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    assert url_of(post) == "https://config.jane.dev/2024/01/02/first.html"
    write(site / "crosspost.toml", 'url = "https://toml.jane.dev"\n')
    assert url_of(post) == "https://toml.jane.dev/2024/01/02/first.html"


def test_a_placeholder_in_the_config_gives_way_to_the_repository(tmp_path: Path) -> None:
    # Hugo's Pages workflow passes --baseURL over the placeholder `hugo new site` leaves.
    site = git_repo(tmp_path / "bread", "https://github.com/sam/bread.git")
    write(site / "hugo.toml", "baseURL = 'https://example.org/'\n")
    post = write(site / "content/posts/rye.md", '+++\ntitle = "Rye"\n+++\n')
    assert url_of(post) == "https://sam.github.io/bread/posts/rye/"


def test_hugo_cname_is_in_static(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "bread", "https://github.com/sam/bread.git")
    write(site / "hugo.toml", "title = 'Bread'\n")
    write(site / "static/CNAME", "bread.sam.dev\n")
    post = write(site / "content/posts/rye.md", '+++\ntitle = "Rye"\n+++\n')
    assert url_of(post) == "https://bread.sam.dev/posts/rye/"


def test_no_remote_and_no_cname_is_still_no_url(tmp_path: Path) -> None:
    site = git_repo(tmp_path / "notes")
    write(site / "_config.yml", "title: t\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    with pytest.raises(ConfigError, match="the site has no URL"):
        url_of(post)
    subprocess.run(["git", "-C", str(site), "remote", "add", "origin",
                    "https://gitlab.com/jane/notes.git"], check=True)
    with pytest.raises(ConfigError, match="the site has no URL"):
        url_of(post)  # Pages is GitHub's: another host says nothing about the URL


def test_git_variables_of_a_running_hook_do_not_redirect_the_lookup(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = git_repo(tmp_path / "other", "git@github.com:mallory/other.git")
    site = git_repo(tmp_path / "notes", "git@github.com:jane/notes.git")
    write(site / "_config.yml", "title: t\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    assert url_of(post) == "https://jane.github.io/notes/2024/01/02/first.html"


def test_where_the_url_came_from_is_said_at_v(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = git_repo(tmp_path / "notes", "https://github.com/jane/notes")
    write(site / "_config.yml", "title: t\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    with caplog.at_level(logging.INFO, logger="crosspost.sites"):
        Site.discover(post)
    assert caplog.messages == ["the site URL is https://jane.github.io/notes (from the git remote "
                               "origin https://github.com/jane/notes (GitHub Pages, a project site))"]


def test_git_runs_only_when_the_config_says_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = git_repo(tmp_path / "notes", "git@github.com:jane/notes.git")
    write(site / "_config.yml", "url: https://jane.dev\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls"
    write(bin_dir / "git", f"#!/bin/sh\necho \"$*\" >> {calls}\nexit 1\n").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))  # a git that only counts its calls
    assert url_of(post) == "https://jane.dev/2024/01/02/first.html"
    assert not calls.exists()
    write(site / "_config.yml", "title: t\n")
    with pytest.raises(ConfigError, match="the site has no URL"):
        url_of(post)  # a git that fails (or is missing) knows no remote
    assert calls.read_text() == "remote get-url origin\n"


def test_a_token_in_the_remote_is_never_shown(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = "ghp_" + "x" * 36
    site = git_repo(tmp_path / "notes", f"https://jane:{secret}@github.com/jane/notes.git")
    write(site / "_config.yml", "title: t\n")
    post = write(site / "_posts/2024-01-02-first.md", POST)
    with caplog.at_level(logging.INFO, logger="crosspost.sites"):
        found = Site.discover(post)
    assert found.url == "https://jane.github.io/notes"
    assert secret not in (found.url_source or "")
    assert secret not in caplog.text
    assert "https://github.com/jane/notes.git" in caplog.text
