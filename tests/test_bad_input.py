"""A new user's and a careless author's mistakes: each one a single line that says what
happened and what to do, a non-zero exit, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes.forummagnum import FakeForum
from tests.sites import env_for, make_site, post_text


def one_line_error(err: str) -> str:
    assert "Traceback" not in err
    assert "internal error" not in err, err
    [line] = [line for line in err.splitlines()
              if any(mark in line for mark in ("error:", ": failed:", ": *: "))]  # status: "*"
    return line


@pytest.fixture
def post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Hello", "Body.\n")})
    return site / "_posts" / "2024-01-02-hello.md"


# -- configuration files that are not UTF-8 ------------------------------------------------


@pytest.mark.parametrize("name", ["crosspost.toml", "_config.yml"])
def test_a_config_file_that_is_not_utf8_is_named(cli: Cli, post: Path, name: str) -> None:
    config = post.parent.parent / name
    config.write_bytes(b"url: https://janedoe.net\n# caf\xe9\n")
    code, _, err = cli("render", str(post), "--to", "lesswrong")
    assert code == 4
    assert one_line_error(err) == (f"crosspost: error: {config}:2: not valid UTF-8. "
                                   "save the file as UTF-8")


def test_a_hugo_config_that_is_not_utf8_is_named(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_bytes(b"baseURL = 'https://sam.dev/'\ntitle = 'Caf\xe9'\n")
    post = tmp_path / "content" / "posts" / "hello.md"
    post.write_text(post_text("Hello", "Body.\n"), encoding="utf-8")
    code, _, err = cli("render", str(post), "--to", "lesswrong")
    assert code == 4
    assert one_line_error(err) == (f"crosspost: error: {tmp_path / 'hugo.toml'}:2: not valid "
                                   "UTF-8. save the file as UTF-8")


def test_a_quartz_config_that_is_not_utf8_is_named(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "quartz.config.ts").write_bytes(b"const config = {\n  baseUrl: 'caf\xe9.net',\n}\n")
    post = tmp_path / "content" / "hello.md"
    post.write_text(post_text("Hello", "Body.\n"), encoding="utf-8")
    code, _, err = cli("render", str(post), "--to", "lesswrong")
    assert code == 4
    assert one_line_error(err) == (f"crosspost: error: {tmp_path / 'quartz.config.ts'}:2: not "
                                   "valid UTF-8. save the file as UTF-8")


# -- endpoint settings -------------------------------------------------------------------


PLAIN_HTTP = ("refusing to send a token over plain HTTP to example.com (from "
              "CROSSPOST_{T}_ENDPOINT). use an https:// endpoint (plain http is accepted only "
              "for 127.0.0.1/localhost)")


@pytest.mark.parametrize("target", ["lesswrong", "eaforum", "alignmentforum", "medium", "devto"])
def test_a_dry_run_fails_on_an_endpoint_publish_would_refuse(cli: Cli, post: Path,
                                                             target: str) -> None:
    """Not a quiet offline plan (`create`, exit 0) that the real run then fails."""
    text = post.read_text(encoding="utf-8").replace("  lesswrong:\n", f"  {target}:\n")
    post.write_text(text, encoding="utf-8")
    env = {f"CROSSPOST_{target.upper()}_ENDPOINT": "http://example.com/api",
           f"CROSSPOST_{target.upper()}_TOKEN": "0123abcd" * 8}
    for args in (("--dry-run",), ("--yes",)):
        code, out, err = cli("publish", str(post), *args, env=env)
        assert code == 4, out + err
        line = one_line_error(err)
        assert line.endswith(f"{target}: failed: {PLAIN_HTTP.format(T=target.upper())}"), line
        assert "0123abcd" not in out + err


def test_a_dry_run_names_a_broken_endpoint_of_an_existing_copy(cli: Cli, post: Path,
                                                               forum: FakeForum) -> None:
    env = env_for(forum=forum)
    assert cli("publish", str(post), env=env)[0] == 0
    post.write_text(post.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    env["CROSSPOST_LESSWRONG_ENDPOINT"] = "http://example.com/graphql"
    sent = len(forum.requests)
    code, out, err = cli("publish", str(post), "--dry-run", env=env)
    assert code == 4, out + err
    assert one_line_error(err).endswith(PLAIN_HTTP.format(T="LESSWRONG"))
    assert len(forum.requests) == sent


# -- the crosspost block -----------------------------------------------------------------


@pytest.mark.parametrize("block", ["crosspost: [{lesswrong: {draft: true}}]\n",
                                   "crosspost:\n  - [lesswrong]\n"])
def test_a_target_list_of_anything_but_names_is_one_error(cli: Cli, post: Path, block: str) -> None:
    text = post.read_text(encoding="utf-8").replace("crosspost:\n  lesswrong:\n", block)
    post.write_text(text, encoding="utf-8")
    expected = (f"{post}:5: a `crosspost` list names targets only; options go in a mapping. "
                "write `crosspost:` with each target as a key under it (`lesswrong: {draft: "
                "true}`), or in TOML `[crosspost.lesswrong]`")
    for args in (("publish", str(post), "--dry-run"), ("render", str(post), "--to", "lw"),
                 ("status", str(post))):
        code, out, err = cli(*args)
        assert code == 4, out + err
        assert one_line_error(err).endswith(expected)


def test_a_broken_target_list_in_another_post_does_not_stop_status(cli: Cli, post: Path) -> None:
    other = post.with_name("2024-01-03-other.md")
    other.write_text(post_text("Other", "Text.\n", crosspost="crosspost: [[lesswrong]]\n"),
                     encoding="utf-8")
    code, out, err = cli("status", str(post.parent.parent))
    assert code == 4, out + err
    assert f"{other}:5: a `crosspost` list names targets only" in one_line_error(err)
    assert "2024-01-02-hello.md  not published" in out


@pytest.mark.parametrize(("line", "key"), [("id: [abc]", "id"), ("id: 2024-01-02", "id"),
                                           ("id: true", "id"), ("url: 5", "url")])
def test_a_record_holding_no_copys_id_is_one_error_everywhere(cli: Cli, post: Path,
                                                            forum: FakeForum, line: str,
                                                            key: str) -> None:
    # A hand-edited record the tool cannot read: publish must not guess (update what?) and
    # status must not call the post unpublished; both say which key and what to do.
    text = post.read_text(encoding="utf-8").replace("  lesswrong:\n", f"  lesswrong:\n    {line}\n")
    post.write_text(text, encoding="utf-8")
    expected = f"`crosspost.lesswrong.{key}` is not a copy's {key}"
    for args in (("publish", str(post), "--dry-run"), ("publish", str(post), "--yes")):
        code, out, err = cli(*args, env=env_for(forum=forum))
        assert code != 0, out + err
        assert expected in out + err
        assert "crosspost link" in out + err
    assert forum.count_posts() == 0
    code, out, err = cli("status", str(post))
    assert expected in out + err, out + err
    assert "not published" not in out
