"""The engine end to end over real HTTP: create → re-run → update → read back, no duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from crosspost.engine import PublishOptions, publish
from crosspost.journal import Journal
from crosspost.render import content_hash
from tests.fakes.forummagnum import FakeForum
from tests.fakes.medium import CREATE, MediumFake
from tests.fakes.server import Fault
from tests.sites import FAST, env_for, make_site, post_text, publish_over_fakes, snapshot

BODY = """\
A first paragraph with [a link](/about/) and `inline {% code %}`.

Second paragraph.
"""


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


run = publish_over_fakes


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Hello forums", BODY)})


@pytest.fixture
def post(site: Path) -> Path:
    return site / "_posts" / "2024-01-02-hello.md"


def test_create_then_rerun_then_update(forum: FakeForum, post: Path) -> None:
    env = env_for(forum=forum)
    before = post.read_bytes()

    report = run([post], env)
    assert [(r.target, r.status) for r in report.results] == [("lesswrong", "created")]
    assert report.exit_code == 0
    [remote] = forum.posts_of(forum.user)
    record = front_matter(post)["crosspost"]["lesswrong"]
    assert record["id"] == remote["_id"]
    assert record["url"] == f"https://www.lesswrong.com/posts/{remote['_id']}/{remote['slug']}"
    assert len(record["hash"]) == 64
    assert remote["draft"] is False
    # Only the crosspost block changed.
    assert post.read_bytes().replace(b"lesswrong:\n", b"") .startswith(before.split(b"crosspost:")[0])

    requests_before = len(forum.requests)
    again = run([post], env)
    assert [(r.target, r.status) for r in again.results] == [("lesswrong", "up to date")]
    assert len(forum.requests) == requests_before, "an up-to-date post costs no request"

    post.write_text(post.read_text(encoding="utf-8").replace("Second paragraph.", "Second, edited."),
                    encoding="utf-8")
    third = run([post], env)
    assert [(r.target, r.status) for r in third.results] == [("lesswrong", "updated")]
    assert forum.count_posts() == 1
    assert "Second, edited." in forum.post(remote["_id"])["markdown"]
    assert front_matter(post)["crosspost"]["lesswrong"]["id"] == remote["_id"]


def test_a_link_to_the_posts_own_copy_is_adopted_not_duplicated(forum: FakeForum, site: Path) -> None:
    existing = forum.add_post(forum.user, "Adopted", "old text", draft=False)
    body = f"Cross-posted on [LessWrong](https://www.lesswrong.com/posts/{existing}/adopted).\n\nNew text.\n"
    path = site / "_posts" / "2024-02-01-adopted.md"
    path.write_text(post_text("Adopted", body), encoding="utf-8")

    # crosspost never sent that copy's text: it does not replace it unseen (issue 12).
    refused = run([path], env_for(forum=forum))
    assert [(r.target, r.status) for r in refused.results] == [("lesswrong", "failed")]
    assert "never sent the text of this copy" in refused.results[0].message
    assert "--overwrite" in refused.results[0].message
    assert forum.post(existing)["markdown"] == "old text"

    report = run([path], env_for(forum=forum), overwrite=True)
    assert [(r.target, r.status) for r in report.results] == [("lesswrong", "updated")]
    assert forum.count_posts() == 1
    markdown = forum.post(existing)["markdown"]
    assert "New text." in markdown
    assert "Cross-posted on" not in markdown
    assert front_matter(path)["crosspost"]["lesswrong"]["id"] == existing


def test_lesswrong_and_alignment_forum_share_one_post(make_forum: Callable[..., FakeForum],
                                                      site: Path) -> None:
    lw = make_forum("lesswrong")
    af = make_forum("alignmentforum", store=lw.store)
    lw.set_groups(lw.user, "alignmentForum")
    path = site / "_posts" / "2024-03-01-both.md"
    path.write_text(post_text("Both forums", BODY,
                              crosspost="crosspost:\n  lesswrong:\n  alignmentforum:\n"), encoding="utf-8")

    report = run([path], env_for(forum=lw, af=af))
    assert sorted((r.target, r.status) for r in report.results) == [
        ("alignmentforum", "updated"), ("lesswrong", "created")]
    assert lw.count_posts() == 1
    [stored] = lw.posts_of(lw.user)
    assert stored["af"] is True
    block = front_matter(path)["crosspost"]
    assert block["lesswrong"]["id"] == block["alignmentforum"]["id"] == stored["_id"]
    assert block["alignmentforum"]["url"].startswith("https://www.alignmentforum.org/posts/")


def test_targets_run_concurrently_and_one_failure_does_not_stop_the_others(
        forum: FakeForum, make_forum: Callable[..., FakeForum], medium: MediumFake, site: Path) -> None:
    ea = make_forum("eaforum")
    path = site / "_posts" / "2024-04-01-three.md"
    path.write_text(post_text("Three places", BODY,
                              crosspost="crosspost:\n  lesswrong:\n  eaforum:\n  medium:\n"),
                    encoding="utf-8")
    env = env_for(forum=forum, ea=ea, medium=medium)
    env["CROSSPOST_EAFORUM_TOKEN"] = "0" * 64  # not a user of the EA fake

    report = run([path], env)
    outcome = {r.target: r.status for r in report.results}
    assert outcome == {"lesswrong": "created", "eaforum": "failed", "medium": "created"}
    assert report.exit_code == 3
    failed = next(r for r in report.results if r.target == "eaforum")
    assert "token" in failed.message
    assert "0" * 64 not in failed.message
    block = front_matter(path)["crosspost"]
    assert set(block["lesswrong"]) >= {"id", "url", "hash", "published"}
    assert set(block["medium"]) >= {"id", "url", "hash", "published"}
    assert "id" not in (block["eaforum"] or {})
    assert len(medium.posts) == 1
    assert medium.posts[0].body["canonicalUrl"] == "https://janedoe.net/blog/2024/three/"


def test_a_lost_create_reply_is_found_not_resent(forum: FakeForum, post: Path) -> None:
    forum.inject(Fault.drop_after(match=forum.match("createPost")))
    report = run([post], env_for(forum=forum))
    assert [(r.target, r.status) for r in report.results] == [("lesswrong", "created")]
    assert forum.count_posts() == 1
    [stored] = forum.posts_of(forum.user)
    assert stored["draft"] is False, "the draft left by the lost reply was published"
    assert front_matter(post)["crosspost"]["lesswrong"]["id"] == stored["_id"]
    assert not list(Journal(post.parent.parent).entries())


def test_an_interrupted_create_is_reconciled_before_anything_is_sent(forum: FakeForum, post: Path) -> None:
    """A journal entry left in state "sending" by a crash: the post exists; record it."""
    from crosspost.post import Post
    from crosspost.render import render_post
    from crosspost.sites import Site

    rendered = render_post(Post.from_path(post), Site.discover(post), "lesswrong")
    journal = Journal(post.parent.parent)
    journal.begin(post, "lesswrong", action="create", title=rendered.title, body=rendered.body,
                  content_hash=rendered.hash)
    existing = forum.add_post(forum.user, rendered.title, rendered.body, draft=False)

    report = run([post], env_for(forum=forum))
    assert report.results[0].status == "recorded"
    assert forum.count_posts() == 1
    assert [f for c in forum.calls() for f in c.fields if f in {"createPost", "updatePost"}] == []
    assert front_matter(post)["crosspost"]["lesswrong"]["id"] == existing
    assert not list(journal.entries())


def test_an_interrupted_create_that_never_arrived_is_sent_once(forum: FakeForum, post: Path) -> None:
    journal = Journal(post.parent.parent)
    journal.begin(post, "lesswrong", action="create", title="Hello forums", body="whatever",
                  content_hash="x")
    report = run([post], env_for(forum=forum))
    assert report.results[0].status == "created"
    assert forum.count_posts() == 1


def test_a_finished_result_in_the_journal_is_recorded_without_asking(forum: FakeForum, post: Path) -> None:
    existing = forum.add_post(forum.user, "Hello forums", "sent earlier", draft=False)
    journal = Journal(post.parent.parent)
    sent = content_hash("Hello forums", "sent earlier", False)
    entry = journal.begin(post, "lesswrong", action="create", title="Hello forums",
                          body="sent earlier", content_hash=sent)
    journal.finish(entry, {"id": existing, "url": f"https://www.lesswrong.com/posts/{existing}/x",
                           "published": "2026-01-01T00:00:00Z", "hash": sent})
    report = run([post], env_for(forum=forum))
    # Recorded, then updated because the body sent earlier differs from the post now.
    assert report.results[0].status == "updated"
    assert forum.count_posts() == 1
    assert [f for c in forum.calls() for f in c.fields if f == "createPost"] == []
    assert front_matter(post)["crosspost"]["lesswrong"]["id"] == existing


def test_a_post_that_cannot_be_written_keeps_its_copy_in_the_journal(
        forum: FakeForum, post: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied when recording (a read-only checkout): one line, and the copy made
    is recorded by the next run, never made again."""
    import crosspost.record

    before = post.read_bytes()

    def denied(path: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    with monkeypatch.context() as patch:
        patch.setattr(crosspost.record, "atomic_write_text", denied)
        report = run([post], env_for(forum=forum))
    [result] = report.results
    assert (result.status, report.exit_code) == ("failed", 1)
    assert result.message == (f"{post}: cannot write: Permission denied. the results are kept in "
                              "crosspost's journal: run the same command again once the file can "
                              "be written")
    assert post.read_bytes() == before
    assert forum.count_posts() == 1
    [entry] = Journal(post.parent.parent).entries()
    assert entry.state == "done"

    again = run([post], env_for(forum=forum))
    assert [(r.status, r.message) for r in again.results] == [
        ("recorded", "recorded the copy an interrupted run made")]
    assert forum.count_posts() == 1
    assert front_matter(post)["crosspost"]["lesswrong"]["id"] == forum.posts_of(forum.user)[0]["_id"]
    assert list(Journal(post.parent.parent).entries()) == []


def test_unknown_remote_id_is_an_error_and_nothing_is_created(forum: FakeForum, site: Path) -> None:
    path = site / "_posts" / "2024-05-01-gone.md"
    path.write_text(post_text("Gone", BODY, crosspost=(
        "crosspost:\n  lesswrong:\n    id: AAAAAAAAAAAAAAAAA\n"
        "    url: https://www.lesswrong.com/posts/AAAAAAAAAAAAAAAAA/gone\n")), encoding="utf-8")
    report = run([path], env_for(forum=forum))
    [result] = report.results
    assert result.status == "failed"
    assert "does not exist" in result.message
    assert "remove `crosspost.lesswrong.id` and `crosspost.lesswrong.url`" in result.message
    assert forum.count_posts() == 0
    assert report.exit_code == 1
    # The dry run reads the copy and says the same (its plan is the one publish follows).
    dry = run([path], env_for(forum=forum), dry_run=True)
    assert [(r.status, r.message) for r in dry.results] == [("failed", result.message)]
    assert dry.exit_code == 1

    # Following the hint as printed publishes a new copy (a URL left behind would still
    # name the copy that is gone).
    text = path.read_text(encoding="utf-8")
    path.write_text("".join(line for line in text.splitlines(keepends=True)
                            if not line.startswith(("    id:", "    url:"))), encoding="utf-8")
    again = run([path], env_for(forum=forum))
    assert [r.status for r in again.results] == ["created"]
    assert forum.count_posts() == 1


def test_a_new_copy_gets_its_own_published_time(forum: FakeForum, site: Path) -> None:
    """`published:` is when the copy was made. A record left from a copy that is gone (its
    `id` and `url` removed, as the hint says) must not pass its old time on to the new copy,
    nor an `updated:` time that the new copy never had."""
    path = site / "_posts" / "2024-05-01-again.md"
    path.write_text(post_text("Again", BODY, crosspost=(
        "crosspost:\n  lesswrong:\n    hash: 0000\n    published: 2020-01-01T00:00:00Z\n"
        "    updated: 2020-02-01T00:00:00Z\n")), encoding="utf-8")
    report = run([path], env_for(forum=forum))
    assert [r.status for r in report.results] == ["created"]
    record = front_matter(path)["crosspost"]["lesswrong"]
    assert record["published"].year > 2020
    assert "updated" not in record


def test_someone_elses_post_is_refused(forum: FakeForum, site: Path) -> None:
    bob = forum.add_user("b" * 64, "bob")
    theirs = forum.add_post(bob, "Theirs", "their text", draft=False)
    path = site / "_posts" / "2024-05-02-theirs.md"
    path.write_text(post_text("Theirs", BODY, crosspost=(
        f"crosspost:\n  lesswrong:\n    id: {theirs}\n")), encoding="utf-8")
    report = run([path], env_for(forum=forum))
    assert report.results[0].status == "failed"
    assert forum.post(theirs)["markdown"] == "their text"
    assert forum.count_posts() == 1


def test_medium_is_never_posted_twice(medium: MediumFake, site: Path) -> None:
    path = site / "_posts" / "2024-06-01-medium.md"
    path.write_text(post_text("On Medium", BODY, crosspost="crosspost:\n  medium:\n"), encoding="utf-8")
    env = env_for(medium=medium)
    assert run([path], env).results[0].status == "created"
    assert run([path], env).results[0].status == "up to date"
    path.write_text(path.read_text(encoding="utf-8").replace("Second paragraph.", "Changed."),
                    encoding="utf-8")
    changed = run([path], env).results[0]
    assert changed.status == "skipped"
    assert "cannot update" in changed.message
    assert "--force-new" in changed.message
    assert len(medium.posts) == 1
    forced = run([path], env, force_new=True).results[0]
    assert forced.status == "created"
    assert len(medium.posts) == 2


def test_a_lost_medium_reply_is_marked_uncertain_and_not_reposted(medium: MediumFake, site: Path) -> None:
    path = site / "_posts" / "2024-06-02-lost.md"
    path.write_text(post_text("Lost reply", BODY, crosspost="crosspost:\n  medium:\n"), encoding="utf-8")
    env = env_for(medium=medium)
    medium.inject(Fault.drop_after(match=CREATE))
    first = run([path], env).results[0]
    assert first.status == "failed"
    assert "may have created" in first.message
    assert front_matter(path)["crosspost"]["medium"]["status"] == "uncertain"
    second = run([path], env).results[0]
    assert second.status == "skipped"
    assert "crosspost link" in second.message
    assert len(medium.posts) == 1


def test_dry_run_writes_nothing_and_sends_nothing(forum: FakeForum, medium: MediumFake, site: Path,
                                                  post: Path) -> None:
    before = snapshot(site)
    report = run([post], env_for(forum=forum, medium=medium), dry_run=True, targets=("lesswrong", "medium"))
    assert [(r.target, r.status, r.plan.action if r.plan else None) for r in report.results] == [
        ("lesswrong", "planned", "create"), ("medium", "planned", "create")]
    assert snapshot(site) == before
    # With a token, the dry run asks what publish would ask before a create (a post of the
    # same title?), and nothing else: queries only, no mutation.
    assert [r.json()["operationName"] for r in forum.requests] == ["CrosspostWhoami", "CrosspostFindExisting"]
    assert medium.requests == []
    diff = report.results[0].plan.diff() if report.results[0].plan else ""
    assert "+*Originally published at [Jane's notes](https://janedoe.net/blog/2024/hello/).*" in diff


def test_dry_run_of_a_published_post_diffs_against_the_remote_copy(forum: FakeForum, post: Path) -> None:
    env = env_for(forum=forum)
    run([post], env)
    post.write_text(post.read_text(encoding="utf-8").replace("Second paragraph.", "Edited."),
                    encoding="utf-8")
    requests = len(forum.requests)
    report = run([post], env, dry_run=True)
    plan = report.results[0].plan
    assert plan is not None
    assert plan.action == "update"
    assert plan.before_label == "on LessWrong now"
    assert "-Second paragraph.\n+Edited.\n" in plan.diff()
    assert len(forum.requests) == requests + 1  # one read, no write


def test_without_a_medium_token_an_import_file_is_written(site: Path) -> None:
    path = site / "_posts" / "2024-07-01-manual.md"
    path.write_text(post_text("By hand", BODY, crosspost="crosspost:\n  medium:\n"), encoding="utf-8")
    [result] = run([path], {}).results
    assert result.status == "manual"
    assert "https://medium.com/p/import" in result.message
    assert "crosspost link" in result.message
    files = list((site / ".crosspost" / "medium").glob("*.html"))
    assert len(files) == 1
    assert '<link rel="canonical" href="https://janedoe.net/blog/2024/manual/">' in files[0].read_text()


def test_declining_the_confirmation_sends_nothing(forum: FakeForum, post: Path) -> None:
    asked: list[int] = []

    def decline(plans: Any) -> bool:
        asked.append(len(plans))
        return False

    report = run([post], env_for(forum=forum), confirm=decline)
    assert asked == [1]
    assert report.results[0].status == "cancelled"
    assert report.exit_code == 1
    assert forum.requests == []


def test_drafts_are_not_confirmed(forum: FakeForum, post: Path) -> None:
    def refuse(plans: Any) -> bool:
        raise AssertionError("a draft is not public; nothing to confirm")

    report = run([post], env_for(forum=forum), confirm=refuse, draft=True)
    assert report.results[0].status == "created"
    assert forum.posts_of(forum.user)[0]["draft"] is True


def test_missing_token_everywhere_is_a_credentials_failure(post: Path, forum: FakeForum) -> None:
    env = env_for(forum=forum)
    del env["CROSSPOST_LESSWRONG_TOKEN"]
    report = run([post], env)
    assert report.results[0].status == "failed"
    assert report.exit_code == 5
    assert forum.requests == []


def test_many_posts_in_one_run(forum: FakeForum, site: Path) -> None:
    forum.rate_limits = ()
    paths = []
    for n in range(5):
        path = site / "_posts" / f"2024-08-0{n + 1}-post-{n}.md"
        path.write_text(post_text(f"Post number {n}", f"Body {n}.\n"), encoding="utf-8")
        paths.append(path)
    seen: list[str] = []
    report = publish(paths, PublishOptions(environ=env_for(forum=forum), http=FAST,
                                           on_event=lambda r: seen.append(r.status)))
    assert [r.status for r in report.results] == ["created"] * 5
    assert seen == ["created"] * 5
    assert forum.count_posts() == 5
    assert sorted(report.recorded) == sorted(paths)


def test_hash_covers_title_body_and_draft() -> None:
    assert content_hash("t", "b", False) != content_hash("t", "b", True)
    assert content_hash("t", "b", False) != content_hash("t2", "b", False)
    assert json.dumps(content_hash("t", "b", False))


def test_dry_run_shows_one_post_for_lesswrong_and_the_alignment_forum(site: Path) -> None:
    path = site / "_posts" / "2024-03-02-both.md"
    path.write_text(post_text("Both, planned", BODY,
                              crosspost="crosspost:\n  lesswrong:\n  alignmentforum:\n"), encoding="utf-8")
    report = run([path], {}, dry_run=True)
    assert [(r.target, r.plan.summary() if r.plan else "") for r in report.results] == [
        ("lesswrong", "create"),
        ("alignmentforum", "update (the same post as on LessWrong, once created there)")]


def test_an_unsettled_lesswrong_create_blocks_an_alignment_forum_create(
        make_forum: Callable[..., FakeForum], site: Path) -> None:
    lw = make_forum("lesswrong")
    af = make_forum("alignmentforum", store=lw.store)
    lw.set_groups(lw.user, "alignmentForum")
    path = site / "_posts" / "2024-03-03-pending.md"
    path.write_text(post_text("Pending", BODY,
                              crosspost="crosspost:\n  lesswrong:\n  alignmentforum:\n"), encoding="utf-8")
    Journal(site).begin(path, "lesswrong", action="create", title="Pending", body="x",
                        content_hash="x")
    alone = run([path], env_for(forum=lw, af=af), targets=("alignmentforum",))
    assert alone.results[0].status == "skipped"
    assert "--to lesswrong" in alone.results[0].message
    assert lw.count_posts() == 0
    both = run([path], env_for(forum=lw, af=af))
    assert sorted((r.target, r.status) for r in both.results) == [
        ("alignmentforum", "updated"), ("lesswrong", "created")]
    assert lw.count_posts() == 1


def test_a_site_wide_draft_default_never_unpublishes_a_live_copy(forum: FakeForum, site: Path) -> None:
    (site / "crosspost.toml").write_text("[targets.lesswrong]\ndraft = true\n", encoding="utf-8")
    live = forum.add_post(forum.user, "Live", "old text", draft=False)
    path = site / "_posts" / "2024-09-01-live.md"
    path.write_text(post_text("Live", BODY, crosspost=(
        f"crosspost:\n  lesswrong:\n    id: {live}\n"
        f"    url: https://www.lesswrong.com/posts/{live}/live\n"
        "    published: 2023-06-13T08:12:44Z\n")), encoding="utf-8")

    for flags in ({}, {"draft": True}):
        # The copy was made by hand: replacing its text is asked for (issue 12).
        report = run([path], env_for(forum=forum), overwrite=True, **flags)
        assert report.results[0].status in {"updated", "up to date"}
        assert forum.post(live)["draft"] is False, flags
    [update] = [c for c in forum.calls() if "updatePost" in c.fields]
    assert "draft" not in update.variables["data"]
    record = front_matter(path)["crosspost"]["lesswrong"]
    assert str(record["published"]).startswith("2023-06-13"), "the first publication time stays"
    assert "updated" in record

    from crosspost.status import status_of

    assert [s.state for s in status_of(path)] == ["up to date"]


def test_the_posts_own_draft_flag_moves_the_copy(forum: FakeForum, post: Path) -> None:
    env = env_for(forum=forum)
    assert run([post], env, draft=True).results[0].status == "created"
    [stored] = forum.posts_of(forum.user)
    assert stored["draft"] is True

    from crosspost.status import status_of

    assert [s.state for s in status_of(post)] == ["draft"]
    assert run([post], env).results[0].status == "up to date", "a draft stays a draft"

    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("  lesswrong:\n", "  lesswrong:\n    draft: false\n", 1), encoding="utf-8")
    assert [s.state for s in status_of(post)] == ["changed since publish"]
    assert run([post], env).results[0].status == "updated"
    assert forum.post(stored["_id"])["draft"] is False
    assert [s.state for s in status_of(post)] == ["up to date"]


