"""An import writes only inside the site, never over a file, whatever the titles, slugs and
addresses it is given; and it follows the forums' cross-posting between two servers."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from crosspost.homecoming import FAILED, WRITTEN
from crosspost.post import Post
from tests.fakes.forummagnum import FakeForum
from tests.fakes.images import ImageHost, png
from tests.fakes.medium_feed import MediumFeedFake
from tests.import_sites import (
    WHEN,
    hugo_site,
    jekyll_site,
    medium_story_html,
    quartz_site,
    run_import,
    seed_images,
)
from tests.sites import snapshot

HOSTILE = ["../../x", "CON", "a/b", "x" * 300, "😀🎉", "..", "/etc/passwd", "nul.txt"]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() and ".crosspost" not in p.parts}


@pytest.mark.parametrize("make", [jekyll_site, hugo_site, quartz_site],
                         ids=["jekyll", "hugo", "quartz"])
def test_hostile_titles_and_slugs_make_safe_names_inside_the_site(
        make: object, tmp_path: Path, forum: FakeForum, image_host: ImageHost) -> None:
    site = make(tmp_path / "site")  # type: ignore[operator]
    outside = tmp_path / "x"
    before = _files(tmp_path)
    urls = []
    for n, title in enumerate(HOSTILE):
        image = image_host.add(f"img/{n}/..%2F..%2Fevil.png", png(n))
        post_id = forum.add_post(forum.user, title, f"Body ![i]({image})\n",
                                 posted_at=WHEN, rehost=False)
        forum.store.posts[post_id]["slug"] = title  # a server that sends it as it is
        urls.append(f"https://www.lesswrong.com/posts/{post_id}")
    report = run_import(site, *urls, forum=forum)
    assert [r.status for r in report.results] == [WRITTEN] * len(HOSTILE), \
        [r.message for r in report.results]
    created = _files(tmp_path) - before
    assert len(created) == 2 * len(HOSTILE)  # a post and its image each
    for path in created:
        assert path.resolve().is_relative_to(site.resolve())
        assert len(path.name) <= 120
        assert path.name.isascii()
        assert path.name.split(".")[0].lower() not in {"con", "nul", "prn", "aux"}
    assert not outside.exists()
    names = {Post.from_path(r.path).title for r in report.results if r.path}
    assert names == set(HOSTILE)  # the titles themselves are kept, in the front matter


def test_two_posts_with_one_slug_on_one_day_and_an_existing_file(tmp_path: Path,
                                                                  forum: FakeForum) -> None:
    site = jekyll_site(tmp_path / "site")
    taken = site / "_posts" / "2024-03-05-same.md"
    taken.write_text("---\ntitle: Mine\n---\nMine.\n", encoding="utf-8")
    ids = [forum.add_post(forum.user, f"Same {n}", f"Body {n}.\n", posted_at=WHEN)
           for n in range(2)]
    for post_id in ids:
        forum.store.posts[post_id]["slug"] = "same"
    report = run_import(site, *(f"https://www.lesswrong.com/posts/{i}" for i in ids), forum=forum)
    assert taken.read_text(encoding="utf-8") == "---\ntitle: Mine\n---\nMine.\n"
    paths = sorted(r.path.name for r in report.results if r.path)
    assert paths == ["2024-03-05-same-2.md", "2024-03-05-same-3.md"]


def test_an_svg_that_carries_scripts_is_not_copied_into_the_site(
        tmp_path: Path, forum: FakeForum, image_host: ImageHost) -> None:
    # Served from the site, the SVG's script would run as the site's own page.
    site = jekyll_site(tmp_path / "site")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    hostile = {
        "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "onload": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "href": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
                b'<a x:href=" javascript:alert(1)"><circle r="4"/></a></svg>',
        "foreign": b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject>'
                   b'</svg>',
    }
    urls = {name: image_host.add(f"{name}.svg", data, "image/svg+xml")
            for name, data in hostile.items()}
    clean = image_host.add("clean.svg", svg, "image/svg+xml")
    body = "".join(f"![{name}]({url})\n\n" for name, url in urls.items()) + f"![ok]({clean})\n"
    post_id = forum.add_post(forum.user, "Pictures", body, posted_at=WHEN, rehost=False)
    [result] = run_import(site, f"https://www.lesswrong.com/posts/{post_id}", forum=forum).results
    assert result.status == WRITTEN, result.message
    assert result.path is not None
    text = result.path.read_text(encoding="utf-8")
    for url in urls.values():
        assert url in text  # left where it is
        assert any(url in w and "carries scripts" in w for w in result.warnings), result.warnings
    assert clean not in text
    assert [p.read_bytes() for p in (site / "assets" / "img").rglob("*.svg")] == [svg]


def test_a_folder_linked_outside_the_site_is_refused(tmp_path: Path, forum: FakeForum,
                                                     image_host: ImageHost) -> None:
    site = jekyll_site(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site / "assets" / "img").rename(tmp_path / "moved")
    os.symlink(elsewhere, site / "assets" / "img")
    seed_images(image_host)
    post_id = forum.add_post(forum.user, "Escape", f"![p]({image_host.url('orig/plot.png')})\n",
                             posted_at=WHEN, rehost=False)
    before = snapshot(site)
    report = run_import(site, f"https://www.lesswrong.com/posts/{post_id}", forum=forum)
    [result] = report.results
    assert result.status == FAILED
    assert "not inside the site" in result.message
    assert list(elsewhere.iterdir()) == []
    assert {k: v for k, v in snapshot(site).items() if not k.startswith(".crosspost")} \
        == {k: v for k, v in before.items() if not k.startswith(".crosspost")}


def test_the_posts_folder_linked_outside_the_site_is_refused(tmp_path: Path,
                                                             forum: FakeForum) -> None:
    site = jekyll_site(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    (site / "_posts").rename(elsewhere)
    os.symlink(elsewhere, site / "_posts")
    post_id = forum.add_post(forum.user, "Escape", "Body.\n", posted_at=WHEN)
    report = run_import(site, f"https://www.lesswrong.com/posts/{post_id}", forum=forum)
    assert report.results[0].status == FAILED
    assert sorted(p.name for p in elsewhere.iterdir()) == ["2023-01-01-first.md"]


# -- native crossposts ------------------------------------------------------------------------


def test_a_lesswrong_post_with_an_ea_forum_crosspost_records_both(tmp_path: Path,
                                                                  make_forum: object) -> None:
    lw: FakeForum = make_forum("lesswrong")  # type: ignore[operator]
    ea: FakeForum = make_forum("eaforum")  # type: ignore[operator]
    ea_id = ea.add_post(ea.user, "Shared", "Body.\n", posted_at=WHEN)
    lw_id = lw.add_post(lw.user, "Shared", "Body.\n", posted_at=WHEN, fm_crosspost={
        "isCrosspost": True, "hostedHere": True, "foreignPostId": ea_id})
    ea.store.posts[ea_id]["fmCrosspost"] = {"isCrosspost": True, "hostedHere": False,
                                            "foreignPostId": lw_id}
    environ = {"CROSSPOST_EAFORUM_ENDPOINT": ea.endpoint}
    site = jekyll_site(tmp_path / "site")
    # The EA Forum's address of the crosspost brings home the LessWrong original.
    report = run_import(site, f"https://forum.effectivealtruism.org/posts/{ea_id}/shared",
                        forum=lw, environ=environ)
    [result] = report.results
    assert result.status == WRITTEN, result.message
    assert result.path is not None
    blocks = Post.from_path(result.path).crosspost
    assert blocks["lesswrong"]["id"] == lw_id
    assert blocks["eaforum"]["id"] == ea_id
    assert blocks["eaforum"]["via"] == "lesswrong"
    assert blocks["eaforum"]["url"] == f"https://forum.effectivealtruism.org/posts/{ea_id}"
    assert blocks["eaforum"]["hash"]
    # Either address now names the file; nothing is written again.
    again = run_import(site, f"https://www.lesswrong.com/posts/{lw_id}",
                       f"https://forum.effectivealtruism.org/posts/{ea_id}", forum=lw,
                       environ=environ)
    assert [r.status for r in again.results] == ["already in the site"] * 2


# -- Medium -------------------------------------------------------------------------------------


def test_the_medium_username_comes_from_crosspost_toml(tmp_path: Path, image_host: ImageHost,
                                                       medium_feed: MediumFeedFake,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    site = jekyll_site(tmp_path / "site")
    (site / "crosspost.toml").write_text('[targets.medium]\nusername = "jane"\n', encoding="utf-8")
    seed_images(image_host)
    story = medium_feed.add_story("From the feed", medium_story_html(image_host.url("orig/chart.png")),
                                  published=WHEN)
    requested: list[str] = []
    from crosspost.targets import medium_feed as feed_module

    real = feed_module.read_feed

    def read(url: str, settings: object) -> object:
        requested.append(url)
        return real(medium_feed.url, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(feed_module, "read_feed", read)
    report = run_import(site, f"https://medium.com/p/{story.id}")
    assert requested == ["https://medium.com/feed/@jane"]
    [result] = report.results
    assert result.status == WRITTEN
    assert result.path is not None
    record = Post.from_path(result.path).crosspost["medium"]
    assert record["id"] == story.id
    assert record["url"] == story.url


def test_a_story_linking_to_a_post_of_the_site_is_that_post(tmp_path: Path,
                                                           medium_feed: MediumFeedFake) -> None:
    site = jekyll_site(tmp_path / "site")
    story = medium_feed.add_story("First", '<p>Hi.</p><p>Originally published at <a href='
                                  '"https://jane.net/2023/01/01/first/">jane.net</a>.</p>')
    before = snapshot(site)
    report = run_import(site, story.url, feed=medium_feed)
    [result] = report.results
    assert result.status == "already in the site"
    assert result.path is not None
    assert result.path.name == "2023-01-01-first.md"
    assert snapshot(site) == before


# -- a Lexical post, as a guest and as its author ------------------------------------------------

LEXICAL = ('<p><span style="white-space: pre-wrap;">Lexical text with </span><b><span style='
           '"white-space: pre-wrap;">bold</span></b><ins> and a suggestion</ins>.</p>'
           '<pre class="code-block" data-language="python" data-highlight-language="python" '
           'spellcheck="false"><span class="code-token-attr" style="white-space:pre-wrap">def'
           '</span> f():<br>    <span>return</span> 1</pre>'
           '<div class="math-tex" style="display:block">\\[E=mc^2\\]</div>')


@pytest.mark.parametrize("token", [False, True], ids=["guest", "author"])
def test_a_lexical_post(token: bool, tmp_path: Path, forum: FakeForum) -> None:
    post_id = forum.add_post(forum.user, "Lexical", LEXICAL, kind="lexical", posted_at=WHEN)
    environ = {"CROSSPOST_LESSWRONG_TOKEN": forum.token} if token else {}
    site = jekyll_site(tmp_path / "site")
    report = run_import(site, f"https://www.lesswrong.com/posts/{post_id}", forum=forum,
                        environ=environ)
    [result] = report.results
    assert result.status == WRITTEN, result.message
    assert result.path is not None
    body = Post.from_path(result.path).body
    assert "```python\ndef f():\n    return 1\n```" in body
    assert "$$\nE=mc^2\n$$" in body
    assert "**bold**" in body
    # The stored text shows an unaccepted suggestion as such; the served HTML is sanitized.
    assert "a suggestion" not in body


def test_served_math_without_its_tex_is_kept_as_text_with_a_warning(tmp_path: Path,
                                                                  forum: FakeForum) -> None:
    forum.aria_labels = False  # MathJax 3 HTML saved 2026-02-10…07-29
    post_id = forum.add_post(forum.user, "Lost TeX", LEXICAL, kind="lexical", posted_at=WHEN)
    report = run_import(jekyll_site(tmp_path / "site"), f"https://www.lesswrong.com/posts/{post_id}",
                        forum=forum)
    [result] = report.results
    assert result.status == WRITTEN
    assert any("without its TeX" in w for w in result.warnings)
    assert any(":" in w.split(" ", 1)[0] for w in result.warnings)  # path:line


def test_a_user_by_an_unknown_slug(tmp_path: Path, forum: FakeForum) -> None:
    from crosspost.errors import NotFound

    with pytest.raises(NotFound, match="has no user 'nobody'"):
        run_import(jekyll_site(tmp_path / "site"), forum=forum, user="nobody")


def test_import_at_a_time_in_the_site_zone(tmp_path: Path, forum: FakeForum) -> None:
    """Jekyll dates a post in the site's time zone: 02:00 UTC is the day before in New York,
    the same day in Berlin; the file name and the permalink agree with Jekyll."""
    when = dt.datetime(2024, 3, 5, 2, 0, tzinfo=dt.UTC)
    post_id = forum.add_post(forum.user, "Zoned", "Body.\n", posted_at=when)
    url = f"https://www.lesswrong.com/posts/{post_id}"
    ny = run_import(jekyll_site(tmp_path / "ny"), url, forum=forum).results[0].path
    berlin = run_import(jekyll_site(tmp_path / "b", timezone="Europe/Berlin"), url,
                        forum=forum).results[0].path
    assert ny is not None
    assert berlin is not None
    assert ny.name == "2024-03-04-zoned.md"
    assert berlin.name == "2024-03-05-zoned.md"


def test_a_hugo_site_without_raw_html_is_told_what_it_will_not_show(
        tmp_path: Path, forum: FakeForum, image_host: ImageHost) -> None:
    from tests.import_sites import rich_html

    site = hugo_site(tmp_path / "site")
    config = site / "hugo.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("unsafe = true", "unsafe = false"),
                      encoding="utf-8")
    post_id = forum.add_post(forum.user, "Rich", rich_html(image_host.url("orig/none.png")),
                             kind="ckEditorMarkup", posted_at=WHEN, rehost=False)
    [result] = run_import(site, f"https://www.lesswrong.com/posts/{post_id}", forum=forum,
                          keep_remote_images=True).results
    assert result.path is not None
    lines = result.path.read_text(encoding="utf-8").split("\n")
    told = [w for w in result.warnings if "unsafe = true" in w]
    assert [w.split("this ")[1].split(" shows")[0] for w in told] == [
        "collapsible section", "spoiler", "subscript", "superscript"]
    for warning in told:
        line = int(warning.split(":")[1])
        assert "<" in lines[line - 1]


def test_text_that_looks_like_liquid_stays_text_on_jekyll(tmp_path: Path, forum: FakeForum) -> None:
    from crosspost.render import render_post
    from crosspost.sites import Site
    from tests.generators import build_jekyll

    html = "<p>Templates write {{ page.title }} and {% raw %} like this.</p>"
    post_id = forum.add_post(forum.user, "Liquid", html, kind="ckEditorMarkup", posted_at=WHEN)
    site = jekyll_site(tmp_path / "site")
    [result] = run_import(site, f"https://www.lesswrong.com/posts/{post_id}", forum=forum).results
    assert result.path is not None
    post = Post.from_path(result.path)
    assert post.front_matter["render_with_liquid"] is False
    body = render_post(post, Site.discover(result.path), "lesswrong").body
    assert "{{ page.title }} and {% raw %}" in body
    built = build_jekyll(site)
    page = next(p for p in built.rglob("index.html") if "liquid" in str(p))
    assert "{{ page.title }} and {% raw %}" in page.read_text(encoding="utf-8")
