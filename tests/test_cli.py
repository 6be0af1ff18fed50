"""The CLI as a user meets it: exit statuses, one-line errors, and no token anywhere."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Cli
from tests.fakes.devto import DevtoFake, forem_error, retry_later
from tests.fakes.forummagnum import OTHER_TOKEN, FakeForum, apollo_error
from tests.fakes.medium import MediumFake
from tests.fakes.server import Fault, Reply
from tests.memkeyring import MemoryKeyring
from tests.sites import env_for, make_site, post_text

Run = Cli


@pytest.fixture
def run(cli: Cli) -> Cli:
    return cli


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Hello", "Body.\n")})


@pytest.fixture
def post(site: Path) -> Path:
    return site / "_posts" / "2024-01-02-hello.md"


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("crosspost: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_unknown_target_is_a_usage_error(run: Run, post: Path) -> None:
    code, _, err = run("publish", str(post), "--to", "facebook")
    assert code == 2
    assert "unknown target 'facebook'" in err
    assert "lesswrong (lw)" in err


@pytest.mark.parametrize(("typed", "guess"), [("lesswong", "lesswrong"), ("eaform", "eaforum"),
                                               ("meduim", "medium"), ("alignmentfourm", "alignmentforum")])
def test_an_unknown_target_suggests_the_nearest_one(run: Run, post: Path, typed: str, guess: str) -> None:
    code, _, err = run("publish", str(post), "--to", typed)
    assert code == 2
    assert f"unknown target {typed!r}; did you mean {guess!r}?" in err


def test_targets_separated_by_commas_are_several_targets(run: Run, post: Path) -> None:
    code, out, err = run("publish", str(post), "--to", "lw,medium", "--to", "ea, lw", "--dry-run")
    assert code == 0, err
    planned = [line.split(": ")[1] for line in out.splitlines() if line.startswith(f"{post}: ")]
    assert sorted(planned) == ["eaforum", "lesswrong", "medium"], out  # each once
    code, _, err = run("publish", str(post), "--to", "lw,facebok", "--dry-run")
    assert code == 2
    assert "unknown target 'facebok'" in err


def test_no_suggestion_for_a_target_that_resembles_none(run: Run, post: Path) -> None:
    code, _, err = run("publish", str(post), "--to", "facebook")
    assert code == 2
    assert "did you mean" not in err


def test_login_suggests_the_nearest_target(run: Run) -> None:
    code, _, err = run("login", "lesswong")
    assert code == 2
    assert "unknown target 'lesswong'; did you mean 'lesswrong'?" in err


def test_missing_file(run: Run, tmp_path: Path) -> None:
    code, _, err = run("publish", str(tmp_path / "nope.md"), "--to", "lw", "--dry-run")
    assert code == 4
    assert one_line_error(err) == f"crosspost: error: {tmp_path / 'nope.md'}: no such file"


def test_broken_front_matter_names_the_line(run: Run, site: Path) -> None:
    path = site / "_posts" / "2024-01-03-broken.md"
    path.write_text("---\ntitle: Fine\ntags: [a, b\ndate: 2024-01-03\n---\nBody\n", encoding="utf-8")
    code, _, err = run("render", str(path), "--to", "lesswrong")
    assert code == 4
    line = one_line_error(err)
    assert f"{path}:3:" in line
    assert "broken YAML front matter" in line


def test_missing_title(run: Run, site: Path) -> None:
    path = site / "_posts" / "2024-01-04-untitled.md"
    path.write_text("---\ndate: 2024-01-04\n---\nNo heading here.\n", encoding="utf-8")
    code, out, err = run("publish", str(path), "--to", "lesswrong", "--dry-run")
    assert code == 4
    [line] = err.splitlines()
    assert line.endswith("the post has no title. add `title: …` to the front matter or start the "
                         "body with `# Title`")
    assert "Traceback" not in out + err


def test_a_site_without_a_url_says_how_to_set_one(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "loose.md"
    path.write_text("# A loose post\n\nText.\n", encoding="utf-8")
    code, _, err = run("render", str(path), "--to", "lesswrong")
    assert code == 4
    assert "crosspost.toml" in one_line_error(err)


def test_readme_example_runs_offline_without_an_account(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "jekyll-site"
    shutil.copytree(EXAMPLES / "jekyll-site", site)
    post = site / "_posts" / "2023-11-02-six-months-of-forecasting.md"
    code, out, err = run("publish", str(post), "--to", "lesswrong", "--dry-run")
    assert code == 0, err
    assert "nothing was sent or written" in out
    assert "lesswrong: update https://www.lesswrong.com/posts/" in out  # the README's plan
    assert "+++ " in out  # a diff
    added = [line[1:] for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    removed = [line[1:] for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]
    # What the README's Quick start says the diff shows, bullet by bullet:
    assert any(line.startswith("![](") for line in added)  # the figure is an image...
    assert "*Where I keep the update log: a notebook, a pencil and a view*" in added  # ...with a caption
    assert any("{% post_url" in line for line in removed)
    assert any("](https://www.lesswrong.com/posts/Qm3xTfa8KpLw2ZrNe/" in line for line in added)
    assert any(line.startswith("Cross-posted on [LessWrong]") for line in removed)
    assert not any("Cross-posted on" in line for line in added)
    assert any(line.startswith("*Originally published at [") for line in added)


def test_render_prints_the_body_and_json(run: Run, post: Path) -> None:
    code, out, _ = run("render", str(post), "--to", "lw")
    assert code == 0
    assert out.endswith("Body.\n")
    code, out, _ = run("render", str(post), "--to", "medium", "--json")
    assert code == 0
    assert '"canonicalUrl": "https://janedoe.net/blog/2024/hello/"' in out
    assert '"format": "html"' in out


def test_status_and_check(run: Run, post: Path, forum: FakeForum, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(post.parent.parent)
    code, out, _ = run("status", "--check")
    assert code == 1
    assert "not published" in out
    assert run("publish", str(post), env=env_for(forum=forum))[0] == 0
    code, out, _ = run("status", "--check")
    assert code == 0
    assert "up to date" in out


def test_status_of_a_copy_recorded_by_its_url_alone(run: Run, post: Path, forum: FakeForum,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL written by hand records a copy (publish updates it): not "not published"."""
    existing = forum.add_post(forum.user, "Hello forums", "written by hand", draft=False)
    text = post.read_text(encoding="utf-8").replace(
        "  lesswrong:\n", f"  lesswrong:\n    url: https://www.lesswrong.com/posts/{existing}/x\n")
    post.write_text(text, encoding="utf-8")
    monkeypatch.chdir(post.parent.parent)
    code, out, _ = run("status")
    assert (code, out.splitlines()[1].split("  ")[-1]) == (0, "changed since publish")
    code, _, err = run("publish", str(post), "--dry-run", env=env_for(forum=forum))
    assert "crosspost has never sent the text of this copy" in err  # that copy, not a new one


