"""The heart of ``crosspost import``: nothing is lost on the way home and back.

Each post the fake platforms hold (a Markdown post, a rich-editor post with math, footnotes,
a captioned figure, a table, code, a spoiler and a collapsible section, and a Medium story
with figures and code) is imported into a Jekyll, a Hugo and a Quartz site. The imported
file is then rendered back by crosspost for its platform and compared with the platform's
own copy, feature by feature (``tests/import_features.py`` says how): the same text, TeX,
footnotes, images, captions, links, code, spoilers, collapsible sections and table cells.
Images were downloaded into the site: the platform's image address and the rendered one
must name the same bytes (the rendered one a file of the site). The real jekyll and hugo
then build each site, and the canonical URL crosspost computed is a page they built.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.homecoming import WRITTEN, ImportReport
from crosspost.post import Post
from crosspost.render import render_post
from crosspost.sites import Site
from tests.fakes.forummagnum import FakeForum
from tests.fakes.images import ImageHost
from tests.fakes.medium_feed import MediumFeedFake
from tests.generators import build_hugo, build_jekyll
from tests.import_features import Features, features, forum_html
from tests.import_sites import (
    PLAIN_MARKDOWN,
    SITES,
    WHEN,
    markdown_post,
    medium_story_html,
    rich_html,
    run_import,
    seed_images,
    serve_mirrors,
)


def _only(report: ImportReport) -> Path:
    [result] = report.results
    assert result.status == WRITTEN, result.message
    assert result.path is not None
    return result.path


def _rendered(path: Path, target: str) -> tuple[str, Site, Post]:
    post = Post.from_path(path)
    site = Site.discover(path)
    return render_post(post, site, target).body, site, post


def _same(theirs: Features, ours: Features, *, images: dict[str, str]) -> None:
    assert ours.text == theirs.text
    assert ours.tex == theirs.tex
    assert ours.footnotes == theirs.footnotes
    assert ours.footnote_links == theirs.footnote_links
    assert ours.captions == theirs.captions
    assert ours.links == theirs.links
    assert ours.code == theirs.code
    assert ours.spoilers == theirs.spoilers
    assert ours.collapsibles == theirs.collapsibles
    assert ours.cells == theirs.cells
    assert ours.images == [images.get(src, src) for src in theirs.images]


def _image_urls(report: ImportReport, site: Site, post: Post) -> dict[str, str]:
    """Each downloaded image's original address -> the address the rendered copy shows it
    at (checked to be that very file of the site)."""
    [result] = report.results
    body = render_post(post, site, "lesswrong" if "lesswrong" in post.crosspost else
                       next(iter(post.crosspost))).body
    out: dict[str, str] = {}
    for src, path in result.images:
        for candidate in features(body if body.lstrip().startswith("<") else forum_html(body)).images:
            local = site.local_file(candidate, post=post)
            if local is not None and local == path.resolve():
                out[src] = candidate
    assert len(out) == len(result.images)
    return out


@pytest.fixture
def platforms(make_forum: object, image_host: ImageHost, medium_feed: MediumFeedFake
              ) -> tuple[FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]:
    forum = make_forum("lesswrong")  # type: ignore[operator]
    return forum, image_host, medium_feed, seed_images(image_host, forum)


@pytest.mark.parametrize("kind", sorted(SITES))
def test_a_rich_editor_post_comes_home_whole(kind: str, tmp_path: Path, platforms: tuple[
        FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]) -> None:
    forum, host, _, images = platforms
    stored = rich_html(host.url("orig/plot.png"))
    post_id = forum.add_post(forum.user, "Estimating p: a worked example", stored,
                             kind="ckEditorMarkup", posted_at=WHEN, tags=["Statistics"])
    site_root = SITES[kind](tmp_path / kind)
    report = run_import(site_root, f"https://www.lesswrong.com/posts/{post_id}/estimating-p",
                        forum=forum)
    path = _only(report)
    body, site, post = _rendered(path, "lesswrong")
    mapping = _image_urls(report, site, post)
    _same(features(stored), features(forum_html(body)), images=mapping)
    [(src, file)] = report.results[0].images
    assert file.read_bytes() == images[src]
    # Nothing the forums read but the site does not is left in the file.
    text = path.read_text(encoding="utf-8")
    for construct in ("\\\\(", ">!", "+++ "):
        assert construct not in text


@pytest.mark.parametrize("kind", sorted(SITES))
def test_a_markdown_post_keeps_its_markdown(kind: str, tmp_path: Path, platforms: tuple[
        FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]) -> None:
    forum, _, _, _ = platforms
    post_id = forum.add_post(forum.user, "Plain markdown", PLAIN_MARKDOWN, posted_at=WHEN)
    path = _only(run_import(SITES[kind](tmp_path / kind),
                            f"https://www.lesswrong.com/posts/{post_id}", forum=forum))
    body, _, _ = _rendered(path, "lesswrong")
    # Written in what the site reads, the post still renders to exactly the author's text.
    assert body == forum.post(post_id)["markdown"]


@pytest.mark.parametrize("kind", sorted(SITES))
def test_a_markdown_post_in_the_forum_dialect_comes_home_whole(kind: str, tmp_path: Path,
                                                               platforms: tuple[
        FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]) -> None:
    forum, host, _, _ = platforms
    source = markdown_post(host.url("orig/photo.png"))
    post_id = forum.add_post(forum.user, "Forum dialect", source, posted_at=WHEN)
    report = run_import(SITES[kind](tmp_path / kind),
                        f"https://www.lesswrong.com/s/abcdefghijklmnopq/p/{post_id}#comments",
                        forum=forum)
    path = _only(report)
    body, site, post = _rendered(path, "lesswrong")
    _same(features(forum_html(source)), features(forum_html(body)),
          images=_image_urls(report, site, post))
    text = path.read_text(encoding="utf-8")
    for construct in ("\\\\(", ">!", "+++ ", "~2~"):
        assert construct not in text


@pytest.mark.parametrize("kind", sorted(SITES))
def test_a_medium_story_comes_home_whole(kind: str, tmp_path: Path, platforms: tuple[
        FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]) -> None:
    _, host, feed, _ = platforms
    story_html = medium_story_html(host.url("orig/chart.png"))
    story = feed.add_story("A Medium story", story_html, tags=("python",), published=WHEN)
    report = run_import(SITES[kind](tmp_path / kind), story.url, feed=feed)
    path = _only(report)
    body, site, post = _rendered(path, "medium")
    theirs = features(story_html.split("<hr>")[0])  # the footer is Medium's, not the story's
    ours = features(body)
    mapping = _image_urls(report, site, post)
    assert ours.text[:3] == ["A", "Medium", "story"]  # Medium's body starts with the title
    ours.text = ours.text[3:]
    _same(theirs, ours, images=mapping)
    assert "was originally published" not in path.read_text(encoding="utf-8")
    assert "_/stat" not in path.read_text(encoding="utf-8")


def test_the_canonical_url_is_a_page_the_generators_build(tmp_path: Path, platforms: tuple[
        FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]) -> None:
    """Jekyll (pretty permalinks, New York time: 14:30 UTC is the same day there) and Hugo
    (file posts, then page bundles with TOML front matter) serve the imported post at the
    URL crosspost records it under, with its image."""
    from tests.generators import Built, SiteSpec
    from tests.import_sites import hugo_site, jekyll_site

    forum, host, _, _ = platforms
    post_id = forum.add_post(forum.user, "Built by the generators",
                             rich_html(host.url("orig/plot.png")), kind="ckEditorMarkup",
                             posted_at=WHEN.replace(hour=3))
    url = f"https://www.lesswrong.com/posts/{post_id}"
    sites = {"jekyll": jekyll_site(tmp_path / "j"), "hugo": hugo_site(tmp_path / "h"),
             "bundles": hugo_site(tmp_path / "b", bundles=True, toml=True)}
    for root in sites.values():
        _only(run_import(root, url, forum=forum))
    for name, root in sites.items():
        path = next(p for p in root.rglob("*.md") if "first" not in str(p))
        post = Post.from_path(path)
        site = Site.discover(path)
        rendered = render_post(post, site, "lesswrong")
        output = build_jekyll(root) if name == "jekyll" else build_hugo(root)
        built = Built(SiteSpec(name, "jekyll" if name == "jekyll" else "hugo", {}), root, output)
        page = built.page(rendered.canonical_url, site.require_url())
        assert page is not None, (name, rendered.canonical_url)
        html = page.read_text(encoding="utf-8")
        [image] = features(forum_html(rendered.body)).images
        assert built.page(image, site.require_url()) is not None, (name, image)
        if name == "jekyll":  # 03:30 UTC is the evening before in New York
            assert path.name.startswith("2024-03-04-")
        if name == "bundles":
            assert path.name == "index.md"
            assert post.format == "toml"
            assert (path.parent / "plot.png").is_file()
        assert "The data, from" in html


def test_mirrors_stand_in_for_dead_originals(tmp_path: Path, platforms: tuple[
        FakeForum, ImageHost, MediumFeedFake, dict[str, bytes]]) -> None:
    forum, host, _, images = platforms
    dead = host.url("gone/photo.png")
    source = markdown_post(dead)
    post_id = forum.add_post(forum.user, "Dead link", source, posted_at=WHEN)
    [mirror] = serve_mirrors(host, forum, post_id, images[host.url("orig/photo.png")])
    report = run_import(SITES["jekyll"](tmp_path / "j"), f"https://www.lesswrong.com/posts/{post_id}",
                        forum=forum)
    path = _only(report)
    [(src, file)] = report.results[0].images
    assert src == mirror
    assert file.read_bytes() == images[host.url("orig/photo.png")]
    assert dead not in path.read_text(encoding="utf-8")
