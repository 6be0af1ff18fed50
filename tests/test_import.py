"""``crosspost import`` end to end, through the CLI, over the fake platforms.

After an import, ``status`` says up to date and ``publish`` sends nothing; an edit then
updates the same copy (never a second post); a second import writes nothing and says so;
the site's own record, a link or another tool's key count as "the site has it"; failures
cost one line and nothing written; a batch keeps what worked.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from crosspost.post import Post
from tests.conftest import Cli
from tests.fakes.forummagnum import FakeForum
from tests.fakes.images import ImageHost
from tests.fakes.medium_feed import MediumFeedFake
from tests.import_sites import (
    PLAIN_MARKDOWN,
    WHEN,
    jekyll_site,
    rich_html,
    seed_images,
)
from tests.sites import snapshot

Run = Cli


@pytest.fixture
def run(cli: Cli) -> Cli:
    return cli


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return jekyll_site(tmp_path / "site")


def env(forum: FakeForum, *, token: bool = True, **more: str) -> dict[str, str]:
    values = {"CROSSPOST_LESSWRONG_ENDPOINT": forum.endpoint, "CROSSPOST_RETRIES": "0", **more}
    if token:
        values["CROSSPOST_LESSWRONG_TOKEN"] = forum.token
    return values


def new_posts(site: Path) -> list[Path]:
    return sorted(p for p in (site / "_posts").glob("*.md") if "first" not in p.name)


def writes(forum: FakeForum) -> list[str]:
    return [field for call in forum.calls() for field in call.fields
            if field in {"createPost", "updatePost"}]


# -- the copy, recorded -------------------------------------------------------------------


def test_after_import_status_is_up_to_date_publish_sends_nothing_and_an_edit_updates_the_copy(
        run: Run, site: Path, forum: FakeForum, image_host: ImageHost) -> None:
    seed_images(image_host, forum)
    post_id = forum.add_post(forum.user, "A rich post", rich_html(image_host.url("orig/plot.png")),
                             kind="ckEditorMarkup", posted_at=WHEN)
    code, out, err = run("import", f"https://www.lesswrong.com/posts/{post_id}/a-rich-post",
                         "--site", str(site), env=env(forum))
    assert code == 0, err
    [path] = new_posts(site)
    assert f"{path}" in out
    record = Post.from_path(path).crosspost["lesswrong"]
    assert record["id"] == post_id
    assert record["url"] == f"https://www.lesswrong.com/posts/{post_id}/a-rich-post"
    assert record["published"] == WHEN
    assert isinstance(record["imported"], dt.datetime)

    code, out, _ = run("status", cwd=site)
    assert code == 0
    assert "up to date" in out
    code, out, err = run("status", "--remote", "--check", cwd=site)
    assert code == 0, out + err
    [row] = [line for line in out.splitlines() if "lesswrong" in line and "_posts" in line]
    assert row.split()[2:4] == ["live", "no"]  # not edited there

    before = len(forum.requests)
    code, out, err = run("publish", str(path), cwd=site)
    assert code == 0, err
    assert "up to date" in out
    assert writes(forum) == []
    assert len(forum.requests) == before  # up to date costs no request at all

    rendered = run("render", str(path), "--to", "lesswrong")[1]
    assert "Originally published" not in rendered  # the copy is the original

    text = path.read_text(encoding="utf-8").replace("The answer is", "The final answer is")
    path.write_text(text, encoding="utf-8")
    code, out, err = run("publish", str(path), "--dry-run", cwd=site)
    assert code == 0, err
    assert "turns the copy into a Markdown post" in out
    code, out, err = run("publish", str(path), "--yes", cwd=site)
    assert code == 0, out + err
    assert "updated" in out
    assert writes(forum) == ["updatePost"]
    assert forum.count_posts() == 1
    stored = forum.post(post_id)
    assert "The final answer is" in stored["markdown"]
    assert "Originally published" not in stored["markdown"]


def test_a_markdown_post_is_the_author_s_markdown_and_its_first_publish_sends_nothing(
        run: Run, site: Path, forum: FakeForum) -> None:
    post_id = forum.add_post(forum.user, "Plain", PLAIN_MARKDOWN, posted_at=WHEN)
    assert run("import", f"https://www.lesswrong.com/posts/{post_id}", "--site", str(site),
               env=env(forum))[0] == 0
    [path] = new_posts(site)
    assert Post.from_path(path).body.strip("\n") == PLAIN_MARKDOWN.strip("\n")
    assert run("publish", str(path), cwd=site)[0] == 0
    assert writes(forum) == []


def test_a_second_import_writes_nothing_and_names_the_file(run: Run, site: Path,
                                                           forum: FakeForum) -> None:
    post_id = forum.add_post(forum.user, "Twice", "Body.\n", posted_at=WHEN)
    url = f"https://www.lesswrong.com/posts/{post_id}"
    assert run("import", url, "--site", str(site), env=env(forum))[0] == 0
    before = snapshot(site)
    code, out, _ = run("import", f"{url}/twice?commentId=abc#comments", "--site", str(site))
    assert code == 0
    assert "already in the site" in out
    assert "_posts/2024-03-05-twice.md records it" in out
    assert "nothing to import: the post is already in the site" in out
    assert snapshot(site) == before


@pytest.mark.parametrize(("front", "body"), [
    ("lw-page-url: https://www.lesswrong.com/posts/{id}/x\n", "Mine.\n"),
    ("", "*Cross-posted on [LessWrong](https://www.lesswrong.com/posts/{id}/old-slug).*\n"),
    ("", '<p>Also posted <a href="https://www.lesswrong.com/posts/{id}">there</a>.</p>\n'),
    ("crosspost:\n  lesswrong:\n    url: https://www.lesswrong.com/posts/{id}\n", "Mine.\n"),
])
def test_a_post_the_site_already_has_is_named_not_written(run: Run, site: Path, forum: FakeForum,
                                                          front: str, body: str) -> None:
    post_id = forum.add_post(forum.user, "Had it", "Body.\n", posted_at=WHEN)
    mine = site / "_posts" / "2020-01-01-mine.md"
    mine.write_text(f"---\ntitle: Mine\n{front.format(id=post_id)}---\n{body.format(id=post_id)}",
                    encoding="utf-8")
    before = snapshot(site)
    code, out, _ = run("import", f"https://www.lesswrong.com/posts/{post_id}", "--site",
                       str(site), env=env(forum))
    assert code == 0
    assert "_posts/2020-01-01-mine.md" in out
    assert snapshot(site) == before


# -- a user's posts ---------------------------------------------------------------------------


def _thirty(forum: FakeForum) -> list[str]:
    start = dt.datetime(2022, 1, 1, 12, tzinfo=dt.UTC)
    ids = [forum.add_post(forum.user, f"Post number {n}", f"Body {n} with *emphasis*.\n",
                          posted_at=start + dt.timedelta(days=n)) for n in range(30)]
    forum.add_post(forum.user, "A meetup", "Come.\n", posted_at=start, is_event=True)
    forum.add_post(forum.user, "Draft", "Not yet.\n", draft=True)
    other = forum.add_user(None, "bob")
    forum.add_post(other, "Bob's post", "Hi.\n", posted_at=start)
    return ids


def test_import_user_brings_every_published_post_page_by_page(run: Run, site: Path,
                                                              forum: FakeForum) -> None:
    ids = _thirty(forum)
    code, out, err = run("import", "--from", "lw", "--user", "alice", "--site", str(site),
                         env=env(forum, token=False))
    assert code == 0, err
    assert len(new_posts(site)) == 30
    assert sum(1 for line in out.splitlines() if ": written " in line) == 30  # a line each
    assert "skipped" in out
    assert "an event" in out
    assert "30 posts imported into" in out
    recorded = {Post.from_path(p).crosspost["lesswrong"]["id"] for p in new_posts(site)}
    assert recorded == set(ids)
    listings = [c for c in forum.calls() if c.fields == ("posts",)]
    assert len(listings) >= 2  # more than one page

    before = snapshot(site)
    code, out, _ = run("import", "--from", "lw", "--user", "alice", "--site", str(site))
    assert code == 0
    assert out.count(": already in the site") == 30
    assert out.splitlines()[-1] == ("nothing to import: all 30 posts are already in the site "
                                    "(1 not an article, skipped)")
    assert snapshot(site) == before


def test_import_user_shows_progress_on_a_terminal(run: Run, site: Path, forum: FakeForum,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _thirty(forum)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    code, out, _ = run("import", "--user", "alice", "--site", str(site), env=env(forum))
    assert code == 0
    shown = screen.getvalue()
    assert "31/31" in shown  # 30 posts and the event, done of total
    assert "Post number" in shown  # the current title
    assert ": written " not in out  # no line per post under a progress bar
    assert len(new_posts(site)) == 30


def test_since_and_limit(run: Run, site: Path, forum: FakeForum) -> None:
    _thirty(forum)
    assert run("import", "--user", "alice", "--since", "2022-01-25", "--site", str(site),
               env=env(forum))[0] == 0
    assert len(new_posts(site)) == 6  # 25th to 30th January
    assert run("import", "--user", "alice", "--limit", "3", "--site", str(site))[0] == 0
    assert len(new_posts(site)) == 6  # the three newest were there already
    assert run("import", "--user", "alice", "--limit", "10", "--site", str(site))[0] == 0
    assert len(new_posts(site)) == 10


# -- failures -----------------------------------------------------------------------------------


def _one_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_missing_post_another_user_s_draft_and_a_malformed_url_write_nothing(
        run: Run, site: Path, forum: FakeForum) -> None:
    other = forum.add_user(None, "bob")
    draft = forum.add_post(other, "Secret", "Draft.\n", draft=True)
    before = snapshot(site)
    for url, code_wanted, said in (
            ("https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/nope", 1, "does not exist"),
            (f"https://www.lesswrong.com/posts/{draft}", 1, "does not exist"),
            ("https://www.lesswrong.com/tag/ai", 4, "not the address of a post"),
            ("ftp://example.org/x", 4, "not the address of a post"),
            ("https://example.org/posts/AAAAAAAAAAAAAAAAA", 4, "not on LessWrong"),
            ("https://medium.com/@jane/no-id-here", 4, "not the address of a Medium story")):
        code, out, err = run("import", url, "--site", str(site), env=env(forum))
        assert code == code_wanted, (url, out, err)
        assert said in _one_error(err), err
    assert snapshot(site) == before


def test_an_unreachable_feed_or_a_story_not_in_it(run: Run, site: Path,
                                                  medium_feed: MediumFeedFake) -> None:
    before = snapshot(site)
    code, _, err = run("import", "https://medium.com/@jane/story-1a2b3c4d5e6f", "--site",
                       str(site), env={"CROSSPOST_MEDIUM_FEED": "http://127.0.0.1:9/feed/@jane"})
    assert code == 1
    assert "cannot connect" in _one_error(err)
    code, _, err = run("import", "https://jane.medium.com/story-1a2b3c4d5e6f", "--site",
                       str(site), env={"CROSSPOST_MEDIUM_FEED": medium_feed.url})
    assert code == 1
    assert "lists only the latest 10 stories" in _one_error(err)
    code, _, err = run("import", "https://medium.com/p/1a2b3c4d5e6f", "--site", str(site),
                       env={"CROSSPOST_MEDIUM_FEED": ""})
    assert code == 4
    assert "username" in _one_error(err)
    assert snapshot(site) == before


def test_a_batch_keeps_what_worked_and_reports_each_failure(run: Run, site: Path,
                                                            forum: FakeForum) -> None:
    good = forum.add_post(forum.user, "Good", "Body.\n", posted_at=WHEN)
    code, out, err = run("import", f"https://www.lesswrong.com/posts/{good}",
                         "https://www.lesswrong.com/posts/BBBBBBBBBBBBBBBBB",
                         "https://example.org/x", "--site", str(site), env=env(forum))
    assert code == 3
    assert len(new_posts(site)) == 1
    failures = [line for line in err.splitlines() if ": failed" in line]
    assert len(failures) == 2
    assert "1 post imported" in out
    assert "2 failed" in out


def test_the_site_lock_is_taken(run: Run, site: Path, forum: FakeForum) -> None:
    from crosspost.lock import site_lock

    post_id = forum.add_post(forum.user, "Locked", "Body.\n", posted_at=WHEN)
    with site_lock(site, wait=0):
        code, _, err = run("import", f"https://www.lesswrong.com/posts/{post_id}", "--site",
                           str(site), "--wait", "0", env=env(forum))
    assert code == 6
    assert "lock" in err
    assert new_posts(site) == []


# -- dry run, images ------------------------------------------------------------------------


def test_a_dry_run_lists_the_files_and_front_matter_and_writes_nothing(
        run: Run, site: Path, forum: FakeForum, image_host: ImageHost) -> None:
    seed_images(image_host, forum)
    post_id = forum.add_post(forum.user, "Dry", rich_html(image_host.url("orig/plot.png")),
                             kind="ckEditorMarkup", posted_at=WHEN, tags=["AI"])
    before = snapshot(site)
    fetched = len(image_host.fetched())
    code, out, err = run("import", f"https://www.lesswrong.com/posts/{post_id}", "--dry-run",
                         "--site", str(site), env=env(forum))
    assert code == 0, err
    assert f"would write {site}/_posts/2024-03-05-dry.md" in out
    for line in ("    title: Dry", "    tags: [AI]", "    layout: post"):
        assert line in out
    assert f"        id: {post_id}" in out or f'        id: "{post_id}"' in out
    assert f"image {image_host.url('orig/plot.png')} -> {site}/assets/img/dry/plot.png" in out
    assert snapshot(site) == before
    assert len(image_host.fetched()) == fetched  # nothing downloaded either


def test_keep_remote_images(run: Run, site: Path, forum: FakeForum, image_host: ImageHost) -> None:
    seed_images(image_host, forum)
    post_id = forum.add_post(forum.user, "Remote", rich_html(image_host.url("orig/plot.png")),
                             kind="ckEditorMarkup", posted_at=WHEN)
    assert run("import", f"https://www.lesswrong.com/posts/{post_id}", "--keep-remote-images",
               "--site", str(site), env=env(forum))[0] == 0
    [path] = new_posts(site)
    assert f"]({image_host.url('orig/plot.png')})" in path.read_text(encoding="utf-8")
    assert not (site / "assets/img/remote").exists()
    assert image_host.fetched() == []


def test_an_image_that_cannot_come_home_stays_remote_with_a_warning(
        run: Run, site: Path, forum: FakeForum, image_host: ImageHost) -> None:
    image_host.add("orig/page.png", b"<html>not an image</html>", "image/png")
    image_host.redirect("orig/away.png", "http://example.org/away.png")
    body = (f"![a]({image_host.url('orig/page.png')})\n\n![b]({image_host.url('orig/away.png')})\n"
            f"\n![c]({image_host.url('orig/missing.png')})\n\n![d](file:///etc/passwd)\n")
    post_id = forum.add_post(forum.user, "Bad images", body, posted_at=WHEN, rehost=False)
    code, _, err = run("import", f"https://www.lesswrong.com/posts/{post_id}", "--site",
                         str(site), env=env(forum))
    assert code == 0, err
    [path] = new_posts(site)
    assert Post.from_path(path).body.strip() == body.strip()  # every address kept as it was
    assert "is not an image" in err
    assert "no redirect to another scheme" in err or "redirected to http://example.org" in err
    assert "HTTP 404" in err
    assert "file://" in err
    text = path.read_text(encoding="utf-8").split("\n")
    left = [line for line in err.splitlines() if "was left where it is" in line]
    assert len(left) == 4
    for line in left:  # each names the line its image is on
        where = int(line.split(":")[1])
        address = line.split("the image ", 1)[1].split(" was left", 1)[0]
        assert address in text[where - 1]
    assert not (site / "assets" / "img" / "bad-images").exists()


def test_an_image_over_the_size_limit_stays_remote(run: Run, site: Path, forum: FakeForum,
                                                   image_host: ImageHost,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from crosspost.homecoming import images

    monkeypatch.setattr(images, "MAX_BYTES", 100)
    from tests.fakes.images import png

    image_host.add("orig/big.png", png(1, size=64))
    post_id = forum.add_post(forum.user, "Big", f"![big]({image_host.url('orig/big.png')})\n",
                             posted_at=WHEN, rehost=False)
    code, _, err = run("import", f"https://www.lesswrong.com/posts/{post_id}", "--site",
                       str(site), env=env(forum))
    assert code == 0
    assert "larger than" in err or "MB" in err
    assert not list((site / "assets" / "img").glob("big/*"))