def test_partial_success_exit_status(run: Run, post: Path, forum: FakeForum, medium: MediumFake) -> None:
    env = env_for(forum=forum, medium=medium)
    env["CROSSPOST_MEDIUM_TOKEN"] = "0" * 64
    code, out, err = run("publish", str(post), "--to", "lw", "--to", "medium", env=env)
    assert code == 3
    assert "lesswrong: created" in out
    assert "medium: failed" in err


# -- one matrix of failures, every target ------------------------------------------------

FORUM_FAULTS: dict[str, tuple[Callable[[FakeForum], None], int, str]] = {
    "token refused": (lambda f: None, 5, "token"),
    "bot protection": (lambda f: f.inject(Fault.vercel_429()), 1, "bot protection"),
    "rate limited": (lambda f: f.inject(Fault.respond(Reply.json(
        {"errors": [{"message": "Too many requests"}]}, 429, {"Retry-After": "120"}))), 1, "rate limited"),
    "server error": (lambda f: f.inject(Fault.respond(Reply.json({"errors": []}, 503))), 1, "503"),
    "timeout": (lambda f: f.inject(Fault.delay(2.0)), 1, "timed out"),
    "malformed JSON": (lambda f: f.inject(Fault.respond(Reply.raw(b'{"data": {"curr', 200))), 1, "JSON"),
    "GraphQL error in a 200": (lambda f: f.inject(Fault.respond(apollo_error(
        "app.operation_not_allowed", "currentUser"))), 1, "did not allow checking the token"),
}


