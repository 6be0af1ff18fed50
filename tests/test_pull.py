"""``crosspost pull``, ``publish --overwrite`` and ``status --remote`` as a user meets them (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crosspost.errors import ConflictError
from crosspost.record.body import replaced_lines, write_lines
from tests.conftest import Cli
from tests.fakes.forummagnum import FakeForum
from tests.fakes.medium import MediumFake
from tests.sites import env_for, make_site, post_text

Run = Cli

BODY = """\
The first paragraph, with a tpyo in it.

The second paragraph links to [the about page](/about/) of the site.

The third paragraph closes the post.
"""


@pytest.fixture
def run(cli: Cli) -> Cli:
    return cli


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Hello forums", BODY)})


@pytest.fixture
def post(site: Path) -> Path:
    return site / "_posts" / "2024-01-02-hello.md"


def publish_once(run: Run, post: Path, forum: FakeForum) -> str:
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err
    [copy] = forum.posts_of(forum.user)
    return str(copy["_id"])


def edit_there(forum: FakeForum, post_id: str, old: str, new: str) -> None:
    markdown = forum.post(post_id)["markdown"]
    assert old in markdown
    forum.edit_on_site(post_id, markdown.replace(old, new))


def test_pull_apply_brings_a_typo_fix_home_and_changes_nothing_else(
        run: Run, post: Path, forum: FakeForum) -> None:
    post_id = publish_once(run, post, forum)
    edit_there(forum, post_id, "a tpyo in it", "a typo in it")
    before = post.read_bytes()

    code, out, err = run("pull", str(post))
    assert code == 0, err
    assert "1 edit made on LessWrong" in out
    assert "-The first paragraph, with a tpyo in it.\n+The first paragraph, with a typo in it.\n" in out
    assert "--apply" in out
    assert post.read_bytes() == before, "without --apply nothing is written"

    code, out, err = run("pull", str(post), "--from", "lw", "--apply")
    assert code == 0, err
    assert f"wrote 1 edit into {post}" in out
    assert post.read_bytes() == before.replace(b"a tpyo in it", b"a typo in it")

    # Home now: nothing more to pull, and the next publish has nothing to fight about.
    code, out, _ = run("pull", str(post))
    assert "no edits made on LessWrong since crosspost last sent it" in out
    revisions = forum.post(post_id).get("contents_version")
    sent = len(forum.requests)
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err
    assert forum.post(post_id)["markdown"].count("a typo in it") == 1
    # The copy already shows the post: it is read, recorded, and not written again (a
    # write would only add a revision there).
    operations = [r.json().get("operationName") for r in forum.requests[sent:]]
    assert not any("Update" in str(name) for name in operations), operations
    assert forum.post(post_id).get("contents_version") == revisions
    sent = len(forum.requests)
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err
    assert "up to date" in out
    assert len(forum.requests) == sent, "recorded: the next run costs no request"


def test_pull_keeps_the_files_bytes_crlf_included(run: Run, site: Path, forum: FakeForum) -> None:
    path = site / "_posts" / "2024-05-01-crlf.md"
    text = post_text("Windows post", BODY).replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))
    post_id = publish_once(run, path, forum)
    edit_there(forum, post_id, "closes the post", "closes the post, edited")
    before = path.read_bytes()
    code, _, err = run("pull", str(path), "--apply", env=env_for(forum=forum))
    assert code == 0, err
    assert path.read_bytes() == before.replace(b"closes the post.", b"closes the post, edited.")


def test_an_edit_inside_rewritten_text_is_shown_and_left(run: Run, post: Path,
                                                         forum: FakeForum) -> None:
    post_id = publish_once(run, post, forum)
    # The link was made absolute for the forum: that line is not the author's any more.
    edit_there(forum, post_id, "links to [the about", "points to [the about")
    edit_there(forum, post_id, "closes the post", "ends the post")
    before = post.read_bytes()
    code, out, err = run("pull", str(post), "--apply", env=env_for(forum=forum))
    assert code == 0, err
    assert "1 edit in text crosspost rewrote for the platform, left for you" in out
    assert "+The second paragraph points to [the about page](https://janedoe.net/about/)" in out
    assert post.read_bytes() == before.replace(b"closes the post", b"ends the post")


def test_a_kept_edit_is_pulled_after_the_merge(run: Run, post: Path, forum: FakeForum) -> None:
    post_id = publish_once(run, post, forum)
    edit_there(forum, post_id, "a tpyo in it", "a typo fixed there")
    post.write_text(post.read_text(encoding="utf-8").replace("closes the post", "ends it"),
                    encoding="utf-8")
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err
    assert "kept 1 edit made on LessWrong (merged with yours)" in out
    assert f"crosspost pull {post} --from lesswrong --apply" in out
    assert "+The first paragraph, with a typo fixed there." in out

    code, out, err = run("pull", str(post), "--apply")
    assert code == 0, err
    assert "a typo fixed there" in post.read_text(encoding="utf-8")
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err


def test_publish_refuses_a_conflict_and_shows_the_hunks_and_the_ways_on(
        run: Run, post: Path, forum: FakeForum) -> None:
    post_id = publish_once(run, post, forum)
    edit_there(forum, post_id, "closes the post", "closes the post on LessWrong")
    post.write_text(post.read_text(encoding="utf-8").replace("closes the post", "closes it at home"),
                    encoding="utf-8")
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 1
    assert "lesswrong: failed" in err
    assert "<<<<<<< on LessWrong" in err
    assert "The third paragraph closes the post on LessWrong." in err
    assert "The third paragraph closes it at home." in err
    assert f"`crosspost pull {post} --from lesswrong`" in err
    assert f"`crosspost publish {post} --to lesswrong --overwrite`" in err
    assert "on LessWrong." in forum.post(post_id)["markdown"]

    code, out, err = run("publish", str(post), "--dry-run", "--overwrite")
    assert code == 0, err
    assert "replaced on LessWrong (--overwrite):" in out
    assert "+The third paragraph closes the post on LessWrong." in out
    code, out, err = run("publish", str(post), "--overwrite")
    assert code == 0, err
    assert "closes it at home" in forum.post(post_id)["markdown"]


def test_pull_of_a_copy_crosspost_never_sent_makes_it_seen(run: Run, site: Path,
                                                           forum: FakeForum) -> None:
    existing = forum.add_post(forum.user, "By hand", "Typed by hand on the forum.\n")
    path = site / "_posts" / "2024-04-01-by-hand.md"
    path.write_text(post_text("By hand", BODY), encoding="utf-8")
    env = env_for(forum=forum)
    code, out, err = run("link", str(path), "--to", "lw",
                         f"https://www.lesswrong.com/posts/{existing}/by-hand", env=env)
    assert code == 0, err
    code, out, err = run("publish", str(path), "--dry-run")
    assert code == 1
    assert "never sent the text of this copy" in err
    assert "    -Typed by hand on the forum." in err, "the dry run shows what would be replaced"
    assert not (site / ".crosspost" / "sent").exists(), "a dry run records nothing"
    code, out, err = run("publish", str(path))
    assert code == 1
    assert forum.post(existing)["markdown"] == "Typed by hand on the forum.\n"

    code, out, err = run("pull", str(path))
    assert code == 0, err
    assert "crosspost never sent this copy's text" in out
    assert "+Typed by hand on the forum." in out
    code, out, err = run("publish", str(path))
    assert code == 0, out + err
    assert "closes the post" in forum.post(existing)["markdown"]


def test_a_copy_recorded_by_its_url_alone_can_be_pulled_and_asked_after(
        run: Run, site: Path, forum: FakeForum, monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL written by hand is a recorded copy for publish; the way on it prints (`crosspost
    pull … --from lesswrong`) and status --remote must read it the same way."""
    existing = forum.add_post(forum.user, "By hand", "Typed by hand on the forum.\n")
    path = site / "_posts" / "2024-04-01-by-hand.md"
    path.write_text(post_text("By hand", BODY, crosspost=(
        f"crosspost:\n  lesswrong:\n    url: https://www.lesswrong.com/posts/{existing}/by-hand\n")),
        encoding="utf-8")
    monkeypatch.chdir(site)
    env = env_for(forum=forum)
    code, _, err = run("publish", str(path), env=env)
    assert code == 1
    assert f"`crosspost pull {path} --from lesswrong`" in err
    code, out, err = run("status", "--remote", str(path), env=env)
    assert (code, out.splitlines()[1].split()[:3]) == (0, ["_posts/2024-04-01-by-hand.md",
                                                           "lesswrong", "live"]), err
    code, out, err = run("pull", str(path), "--from", "lesswrong", env=env)
    assert code == 0, err
    assert "+Typed by hand on the forum." in out
    code, out, err = run("publish", str(path), env=env)
    assert code == 0, out + err
    assert "closes the post" in forum.post(existing)["markdown"]


