"""Links and images: absolute URLs, sibling copies, self links, assets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crosspost.post import Post
from crosspost.render import Rendered, render_post
from crosspost.sites import Site
from tests.render_site import MemorySite, make_site, render_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

FM = "---\ntitle: T\n---\n"
BASE = "https://me.example.org/blog"
CANONICAL = f"{BASE}/post/"


def _site() -> MemorySite:
    site = make_site(url=BASE)
    site.files.update({"post/local.png", "assets/a.png"})
    site.add("_posts/2023-01-01-plain.md", "---\ntitle: Plain\n---\nx\n")
    site.add("_posts/2023-02-02-copied.md",
             "---\ntitle: Copied\ncrosspost:\n  lesswrong:\n"
             "    url: https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied\n---\nx\n")
    return site


def _render(body: str, target: str = "lesswrong", front: str = FM) -> Rendered:
    return render_text(front + body, target, site=_site(), attribution=False)


@pytest.mark.parametrize(("source", "expected"), [
    ("[a](local.html)", f"[a]({CANONICAL}local.html)"),
    ("[a](../plain/)", f"[a]({BASE}/plain/)"),
    ("[a](/root/page)", f"[a]({BASE}/root/page)"),
    ("[a](#section)", f"[a]({CANONICAL}#section)"),
    ("[a](?tab=2)", f"[a]({CANONICAL}?tab=2)"),
    ("[a](//cdn.example.com/x)", "[a](https://cdn.example.com/x)"),
    ("[a](<my file.pdf>)", f"[a](<{CANONICAL}my file.pdf>)"),
    ("[a](mailto:me@example.org)", "[a](mailto:me@example.org)"),
    ("<https://example.org/x?y=1>", "<https://example.org/x?y=1>"),
    ('[a](page "Title")', f'[a]({CANONICAL}page "Title")'),
])
def test_relative_links_become_absolute(source: str, expected: str) -> None:
    assert _render(source + "\n").body == expected + "\n"


@pytest.mark.parametrize("tail", [
    "?q=a%2Cb&x=1,2;3#frag",
    "#:~:text=Eliciting%20Latent%20Knowledge%20is%20an,that%20look%20good%20to%20us.",
    "?utm_source=x&t=147s#:~:text=start,-end",
    "#:~:text=caf%C3%A9-,prefix-,text,-suffix",
])
def test_query_and_text_fragments_survive_byte_for_byte(tail: str) -> None:
    assert _render(f"[a](notes/{tail})\n").body == f"[a]({CANONICAL}notes/{tail})\n"
    assert _render(f"[a](https://x.org/p{tail})\n").body == f"[a](https://x.org/p{tail})\n"
    assert f'href="https://x.org/p{tail.replace("&", "&amp;")}"' in _render(
        f"[a](https://x.org/p{tail})\n", "medium").body


def test_reference_definitions_are_rewritten_and_images_are_assets() -> None:
    body = "See [the doc][doc] and ![pic][p].\n\n[doc]: doc.html \"Doc\"\n[p]: local.png\n"
    rendered = _render(body)
    assert rendered.body == (f"See [the doc][doc] and ![pic][p].\n\n[doc]: {CANONICAL}doc.html "
                             f"\"Doc\"\n[p]: {CANONICAL}local.png\n")
    assert [(a.url, str(a.path)) for a in rendered.assets] == [
        (f"{CANONICAL}local.png", "/site/post/local.png")]


def test_only_local_files_are_assets_and_only_once() -> None:
    body = "![a](local.png) ![b](local.png) ![c](https://x.org/c.png) ![d](/missing.png)\n"
    rendered = _render(body)
    assert [a.url for a in rendered.assets] == [f"{CANONICAL}local.png"]
    assert _render(body, "medium").assets == rendered.assets


@pytest.mark.parametrize(("target", "expected"), [
    ("lesswrong", "https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied#part"),
    ("alignmentforum", "https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/copied#part"),
    ("eaforum", f"{BASE}/copied/#part"),
])
def test_links_to_siblings_point_at_their_copy_on_the_target(target: str, expected: str) -> None:
    body = "[a](../copied/#part) and https://me.example.org/blog/copied/\n"
    bare = expected.removesuffix("#part")
    assert _render(body, target).body == f"[a]({expected}) and {bare}\n"


def test_self_link_paragraph_variants() -> None:
    recorded = ("---\ntitle: T\ncrosspost:\n  lesswrong:\n"
                "    url: https://www.lesswrong.com/posts/CCCCCCCCCCCCCCCCC/t\n---\n")
    body = ("Also on LessWrong: https://www.lesswrong.com/posts/CCCCCCCCCCCCCCCCC/t\n\n"
            "Text.\n\nMy [earlier copy](https://lesswrong.com/posts/CCCCCCCCCCCCCCCCC) had typos.\n")
    rendered = _render(body, front=recorded)
    assert rendered.body == "Text.\n\nMy earlier copy had typos.\n"
    assert rendered.self_ids == ("CCCCCCCCCCCCCCCCC",)


def test_an_unrecorded_link_in_a_notice_stays_and_is_only_a_candidate() -> None:
    """Until the engine knows the link is this post's copy (not another post's, not someone
    else's), the sentence is sent as written."""
    body = ("Cross-posted to [LessWrong](https://www.lesswrong.com/posts/DDDDDDDDDDDDDDDDD/x) and "
            "[the EA Forum](https://forum.effectivealtruism.org/posts/EEEEEEEEEEEEEEEEE/x).\n")
    lesswrong = _render(body)
    assert lesswrong.body == body
    assert (lesswrong.self_ids, lesswrong.copy_candidates) == (
        (), ("https://www.lesswrong.com/posts/DDDDDDDDDDDDDDDDD/x",))
    assert any("taken as this post's copy only if it is yours" in n.message
               for n in lesswrong.notices)
    eaforum = _render(body, "eaforum")
    assert eaforum.copy_candidates == ("https://forum.effectivealtruism.org/posts/EEEEEEEEEEEEEEEEE/x",)
    assert _render(body, "medium").copy_candidates == ()


