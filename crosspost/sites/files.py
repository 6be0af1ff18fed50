"""The files of a site: which are Markdown, which folders never hold posts, and config files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crosspost.config import read_config_text
from crosspost.errors import ConfigError
from crosspost.post import describe_yaml_error

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mkdown"})

# Directories that never hold posts: build output, dependencies, crosspost's own state.
_SKIP_DIRS = frozenset({"_site", "public", "node_modules", "vendor", "resources", "__pycache__"})


def skipped(name: str) -> bool:
    """Whether a folder called ``name`` is one that never holds posts."""
    return name.startswith(".") or name in _SKIP_DIRS


def walk_markdown(top: Path) -> Iterator[Path]:
    """The Markdown files below ``top``, skipping hidden, build and dependency folders."""
    for directory, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not skipped(d))
        for name in filenames:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in MARKDOWN_SUFFIXES:
                yield Path(directory, name).resolve()


def read_config_file(path: Path) -> dict[str, Any]:
    """A YAML, TOML or JSON configuration file as a mapping (by its suffix)."""
    text = read_config_text(path)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        import tomllib

        try:
            data: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: broken TOML: {exc}") from None
    elif suffix == ".json":
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{exc.lineno}: broken JSON: {exc.msg}") from None
    else:
        import yaml

        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError as exc:
            offset, problem = describe_yaml_error(exc)
            line = f":{offset + 1}" if offset is not None else ""
            raise ConfigError(f"{path}{line}: broken YAML: {problem}") from None
        except (yaml.YAMLError, ValueError) as exc:
            raise ConfigError(f"{path}: broken YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return data


__all__ = ["MARKDOWN_SUFFIXES", "read_config_file", "skipped", "walk_markdown"]