@pytest.mark.parametrize("fault", list(FORUM_FAULTS))
@pytest.mark.parametrize("flavor", ["lesswrong", "eaforum", "alignmentforum"])
def test_forum_failures_are_one_line_with_advice(run: Run, post: Path,
                                                 make_forum: Callable[..., FakeForum],
                                                 flavor: str, fault: str) -> None:
    setup, expected_code, words = FORUM_FAULTS[fault]
    fake = make_forum(flavor)
    if flavor == "alignmentforum":
        fake.set_groups(fake.user, "alignmentForum")
    setup(fake)
    env = (env_for(forum=fake) if flavor == "lesswrong" else env_for(ea=fake) if flavor == "eaforum"
           else env_for(af=fake))
    if fault == "token refused":
        env[f"CROSSPOST_{flavor.upper()}_TOKEN"] = OTHER_TOKEN
    env.update(CROSSPOST_RETRIES="0", CROSSPOST_TIMEOUT="1.0")
    code, out, err = run("publish", str(post), "--to", flavor, env=env)
    assert code == expected_code, out + err
    [line] = [line for line in err.splitlines() if ": failed" in line]
    assert words.lower() in line.lower()
    assert "Traceback" not in out + err
    assert fake.token not in out + err
    assert fake.count_posts() == 0


MEDIUM_FAULTS: dict[str, tuple[Callable[[MediumFake], None], int, str]] = {
    "token refused": (lambda m: None, 5, "token"),
    "bot protection": (lambda m: m.inject(Fault.respond(Reply.html(
        "<!DOCTYPE html><title>Just a moment...</title>", 403))), 1, "bot protection"),
    "rate limited": (lambda m: m.inject(Fault.respond(Reply.json(
        {"errors": [{"message": "User has reached the rate limit for publishing today.",
                     "code": 1007}]}, 429))), 1, "rate limit"),
    "server error": (lambda m: m.inject(Fault.respond(Reply.json({"errors": []}, 503))), 1, "503"),
    "timeout": (lambda m: m.inject(Fault.delay(2.0)), 1, "timed out"),
    "malformed JSON": (lambda m: m.inject(Fault.respond(Reply.raw(b'{"data": {"id', 200))), 1, "JSON"),
}


@pytest.mark.parametrize("fault", list(MEDIUM_FAULTS))
def test_medium_failures_are_one_line_with_advice(run: Run, post: Path, medium: MediumFake,
                                                  fault: str) -> None:
    setup, expected_code, words = MEDIUM_FAULTS[fault]
    setup(medium)
    env = env_for(medium=medium)
    if fault == "token refused":
        env["CROSSPOST_MEDIUM_TOKEN"] = "0123abcd" * 8
    env.update(CROSSPOST_RETRIES="0", CROSSPOST_TIMEOUT="1.0")
    code, out, err = run("publish", str(post), "--to", "medium", env=env)
    assert code == expected_code, out + err
    [line] = [line for line in err.splitlines() if ": failed" in line]
    assert words.lower() in line.lower()
    assert "Traceback" not in out + err
    assert medium.token not in out + err
    assert medium.posts == []


DEVTO_FAULTS: dict[str, tuple[Callable[[DevtoFake], None], int, str]] = {
    "token refused": (lambda d: None, 5, "API key"),
    "bot protection": (lambda d: d.inject(Fault.respond(Reply.html(
        "<!DOCTYPE html><title>Just a moment...</title>", 403))), 1, "bot protection"),
    "rate limited": (lambda d: d.inject(Fault.respond(forem_error(
        429, "Rate limit reached, try again in 30 seconds", {"Retry-After": "120"}))), 1,
        "rate limit"),
    "throttled": (lambda d: d.inject(Fault.respond(retry_later(120))), 1, "rate limit"),
    "server error": (lambda d: d.inject(Fault.respond(forem_error(503, "unavailable"))), 1,
                     "503"),
    "timeout": (lambda d: d.inject(Fault.delay(2.0)), 1, "timed out"),
    "malformed JSON": (lambda d: d.inject(Fault.respond(Reply.raw(b'{"id": 12', 201))), 1, "JSON"),
}


@pytest.mark.parametrize("fault", list(DEVTO_FAULTS))
def test_devto_failures_are_one_line_with_advice(run: Run, post: Path, devto: DevtoFake,
                                                 fault: str) -> None:
    setup, expected_code, words = DEVTO_FAULTS[fault]
    setup(devto)
    env = env_for(devto=devto)
    if fault == "token refused":
        env["CROSSPOST_DEVTO_TOKEN"] = "0123abcd" * 3
    env.update(CROSSPOST_RETRIES="0", CROSSPOST_TIMEOUT="1.0")
    code, out, err = run("publish", str(post), "--to", "dev", env=env)
    assert code == expected_code, out + err
    [line] = [line for line in err.splitlines() if ": failed" in line]
    assert words.lower() in line.lower()
    assert "Traceback" not in out + err
    assert devto.token not in out + err
    assert devto.articles == []


