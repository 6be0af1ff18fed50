"""Hermetic defaults for every test: no real environment, home, keyring or network."""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest

from tests.memkeyring import ForgotToUseMemoryKeyring, MemoryKeyring

# Each fake platform module defines its own fixtures (servers on 127.0.0.1).
pytest_plugins = ["tests.fakes.forummagnum", "tests.fakes.medium", "tests.fakes.medium_feed",
                  "tests.fakes.devto", "tests.fakes.images", "tests.hook_repos"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No CROSSPOST_* or proxy variables leak in; HOME and XDG dirs point at a temp dir."""
    for name in list(os.environ):
        if name.startswith("CROSSPOST_") or name.lower().endswith("_proxy") or name in {
            "NO_COLOR", "FORCE_COLOR", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
        }:
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_STATE_HOME", ".local/state"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_DATA_HOME", ".local/share")):
        monkeypatch.setenv(var, str(home / sub))
    # A subprocess that reaches for a keyring gets one that fails loudly.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture(autouse=True)
def _no_real_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(ForgotToUseMemoryKeyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _reset_logging() -> Iterator[None]:
    """The CLI configures the ``crosspost`` logger; give the next test a clean one."""
    yield
    for name in ("crosspost", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)
        logger.propagate = True


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)  # the autouse fixture above restores the previous one
    return backend


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Cli:
    """The CLI's own entry point in this process (errors become exit statuses there):
    ``cli("publish", "p.md", env={...}, stdin="...", cwd=path)`` -> (exit status, stdout, stderr).
    Standard input is empty, and no terminal, unless ``stdin`` is given."""
    from crosspost.cli import main

    def invoke(*args: str, env: dict[str, str] | None = None, stdin: str = "",
               cwd: Path | None = None) -> tuple[int, str, str]:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        if cwd is not None:
            monkeypatch.chdir(cwd)
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capfd.readouterr()
        return code, out, err

    return invoke
