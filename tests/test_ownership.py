"""A copy belongs to one file (issue 18): the six ways 0.1.0 overwrote another post's copy or
made a second one, each tried as an author would, over the fake forum and the fake Medium.

Each test ends with exactly one remote copy per post, the right one recorded, no other
post's text changed, and the right public or draft state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from crosspost.cli import cli
from crosspost.engine import Report
from crosspost.journal import Journal
from crosspost.status import CONFLICT, site_statuses
from tests.conftest import ROOT, Cli
from tests.fakes.forummagnum import FakeForum
from tests.fakes.medium import CREATE, MediumFake
from tests.fakes.server import Fault
from tests.sites import env_for, make_site, post_text, publish_over_fakes

OTHER_TOKEN = "f" * 64


def front_matter(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(data, dict)
    return data


def record(path: Path, target: str = "lesswrong") -> dict[str, Any]:
    block = front_matter(path)["crosspost"][target] or {}
    assert isinstance(block, dict)
    return block


run = publish_over_fakes


def outcome(report: Report) -> list[tuple[str, str, str]]:
    return [(r.path.name, r.target, r.status) for r in report.results]


@pytest.fixture
def invoke(cli: Cli) -> Callable[..., tuple[int, str]]:
    """The CLI in this process: (exit status, everything it printed)."""
    def call(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
        code, out, err = cli(*args, env=env)
        return code, out + err

    return call


Invoke = Callable[..., tuple[int, str]]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {
        "2024-01-02-essay-a.md": post_text("Essay A", "The first essay's own words.\n")})


@pytest.fixture
def essay_a(site: Path, forum: FakeForum) -> Path:
    """Essay A, published on LessWrong and recorded."""
    path = site / "_posts" / "2024-01-02-essay-a.md"
    assert outcome(run([path], env_for(forum=forum))) == [(path.name, "lesswrong", "created")]
    return path


# -- 1. a link is not an overwrite -------------------------------------------------------------


def test_a_link_to_another_posts_copy_is_never_adopted(essay_a: Path, forum: FakeForum, site: Path) -> None:
    a_url = record(essay_a)["url"]
    a_text = forum.post(record(essay_a)["id"])["markdown"]
    sentence = f"A follow-up to my earlier essay (also on [LessWrong]({a_url}))."
    essay_b = site / "_posts" / "2024-02-01-essay-b.md"
    essay_b.write_text(post_text("Essay B", f"{sentence}\n\nNew thoughts.\n"), encoding="utf-8")

    planned = run([essay_b], env_for(forum=forum), dry_run=True).results[0]
    assert planned.plan is not None
    assert planned.plan.action == "create"
    assert f"{a_url} (a link in a cross-post notice) is not taken as this post's copy: " \
           f"{essay_a.relative_to(site)} (`crosspost.lesswrong`) records it" in planned.message

    report = run([essay_b], env_for(forum=forum))
    assert outcome(report) == [(essay_b.name, "lesswrong", "created")]
    assert forum.count_posts() == 2
    assert record(essay_b)["id"] != record(essay_a)["id"]
    assert forum.post(record(essay_a)["id"])["markdown"] == a_text
    assert forum.post(record(essay_a)["id"])["title"] == "Essay A"
    assert sentence in forum.post(record(essay_b)["id"])["markdown"]
    statuses, _ = site_statuses([essay_a, essay_b])
    assert {s.state for s in statuses} == {"up to date"}


def test_someone_elses_post_in_a_notice_stays_in_the_copy(forum: FakeForum, site: Path) -> None:
    friend = forum.add_user(OTHER_TOKEN, "friend")
    theirs = forum.add_post(friend, "A friend's essay", "Their words.\n")
    sentence = f"A great essay by a friend, also posted on [LessWrong](https://www.lesswrong.com/posts/{theirs}/x)."
    path = site / "_posts" / "2024-02-01-mine.md"
    path.write_text(post_text("Mine", f"{sentence}\n\nMy words.\n"), encoding="utf-8")
    env = env_for(forum=forum)

    rendered = CliRunner().invoke(cli, ["render", str(path), "--to", "lesswrong"])
    assert sentence in rendered.stdout

    planned = run([path], env, dry_run=True).results[0]
    assert planned.plan is not None
    assert planned.plan.action == "create"
    assert "belongs to another account" in planned.message

    report = run([path], env)
    assert outcome(report) == [(path.name, "lesswrong", "created")]
    assert "belongs to another account" in report.results[0].message
    assert forum.post(theirs)["markdown"] == "Their words.\n"
    mine = record(path)["id"]
    assert mine != theirs
    assert sentence in forum.post(mine)["markdown"]
    assert run([path], env).results[0].status == "up to date"


def test_my_own_unrelated_post_in_a_notice_is_not_taken_either(forum: FakeForum, site: Path) -> None:
    older = forum.add_post(forum.user, "Something else entirely", "Unrelated words here.\n")
    body = (f"Also on [LessWrong](https://www.lesswrong.com/posts/{older}/x): my older essay.\n\n"
            "Fresh words.\n")
    path = site / "_posts" / "2024-02-01-fresh.md"
    path.write_text(post_text("Fresh", body), encoding="utf-8")

    report = run([path], env_for(forum=forum))
    assert outcome(report) == [(path.name, "lesswrong", "created")]
    assert "is titled 'Something else entirely' and its text differs" in report.results[0].message
    assert forum.post(older)["markdown"] == "Unrelated words here.\n"
    assert forum.count_posts() == 2


def test_a_link_to_this_posts_own_copy_is_still_adopted(forum: FakeForum, site: Path) -> None:
    existing = forum.add_post(forum.user, "Adopted", "old text", draft=False)
    body = f"Cross-posted on [LessWrong](https://www.lesswrong.com/posts/{existing}/adopted).\n\nNew text.\n"
    path = site / "_posts" / "2024-02-01-adopted.md"
    path.write_text(post_text("Adopted", body), encoding="utf-8")

    planned = run([path], env_for(forum=forum), dry_run=True).results[0]
    assert planned.plan is not None
    assert planned.plan.action == "update"
    assert "is this post's copy on LessWrong" in planned.message

    # It is this post's copy, but its text was never sent by crosspost: it is recorded, and
    # replaced only once the author has seen how it differs (pull) or says so (--overwrite).
    first = run([path], env_for(forum=forum)).results[0]
    assert first.status == "failed"
    assert "crosspost has never sent the text of this copy" in first.message
    assert forum.post(existing)["markdown"] == "old text"
    assert record(path)["id"] == existing

    report = run([path], env_for(forum=forum), overwrite=True)
    assert outcome(report) == [(path.name, "lesswrong", "updated")]
    assert forum.count_posts() == 1
    assert "Cross-posted on" not in forum.post(existing)["markdown"]
    assert record(path)["id"] == existing
    assert run([path], env_for(forum=forum)).results[0].status == "up to date"


def test_another_tools_key_is_adopted_as_the_copy(forum: FakeForum, site: Path) -> None:
    existing = forum.add_post(forum.user, "Imported long ago", "An old body.\n", draft=False)
    path = site / "_posts" / "2024-02-01-imported.md"
    path.write_text(post_text("A new title for it", "A new body.\n", extra=(
        f"lw-page-url: https://www.lesswrong.com/posts/{existing}/imported-long-ago\n")),
        encoding="utf-8")

    planned = run([path], env_for(forum=forum), dry_run=True).results[0]
    assert planned.plan is not None
    assert planned.plan.action == "update"
    assert "`lw-page-url:` in the front matter" in planned.message

    assert run([path], env_for(forum=forum)).results[0].status == "failed"  # never sent: not replaced
    assert record(path)["id"] == existing
    assert forum.post(existing)["title"] == "Imported long ago"
    assert outcome(run([path], env_for(forum=forum), overwrite=True)) == [
        (path.name, "lesswrong", "updated")]
    assert forum.count_posts() == 1
    assert forum.post(existing)["title"] == "A new title for it"
    assert record(path)["id"] == existing


# -- 2. a post file copied as a template ----------------------------------------------------------


def test_a_copied_post_file_refuses_both_files_until_settled(essay_a: Path, forum: FakeForum,
                                                            site: Path) -> None:
    a_id = record(essay_a)["id"]
    a_text = forum.post(a_id)["markdown"]
    template = site / "_posts" / "2024-03-01-from-template.md"
    template.write_text(essay_a.read_text(encoding="utf-8")
                        .replace("Essay A", "Essay C").replace("first essay's own", "third essay's"),
                        encoding="utf-8")
    env = env_for(forum=forum)

    for path, other in ((template, essay_a), (essay_a, template)):
        result = run([path], env).results[0]
        assert result.status == "failed"
        assert other.name in result.message
        assert "a copy belongs to one file" in result.message
        assert "crosspost link" in result.message
        assert not result.message.startswith("lesswrong:")
        assert forum.post(a_id)["markdown"] == a_text
        assert forum.post(a_id)["title"] == "Essay A"
    statuses, _ = site_statuses([essay_a, template])
    assert [s.state for s in statuses] == [CONFLICT, CONFLICT]
    assert forum.count_posts() == 1

    # `link` settles it: the right file keeps the copy, the template loses the record.
    linked = CliRunner().invoke(cli, ["link", str(essay_a), "--to", "lesswrong", record(essay_a)["url"]])
    assert linked.exit_code == 0, linked.output
    assert "that record is removed" in linked.output
    assert "id" not in record(template)
    report = run([essay_a, template], env)
    # A's copy already shows A (linked, so no hash yet): read, recorded, not written again.
    assert sorted(outcome(report)) == [(essay_a.name, "lesswrong", "up to date"),
                                       (template.name, "lesswrong", "created")]
    assert forum.count_posts() == 2
    assert forum.post(a_id)["title"] == "Essay A"
    assert forum.post(a_id)["markdown"] == a_text
    assert record(essay_a)["hash"]
    assert record(template)["id"] != a_id


def test_three_files_recording_one_copy_are_all_named(essay_a: Path, forum: FakeForum,
                                                      site: Path) -> None:
    copies = [site / "_posts" / f"2024-03-0{n}-copy.md" for n in (1, 2)]
    for path in copies:
        path.write_text(essay_a.read_text(encoding="utf-8"), encoding="utf-8")
    result = run([essay_a], env_for(forum=forum)).results[0]
    assert result.status == "failed"
    assert all(path.name in result.message for path in copies)
    assert "all record" in result.message
    assert "from any of them" in result.message
    assert forum.count_posts() == 1


# -- 3. the same file twice on one command line ---------------------------------------------------


def test_the_same_file_named_three_ways_is_published_once(forum: FakeForum, medium: MediumFake,
                                                         site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = site / "_posts" / "2024-04-01-once.md"
    path.write_text(post_text("Once", "Only once.\n", crosspost="crosspost:\n  lesswrong:\n  medium:\n"),
                    encoding="utf-8")
    link = site / "once-link.md"
    link.symlink_to(path)
    monkeypatch.chdir(site)
    report = run([Path("_posts/2024-04-01-once.md"), path, link], env_for(forum=forum, medium=medium))
    assert sorted((r.target, r.status) for r in report.results) == [
        ("lesswrong", "created"), ("medium", "created")]
    assert forum.count_posts() == 1
    assert len(medium.posts) == 1
    [stored] = forum.posts_of(forum.user)
    assert stored["draft"] is False
    assert record(path)["id"] == stored["_id"]
    assert any("same file" in note for note in report.notices)


# -- 4. two runs at once ----------------------------------------------------------------------------


def _cli(post: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "crosspost", "publish", str(post), "--yes"],
                            env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_runs_at_once_make_one_post(forum: FakeForum, medium: MediumFake, site: Path) -> None:
    path = site / "_posts" / "2024-05-01-race.md"
    path.write_text(post_text("Race", "Two runs, one post.\n",
                              crosspost="crosspost:\n  lesswrong:\n  medium:\n"), encoding="utf-8")
    env = env_for(forum=forum, medium=medium)
    saved, release = threading.Event(), threading.Event()

    def hold_the_create() -> None:  # the first run is inside its create, holding the lock
        saved.set()
        release.wait(timeout=60)

    forum.inject(Fault.meanwhile(hold_the_create, match=forum.match("createPost")))
    first = _cli(path, env)
    second: subprocess.Popen[str] | None = None
    try:
        assert saved.wait(timeout=60), "the first run never sent its create"
        second = _cli(path, env)
        assert second.stderr is not None
        waiting = second.stderr.readline()  # the second run says whom it waits for, then waits
        assert "waiting up to 60 s for another crosspost run (pid" in waiting, waiting
        assert f"{first.pid}" in waiting
    finally:
        release.set()
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert second is not None
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, out + err
    assert "up to date" in out
    assert forum.count_posts() == 1
    assert len(medium.posts) == 1
    [stored] = forum.posts_of(forum.user)
    assert stored["draft"] is False
    assert record(path)["id"] == stored["_id"]
    assert record(path, "medium")["id"] == medium.posts[0].id


def test_a_run_that_cannot_get_the_lock_says_who_holds_it_and_sends_nothing(
        forum: FakeForum, site: Path, invoke: Invoke) -> None:
    from crosspost.lock import site_lock

    path = site / "_posts" / "2024-01-02-essay-a.md"
    with site_lock(site, wait=0):
        code, output = invoke("publish", str(path), "--yes", "--wait", "0", env=env_for(forum=forum))
    assert code == 6
    assert f"another crosspost run (pid {os.getpid()} on " in output
    assert "still holds the lock" in output
    assert forum.requests == []


def test_a_dry_run_needs_no_lock(forum: FakeForum, site: Path) -> None:
    from crosspost.lock import site_lock

    path = site / "_posts" / "2024-01-02-essay-a.md"
    with site_lock(site, wait=0):
        report = run([path], {}, dry_run=True, lock_wait=0)
    assert [r.status for r in report.results] == ["planned"]


# -- 5. a publish step refused once -------------------------------------------------------------


def test_a_draft_left_by_a_refused_publish_step_is_published_next_time(forum: FakeForum, site: Path) -> None:
    newcomer = forum.add_user(OTHER_TOKEN, "newcomer", karma=1)  # LessWrong: 2 posts a week
    path = site / "_posts" / "2024-06-01-draft-left.md"
    path.write_text(post_text("Left as a draft", "Meant to be public.\n"), encoding="utf-8")
    env = {**env_for(forum=forum), "CROSSPOST_LESSWRONG_TOKEN": OTHER_TOKEN}
    # Between the create and the step that makes it public, two posts go up in another tab.
    forum.inject(Fault.meanwhile(lambda: [forum.add_post(newcomer, f"Other {n}", "x\n") for n in (1, 2)],
                                 match=forum.match("createPost")))

    first = run([path], env).results[0]
    assert first.status == "failed"
    assert "Rate limit" in first.message
    [draft] = [p for p in forum.posts_of(newcomer) if p["title"] == "Left as a draft"]
    assert draft["draft"] is True
    assert record(path)["id"] == draft["_id"]
    [entry] = list(Journal(site).entries())
    assert (entry.state, entry.draft) == ("created", False)

    forum.advance(8 * 24 * 3600)  # the week is over
    second = run([path], env).results[0]
    assert second.status == "created", second.message
    assert forum.post(draft["_id"])["draft"] is False
    assert not list(Journal(site).entries())
    assert run([path], env).results[0].status == "up to date"
    assert len([p for p in forum.posts_of(newcomer) if p["title"] == "Left as a draft"]) == 1


# -- 6. a crash, then a rename ----------------------------------------------------------------------


def test_a_crash_then_a_rename_makes_no_second_post(forum: FakeForum, site: Path) -> None:
    old = site / "_posts" / "2024-07-01-renamed.md"
    old.write_text(post_text("Renamed after a crash", "Body.\n", date="2024-07-01"), encoding="utf-8")
    env = env_for(forum=forum)
    saved, release = threading.Event(), threading.Event()
    forum.inject(Fault.hold(saved, release, match=forum.match("createPost")))
    proc = _cli(old, env)
    try:
        assert saved.wait(timeout=60), "the server never saw the create"
        proc.kill()
        proc.communicate(timeout=60)
    finally:
        release.set()
    assert forum.count_posts() == 1  # saved as a draft; the run died before hearing back

    new = site / "_posts" / "2024-07-02-renamed.md"  # the author fixes the date in the name
    new.write_text(old.read_text(encoding="utf-8").replace("date: 2024-07-01", "date: 2024-07-02"),
                   encoding="utf-8")
    old.unlink()

    other = site / "_posts" / "2024-01-02-essay-a.md"
    noted = run([other], env)
    assert not any(str(old.relative_to(site)) in note and "crosspost publish" in note
                   for note in noted.notices), noted.notices
    assert any("which is gone" in note for note in noted.notices)

    report = run([new], env)
    assert outcome(report) == [(new.name, "lesswrong", "created")]
    assert forum.count_posts() == 2  # essay A, and this post once
    [stored] = [p for p in forum.posts_of(forum.user) if p["title"] == "Renamed after a crash"]
    assert stored["draft"] is False
    assert record(new)["id"] == stored["_id"]
    assert not list(Journal(site).entries())


def test_a_stale_journal_entry_is_cleared_by_a_command(site: Path) -> None:
    journal = Journal(site)
    entry = journal.begin(site / "_posts" / "gone.md", "lesswrong", action="create", title="Gone",
                          body="x", content_hash="h", draft=False)
    key = entry.key.removesuffix(".json")
    runner = CliRunner()
    listed = runner.invoke(cli, ["journal", "--site", str(site)])
    assert listed.exit_code == 0, listed.output
    assert f"{key}  _posts/gone.md (gone)  lesswrong: create sending" in listed.output
    cleared = runner.invoke(cli, ["journal", "clear", key[:8], "--site", str(site)])
    assert cleared.exit_code == 0, cleared.output
    assert "may have made a post titled 'Gone'" in cleared.output
    assert not list(journal.entries())

def test_clearing_an_unknown_journal_entry_is_an_input_error(site: Path, invoke: Invoke) -> None:
    code, output = invoke("journal", "clear", "nope", "--site", str(site))
    assert code == 4
    assert "crosspost: error: no journal entry 'nope'" in output


# -- the same title, and the small ones -----------------------------------------------------------


def test_an_unrecorded_post_of_the_same_title_is_never_duplicated(forum: FakeForum, site: Path) -> None:
    by_hand = forum.add_post(forum.user, "Copied by hand", "A different body, years ago.\n")
    path = site / "_posts" / "2024-08-01-by-hand.md"
    path.write_text(post_text("Copied  by hand", "Today's body.\n"), encoding="utf-8")
    env = env_for(forum=forum)

    planned = run([path], env, dry_run=True).results[0]
    assert planned.status == "failed"
    assert f"already has a post titled 'Copied by hand' (https://www.lesswrong.com/posts/{by_hand}" \
        in planned.message
    result = run([path], env).results[0]
    assert result.status == "failed"
    assert f"crosspost link {path} --to lesswrong https://www.lesswrong.com/posts/{by_hand}" in result.message
    assert "--force-new" in result.message
    assert forum.count_posts() == 1

    forced = run([path], env, force_new=True).results[0]
    assert forced.status == "created"
    assert forum.count_posts() == 2


def test_a_same_title_post_another_file_records_is_no_obstacle(essay_a: Path, forum: FakeForum,
                                                               site: Path) -> None:
    twin = site / "_posts" / "2024-09-01-essay-a-again.md"
    twin.write_text(post_text("Essay A", "Another post with the same title.\n"), encoding="utf-8")
    forum.advance(3601)  # the forum's own rule: no two posts of one title within the hour
    assert outcome(run([twin], env_for(forum=forum))) == [(twin.name, "lesswrong", "created")]
    assert forum.count_posts() == 2


def test_failure_lines_name_the_target_and_the_path_once(forum: FakeForum, site: Path,
                                                        invoke: Invoke) -> None:
    path = site / "_posts" / "2024-01-02-essay-a.md"
    env = {**env_for(forum=forum), "CROSSPOST_LESSWRONG_TOKEN": "0" * 64}
    _, output = invoke("publish", str(path), "--yes", env=env)
    [line] = [x for x in output.splitlines() if ": failed: " in x]
    assert line.startswith(f"{path}: lesswrong: failed: ")
    assert line.count("lesswrong:") == 1
    assert line.count(str(path)) == 1


def test_a_copied_site_keeps_its_records_to_itself(essay_a: Path, forum: FakeForum, tmp_path: Path) -> None:
    """A copy of the whole site (a second checkout) is another site: the index is per site."""
    other = tmp_path / "checkout"
    shutil.copytree(essay_a.parent.parent, other)
    copied = other / "_posts" / essay_a.name
    statuses, _ = site_statuses([copied])
    assert [s.state for s in statuses] == ["up to date"]


def test_a_medium_post_is_never_posted_twice_by_two_files(medium: MediumFake, site: Path) -> None:
    path = site / "_posts" / "2024-10-01-medium.md"
    path.write_text(post_text("On Medium", "Body.\n", crosspost="crosspost:\n  medium:\n"),
                    encoding="utf-8")
    env = env_for(medium=medium)
    assert run([path], env).results[0].status == "created"
    copy = site / "_posts" / "2024-10-02-medium-copy.md"
    copy.write_text(path.read_text(encoding="utf-8").replace("Body.", "Other body."), encoding="utf-8")
    medium.inject(Fault.drop_before(match=CREATE))  # would fail loudly if anything were sent
    result = run([copy], env).results[0]
    assert result.status == "failed"
    assert "a copy belongs to one file" in result.message
    assert len(medium.posts) == 1


@pytest.mark.parametrize("url", [
    "https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/a-slug",
    "https://lesswrong.com/posts/AbCdEfGhIjKlMnOpQ",
    "https://www.lesswrong.com/s/NHXY86jBahi968uW4/p/AbCdEfGhIjKlMnOpQ",  # read inside a sequence
    "https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/a-slug?commentId=x#y",
])
def test_every_shape_of_a_forum_address_names_the_same_copy(url: str) -> None:
    from crosspost.platforms import TARGETS

    assert TARGETS["lesswrong"].post_id_in(url) == "AbCdEfGhIjKlMnOpQ"


def test_a_copy_named_in_the_sequence_shape_is_still_another_files(essay_a: Path, forum: FakeForum,
                                                                  site: Path) -> None:
    a_id = record(essay_a)["id"]
    essay_b = site / "_posts" / "2024-02-01-essay-b.md"
    essay_b.write_text(post_text("Essay B", f"Also on [LessWrong](https://www.lesswrong.com/s/Seq/p/{a_id}).\n\n"
                                 "New thoughts.\n"), encoding="utf-8")
    assert outcome(run([essay_b], env_for(forum=forum))) == [(essay_b.name, "lesswrong", "created")]
    assert forum.post(a_id)["title"] == "Essay A"
