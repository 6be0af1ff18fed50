"""Links and images: absolute URLs, sibling copies, self links, assets."""

from __future__ import annotations

import pytest

from crosspost.render import Rendered
from tests.render_site import MemorySite, make_site, render_text

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


def test_self_link_notice_with_another_copy_keeps_the_other_link() -> None:
    body = ("Cross-posted to [LessWrong](https://www.lesswrong.com/posts/DDDDDDDDDDDDDDDDD/x) and "
            "[the EA Forum](https://forum.effectivealtruism.org/posts/EEEEEEEEEEEEEEEEE/x).\n")
    lesswrong = _render(body)
    assert lesswrong.body == ("Cross-posted to LessWrong and "
                              "[the EA Forum](https://forum.effectivealtruism.org/posts/EEEEEEEEEEEEEEEEE/x).\n")
    assert lesswrong.self_ids == ("DDDDDDDDDDDDDDDDD",)
    eaforum = _render(body, "eaforum")
    assert eaforum.self_ids == ("EEEEEEEEEEEEEEEEE",)
    assert "[LessWrong](https://www.lesswrong.com/posts/DDDDDDDDDDDDDDDDD/x)" in eaforum.body
    medium = _render(body, "medium")
    assert medium.self_ids == ()