def test_self_link_notice_with_another_copy_keeps_the_other_link() -> None:
    front = ("---\ntitle: T\ncrosspost:\n  lesswrong:\n    id: DDDDDDDDDDDDDDDDD\n"
             "  eaforum:\n    id: EEEEEEEEEEEEEEEEE\n---\n")
    body = ("Cross-posted to [LessWrong](https://www.lesswrong.com/posts/DDDDDDDDDDDDDDDDD/x) and "
            "[the EA Forum](https://forum.effectivealtruism.org/posts/EEEEEEEEEEEEEEEEE/x).\n")
    lesswrong = _render(body, front=front)
    assert lesswrong.body == ("Cross-posted to LessWrong and "
                              "[the EA Forum](https://forum.effectivealtruism.org/posts/EEEEEEEEEEEEEEEEE/x).\n")
    assert lesswrong.self_ids == ("DDDDDDDDDDDDDDDDD",)
    eaforum = _render(body, "eaforum", front=front)
    assert eaforum.self_ids == ("EEEEEEEEEEEEEEEEE",)
    assert "[LessWrong](https://www.lesswrong.com/posts/DDDDDDDDDDDDDDDDD/x)" in eaforum.body
    medium = _render(body, "medium", front=front)
    assert medium.self_ids == ()


TOOLBOX = "_posts/2024-03-09-a-toolbox-for-technical-posts.md"
RECORDED_COPY = "https://www.lesswrong.com/posts/Tb0xTb0xTb0xTb0xT/a-toolbox"


def test_the_body_does_not_depend_on_how_the_post_path_is_typed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_dir = tmp_path / "site"
    shutil.copytree(EXAMPLES / "jekyll-site", site_dir)
    source = site_dir / TOOLBOX
    text = source.read_text(encoding="utf-8")
    recorded = text.replace("  lesswrong: {}\n", "  lesswrong:\n    id: Tb0xTb0xTb0xTb0xT\n"
                            f"    url: {RECORDED_COPY}\n")
    assert recorded != text
    source.write_text(recorded, encoding="utf-8")
    monkeypatch.chdir(site_dir)

    def render(path: Path) -> Rendered:
        # As the CLI does: the site is found from the path as typed, the post loaded as typed.
        return render_post(Post.from_path(path), Site.discover(path), "lesswrong")

    relative, absolute = render(Path(TOOLBOX)), render(source)
    assert relative.body == absolute.body
    own = "https://jane-doe.github.io/blog/2024/a-toolbox-for-technical-posts/"
    assert f"[this address]({own})" in relative.body  # {{ page.url | absolute_url }}
    assert f"see [the original post]({own})" in relative.body  # the Jupyter note
    assert relative.body.startswith("*Originally published at")
    assert own in relative.body.split("\n", 1)[0]  # the attribution
    assert RECORDED_COPY not in relative.body
    # Sibling posts with a copy still point at it.
    assert "https://www.lesswrong.com/posts/Qm3xTfa8KpLw2ZrNe/" in relative.body