def test_posts_published_together_link_to_each_others_copies(forum: FakeForum, site: Path) -> None:
    forum.rate_limits = ()
    first = site / "_posts" / "2024-10-01-first.md"
    second = site / "_posts" / "2024-10-02-second.md"
    first.write_text(post_text("First post", "The first one.\n"), encoding="utf-8")
    second.write_text(post_text("Second post", "Read [the first one](/blog/2024/first/) too.\n"),
                      encoding="utf-8")
    report = run([second, first], env_for(forum=forum))
    assert [(r.path.name, r.status) for r in report.results] == [
        ("2024-10-02-second.md", "created"), ("2024-10-01-first.md", "created")]
    first_url = front_matter(first)["crosspost"]["lesswrong"]["url"]
    second_id = front_matter(second)["crosspost"]["lesswrong"]["id"]
    assert f"[the first one]({first_url})" in forum.post(second_id)["markdown"]
    assert forum.count_posts() == 2
    again = run([second, first], env_for(forum=forum))
    assert [r.status for r in again.results] == ["up to date", "up to date"]


def test_a_post_not_live_on_the_site_gets_no_public_copy(forum: FakeForum, site: Path) -> None:
    path = site / "_posts" / "2024-11-01-hidden.md"
    path.write_text(post_text("Hidden", BODY, extra="published: false\n"), encoding="utf-8")
    refused = run([path], env_for(forum=forum)).results[0]
    assert refused.status == "skipped"
    assert "not live on your site" in refused.message
    assert "--draft" in refused.message
    assert forum.requests == []
    drafted = run([path], env_for(forum=forum), draft=True).results[0]
    assert drafted.status == "created"
    assert forum.posts_of(forum.user)[0]["draft"] is True
