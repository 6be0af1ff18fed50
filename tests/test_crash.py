"""Kill the real CLI at each point of a create; the next run must end with one post, recorded.

The CLI runs in a subprocess against the fake servers. It is killed with SIGKILL (no cleanup
code runs) at three points:

* ``before-request``: the journal entry is written, the create request is about to leave;
* ``after-save``: the server has saved the post and holds its reply; the test kills the
  client meanwhile;
* ``after-reply``: the reply arrived and the front matter is about to be written.

The first and last points are reached through a ``sitecustomize`` module that only the
tests put on the subprocess's path; the product has no switch for this.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import yaml

from crosspost.journal import Journal
from tests.conftest import ROOT
from tests.fakes import devto as devto_fake
from tests.fakes.devto import DevtoFake
from tests.fakes.forummagnum import FakeForum
from tests.fakes.medium import CREATE, MediumFake
from tests.fakes.server import Fault
from tests.sites import env_for, make_site, post_text

KILLER = textwrap.dedent('''
    """Test-only: kill this process with SIGKILL at the point named by CROSSPOST_TEST_KILL_AT."""
    import os
    import signal

    _point = os.environ.get("CROSSPOST_TEST_KILL_AT", "")

    def _die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if _point == "before-request":
        import httpx

        _send = httpx.Client.send

        def send(self, request, **kwargs):
            body = request.content if not request.stream or hasattr(request, "_content") else b""
            is_create = b"createPost" in body or (
                request.method == "POST" and request.url.path.endswith(("/posts", "/articles")))
            if is_create:
                _die()
            return _send(self, request, **kwargs)

        httpx.Client.send = send
    elif _point == "after-reply":
        import crosspost.record

        crosspost.record.record_results = _die
''')


@pytest.fixture
def killer(tmp_path: Path) -> Path:
    folder = tmp_path / "killer"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(KILLER, encoding="utf-8")
    return folder


def cli(post: Path, env: dict[str, str], killer: Path, point: str = "") -> subprocess.Popen[bytes]:
    full = dict(os.environ)
    full.update(env)
    full["PYTHONPATH"] = os.pathsep.join([str(killer), str(ROOT)])
    full["CROSSPOST_TEST_KILL_AT"] = point
    return subprocess.Popen([sys.executable, "-m", "crosspost", "publish", str(post), "--yes"],
                            env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=60)
    return proc.returncode, (out + err).decode()


def record(post: Path, target: str) -> dict[str, object]:
    data = yaml.safe_load(post.read_text(encoding="utf-8").split("---\n")[1])
    block = data["crosspost"][target] or {}
    assert isinstance(block, dict)
    return block


def first_run(point: str, post: Path, env: dict[str, str], killer: Path,
              server: FakeForum | MediumFake | DevtoFake, match: object) -> None:
    if point == "after-save":
        saved, release = threading.Event(), threading.Event()
        server.inject(Fault.hold(saved, release, match=match))  # type: ignore[arg-type]
        proc = cli(post, env, killer)
        try:
            assert saved.wait(timeout=60), "the server never saw the create"
            proc.kill()
            proc.wait(timeout=60)
        finally:
            release.set()
    else:
        proc = cli(post, env, killer, point)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    if proc.stdout is not None:
        proc.stdout.close()
    if proc.stderr is not None:
        proc.stderr.close()


POINTS = ["before-request", "after-save", "after-reply"]


@pytest.mark.parametrize("point", POINTS)
def test_forum_crash_ends_with_exactly_one_post_recorded(point: str, forum: FakeForum, tmp_path: Path,
                                                         killer: Path) -> None:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text("Crash test", "Body.\n")})
    post = site / "_posts" / "2024-01-02-hello.md"
    env = env_for(forum=forum)

    first_run(point, post, env, killer, forum, forum.match("createPost"))
    assert forum.count_posts() == (0 if point == "before-request" else 1)
    assert "id" not in record(post, "lesswrong")

    code, output = finish(cli(post, env, killer))
    assert code == 0, output
    assert forum.count_posts() == 1
    [stored] = forum.posts_of(forum.user)
    assert stored["draft"] is False
    saved = record(post, "lesswrong")
    assert saved["id"] == stored["_id"]
    assert saved["url"] == f"https://www.lesswrong.com/posts/{stored['_id']}/{stored['slug']}"
    assert not list(Journal(site).entries())

    code, output = finish(cli(post, env, killer))
    assert code == 0, output
    assert "up to date" in output
    assert forum.count_posts() == 1


@pytest.mark.parametrize("point", POINTS)
def test_medium_crash_never_posts_twice(point: str, medium: MediumFake, tmp_path: Path,
                                        killer: Path) -> None:
    """Medium cannot be asked what exists, so an unanswered create leaves an honest
    "uncertain" mark instead of a second post; a known reply is recorded."""
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text(
        "Crash test", "Body.\n", crosspost="crosspost:\n  medium:\n")})
    post = site / "_posts" / "2024-01-02-hello.md"
    env = env_for(medium=medium)

    first_run(point, post, env, killer, medium, CREATE)
    code, output = finish(cli(post, env, killer))
    if point == "after-reply":
        assert code == 0, output
        assert len(medium.posts) == 1
        assert record(post, "medium")["id"] == medium.posts[0].id
    else:
        assert code != 0
        assert "crosspost link" in output
        assert record(post, "medium")["status"] == "uncertain"
        assert len(medium.posts) == (0 if point == "before-request" else 1)
    assert not list(Journal(site).entries())

    before = len(medium.posts)
    finish(cli(post, env, killer))
    assert len(medium.posts) == before, "a later run never posts again by itself"


@pytest.mark.parametrize("point", POINTS)
def test_devto_crash_ends_with_exactly_one_article_recorded(point: str, devto: DevtoFake,
                                                            tmp_path: Path, killer: Path) -> None:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text(
        "Crash test", "Body.\n", crosspost="crosspost:\n  devto:\n")})
    post = site / "_posts" / "2024-01-02-hello.md"
    env = env_for(devto=devto)

    first_run(point, post, env, killer, devto, devto_fake.CREATE)
    assert len(devto.articles) == (0 if point == "before-request" else 1)
    assert "id" not in record(post, "devto")

    code, output = finish(cli(post, env, killer))
    assert code == 0, output
    [article] = devto.articles
    assert article.published
    saved = record(post, "devto")
    assert saved["id"] == str(article.id)
    assert saved["url"] == f"https://dev.to/ada/{article.slug}"
    assert not list(Journal(site).entries())

    code, output = finish(cli(post, env, killer))
    assert code == 0, output
    assert "up to date" in output
    assert len(devto.articles) == 1
    assert len(devto.writes()) == 1, "one create in all, and nothing else written"
