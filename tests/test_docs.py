"""The README's command reference is generated from ``--help``; every command documents itself.

Regenerate after changing a command's help::

    UPDATE_README=1 python3 -m pytest tests/test_docs.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import crosspost
from crosspost.cli import COMMANDS, cli
from tests.conftest import ROOT, Cli
from tests.fakes.forummagnum import FakeForum
from tests.fakes.medium import MediumFake
from tests.sites import env_for, make_site, post_text

README = ROOT / "README.md"
START = "<!-- cli-reference:start (generated from --help by tests/test_docs.py) -->"
END = "<!-- cli-reference:end -->"


def _commands() -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    ctx = click.Context(cli)
    for name in sorted(COMMANDS):
        command = cli.get_command(ctx, name)
        assert command is not None
        out.append((name, command))
        if isinstance(command, click.Group):
            sub_ctx = click.Context(command, parent=ctx, info_name=name)
            for sub in command.list_commands(sub_ctx):
                subcommand = command.get_command(sub_ctx, sub)
                assert subcommand is not None
                out.append((f"{name} {sub}", subcommand))
    return out


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], prog_name="crosspost", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def reference() -> str:
    parts = ["```", _help([]).rstrip(), "```"]
    for name, _ in _commands():
        parts += ["", f"### crosspost {name}", "", "```", _help(name.split()).rstrip(), "```"]
    return "\n".join(parts)


@pytest.mark.parametrize(("name", "command"), _commands(), ids=[n for n, _ in _commands()])
def test_every_command_has_help_and_an_example(name: str, command: click.Command) -> None:
    assert command.help, f"`crosspost {name}` has no help text"
    if not isinstance(command, click.Group):
        assert "Example:" in command.help, f"`crosspost {name}` help has no Example: block"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"`crosspost {name}` option {param.opts} has no help"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_static_command_list_matches_each_commands_help(name: str) -> None:
    """``crosspost --help`` lists commands from COMMANDS without importing them; it must say
    what each command's own help says."""
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert COMMANDS[name][1] == command.get_short_help_str(limit=10_000)


def test_help_imports_no_command_module_and_nothing_heavy() -> None:
    program = (
        "import sys\n"
        "from crosspost.cli import main\n"
        "code = 0\ntry:\n    main(['--help'])\nexcept SystemExit as exc:\n    code = exc.code\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('crosspost.cli.') or m.split('.')[0] in\n"
        "    {'logging', 'httpx', 'keyring', 'markdown_it', 'bs4', 'yaml', 'json', 'crosspost.targets'})\n"
        "print(code, loaded, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False,
                          cwd=ROOT)
    assert done.stderr.strip() == "0 []", done.stderr
    assert "publish " in done.stdout


def test_readme_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert START in text, f"README.md lacks the marker {START!r}"
    assert END in text
    generated = f"{START}\n{reference()}\n{END}"
    current = re.search(re.escape(START) + r".*?" + re.escape(END), text, re.DOTALL)
    assert current is not None
    if os.environ.get("UPDATE_README"):
        README.write_text(text.replace(current.group(0), generated), encoding="utf-8")
        return
    assert current.group(0) == generated, (
        "README.md's command reference is stale; run UPDATE_README=1 python3 -m pytest "
        "tests/test_docs.py")


def test_readme_mentions_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    before_reference = text.split(START)[0]
    for name in COMMANDS:
        assert f"crosspost {name}" in before_reference, f"README's usage never shows `crosspost {name}`"


def test_ci_runs_exactly_the_readmes_two_commands() -> None:
    """``.ci/run`` proves what a newcomer types: the README's Quick start commands, verbatim."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = dict(re.findall(r'^(INSTALL|TEST)="(.*)"$', ci, re.MULTILINE))
    assert set(commands) == {"INSTALL", "TEST"}, "`.ci/run` must define INSTALL and TEST"
    quick_start = README.read_text(encoding="utf-8").split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.DOTALL)
    assert block is not None
    assert block.group(1).splitlines() == [commands["INSTALL"], commands["TEST"]]
    assert 'eval "$INSTALL"' in ci
    assert 'eval "$TEST"' in ci


def test_public_api_matches_all() -> None:
    """Every exported name resolves (lazily) and nothing lazily exported is missing from it."""
    assert set(crosspost.__all__) == set(crosspost._EXPORTS) | {"__version__"}
    for name in crosspost.__all__:
        assert getattr(crosspost, name) is not None
    with pytest.raises(AttributeError):
        _ = crosspost.not_a_name


def _yaml_blocks(section: str) -> list[str]:
    text = README.read_text(encoding="utf-8").split(START)[0]
    body = text.split(f"\n{section}\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"```yaml\n(.*?)```", body, re.DOTALL)


def _shape(block: str) -> list[str]:
    """Each key of a ``crosspost`` block, with its nesting: what an example shows beyond its
    values (ids, times and hashes differ each run)."""
    return [match.group(1) for line in block.splitlines()
            if (match := re.match(r"^( *[a-z_]+):", line))]


def test_readme_front_matter_example_is_what_publish_writes(
        cli: Cli, forum: FakeForum, medium: MediumFake, tmp_path: Path) -> None:
    """The README's "after `crosspost publish`" block: the keys publish adds, in the order it
    writes them, for the README's own "before" block."""
    before, after = _yaml_blocks("### The front matter")[:2]
    site = make_site(tmp_path / "site", {
        "2024-01-02-my-post.md": post_text("My post", "Text.\n", crosspost=before)})
    post = site / "_posts" / "2024-01-02-my-post.md"
    code, _, err = cli("publish", str(post), env=env_for(forum=forum, medium=medium))
    assert code == 0, err
    written = post.read_text(encoding="utf-8").split("---\n")[1]
    block = written[written.index("crosspost:"):]
    assert _shape(block) == _shape(after), block
