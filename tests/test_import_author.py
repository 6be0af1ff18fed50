"""``crosspost import`` tried as an author would, where it broke: a paragraph that starts like
a numbered list, a Markdown post's links to its own headings, a title of blanks, a quick take's
address, an Alignment Forum post published afterwards to LessWrong (the same post), and a post
that a post of the site only cites."""

from __future__ import annotations

from pathlib import Path

from crosspost.homecoming.forum_markdown import normalise
from crosspost.homecoming.html_in import SiteForm, convert
from crosspost.post import Post
from crosspost.render import render_post
from crosspost.sites import Site
from tests.conftest import Cli
from tests.fakes.forummagnum import FakeForum
from tests.import_features import features, forum_html
from tests.import_sites import SITES, WHEN, jekyll_site, run_import
from tests.sites import env_for, snapshot

LW = "https://www.lesswrong.com"


def _imported(report: object) -> Path:
    [result] = report.results  # type: ignore[attr-defined]
    assert result.path is not None, result.message
    return Path(result.path)


# -- text --------------------------------------------------------------------------------------


def test_a_paragraph_that_starts_like_a_numbered_list_stays_a_paragraph() -> None:
    """CommonMark escapes only punctuation: ``\\1.`` shows its backslash; ``1\\.`` does not."""
    html = "<p>1984. A year.</p><p>2) Second</p><p>Text<br>3. after a break</p>"
    text, _ = convert(html, SiteForm(), source="forum", base_url=LW)
    assert text == "1984\\. A year.\n\n2\\) Second\n\nText\\\n3\\. after a break\n"
    assert features(forum_html(text)).text == [
        "1984.", "A", "year.", "2)", "Second", "Text", "3.", "after", "a", "break"]
    # Text that starts a list item, a quote or a block without a <p> of its own (Lexical's
    # list items, Medium's quotes) too; a nested list stays a list.
    html = ("<ul><li>1. one</li><li><span># two</span><ul><li>- three</li></ul></li></ul>"
            "<blockquote>4) four</blockquote><div>5. five</div>")
    text, _ = convert(html, SiteForm(), source="lexical", base_url=LW)
    assert text == "- 1\\. one\n- \\# two\n  - \\- three\n\n> 4\\) four\n\n5\\. five\n"


def test_a_markdown_post_s_links_to_its_own_headings_follow_the_site(tmp_path: Path,
                                                                     forum: FakeForum) -> None:
    """The forums name a heading ``#My_Heading_``; the site names it otherwise. On the site the
    link must reach the heading, and rendered back for the forum it is the forum's anchor again
    (not a link to the site's page)."""
    source = "## My Heading!\n\nSee [there](#My_Heading_) and [elsewhere](#Not_A_Heading).\n"
    form = SiteForm(anchors=lambda texts: Site.heading_anchors(None, texts))  # type: ignore[arg-type]
    assert normalise(source, form).text == (
        "## My Heading!\n\nSee [there](#my-heading) and [elsewhere](#Not_A_Heading).\n")
    for kind, make in sorted(SITES.items()):
        post_id = forum.add_post(forum.user, f"Anchors {kind}", source, posted_at=WHEN)
        path = _imported(run_import(make(tmp_path / kind), f"{LW}/posts/{post_id}", forum=forum))
        body = render_post(Post.from_path(path), Site.discover(path), "lesswrong").body
        assert features(forum_html(body)).links[0] == "#My_Heading_", kind


# -- what is not a post ------------------------------------------------------------------------


def test_a_title_of_blanks_is_untitled(tmp_path: Path, forum: FakeForum) -> None:
    post_id = forum.add_post(forum.user, "   ", "Body.\n", posted_at=WHEN)
    path = _imported(run_import(jekyll_site(tmp_path / "site"), f"{LW}/posts/{post_id}",
                                forum=forum))
    assert Post.from_path(path).title == "Untitled"


def test_a_quick_take_s_address_imports_nothing(cli: Cli, tmp_path: Path,
                                                forum: FakeForum) -> None:
    """A quick take's link is its user's shortform post with ``?commentId=``: the quick take
    is a comment, and the container is no article; neither becomes a post of the site."""
    site = jekyll_site(tmp_path / "site")
    container = forum.add_post(forum.user, "Alice's Quick Takes", "", posted_at=WHEN,
                               shortform=True)
    before = snapshot(site)
    code, _, err = cli("import", f"{LW}/posts/{container}/alice-s-shortform?commentId=abc",
                       "--site", str(site), env=env_for(forum=forum))
    assert code != 0
    [line] = [line for line in err.splitlines() if line.strip()]
    assert "quick takes" in line
    assert snapshot(site) == before


# -- one post, two forums ------------------------------------------------------------------------


def test_an_alignment_forum_post_published_to_lesswrong_stays_the_original(
        cli: Cli, tmp_path: Path, make_forum: object) -> None:
    """An Alignment Forum post is a LessWrong post too (one database): publishing the imported
    file to LessWrong updates that same post and, as for the copy it came from, adds no
    "Originally published at" line to what is itself the original."""
    lw: FakeForum = make_forum("lesswrong")  # type: ignore[operator]
    af: FakeForum = make_forum("alignmentforum", lw.store)  # type: ignore[operator]
    post_id = lw.add_post(lw.user, "Aligned", "Body.\n", posted_at=WHEN, af=True)
    site = jekyll_site(tmp_path / "site")
    env = env_for(forum=lw, af=af)
    assert cli("import", f"https://www.alignmentforum.org/posts/{post_id}/aligned", "--site",
               str(site), env=env)[0] == 0
    [path] = [p for p in (site / "_posts").glob("*.md") if "first" not in p.name]
    code, out, err = cli("publish", str(path), "--to", "lesswrong", "--dry-run", cwd=site,
                         env=env)
    assert code == 0, out + err
    assert "Originally published" not in out
    code, out, err = cli("publish", str(path), "--to", "lesswrong", "--yes", cwd=site, env=env)
    assert code == 0, out + err
    assert lw.count_posts() == 1
    assert "Originally published" not in lw.post(post_id)["markdown"]
    code, out, _ = cli("status", cwd=site)
    assert code == 0
    assert "changed" not in out


# -- what "the site has it" means ------------------------------------------------------------------


def test_a_post_that_only_mentions_another_does_not_have_it(cli: Cli, tmp_path: Path,
                                                            forum: FakeForum) -> None:
    """A link in a cross-post notice ("Cross-posted on LessWrong") names the post's own copy;
    a post that cites another of the author's posts does not have it: the cited post is
    still brought home (it was refused: "…-citing.md links to it")."""
    site = jekyll_site(tmp_path / "site")
    cited = forum.add_post(forum.user, "Cited", "The cited post.\n", posted_at=WHEN)
    citing = forum.add_post(forum.user, "Citing", f"As I wrote in [that post]({LW}/posts/{cited}/"
                            "cited), it holds.\n", posted_at=WHEN)
    (site / "_posts" / "2020-01-01-mine.md").write_text(
        f"---\ntitle: Mine\n---\nSee <{LW}/posts/{cited}> for more.\n", encoding="utf-8")
    env = env_for(forum=forum)
    assert cli("import", f"{LW}/posts/{citing}", "--site", str(site), env=env)[0] == 0
    code, out, err = cli("import", f"{LW}/posts/{cited}", "--site", str(site), env=env)
    assert code == 0, err
    assert ": written " in out
    [path] = list((site / "_posts").glob("*-cited.md"))
    assert Post.from_path(path).crosspost["lesswrong"]["id"] == cited
