"""crosspost's own settings: ``crosspost.toml`` (or ``[tool.crosspost]``) and per-target options.

Options are resolved once, in this order (later wins):

1. built-in defaults (:class:`TargetOptions`),
2. the site's ``crosspost.toml`` ``[targets.<name>]`` table,
3. the post's own ``crosspost.<name>`` mapping in its front matter,
4. command-line flags (``--draft``).

Keys that crosspost itself writes into a target's record (``id``, ``url``, ``published``,
``hash``, ``status``) live beside the options in the front matter and are not options.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crosspost.errors import ConfigError, did_you_mean

DEFAULT_ATTRIBUTION = "*Originally published at [{site}]({url}).*"

# What crosspost records per target; never read as options. `imported` (when `crosspost
# import` brought the post home from that copy) and `via` (a copy the platform made itself,
# a LessWrong post's native EA Forum crosspost) are records too.
RECORD_KEYS = frozenset({"id", "url", "published", "updated", "hash", "meta", "status", "imported", "via"})

MEDIUM_LICENSES = (
    "all-rights-reserved", "cc-40-by", "cc-40-by-sa", "cc-40-by-nd", "cc-40-by-nc",
    "cc-40-by-nc-nd", "cc-40-by-nc-sa", "cc-40-zero", "public-domain",
)
MEDIUM_STATUSES = ("public", "draft", "unlisted")


@dataclass(frozen=True)
class TargetOptions:
    """What the user may set per target. Every field has a safe default.

    ``attribution`` is a template (``{url}``, ``{site}``, ``{title}``) for the line that
    points readers at the original; ``None`` switches it off (``attribution: false``).
    """

    draft: bool = False
    # Set by the engine for an update when the post itself says nothing about `draft`: the
    # copy keeps the state it has (a site-wide `draft = true` is for new copies only).
    keep_state: bool = False
    attribution: str | None = DEFAULT_ATTRIBUTION
    title: str | None = None
    tags: tuple[str, ...] = ()
    # Forums
    linkpost: bool = False
    frontpage: bool = True
    # EA Forum: with LessWrong in the same post, the copy is LessWrong's native crosspost
    # (`native: false` asks for an independent EA Forum post instead)
    native: bool = True
    # Medium
    publish_status: str | None = None
    license: str | None = None
    notify_followers: bool | None = None
    publication: str | None = None
    backdate: bool = True
    upload_images: bool = True
    username: str | None = None  # the profile whose feed shows the stories (medium.com/@username)
    # dev.to (the post's own `description:`, `series:` and cover image otherwise)
    description: str | None = None
    series: str | None = None
    cover_image: str | None = None

    @classmethod
    def from_layers(cls, *layers: Mapping[str, Any], where: str = "options") -> TargetOptions:
        """Merge option mappings (later wins), validating each value's type."""
        values: dict[str, Any] = {}
        for layer in layers:
            for key, value in layer.items():
                if key in RECORD_KEYS:
                    continue
                # Medium's API spells them publishStatus and notifyFollowers; YAML habit
                # spells them with hyphens. All mean the same option.
                name = re.sub(r"(?<=[a-z])([A-Z])", r"_\1", str(key)).replace("-", "_").lower()
                if name == "publishstatus":
                    name = "publish_status"
                values[name] = value
        return cls._validated(values, where)

    @classmethod
    def _validated(cls, values: dict[str, Any], where: str) -> TargetOptions:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"{where}: unknown option {unknown[0]!r}",
                              hint=f"known options: {', '.join(sorted(known))}")
        out: dict[str, Any] = {}
        for name, value in values.items():
            out[name] = _coerce(name, value, where)
        return cls(**out)

    def replace(self, **changes: Any) -> TargetOptions:
        return dataclasses.replace(self, **changes)


def _coerce(name: str, value: Any, where: str) -> Any:
    bools = {"draft", "keep_state", "linkpost", "frontpage", "backdate", "upload_images",
             "notify_followers", "native"}
    if name in bools:
        if value is None and name == "notify_followers":
            return None
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: `{name}` must be true or false, not {value!r}")
        return value
    if name == "attribution":
        if value is False or value is None:
            return None
        if value is True:
            return DEFAULT_ATTRIBUTION
        if isinstance(value, str):
            return value
        raise ConfigError(f"{where}: `attribution` must be true, false or a template string")
    if name == "tags":
        if isinstance(value, str):
            value = [t for t in (part.strip() for part in value.replace(",", " ").split()) if t]
        if not isinstance(value, list | tuple) or not all(isinstance(t, str | int) for t in value):
            raise ConfigError(f"{where}: `tags` must be a list of words")
        return tuple(str(t) for t in value)
    if name == "publish_status":
        if value not in MEDIUM_STATUSES:
            raise ConfigError(f"{where}: `publish_status` must be one of {', '.join(MEDIUM_STATUSES)}")
        return value
    if name == "license":
        if value not in MEDIUM_LICENSES:
            raise ConfigError(f"{where}: `license` must be one of {', '.join(MEDIUM_LICENSES)}")
        return value
    if name in {"title", "publication", "description", "series", "cover_image", "username"}:
        if value is None:
            return None
        if not isinstance(value, str | int):
            raise ConfigError(f"{where}: `{name}` must be text")
        return str(value)
    return value


