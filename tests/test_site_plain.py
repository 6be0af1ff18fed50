"""Plain sites: a folder of Markdown files, with crosspost.toml or pyproject.toml or neither."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.sites import Site
from tests.site_helpers import reason, url_of, write

# -- discovery and permalinks -----------------------------------------------------------------


def test_plain_site_needs_a_url(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    post = write(tmp_path / "post.md", "# Hi\n")
    site = Site.discover(post)
    with pytest.raises(ConfigError) as info:
        site.canonical_url(site.load(post))
    assert str(info.value) == (
        f"{tmp_path.resolve()}: the site has no URL. set `url = \"https://…\"` in crosspost.toml "
        "at the site root (or `canonical_url:` in the post's front matter)")


def test_plain_site_with_crosspost_toml(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", 'url = "https://notes.jane.dev"\n')
    post = write(tmp_path / "drafts/2024-01-05-first-note.md", "---\ntitle: First\n---\nx\n")
    site = Site.discover(post)
    assert (site.generator, site.root) == ("plain", tmp_path.resolve())
    assert site.canonical_url(site.load(post)) == "https://notes.jane.dev/first-note/"
    write(tmp_path / "crosspost.toml",
          'url = "https://notes.jane.dev"\npermalink = "/:year/:month/:slug.html"\n')
    assert url_of(post) == "https://notes.jane.dev/2024/01/first-note.html"


def test_plain_site_from_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", '[tool.crosspost]\nurl = "https://p.dev"\n')
    post = write(tmp_path / "docs/post.md", "# T\n")
    site = Site.discover(post)
    assert (site.generator, site.root, site.url) == ("plain", tmp_path.resolve(), "https://p.dev")


def test_plain_post_paths_skip_build_and_hidden_folders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", "")
    for name in ("a.md", "sub/b.markdown", ".crosspost/j.md", "_site/c.md", ".hidden/d.md",
                 "node_modules/e.md", "public/f.md", "notes.txt"):
        write(tmp_path / name, "")
    site = Site.discover(tmp_path / "a.md")
    assert [p.relative_to(site.root).as_posix() for p in site.post_paths()] == [
        "a.md", "sub/b.markdown"]


# -- is the post live? ------------------------------------------------------------------------


@pytest.mark.parametrize(("front", "expected"), [
    ("draft: true\n", "`draft: true`"),
    ("published: false\n", "`published: false`"),
    ("draft: false\n", None),
    ("date: 2099-01-01\n", None),  # a plain folder has no scheduling
])


def test_plain_unpublished(tmp_path: Path, front: str, expected: str | None) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", "url = 'https://me.example.org'\n")
    post = write(tmp_path / "p.md", f"---\ntitle: T\n{front}---\n")
    found = reason(post)
    if expected is None:
        assert found is None
    else:
        assert expected in (found or "")
