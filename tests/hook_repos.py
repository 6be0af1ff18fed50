"""Real git repositories for the hook's tests: a site pushed to a bare repository beside it,
the hook installed in either mode, and the GitHub Action's step run as a runner would."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from crosspost.cli import main
from tests.fakes.forummagnum import FakeForum, FakeUser

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
        input: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=repo, env=env, input=input, capture_output=True,
                          text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done


def push(repo: Path, *args: str, extra_env: dict[str, str] | None = None,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ if env is None else env)
    environ.update(extra_env or {})
    return git(repo, "push", "origin", *(args or ("main",)), env=environ, check=False)


def post_text(title: str, crosspost: str | None = "lesswrong: {}", body: str = "Some words.\n") -> str:
    block = f"crosspost:\n  {crosspost}\n" if crosspost else ""
    return f"---\nlayout: post\ntitle: {title}\n{block}---\n\n{body}"


def add(repo: Path, name: str, text: str, message: str = "edit") -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)
    return path


def remote_sha(repo: Path, ref: str = "main") -> str:
    done = git(repo.parent / "remote.git", "rev-parse", "--verify", "-q", ref, check=False)
    return done.stdout.strip()


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI through its one exit door (``main``); exit status and stdout + stderr."""
    result = CliRunner().invoke(_main_command, list(args), prog_name="crosspost")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _main_command(args: tuple[str, ...]) -> None:
    main(list(args))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny Jekyll site in a git repository whose `origin` is a bare repository beside it;
    main is already pushed, and the current directory is the site."""
    remote = tmp_path / "remote.git"
    repo = tmp_path / "site"
    repo.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Writer")
    git(repo, "config", "user.email", "writer@example.org")
    (repo / "_config.yml").write_text("title: Test site\nurl: https://janewrites.blog\n", encoding="utf-8")
    (repo / "notes.txt").write_text("notes\n", encoding="utf-8")
    (repo / "_posts").mkdir()
    (repo / "_posts" / "2024-01-01-plain.md").write_text(post_text("A plain post", crosspost=None),
                                                         encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "site")
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def installed(site: Path) -> Path:
    code, output = invoke("hook", "install")
    assert code == 0, output
    return site


def hook_file(repo: Path) -> Path:
    return repo / ".git" / "hooks" / "pre-push"


def token(forum: FakeForum) -> str:
    assert forum.token is not None
    return forum.token


def alice(forum: FakeForum) -> FakeUser:
    assert forum.user is not None
    return forum.user


def forum_env(forum: FakeForum) -> dict[str, str]:
    return {"CROSSPOST_LESSWRONG_ENDPOINT": forum.endpoint, "CROSSPOST_LESSWRONG_TOKEN": token(forum)}


@pytest.fixture
def publishing(site: Path) -> Path:
    assert invoke("hook", "install", "--mode", "publish")[0] == 0
    return site


def runner_python(bin_dir: Path) -> Path:
    """A ``python`` for the runner's PATH that is this test environment's interpreter.

    A wrapper that ``exec``s ``sys.executable``, never a symlink to it: a symlink to a venv's
    interpreter placed outside the venv finds no ``pyvenv.cfg`` and runs as the base Python,
    which has no crosspost on a fresh machine (issue 11).
    """
    wrapper = bin_dir / "python"
    wrapper.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} \"$@\"\n", encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def run_action(checkout: Path, before: str, forum: FakeForum, tmp_path: Path,
               **inputs: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run the action's publishing step as a runner would, in ``checkout``, for a push of
    ``before``..HEAD to main; returns the process and what it wrote to GITHUB_OUTPUT."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "crosspost")
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | inputs
    env = dict(os.environ)
    for name, expression in step["env"].items():
        if "inputs." in expression:
            env[name] = values[expression.split("inputs.")[1].split()[0]]
        elif "github.event.before" in expression:
            env[name] = before
        else:
            env[name] = expression
    bin_dir = tmp_path / "runner-bin"
    bin_dir.mkdir(exist_ok=True)
    runner_python(bin_dir)
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    env.update({"PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "GITHUB_EVENT_NAME": "push",
                "GITHUB_REF": "refs/heads/main", "GITHUB_OUTPUT": str(output),
                "GITHUB_SHA": git(checkout, "rev-parse", "HEAD").stdout.strip(),
                "CROSSPOST_LESSWRONG_ENDPOINT": forum.endpoint})
    done = subprocess.run(["bash", "-c", step["run"]], cwd=checkout, env=env, capture_output=True,
                          text=True, check=False)
    return done, output.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_inherited_git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run their own gits; a GIT_* variable from an outer hook must not redirect them."""
    for name in list(os.environ):
        if name.startswith("GIT_") and name not in {"GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"}:
            monkeypatch.delenv(name)
