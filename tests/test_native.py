"""A post for LessWrong and the EA Forum becomes one linked pair, made by the forums (issue 13).

Two fake forums, LessWrong and the EA Forum, linked as their settings page links them: a
public LessWrong post that asks for a pair gets its EA Forum copy made server-side (the peer
post carries ``fmCrosspost.foreignPostId`` back to the origin). crosspost sends nothing to the
EA Forum for it, and finds the pair again through LessWrong every time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from crosspost.engine import PublishOptions, Report, publish
from crosspost.status import site_statuses
from tests.fakes.forummagnum import FakeForum
from tests.fakes.server import Fault
from tests.sites import FAST, env_for, make_site, post_text

BOTH = "crosspost:\n  lesswrong:\n  eaforum:\n"


def record(path: Path, target: str) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    block = data["crosspost"][target] or {}
    assert isinstance(block, dict)
    return block


def run(paths: list[Path], lw: FakeForum, ea: FakeForum, **options: Any) -> Report:
    return publish(paths, PublishOptions(environ=env_for(forum=lw, ea=ea), http=FAST, **options))


def statuses(report: Report) -> dict[str, str]:
    return {r.target: r.status for r in report.results}


def ea_writes(ea: FakeForum) -> list[str]:
    """The requests crosspost itself sent to the EA Forum (the fake's server-side peer
    creation is no request)."""
    return [r.json().get("operationName") for r in ea.requests]


@pytest.fixture
def forums(make_forum: Callable[..., FakeForum]) -> tuple[FakeForum, FakeForum]:
    lw, ea = make_forum("lesswrong"), make_forum("eaforum")
    lw.link_crossposting(ea)
    return lw, ea


@pytest.fixture
def post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-pair.md": post_text(
        "A pair of posts", "The body, once.\n", crosspost=BOTH)})
    return site / "_posts" / "2024-01-02-pair.md"


def test_one_lesswrong_post_and_its_native_ea_copy(forums: tuple[FakeForum, FakeForum], post: Path) -> None:
    lw, ea = forums
    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "created"}
    assert report.exit_code == 0
    [origin] = lw.posts_of(lw.user)
    [copy] = ea.posts_of(ea.user)
    assert origin["draft"] is False
    assert copy["draft"] is False
    assert origin["fmCrosspost"] == {"isCrosspost": True, "hostedHere": True, "foreignPostId": copy["_id"]}
    assert copy["fmCrosspost"] == {"isCrosspost": True, "hostedHere": False, "foreignPostId": origin["_id"]}
    assert ea_writes(ea) == []  # the EA Forum copy was made by the forums, not sent by us
    assert record(post, "lesswrong")["id"] == origin["_id"]
    ea_record = record(post, "eaforum")
    assert ea_record["id"] == copy["_id"]
    assert ea_record["via"] == "lesswrong"
    assert ea_record["url"] == f"https://forum.effectivealtruism.org/posts/{copy['_id']}"
    [lw_status, ea_status] = site_statuses([post])[0]
    assert (lw_status.state, ea_status.state) == ("up to date", "up to date")
    assert "LessWrong's native crosspost" in ea_status.detail

    again = run([post], lw, ea)
    assert statuses(again) == {"lesswrong": "up to date", "eaforum": "up to date"}
    post.write_text(post.read_text(encoding="utf-8").replace("The body, once.", "The body, twice.")
                    .replace("title: A pair of posts", "title: A pair, renamed"), encoding="utf-8")
    updated = run([post], lw, ea)
    assert statuses(updated) == {"lesswrong": "updated", "eaforum": "up to date"}
    assert ea_writes(ea) == []
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)
    assert ea.post(copy["_id"])["title"] == "A pair, renamed"  # the servers keep it in step


def test_the_dry_run_says_the_ea_copy_is_native(forums: tuple[FakeForum, FakeForum], post: Path) -> None:
    lw, ea = forums
    [lw_plan, ea_plan] = [r.plan for r in run([post], lw, ea, dry_run=True).results]
    assert lw_plan is not None
    assert ea_plan is not None
    assert ea_plan.action == "native crosspost"
    assert "LessWrong's native crosspost" in ea_plan.summary()
    assert ea_writes(ea) == []
    assert (lw.count_posts(), ea.count_posts()) == (0, 0)


def test_not_linked_makes_an_independent_copy_and_says_how_to_link(
        make_forum: Callable[..., FakeForum], post: Path) -> None:
    lw, ea = make_forum("lesswrong"), make_forum("eaforum")  # accounts not linked
    planned = run([post], lw, ea, dry_run=True)
    ea_plan = planned.results[1].plan
    assert ea_plan is not None
    assert "not linked to an EA Forum account" in ea_plan.reason

    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "created"}
    [origin], [copy] = lw.posts_of(lw.user), ea.posts_of(ea.user)
    assert origin["fmCrosspost"] is None
    assert copy["fmCrosspost"] is None
    assert "via" not in record(post, "eaforum")
    [note] = [n for n in report.notices if "native crosspost" in n]
    assert "not linked to an EA Forum account" in note
    assert "link your LessWrong and EA Forum accounts once" in note
    # An independent copy is left as it is: no silent conversion after linking.
    lw.link_crossposting(ea)
    assert statuses(run([post], lw, ea)) == {"lesswrong": "up to date", "eaforum": "up to date"}
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)


def test_under_the_karma_threshold_the_copy_is_independent(forums: tuple[FakeForum, FakeForum],
                                                            post: Path) -> None:
    lw, ea = forums
    lw.user.karma = 42
    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "created"}
    assert any("needs 100 karma" in n for n in report.notices)
    assert lw.posts_of(lw.user)[0]["fmCrosspost"] is None
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)


def test_a_server_refusal_falls_back_and_lesswrong_is_still_published(
        make_forum: Callable[..., FakeForum], post: Path) -> None:
    lw, ea = make_forum("lesswrong"), make_forum("eaforum")
    lw.user.crosspost_user_id = ea.user._id  # linked here, but the peer site does not answer
    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "created"}
    [origin] = lw.posts_of(lw.user)
    assert origin["draft"] is False
    assert any("Failed to create crosspost" in n for n in report.notices)
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)


def test_native_false_asks_for_an_independent_copy(forums: tuple[FakeForum, FakeForum],
                                                   post: Path) -> None:
    lw, ea = forums
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("  eaforum:\n", "  eaforum:\n    native: false\n"), encoding="utf-8")
    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "created"}
    assert lw.posts_of(lw.user)[0]["fmCrosspost"] is None
    assert "CrosspostCreatePost" in ea_writes(ea)
    assert not report.notices


def test_a_dropped_reply_after_lesswrong_committed_still_ends_with_one_pair(
        forums: tuple[FakeForum, FakeForum], post: Path) -> None:
    lw, ea = forums
    lw.inject(Fault.drop_after(match=lw.match("updatePost")))  # the publishing step's answer is lost
    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "created"}
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)
    assert record(post, "eaforum")["id"] == ea.posts_of(ea.user)[0]["_id"]
    assert ea_writes(ea) == []


def test_a_run_killed_between_the_two_records_finds_the_pair_through_lesswrong(
        forums: tuple[FakeForum, FakeForum], post: Path) -> None:
    lw, ea = forums
    run([post], lw, ea)
    [copy] = ea.posts_of(ea.user)
    text = post.read_text(encoding="utf-8")
    block = text[text.index("  eaforum:\n"):text.index("---", 4)]
    post.write_text(text.replace(block, "  eaforum:\n"), encoding="utf-8")  # as if killed before it
    assert "id" not in record(post, "eaforum")

    report = run([post], lw, ea)
    assert statuses(report) == {"lesswrong": "up to date", "eaforum": "created"}
    assert record(post, "eaforum")["id"] == copy["_id"]
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)
    assert ea_writes(ea) == []


def test_an_existing_public_post_gets_its_pair_when_the_ea_forum_is_added(
        forums: tuple[FakeForum, FakeForum], tmp_path: Path) -> None:
    lw, ea = forums
    site = make_site(tmp_path / "site", {"2024-01-02-later.md": post_text(
        "Added later", "Body.\n", crosspost="crosspost:\n  lesswrong:\n")})
    path = site / "_posts" / "2024-01-02-later.md"
    assert statuses(run([path], lw, ea)) == {"lesswrong": "created"}
    text = path.read_text(encoding="utf-8")
    end = text.index("---", 4)
    path.write_text(text[:end] + "  eaforum:\n" + text[end:], encoding="utf-8")
    report = run([path], lw, ea)
    assert statuses(report) == {"lesswrong": "up to date", "eaforum": "created"}
    [copy] = ea.posts_of(ea.user)
    assert record(path, "eaforum") | {"published": None} == {
        "id": copy["_id"], "url": f"https://forum.effectivealtruism.org/posts/{copy['_id']}",
        "via": "lesswrong", "published": None}
    assert ea_writes(ea) == []
    assert statuses(run([path], lw, ea)) == {"lesswrong": "up to date", "eaforum": "up to date"}
    assert ea.count_posts() == 1


def test_a_draft_on_lesswrong_has_no_pair_until_it_is_published(forums: tuple[FakeForum, FakeForum],
                                                                post: Path) -> None:
    lw, ea = forums
    report = run([post], lw, ea, draft=True)
    assert statuses(report) == {"lesswrong": "created", "eaforum": "skipped"}
    assert "draft" in report.results[1].message
    assert ea.count_posts() == 0
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("  lesswrong:\n", "  lesswrong:\n    draft: false\n"), encoding="utf-8")
    published = run([post], lw, ea)
    assert statuses(published) == {"lesswrong": "updated", "eaforum": "created"}
    assert (lw.count_posts(), ea.count_posts()) == (1, 1)
    assert ea_writes(ea) == []


def test_status_remote_shows_the_native_copy_following_lesswrong(forums: tuple[FakeForum, FakeForum],
                                                                 post: Path) -> None:
    from crosspost.engine.remote import FOLLOWS, LIVE, remote_statuses

    lw, ea = forums
    run([post], lw, ea)
    rows = remote_statuses([post], PublishOptions(environ=env_for(forum=lw), http=FAST))
    assert [(r.target, r.state) for r in rows] == [("lesswrong", LIVE), ("eaforum", FOLLOWS)]
    assert ea_writes(ea) == []


def test_linking_an_independent_ea_copy_drops_the_native_mark(
        forums: tuple[FakeForum, FakeForum], post: Path) -> None:
    # The author links a copy they made by hand over the native one: the record must no
    # longer say the forums made it (`via`), or the next run would look for it through
    # LessWrong and never update it.
    from crosspost.linking import link_copy

    lw, ea = forums
    run([post], lw, ea)
    assert record(post, "eaforum")["via"] == "lesswrong"
    mine = ea.add_post(ea.user, "A pair of posts", "Made by hand.\n")
    link_copy(post, "eaforum", f"https://forum.effectivealtruism.org/posts/{mine}/a-pair")
    assert record(post, "eaforum")["id"] == mine
    assert "via" not in record(post, "eaforum")
    assert record(post, "lesswrong")["id"] == lw.posts_of(lw.user)[0]["_id"]