# -- tokens never leak -------------------------------------------------------------------


def test_tokens_never_appear_in_output_or_files(run: Run, tmp_path: Path, forum: FakeForum,
                                                medium: MediumFake, memory_keyring: MemoryKeyring,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(EXAMPLES / "jekyll-site", site)
    post = next((site / "_posts").glob("*toolbox*"))
    text = post.read_text(encoding="utf-8").replace("crosspost:", "crosspost_old:", 1)
    post.write_text(text.replace("\n---\n", "\ncrosspost:\n  lesswrong:\n  medium:\n---\n", 1),
                    encoding="utf-8")
    forum.rate_limits = ()
    env = env_for(forum=forum, medium=medium)
    monkeypatch.chdir(site)
    outputs: list[str] = []

    def go(*args: str, stdin: str | None = None, with_tokens: bool = True) -> int:
        use = dict(env)
        if not with_tokens:
            use = {k: v for k, v in env.items() if not k.endswith("_TOKEN")}
            for key in env:
                if key.endswith("_TOKEN"):
                    monkeypatch.delenv(key, raising=False)
        code, out, err = run("-vvv", *args, env=use, stdin=stdin)
        outputs.append(out + err)
        return code

    assert go("login", "lesswrong", stdin=forum.token + "\n", with_tokens=False) == 0
    assert go("login", "medium", stdin=medium.token + "\n", with_tokens=False) == 0
    assert go("whoami", with_tokens=False) == 0
    assert go("publish", str(post), "--dry-run") == 0
    assert go("publish", str(post), "--yes") == 0
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert go("publish", str(post), "--dry-run") == 0
    go("publish", str(post), "--yes")
    go("render", str(post), "--to", "lw", "--json")
    go("status")
    forum.inject(Fault.respond(Reply.json({"errors": [{"message": "boom"}]}, 500)))
    go("publish", str(post), "--yes", "--to", "lw")
    go("whoami")
    go("logout", "lesswrong")
    go("logout", "medium")

    secrets = [forum.token, medium.token]
    everything = "\n".join(outputs)
    assert "HTTP Request" in everything or "-> 200" in everything, "the verbose trace was produced"
    for secret in secrets:
        assert secret not in everything
    for path in [*tmp_path.rglob("*"), *Path.home().rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"token written to {path}"
    assert memory_keyring.entries == {}, "logout removed every stored token"


def test_status_outside_a_site_says_where_to_run_it(run: Run, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    make_site(tmp_path / "repo" / "docs", {"2024-01-02-hello.md": post_text("Hello", "Body.\n")})
    (tmp_path / "repo" / "README.md").write_text("# My repo\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "repo")
    code, _, err = run("status")
    assert code == 4
    assert "no site here" in err
    code, out, _ = run("status", "docs")
    assert code == 0
    assert out.splitlines()[1].startswith("docs/_posts/2024-01-02-hello.md  not published")


def test_status_of_a_broken_post_is_an_input_error(run: Run, site: Path) -> None:
    broken = site / "_posts" / "2024-01-03-broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
    code, _, err = run("status", str(broken))
    assert code == 4
    assert "broken YAML front matter" in err


def test_verbose_says_where_the_site_url_came_from(run: Run, site: Path) -> None:
    (site / "_posts" / "travel").mkdir()
    (site / "_posts" / "travel" / "2024-01-03-away.md").write_text(post_text("Away", "Far.\n"),
                                                                   encoding="utf-8")
    code, _out, err = run("-v", "status", str(site))
    assert code == 0
    assert err.splitlines() == [
        f"crosspost: info: the site URL is https://janedoe.net (from {site / '_config.yml'}: `url`)"]
    code, _out, err = run("status", str(site))
    assert (code, err) == (0, "")


def test_whoami_exit_status_says_what_went_wrong(run: Run, forum: FakeForum) -> None:
    """5 is "a token is missing, or the platform refused it": a platform that cannot be
    reached is a plain failure (1), as it is for publish; a refused token is still 5."""
    env = {**env_for(forum=forum), "CROSSPOST_RETRIES": "0"}
    assert run("whoami", "lesswrong", env=env)[0] == 0
    forum.inject(Fault.drop_before())
    code, out, _ = run("whoami", "lesswrong", env=env)
    assert code == 1, out
    env["CROSSPOST_LESSWRONG_TOKEN"] = OTHER_TOKEN  # a token the forum does not know
    code, out, _ = run("whoami", "lesswrong", env=env)
    assert code == 5, out