def test_a_link_to_the_posts_own_address_never_becomes_its_copy() -> None:
    site = _site()
    front = ("---\ntitle: T\ncrosspost:\n  lesswrong:\n"
             "    url: https://www.lesswrong.com/posts/FFFFFFFFFFFFFFFFF/t\n---\n")
    body = f"[here]({CANONICAL}#part) and [there](https://www.me.example.org/blog/post)\n"
    rendered = render_text(front + body, site=site, attribution=False)
    assert rendered.body == f"[here]({CANONICAL}#part) and [there](https://www.me.example.org/blog/post)\n"


# -- references to files the site does not have ----------------------------------------------------


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _missing(rendered: Rendered) -> list[tuple[int | None, str]]:
    return [(n.line, n.message) for n in rendered.warnings if "not a file of the site" in n.message]


def test_missing_files_of_a_jekyll_site_are_reported_with_their_line(tmp_path: Path) -> None:
    _write(tmp_path / ".git/HEAD", "")
    _write(tmp_path / "_config.yml", "url: https://jane.github.io\npermalink: /:year/:title/\n")
    _write(tmp_path / "assets/img/real.png", b"\x89PNG")
    _write(tmp_path / "assets/pdf/paper.pdf", b"%PDF")
    _write(tmp_path / "_posts/2023-01-01-other.md", "---\ntitle: Other\n---\nx\n")
    _write(tmp_path / "about.md", "---\ntitle: About\npermalink: /about.html\n---\nx\n")
    body = (
        "![x](/assets/img/does-not-exist.png)\n\n"                                   # line 4
        '{% include figure.liquid path="assets/img/nope.png" caption="C" %}\n\n'     # line 6
        "[paper](/assets/pdf/missing.pdf) and [slides](slides.key)\n\n"             # line 8
        '<img src="/assets/img/gone.jpg" alt="g">\n\n'                               # line 10
        # Not files, or files that are there: nothing to report.
        "![ok](/assets/img/real.png) [ok](/assets/pdf/paper.pdf) [about](/about.html)\n"
        "[other](2023-01-01-other.md) [post](/2023/other/) [section](/notes/)\n"
        "[feed](/feed.xml) [v](/releases/v1.2) [tag](/tags/c++) [mail](mailto:a@b.c)\n"
        "![remote](https://cdn.example.org/x.png) [sitemap](/sitemap.xml)\n"
    )
    post = _write(tmp_path / "_posts/2024-01-02-post.md", "---\ntitle: T\n---\n" + body)
    for target in ("lesswrong", "medium"):
        rendered = render_post(Post.from_path(post), Site.discover(post), target)
        assert _missing(rendered) == [
            (4, "/assets/img/does-not-exist.png is not a file of the site: it will not show "
                "unless the live site serves it"),
            (6, "assets/img/nope.png is not a file of the site: it will not show unless the "
                "live site serves it"),
            (8, "/assets/pdf/missing.pdf is not a file of the site: the link will not work "
                "unless the live site serves it"),
            (8, "slides.key is not a file of the site: the link will not work unless the live "
                "site serves it"),
            (10, "/assets/img/gone.jpg is not a file of the site: it will not show unless the "
                 "live site serves it"),
        ], target


def test_missing_files_of_a_hugo_site(tmp_path: Path) -> None:
    _write(tmp_path / ".git/HEAD", "")
    _write(tmp_path / "hugo.toml", "baseURL = 'https://sam.dev/'\n")
    _write(tmp_path / "static/images/there.jpg", b"\xff\xd8")
    _write(tmp_path / "content/posts/p/pic.png", b"\x89PNG")
    body = ('{{< figure src="/images/nope.jpg" >}}\n\n'          # line 4
            '{{< figure src="/images/there.jpg" >}}\n\n'
            '{{< figure src="pic.png" >}}\n\n'                   # in the page bundle
            "![b](missing.png) [s](/posts/) [q](/posts/other/)\n")  # line 10
    post = _write(tmp_path / "content/posts/p/index.md", "+++\ntitle = 'T'\n+++\n" + body)
    rendered = render_post(Post.from_path(post), Site.discover(post), "lesswrong")
    assert [line for line, _ in _missing(rendered)] == [4, 10]
    assert "/images/nope.jpg is not a file of the site" in _missing(rendered)[0][1]