@dataclass(frozen=True)
class Settings:
    """The site-level ``crosspost.toml`` (or ``[tool.crosspost]`` in ``pyproject.toml``).

    ``url`` overrides the site URL from the generator's config (for sites whose config has
    none, or a placeholder such as ``example.com``); ``baseurl`` likewise (normalised to
    ``/path`` or ``""``). ``permalink`` is the URL pattern of a plain site's posts (Jekyll
    placeholders; ``/:slug/`` when unset). ``posts`` (globs from the site root) replaces
    the generator's idea of which files are posts.
    """

    path: Path | None = None
    url: str | None = None
    baseurl: str | None = None
    permalink: str | None = None
    targets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Glob patterns (relative to the site root) of the files that are posts.
    posts: tuple[str, ...] = ()

    @classmethod
    def load(cls, root: Path) -> Settings:
        """Read ``crosspost.toml`` or ``pyproject.toml [tool.crosspost]`` at ``root``."""
        own = root / "crosspost.toml"
        if own.is_file():
            return cls._from_mapping(_read_toml(own), own)
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool")
            table = tool.get("crosspost") if isinstance(tool, Mapping) else None
            if isinstance(table, Mapping):
                return cls._from_mapping(table, pyproject)
        return cls()

    @classmethod
    def _from_mapping(cls, data: Mapping[str, Any], path: Path) -> Settings:
        from crosspost.platforms import ALIASES

        known = {"url", "baseurl", "permalink", "targets", "posts"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"{path}: unknown setting {unknown[0]!r}",
                              hint=f"known settings: {', '.join(sorted(known))}")
        targets: dict[str, Mapping[str, Any]] = {}
        raw_targets = data.get("targets", {})
        if not isinstance(raw_targets, Mapping):
            raise ConfigError(f"{path}: [targets] must be a table of target tables")
        for key, table in raw_targets.items():
            name = ALIASES.get(str(key).lower())
            if name is None:
                raise ConfigError(f"{path}: unknown target [targets.{key}]",
                                  hint=did_you_mean(str(key), ALIASES) or None)
            if not isinstance(table, Mapping):
                raise ConfigError(f"{path}: [targets.{key}] must be a table")
            TargetOptions.from_layers(table, where=f"{path} [targets.{key}]")  # validate early
            targets[name] = table
        for key in ("url", "baseurl", "permalink"):
            if key in data and not isinstance(data[key], str):
                raise ConfigError(f"{path}: `{key}` must be a string")
        url = data.get("url")
        if url is not None:
            url = url.strip().rstrip("/") or None
            parts = urlsplit(url or "")
            if url is not None and (parts.scheme not in {"http", "https"} or not parts.hostname):
                raise ConfigError(f"{path}: `url` must be an absolute http(s) URL, not {url!r}",
                                  hint='e.g. url = "https://jane-doe.github.io"')
        baseurl = data.get("baseurl")
        if baseurl is not None:
            baseurl = baseurl.strip().strip("/")
            baseurl = "/" + baseurl if baseurl else ""
        permalink = data.get("permalink")
        if permalink is not None and not permalink.strip():
            permalink = None
        posts = data.get("posts", ())
        if isinstance(posts, str):
            posts = (posts,)
        if not isinstance(posts, list | tuple) or not all(isinstance(p, str) and p.strip()
                                                          for p in posts):
            raise ConfigError(f"{path}: `posts` must be a list of glob patterns",
                              hint='e.g. posts = ["_posts/**/*.md"]')
        return cls(path=path, url=url, baseurl=baseurl, permalink=permalink, targets=targets,
                   posts=tuple(posts))

    def options_for(self, target: str, post_block: Mapping[str, Any] | None,
                    *, where: str, blocks: Mapping[str, Any] | None = None,
                    **overrides: Any) -> TargetOptions:
        """Resolve one target's options for one post (see the module docstring for the order);
        ``blocks`` is the post's whole ``crosspost`` block, to know the copy it came from."""
        layers: list[Mapping[str, Any]] = [self.targets.get(target, {}), post_block or {}]
        if _imported_copy(target, post_block, blocks or {}):
            # The post came from this very copy (`crosspost import`): the copy is the
            # original, and never says it was "originally published" elsewhere.
            layers.append({"attribution": False})
        clean = {k: v for k, v in overrides.items() if v is not None}
        if clean:
            layers.append(clean)
        return TargetOptions.from_layers(*layers, where=where)


def _imported_copy(target: str, block: Mapping[str, Any] | None,
                   blocks: Mapping[str, Any]) -> bool:
    """Whether ``target``'s copy is the post the file was imported from: its own record says
    so, or the record of another target on the same forum database does (an Alignment Forum
    post is a LessWrong post too) for the same post, or for the copy ``target`` is about to
    find there."""
    if block and block.get("imported") is not None:
        return True
    from crosspost.platforms import TARGETS

    info = TARGETS.get(target)
    own_id = block.get("id") if block else None
    for name, other in blocks.items():
        sibling = TARGETS.get(name)
        if (name == target or info is None or sibling is None or not isinstance(other, Mapping)
                or other.get("imported") is None or sibling.database != info.database):
            continue
        if own_id is None or other.get("id") == own_id:
            return True
    return False


def read_config_text(path: Path) -> str:
    """A configuration file's text (a UTF-8 byte-order mark dropped), or a ConfigError that
    names the file and, when it is not UTF-8, the line of the first byte that is not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not valid UTF-8", hint="save the file as UTF-8") from None


def _read_toml(path: Path) -> dict[str, Any]:
    text = read_config_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: broken TOML: {exc}") from None


__all__ = ["DEFAULT_ATTRIBUTION", "MEDIUM_LICENSES", "MEDIUM_STATUSES", "RECORD_KEYS",
           "Settings", "TargetOptions", "read_config_text"]
