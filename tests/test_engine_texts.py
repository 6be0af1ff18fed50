"""``publish(texts=...)``: publishing a given version of a post (the pushed one) while the file
holds more. What is sent is the given text, on every target, even after the first record; the
records land in the file, merged with the rest of it; ``report.texts`` is the given text plus
its records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from crosspost.engine import PublishOptions, publish
from crosspost.post import Post
from tests.fakes.forummagnum import FakeForum
from tests.sites import FAST, env_for, make_site, post_text

PUSHED = post_text("Both forums", "What is pushed.\n",
                   crosspost="crosspost:\n  lesswrong:\n  alignmentforum:\n")
LATER = "Not pushed yet.\n"


def test_the_given_text_is_sent_and_the_file_keeps_its_own(make_forum: Callable[..., FakeForum],
                                                          tmp_path: Path) -> None:
    lw = make_forum("lesswrong")
    af = make_forum("alignmentforum", store=lw.store)
    lw.set_groups(lw.user, "alignmentForum")
    site = make_site(tmp_path / "site", {"2024-03-01-both.md": PUSHED + LATER})
    path = site / "_posts" / "2024-03-01-both.md"

    report = publish([path], PublishOptions(environ=env_for(forum=lw, af=af), http=FAST),
                     texts={path: PUSHED})
    assert sorted((r.target, r.status) for r in report.results) == [
        ("alignmentforum", "updated"), ("lesswrong", "created")]
    [stored] = lw.posts_of(lw.user)
    # The Alignment Forum run came after LessWrong's record: it still sent the given text.
    sent = [rev["markdown"] for rev in lw.revisions(stored["_id"])]
    assert all("What is pushed." in text and "Not pushed" not in text for text in sent)

    on_disk = path.read_text(encoding="utf-8")
    assert on_disk.endswith("What is pushed.\n" + LATER)
    recorded = report.texts[path]
    assert recorded.endswith("What is pushed.\n")
    assert Post.from_text(recorded).crosspost == Post.from_text(on_disk).crosspost
    block = yaml.safe_load(recorded.split("---")[1])["crosspost"]
    assert block["lesswrong"]["id"] == block["alignmentforum"]["id"] == stored["_id"]


def test_without_texts_the_file_is_published_and_report_texts_is_empty(forum: FakeForum,
                                                                      tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", {"2024-03-01-one.md": post_text("One", "Words.\n")})
    path = site / "_posts" / "2024-03-01-one.md"
    report = publish([path], PublishOptions(environ=env_for(forum=forum), http=FAST))
    assert [r.status for r in report.results] == ["created"]
    assert report.texts == {}
