"""Obsidian's Markdown on a Quartz site (and in a plain vault), carried over for every target.

Callouts must read as a blockquote with the title in bold (a collapsible section when
folded, on the forums), wikilinks as links to the note's URL (or its copy on the same
platform), embeds as images; comments go, highlights become bold; and nothing of it is
touched inside code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crosspost.platforms import TARGETS
from crosspost.render import Rendered, render_post
from crosspost.sites import Site
from tests.site_helpers import write

CONFIG = 'baseUrl: "garden.jane.net",\nfilters: [Plugin.RemoveDrafts()],\n'
SITE = "https://garden.jane.net"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def garden(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "quartz.config.ts", CONFIG)
    write(tmp_path / "content/ideas/On Compost.md", "---\ntitle: On Compost\n---\nRot.\n")
    write(tmp_path / "content/ideas/Mulch.md",
          "---\ntitle: Mulch\ncrosspost:\n  lesswrong:\n"
          "    url: https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/mulch\n---\nCover.\n")
    write(tmp_path / "content/drafts/Soon.md", "---\ntitle: Soon\ndraft: true\n---\nLater.\n")
    (tmp_path / "content/attachments").mkdir(parents=True)
    (tmp_path / "content/attachments/Bed Plan.png").write_bytes(PNG)
    write(tmp_path / "content/attachments/talk.mp3", "mp3")
    return tmp_path


def render(root: Path, body: str, target: str = "lesswrong", name: str = "notes/Here.md") -> Rendered:
    path = write(root / "content" / name, f"---\ntitle: Here\ncrosspost:\n  {target}:\n---\n{body}")
    site = Site.discover(path)
    return render_post(site.load(path), site, target)


def body_of(rendered: Rendered) -> str:
    """The forum body without the attribution paragraph."""
    return rendered.body.split("\n\n", 1)[1]


# -- wikilinks --------------------------------------------------------------------------------


def test_wikilinks_become_links_to_the_notes(garden: Path) -> None:
    rendered = render(garden, "See [[On Compost]], [[On Compost|the compost note]], "
                              "[[ideas/On Compost#Hot Piles!]] and [[#Below]].\n")
    assert body_of(rendered) == (
        f"See [On Compost]({SITE}/ideas/On-Compost), [the compost note]({SITE}/ideas/On-Compost), "
        f"[Hot Piles!]({SITE}/ideas/On-Compost#hot-piles) and [Below]({SITE}/notes/Here#below).\n")
    assert rendered.warnings == ()


def test_a_wikilink_to_a_note_with_a_copy_points_at_the_copy(garden: Path) -> None:
    forum = render(garden, "Read [[Mulch]] first.\n")
    assert body_of(forum) == "Read [Mulch](https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/mulch) first.\n"
    medium = render(garden, "Read [[Mulch]] first.\n", "medium")
    assert f'<a href="{SITE}/ideas/Mulch">Mulch</a>' in medium.body  # no copy on Medium


def test_wikilinks_that_lead_nowhere_are_plain_text_with_a_warning(garden: Path) -> None:
    rendered = render(garden, "A [[Nowhere]] and a [[Soon|draft]].\n")
    assert body_of(rendered) == "A Nowhere and a draft.\n"
    assert [(n.line, n.message.split(":")[0]) for n in rendered.warnings] == [
        (6, "[[Nowhere]] names no note or file of the site"),
        (6, "[[Soon]] links to a note the site does not publish (it is marked `draft"),
    ]


def test_a_wikilink_to_a_file(garden: Path) -> None:
    rendered = render(garden, "Listen to [[talk.mp3]].\n")
    assert body_of(rendered) == f"Listen to [talk.mp3]({SITE}/attachments/talk.mp3).\n"


def test_an_escaped_pipe_in_a_table(garden: Path) -> None:
    rendered = render(garden, "| a | b |\n|---|---|\n| [[On Compost\\|compost]] | x |\n")
    assert f"| [compost]({SITE}/ideas/On-Compost) | x |" in rendered.body


# -- embeds -----------------------------------------------------------------------------------


def test_image_embeds_become_images_of_the_published_file(garden: Path) -> None:
    rendered = render(garden, "![[Bed Plan.png]]\n\n![[Bed Plan.png|The beds|300]]\n\n"
                              "Inline ![[Bed Plan.png|200]] too.\n")
    url = f"{SITE}/attachments/Bed-Plan.png"
    assert body_of(rendered) == f"![]({url})\n\n![The beds]({url})\n\nInline ![]({url}) too.\n"
    medium = render(garden, "![[Bed Plan.png|The beds]]\n", "medium")
    assert f'<figure><img src="{url}" alt="The beds"></figure>' in medium.body
    assert [a.path for a in medium.assets] == [(garden / "content/attachments/Bed Plan.png").resolve()]


def test_other_embeds(garden: Path) -> None:
    rendered = render(garden, "![[talk.mp3]]\n\n![[On Compost]]\n\n![[Missing.png]]\n")
    assert body_of(rendered) == (f"[talk.mp3]({SITE}/attachments/talk.mp3)\n\n"
                                 f"[On Compost]({SITE}/ideas/On-Compost)\n")
    assert [n.message for n in rendered.warnings] == [
        "![[On Compost]] shows another note's text on the site; LessWrong gets a link to it instead",
        "![[Missing.png]] names no file of the site: it is left out",
    ]


# -- callouts ---------------------------------------------------------------------------------


def test_callouts_read_as_blockquotes_with_a_bold_title(garden: Path) -> None:
    rendered = render(garden, "> [!note]\n> A plain note.\n\n"
                              "> [!warning] Mind the [[Mulch]]\n> Body line one\n> and two.\n\n"
                              "> [!my-custom]+ \n> Open by default.\n")
    assert body_of(rendered) == (
        "> **Note**\n>\n> A plain note.\n\n"
        "> **Mind the [Mulch](https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/mulch)**\n>\n"
        "> Body line one\n> and two.\n\n"
        "> **My custom**\n>\n> Open by default.\n")


def test_a_title_with_its_own_emphasis(garden: Path) -> None:
    rendered = render(garden, "> [!note] A *quiet* title\n\n> [!note] **Loud** words\n\n"
                              "> [!note] Five* stars\n")
    assert body_of(rendered) == ("> **A *quiet* title**\n\n> ****Loud** words**\n\n"
                                 "> Five* stars\n")  # bold around "Five* stars" would not hold


def test_a_folded_callout_is_a_collapsible_section_on_the_forums(garden: Path) -> None:
    text = ("Before.\n> [!faq]- Why [[On Compost|compost]]?\n> Because.\n>\n> - it rots\n"
            ">\n> > [!tip] Inner\n> > nested\n\nAfter.\n")
    forum = render(garden, text)
    assert body_of(forum) == ("Before.\n\n+++ Why compost?\nBecause.\n\n- it rots\n\n"
                              "> **Inner**\n>\n> nested\n\n+++\n\nAfter.\n")
    medium = render(garden, text, "medium")
    assert ("<blockquote>\n<p><strong>Why <a href=\"https://garden.jane.net/ideas/On-Compost\">"
            "compost</a>?</strong></p>\n<p>Because.</p>") in medium.body


def test_a_folded_callout_at_the_end(garden: Path) -> None:
    forum = render(garden, "> [!example]-\n> Last words")
    assert body_of(forum) == "+++ Example\nLast words\n\n+++\n"


# -- comments and highlights ------------------------------------------------------------------


def test_comments_go_and_highlights_become_bold(garden: Path) -> None:
    rendered = render(garden, "Keep ==this== but not %%that [[Nowhere]]%% here.\n\n"
                              "%%\nA whole\n\nblock comment\n%%\n\nEnd == equal == signs.\n")
    assert body_of(rendered) == "Keep **this** but not  here.\n\nEnd == equal == signs.\n"
    assert rendered.warnings == ()  # nothing inside a comment is resolved


def test_nothing_inside_code_math_or_html_is_touched(garden: Path) -> None:
    code = ("`[[On Compost]] ==x== %%c%%`\n\n```\n[[On Compost]] ![[Bed Plan.png]] ==x==\n"
            "%% not a comment %%\n> [!note]\n```\n\n$a == b$\n\n"
            "<div>[[On Compost]] ==x==</div>\n\n[==label==](https://x.org/a==b==c)\n")
    rendered = render(garden, code, "medium")
    assert "<code>[[On Compost]] ==x== %%c%%</code>" in rendered.body
    assert ("<pre>[[On Compost]] ![[Bed Plan.png]] ==x==\n%% not a comment %%\n&gt; [!note]</pre>"
            in rendered.body)
    assert '<a href="https://x.org/a==b==c"><strong>label</strong></a>' in rendered.body


def test_an_unclosed_comment_is_left_with_a_warning(garden: Path) -> None:
    rendered = render(garden, "Ten %% of it.\n")
    assert body_of(rendered) == "Ten %% of it.\n"
    assert "never closes" in rendered.warnings[0].message


# -- every target, no Obsidian syntax left ----------------------------------------------------

_LEFT = re.compile(r"\[\[|\]\]|==\S|%%|\[!\w+\]")


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_no_obsidian_syntax_is_left_for_any_target(garden: Path, target: str) -> None:
    rendered = render(garden, "Intro [[On Compost]] ==bright== %%hidden%%\n\n![[Bed Plan.png]]\n\n"
                              "> [!tip]- Folded\n> ![[Bed Plan.png|in a callout]]\n\n"
                              "> [!quote] Said\n> [[Mulch|mulch]] ![[On Compost]]\n", target)
    assert not _LEFT.search(rendered.body), rendered.body


# -- where Obsidian syntax counts -------------------------------------------------------------


def test_a_plain_vault_is_obsidian_and_other_sites_are_not(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "crosspost.toml", 'url = "https://vault.jane.net"\n')
    write(tmp_path / "Garden/Compost.md", "# Compost\n")
    post = write(tmp_path / "Garden/Today.md", "---\ntitle: Today\n---\n[[Compost]] and ==this==\n")
    site = Site.discover(post)
    plain = render_post(site.load(post), site, "lesswrong")
    assert body_of(plain) == "[[Compost]] and ==this==\n"  # no .obsidian/: nothing to say so
    (tmp_path / ".obsidian").mkdir()
    site = Site.discover(post)
    vault = render_post(site.load(post), site, "lesswrong")
    assert body_of(vault) == "[Compost](https://vault.jane.net/compost/) and **this**\n"


def test_jekyll_sites_keep_double_brackets(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "_config.yml", "url: https://jane.dev\n")
    post = write(tmp_path / "_posts/2024-01-01-x.md", "---\ntitle: X\n---\nA [[matrix]] == b ==c\n")
    site = Site.discover(post)
    assert body_of(render_post(site.load(post), site, "lesswrong")) == "A [[matrix]] == b ==c\n"


def test_liquid_means_nothing_on_a_quartz_site(garden: Path) -> None:
    rendered = render(garden, "Templates look like {{ this }} and {% that %}.\n")
    assert body_of(rendered) == "Templates look like {{ this }} and {% that %}.\n"
    assert rendered.warnings == ()
