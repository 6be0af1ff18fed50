"""The pieces of ``crosspost import``: addresses, names, converters, downloads, the fake forum's
read side (served as the reference says the real one serves it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosspost.errors import InputError, NotFound, Rejected
from crosspost.homecoming.forum_markdown import normalise
from crosspost.homecoming.html_in import SiteForm, convert, image_sources
from crosspost.homecoming.images import image_kind
from crosspost.homecoming.sources import parse_address
from crosspost.http import download
from crosspost.sites.newpost import safe_file_name, safe_slug
from tests.fakes.forummagnum import FakeForum
from tests.fakes.images import JPEG, ImageHost, png
from tests.sites import FAST

LW = "https://www.lesswrong.com"
ID = "GreaiJYjFDziXbfCw"


@pytest.mark.parametrize(("url", "target", "remote_id"), [
    (f"{LW}/posts/{ID}/my-post", "lesswrong", ID),
    (f"{LW}/posts/{ID}", "lesswrong", ID),
    (f"https://lesswrong.com/posts/{ID}/my-post?commentId=abcdefghijklmnopq", "lesswrong", ID),
    (f"{LW}/s/XsMTxdQ6fprAQMoKi/p/{ID}", "lesswrong", ID),
    (f"{LW}/posts/{ID}/my-post#a-heading", "lesswrong", ID),
    (f"www.lesswrong.com/posts/{ID}", "lesswrong", ID),
    (f"https://forum.effectivealtruism.org/posts/{ID}/x", "eaforum", ID),
    (f"https://www.alignmentforum.org/posts/{ID}/x", "alignmentforum", ID),
    ("https://medium.com/@jane/my-story-1a2b3c4d5e6f", "medium", "1a2b3c4d5e6f"),
    ("https://jane.medium.com/my-story-1a2b3c4d5e6f?source=rss-x", "medium", "1a2b3c4d5e6f"),
    ("https://medium.com/p/1a2b3c4d5e6f", "medium", "1a2b3c4d5e6f"),
    ("https://medium.com/some-publication/a-title-1a2b3c4d5e6f", "medium", "1a2b3c4d5e6f"),
])
def test_every_address_a_reader_copies(url: str, target: str, remote_id: str) -> None:
    found = parse_address(url)
    assert (found.target, found.id) == (target, remote_id)


@pytest.mark.parametrize("url", [
    f"{LW}/tag/ai", f"{LW}/posts/short", f"{LW}/users/jane", "https://medium.com/@jane",
    "https://example.org/posts/GreaiJYjFDziXbfCw", "javascript:alert(1)", "", "not a url",
])
def test_what_is_not_a_post(url: str) -> None:
    with pytest.raises(InputError):
        parse_address(url)


@pytest.mark.parametrize(("text", "slug"), [
    ("My Post: A Title!", "my-post-a-title"), ("../../x", "x"), ("CON", "con-post"),
    ("a/b", "a-b"), ("😀🎉", "post-abc"), ("Ünïcödé façade", "unicode-facade"),
    ("nul", "nul-post"), ("x" * 300, "x" * 80),
])
def test_safe_slugs(text: str, slug: str) -> None:
    assert safe_slug(text, fallback="post-abc") == slug


@pytest.mark.parametrize(("name", "safe"), [
    ("plot.png", "plot.png"), ("../../etc/passwd", "passwd"), (".htaccess", "image.htaccess"),
    ("a b(1).JPG", "a-b-1.jpg"), ("con.png", "image-con.png"), ("", "image"),
    ("x" * 200 + ".png", "x" * 60 + ".png"),
])
def test_safe_file_names(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_images_are_known_by_their_bytes() -> None:
    assert image_kind(png(1)) == "png"
    assert image_kind(JPEG) == "jpg"
    assert image_kind(b"GIF89a....") == "gif"
    assert image_kind(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_kind(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>') == "svg"
    assert image_kind(b"<html><body>404</body></html>") is None
    assert image_kind(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><svg>&a;</svg>') is None


# -- downloads ----------------------------------------------------------------------------------


def test_downloads_follow_redirects_on_one_scheme_only(image_host: ImageHost) -> None:
    real = image_host.add("real.png", png(3))
    image_host.redirect("moved.png", "/real.png")
    image_host.redirect("away.png", "http://example.org/x.png")
    image_host.redirect("loop.png", "/loop.png")
    got = download(image_host.url("moved.png"), FAST, max_bytes=1000, target="lesswrong")
    assert got.url == real
    assert got.content == png(3)
    with pytest.raises(Rejected, match="no redirect to another scheme"):
        download(image_host.url("away.png"), FAST, max_bytes=1000, target="lesswrong")
    with pytest.raises(Exception, match="more than 5 times"):
        download(image_host.url("loop.png"), FAST, max_bytes=1000, target="lesswrong")
    with pytest.raises(NotFound):
        download(image_host.url("missing.png"), FAST, max_bytes=1000, target="lesswrong")
    with pytest.raises(Rejected, match="larger than"):
        download(real, FAST, max_bytes=10, target="lesswrong")
    for url in ("http://example.org/x.png", "file:///etc/passwd", "ftp://example.org/x.png"):
        with pytest.raises(Rejected):
            download(url, FAST, max_bytes=1000, target="lesswrong")


# -- converters ---------------------------------------------------------------------------------

JEKYLL = SiteForm(kramdown=True)
QUARTZ = SiteForm(dollar_math=True, obsidian=True)


def md(html: str, form: SiteForm = JEKYLL, source: str = "forum", title: str = "") -> str:
    return convert(html, form, source=source, base_url=LW, title=title)[0]


def test_math_in_every_shape_the_forums_serve() -> None:
    mathjax2 = ('<p><span class="math-tex"><span class="mjpage"><span class="mjx-chtml MathJax_CHTML">'
                '<span class="mjx-math" aria-label="x^2"><span class="mjx-mrow" aria-hidden="true">x2'
                "</span></span></span></span></span> and</p>"
                '<p><span class="math-tex"><span class="mjpage mjpage__block"><span class="mjx-chtml '
                'MJXc-display"><span class="mjx-math" aria-label="\\sum_i a_i"></span></span></span>'
                "</span></p>")
    assert md(mathjax2) == "$$x^2$$ and\n\n$$\n\\sum_i a_i\n$$\n"
    mathjax3 = ('<p><mjx-container class="MathJax" jax="CHTML" aria-label="a &lt; b" role="math">'
                "<mjx-math>a&lt;b</mjx-math></mjx-container></p>")
    assert md(mathjax3, QUARTZ) == "$a < b$\n"
    stored = '<p>An <span class="math-tex">\\(x_1 * y\\)</span>.</p>'
    assert md(stored) == "An $$x_1 * y$$.\n"


def test_footnotes_keep_their_whole_text_and_their_order() -> None:
    html = ('<p>One<span class="footnote-reference" data-footnote-id="b"><sup><a href="#fnb">[1]'
            '</a></sup></span> two<span class="footnote-reference" data-footnote-id="a"><sup>'
            '<a href="#fna">[2]</a></sup></span>.</p><ol class="footnote-section"><li class="'
            'footnote-item" data-footnote-id="a"><span class="footnote-back-link"><sup><a href="'
            '#fnrefa">^</a></sup></span><div class="footnote-content"><p>Second <em>note</em>.</p>'
            '</div></li><li class="footnote-item" data-footnote-id="b"><div class="footnote-'
            'content"><p>First with <a href="https://x.org">a link</a>.</p><p>More.</p></div></li>'
            "</ol>")
    assert md(html) == ("One[^1] two[^2].\n\n[^1]: First with [a link](https://x.org).\n\n"
                        "    More.\n\n[^2]: Second *note*.\n")


def test_medium_leaves_out_its_own_additions() -> None:
    html = ("<h3>The Title</h3><p>Text <code>x</code>.</p><h3>A section</h3><h4>Small</h4>"
            "<pre>a = 1<br>b = 2</pre><pre>c = 3</pre>"
            '<iframe src="" width="0" height="0"><a href="https://medium.com/media/abc/href">'
            "https://medium.com/media/abc/href</a></iframe>"
            '<iframe src="https://cdn.embedly.com/widgets/media.html?src=https%3A%2F%2Fwww.youtube.com'
            '%2Fembed%2FdQw4w9WgXcQ"></iframe>'
            '<hr><p><a href="x">The Title</a> was originally published in <a href="p">Pub</a> on '
            "Medium, where people are continuing the conversation.</p>"
            '<img src="https://medium.com/_/stat?event=post.clientViewed&amp;postId=1" width="1" '
            'height="1" alt="">')
    text, notes = convert(html, JEKYLL, source="medium", base_url="https://medium.com",
                          title="The Title")
    assert text == ("Text `x`.\n\n## A section\n\n### Small\n\n```\na = 1\nb = 2\n```\n\n"
                    "```\nc = 3\n```\n\n[Embed whose content Medium's feed leaves out (a gist, "
                    "say)](https://medium.com/media/abc/href)\n\n"
                    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n")
    assert [n.needle for n in notes] == ["[Embed whose content Medium's feed leaves out (a gist, "
                                         "say)](https://medium.com/media/abc/href)"]
    assert image_sources(html, source="medium", base_url="https://medium.com") == []


def test_widgets_become_links_or_raw_html_with_a_warning() -> None:
    html = ('<div data-elicit-id="Q1" class="elicit-binary-prediction"><div>Elicit</div></div>'
            '<div class="ck-poll" data-internal-id="p1" data-props="{}">Poll</div>'
            '<figure class="media"><div data-oembed-url="https://www.metaculus.com/questions/1/">'
            "</div></figure>")
    text, notes = convert(html, JEKYLL, source="forum", base_url=LW)
    assert "[Elicit prediction](https://forecast.elicit.org/binary/questions/Q1)" in text
    assert '<div class="ck-poll" data-internal-id="p1" data-props="{}">Poll</div>' in text
    assert "[Embed](https://www.metaculus.com/questions/1/)" in text
    assert len(notes) == 3


def test_text_stays_text() -> None:
    html = ("<p># not a heading, 1. not a list, a $5 fee, [brackets], a_b*c, &lt;div&gt;, "
            "~tilde~, a | pipe</p><p>- dash</p>")
    assert md(html) == ("\\# not a heading, 1. not a list, a \\$5 fee, \\[brackets\\], a\\_b\\*c, "
                        "\\<div>, \\~tilde\\~, a \\| pipe\n\n\\- dash\n")


def test_the_forums_own_links_become_absolute_and_headings_anchors_follow_the_site() -> None:
    from crosspost.sites.base import Site

    form = SiteForm(anchors=lambda texts: Site.heading_anchors(None, texts))  # type: ignore[arg-type]
    html = ('<h2>Why, though?</h2><p><a href="/posts/abc/x">a post</a>, '
            '<a href="#Why__though_">up</a>, <a href="//example.org/y">y</a>.</p>')
    assert md(html, form) == ("## Why, though?\n\n[a post](https://www.lesswrong.com/posts/abc/x), "
                              "[up](#why-though), [y](https://example.org/y).\n")


def test_the_forum_markdown_dialect_outside_code_only() -> None:
    source = ("`\\\\(x\\\\)` and \\\\(y\\\\)\n\n```\n>! code\n+++ code\n```\n\n"
              "    >! indented code\n\n>! shown\n")
    out = normalise(source, JEKYLL).text
    assert out.startswith("`\\\\(x\\\\)` and $$y$$\n\n```\n>! code\n+++ code\n```\n")
    assert "    >! indented code" in out
    assert '<div class="spoiler" markdown="1">\n\nshown\n\n</div>' in out


# -- the fake forum serves what the real one does -------------------------------------------------


def test_the_fake_serves_the_read_side_as_the_real_one(forum: FakeForum) -> None:
    import httpx

    from crosspost.homecoming.sources import Readers
    from crosspost.targets.forummagnum_read import find_user, list_posts, read_post

    stored = '<p>A <span class="math-tex">\\(x\\)</span> and <em>b</em>.</p>'
    post_id = forum.add_post(forum.user, "Rich", stored, kind="ckEditorMarkup")
    for n in range(7):
        forum.add_post(forum.user, f"P{n}", "x\n")
    readers = Readers({"CROSSPOST_LESSWRONG_ENDPOINT": forum.endpoint}, FAST, medium_user=None)
    adapter = readers.adapter("lesswrong")
    assert find_user(adapter, "alice") == (forum.user._id, "Alice Example")
    with pytest.raises(NotFound):
        find_user(adapter, "nobody")
    post = read_post(adapter, post_id)  # as a guest
    assert post.editor == "ckEditorMarkup"
    assert post.source == stored  # ckEditorMarkup: readable by guests
    assert post.source_kind == "ckeditor"
    assert 'aria-label="x"' in post.html  # MathJax pre-rendered, with its TeX
    assert post.markdown == "A $x$ and _b_.\n"  # the server's own lossy conversion
    assert len(list(list_posts(adapter, forum.user._id))) == 8
    readers.close()
    # userPosts without a limit answers 5; originalContents.data is empty for a guest.
    query = ('query P($u: String) { posts(input: {terms: {view: "userPosts", userId: $u}}) '
             "{ results { _id contents { originalContents { type data } } } } }")
    answer = httpx.post(forum.endpoint, json={"query": query,
                                              "variables": {"u": forum.user._id}}).json()
    results = answer["data"]["posts"]["results"]
    assert len(results) == 5
    assert all(r["contents"]["originalContents"]["data"] == "" for r in results)
    owned = httpx.post(forum.endpoint, json={"query": query, "variables": {"u": forum.user._id}},
                       headers={"Cookie": f"loginToken={forum.token}"}).json()
    assert any(r["contents"]["originalContents"]["data"]
               for r in owned["data"]["posts"]["results"])


def test_reference_style_images_are_pointed_home_too() -> None:
    from crosspost.homecoming.build import _swap_images

    text = "![a][p] and ![b](<http://x/b c.png>)\n\n[p]: http://x/a.png \"t\"\n"
    refs = {"http://x/a.png": "/assets/a.png", "http://x/b c.png": "/assets/b-c.png"}
    assert _swap_images(text, refs) == "![a][p] and ![b](/assets/b-c.png)\n\n[p]: /assets/a.png \"t\"\n"


def test_a_folder_made_meanwhile_is_used_and_not_claimed(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Two posts imported side by side both find static/images missing; the second mkdir
    # meets the folder the first just made. It must use it, and its undo must leave it.
    from crosspost.homecoming.images import Stored, make_folders

    shared = tmp_path / "static" / "images"
    real_mkdir = Path.mkdir

    def racing_mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self == shared and not self.exists():
            real_mkdir(self)  # the other thread wins
            raise FileExistsError(17, "File exists", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", racing_mkdir)
    stored = Stored()
    make_folders(shared / "post", stored)
    assert (shared / "post").is_dir()
    assert stored.folders == [tmp_path / "static", shared / "post"]
    stored.undo()
    assert shared.is_dir()  # not ours to remove
    assert not (shared / "post").exists()