def test_pull_json_and_its_errors(run: Run, post: Path, forum: FakeForum,
                                  medium: MediumFake) -> None:
    post_id = publish_once(run, post, forum)
    edit_there(forum, post_id, "a tpyo in it", "a typo in it")
    code, out, err = run("pull", str(post), "--json")
    assert code == 0, err
    [item] = json.loads(out)
    assert item["target"] == "lesswrong"
    assert item["base"] == "what crosspost last sent"
    [edit] = item["edits"]
    assert edit["theirs"] == "The first paragraph, with a typo in it.\n"
    line = post.read_text(encoding="utf-8").splitlines().index("The first paragraph, with a tpyo in it.")
    assert edit["file_lines"] == [line + 1, 1]
    code, _, err = run("pull", str(post), "--from", "medium")
    assert code == 4
    assert "Medium's API cannot read posts back" in err
    code, _, err = run("pull", str(post), "--from", "eaforum")
    assert code == 4
    assert "no copy on EA Forum is recorded" in err


def test_a_file_edited_meanwhile_is_not_clobbered(post: Path) -> None:
    raw = post.read_text(encoding="utf-8")
    post.write_text(raw + "\nA line added in the editor.\n", encoding="utf-8")
    with pytest.raises(ConflictError, match="changed on disk"):
        write_lines(post, raw, [(10, 1, ["New first paragraph."])])
    assert post.read_text(encoding="utf-8").endswith("A line added in the editor.\n")


