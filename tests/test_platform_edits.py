"""Edits made on the platform, the way authors break them (issue 12): other targets than
LessWrong, other front-matter formats and line endings, and text the renderer rewrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.fakes.devto import DevtoFake
from tests.sites import env_for, make_site, post_text

BODY = """\
A first line with `{{ code }}` and $$x^2$$.

The first paragraph, with a tpyo in it.

The second paragraph says one thing.

The third paragraph closes the post.
"""


@pytest.fixture
def devto_post(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", {"2024-01-02-hello.md": post_text(
        "Hello dev", BODY, crosspost="crosspost:\n  devto:\n")})
    return site / "_posts" / "2024-01-02-hello.md"


def test_pull_apply_brings_a_dev_to_edit_home(cli: Cli, devto_post: Path, devto: DevtoFake) -> None:
    """dev.to's body is the forum's plus a last pass (Liquid, math): a line that pass left
    alone is the author's line, and an edit there comes home like one made on LessWrong."""
    env = env_for(devto=devto)
    code, out, err = cli("publish", str(devto_post), env=env)
    assert code == 0, out + err
    [article] = devto.articles_of()
    devto.edit_on_site(article.id, article.body_markdown.replace("tpyo", "typo")
                       .replace("`x^2`", "`y^2`"))
    before = devto_post.read_bytes()

    code, out, err = cli("pull", str(devto_post), "--from", "devto", "--apply", env=env)
    assert code == 0, out + err
    assert f"wrote 1 edit into {devto_post}" in out
    assert "1 edit in text crosspost rewrote for the platform, left for you" in out
    assert "{% katex inline %}`y^2`{% endkatex %}" in out
    assert devto_post.read_bytes() == before.replace(b"tpyo", b"typo")