def test_replaced_lines_never_touch_the_front_matter() -> None:
    raw = "---\ntitle: T\n---\n\nBody one.\nBody two"
    assert replaced_lines(raw, [(6, 1, ["Body 2"])]) == "---\ntitle: T\n---\n\nBody one.\nBody 2"
    assert replaced_lines(raw, [(7, 0, ["Three."])]) == "---\ntitle: T\n---\n\nBody one.\nBody two\nThree.\n"
    from crosspost.errors import PostError

    with pytest.raises(PostError):
        replaced_lines(raw, [(2, 1, ["title: X"])])


def test_status_remote_asks_each_platform(run: Run, site: Path, post: Path, forum: FakeForum,
                                          medium: MediumFake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    env = env_for(forum=forum, medium=medium)
    forum.rate_limits = ()
    post_id = publish_once(run, post, forum)
    both = site / "_posts" / "2024-06-01-two.md"
    both.write_text(post_text("Two places", "Text.\n", crosspost="crosspost:\n  lesswrong:\n  medium:\n"),
                    encoding="utf-8")
    code, _, err = run("publish", str(both), env=env)
    assert code == 0, err
    other = next(p["_id"] for p in forum.posts_of(forum.user) if p["_id"] != post_id)
    forum.set_stats(post_id, score=12, comments=3)
    edit_there(forum, post_id, "a tpyo in it", "a typo in it")
    requests = len(forum.requests)

    code, out, err = run("status", "--remote", "--json", env=env)
    assert code == 0, err
    rows = {(r["path"], r["target"]): r for r in json.loads(out)}
    hello = rows[("_posts/2024-01-02-hello.md", "lesswrong")]
    assert (hello["state"], hello["edited_there"], hello["score"], hello["comments"]) == (
        "live", "yes", 12.0, 3)
    two = rows[("_posts/2024-06-01-two.md", "lesswrong")]
    assert (two["state"], two["edited_there"]) == ("live", "no")
    on_medium = rows[("_posts/2024-06-01-two.md", "medium")]
    assert on_medium["state"] == "unknown (no read API)"
    assert on_medium["score"] is None
    assert len(forum.requests) == requests + 2, "one read per copy"
    assert medium.requests[-1].path.endswith("/posts"), "Medium is not asked"

    forum.move_to_draft(other)
    code, out, err = run("status", "--remote", env=env)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["post", "target", "state", "edited", "there", "score", "comments"]
    assert any(line.split()[:5] == ["_posts/2024-06-01-two.md", "lesswrong", "gone", "(moved", "to"]
               for line in lines)
    assert any("unknown (no read API)" in line and line.rstrip().endswith("unknown")
               for line in lines)
    assert "`crosspost pull POST` shows the edits" in out
    code, _, _ = run("status", "--remote", "--check", env=env)
    assert code == 1

    forum.delete_on_site(other)
    code, out, _ = run("status", "--remote", "--json", env=env)
    rows = {(r["path"], r["target"]): r for r in json.loads(out)}
    assert rows[("_posts/2024-06-01-two.md", "lesswrong")]["state"] == "gone (deleted there)"

    # Offline status stays offline.
    requests = len(forum.requests)
    code, out, _ = run("status", env=env)
    assert len(forum.requests) == requests


def test_an_edited_to_add_paragraph_comes_home_at_the_end(run: Run, post: Path,
                                                          forum: FakeForum) -> None:
    post_id = publish_once(run, post, forum)
    markdown = forum.post(post_id)["markdown"]
    forum.edit_on_site(post_id, markdown + "\n*Edited to add: thanks to a commenter.*\n")
    post.write_text(post.read_text(encoding="utf-8").replace("tpyo", "typo"), encoding="utf-8")
    code, out, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 0, out + err
    assert "+*Edited to add: thanks to a commenter.*" in out
    before = post.read_bytes()
    code, out, err = run("pull", str(post), "--apply")
    assert code == 0, err
    assert post.read_bytes() == before + b"\n*Edited to add: thanks to a commenter.*\n"


def test_an_edit_in_the_rich_text_editor_is_never_lost(run: Run, post: Path,
                                                       forum: FakeForum) -> None:
    """An edit made in the site's rich-text editor turns the copy into HTML, and its Markdown
    into a conversion that differs all over: the update stops rather than guess."""
    post_id = publish_once(run, post, forum)
    html = forum.post(post_id)["html"].replace("closes the post", "<em>closes</em> the post")
    forum.edit_on_site(post_id, html, kind="ckEditorMarkup")
    there = forum.post(post_id)["markdown"]
    post.write_text(post.read_text(encoding="utf-8").replace("closes the post", "ends it"),
                    encoding="utf-8")
    code, _, err = run("publish", str(post), env=env_for(forum=forum))
    assert code == 1
    assert "lesswrong: failed" in err
    assert forum.post(post_id)["markdown"] == there


def test_status_remote_names_the_target_of_a_failed_read_once(run: Run, site: Path, post: Path,
                                                              forum: FakeForum,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    publish_once(run, post, forum)
    code, out, err = run("status", "--remote", env={**env_for(forum=forum),
                                                    "CROSSPOST_LESSWRONG_TOKEN": "0" * 64})
    assert code == 1
    assert out.splitlines()[1].split() == ["_posts/2024-01-02-hello.md", "lesswrong", "error",
                                           "-", "-", "-"]
    assert err.startswith("_posts/2024-01-02-hello.md: lesswrong: the token was refused: ")


def test_pull_apply_to_a_file_that_cannot_be_written_is_one_line(
        run: Run, post: Path, forum: FakeForum, monkeypatch: pytest.MonkeyPatch) -> None:
    import crosspost.record.body

    post_id = publish_once(run, post, forum)
    edit_there(forum, post_id, "a tpyo in it", "a typo in it")
    before = post.read_bytes()

    def denied(path: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(crosspost.record.body, "atomic_write_text", denied)
    code, _, err = run("pull", str(post), "--apply")
    assert (code, err) == (4, f"crosspost: error: {post}: cannot write: Permission denied; nothing "
                              "was written. run the same command again once the file can be written\n")
    assert post.read_bytes() == before


def test_a_target_that_raises_while_it_is_set_up_is_one_row(
        run: Run, site: Path, post: Path, forum: FakeForum, monkeypatch: pytest.MonkeyPatch) -> None:
    import crosspost.targets

    monkeypatch.chdir(site)
    publish_once(run, post, forum)

    def broken(info: object) -> object:
        def construct(context: object) -> object:
            raise RuntimeError("boom")
        return construct

    monkeypatch.setattr(crosspost.targets, "load_adapter", broken)
    code, out, err = run("status", "--remote", env=env_for(forum=forum))
    assert code == 1
    assert out.splitlines()[1].split()[:3] == ["_posts/2024-01-02-hello.md", "lesswrong", "error"]
    assert err == ("_posts/2024-01-02-hello.md: lesswrong: crosspost raised RuntimeError: boom. a bug "
                   "there: run again with --debug for the traceback, and please report it\n")
