"""Tokens: where they come from, and how they are kept out of every output.

Order, for a target ``T`` talking to endpoint ``E``:

1. the environment: ``CROSSPOST_<T>_TOKEN`` (for the Alignment Forum, then
   ``CROSSPOST_LESSWRONG_TOKEN``: it is the same account);
2. the system keyring, service ``crosspost``, user ``<t>`` for the default endpoint or
   ``<t>@<host>`` for an overridden one, so a token saved for lesswrong.com is never sent
   to some other host someone pointed ``CROSSPOST_LESSWRONG_ENDPOINT`` at.

Only ``crosspost login`` prompts. Where a token came from is logged; the token never is.
Every token read is wrapped in :class:`Secret` and registered with :func:`redact`, which the
CLI and the HTTP log run over everything they print.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from crosspost.errors import CredentialError
from crosspost.platforms import TARGETS, TargetInfo

log = logging.getLogger("crosspost.credentials")

KEYRING_SERVICE = "crosspost"

_known_secrets: set[str] = set()
_lock = threading.Lock()


class Secret:
    """A token. Its ``str`` and ``repr`` never show the value; call :meth:`reveal`."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        value = value.strip()
        self._value = value
        if len(value) >= 4:
            with _lock:
                _known_secrets.add(value)

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> Any:  # keep secrets out of pickles too
        raise TypeError("a Secret cannot be pickled")


def redact(text: str) -> str:
    """``text`` with every token crosspost has seen replaced by ``***``."""
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that renders each record and redacts it before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        return True


@dataclass(frozen=True)
class Credential:
    token: Secret
    source: str  # human-readable: "environment variable CROSSPOST_MEDIUM_TOKEN", "keyring"


def keyring_user(info: TargetInfo, endpoint: str) -> str:
    """The keyring user name for a target at an endpoint (see the module docstring)."""
    host = urlsplit(endpoint).netloc.lower()
    default_host = urlsplit(info.default_endpoint).netloc.lower()
    return info.name if host == default_host else f"{info.name}@{host}"


def _keyring_candidates(info: TargetInfo, endpoint: str) -> list[str]:
    users = [keyring_user(info, endpoint)]
    # The Alignment Forum is LessWrong's database with another front door: same account.
    if info.name == "alignmentforum" and endpoint == info.default_endpoint:
        users.append(TARGETS["lesswrong"].name)
    return users


def _keyring() -> Any:
    import keyring

    return keyring


# Why the keyring could not be read, if it could not (the last attempt wins).
_keyring_state: dict[str, str | None] = {"problem": None}


def _keyring_get(user: str) -> str | None:
    try:
        kr = _keyring()
        value: str | None = kr.get_password(KEYRING_SERVICE, user)
        _keyring_state["problem"] = None
        return value
    except Exception as exc:  # keyring backends raise many things; none of them is fatal here
        # Only worth a word when a token is actually needed (see `require`); a dry run of a
        # new post on a headless server should not warn about a keyring it never needed.
        _keyring_state["problem"] = _describe_keyring_error(exc)
        log.info("the keyring could not be read (%s)", _keyring_state["problem"])
        return None


def _describe_keyring_error(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "NoKeyringError":
        return "no keyring backend is available on this machine"
    return f"{name}: {exc}"


def resolve(info: TargetInfo, endpoint: str, environ: Mapping[str, str]) -> Credential | None:
    """The token for ``info`` at ``endpoint``, or None. Never prompts."""
    for var in info.token_env:
        value = environ.get(var, "").strip()
        if value and _may_borrow(info, var, endpoint, environ):
            log.info("%s: using the token from the environment variable %s", info.name, var)
            return Credential(Secret(value), f"environment variable {var}")
    for user in _keyring_candidates(info, endpoint):
        stored = _keyring_get(user)
        if stored:
            log.info("%s: using the token from the keyring (service %r, user %r)",
                     info.name, KEYRING_SERVICE, user)
            return Credential(Secret(stored), f"keyring ({KEYRING_SERVICE}/{user})")
    return None


def _may_borrow(info: TargetInfo, var: str, endpoint: str, environ: Mapping[str, str]) -> bool:
    """Whether ``var`` (another target's token, as the Alignment Forum takes LessWrong's) may
    go to ``endpoint``: only where that token is meant to go. Both at their platforms' own
    addresses, or both pointed at one host; never LessWrong's token for a staging server
    sent on to the real alignmentforum.org."""
    name = var.removeprefix("CROSSPOST_").removesuffix("_TOKEN").lower()
    owner = TARGETS.get(name) if name != info.name else None
    if owner is None:
        return True  # the target's own variable
    theirs = environ.get(owner.endpoint_env, "").strip() or owner.default_endpoint
    if urlsplit(theirs).netloc.lower() == urlsplit(endpoint).netloc.lower():
        return True
    if theirs == owner.default_endpoint and endpoint == info.default_endpoint:
        return True
    log.info("%s: not using %s: it is meant for %s", info.name, var, urlsplit(theirs).netloc)
    return False


def require(info: TargetInfo, endpoint: str, environ: Mapping[str, str]) -> Credential:
    """Like :func:`resolve`, but a missing token is an error that says how to provide one."""
    credential = resolve(info, endpoint, environ)
    if credential is None:
        host = urlsplit(endpoint).netloc
        default = urlsplit(info.default_endpoint).netloc
        error = CredentialError.missing(info.name, info.token_env[0],
                                        endpoint_host=host if host != default else None)
        if _keyring_state["problem"]:
            error.hint = (f"the keyring cannot be used here ({_keyring_state['problem']}): set "
                          f"{info.token_env[0]} in the environment")
        raise error
    return credential


def store(info: TargetInfo, endpoint: str, token: Secret,
          identity: Mapping[str, Any] | None = None) -> str:
    """Save ``token`` (and the non-secret identity it was checked against) in the keyring.

    Returns the keyring user name it was stored under.
    """
    user = keyring_user(info, endpoint)
    try:
        kr = _keyring()
        kr.set_password(KEYRING_SERVICE, user, token.reveal())
        if identity is not None:
            kr.set_password(KEYRING_SERVICE, f"{user}:identity", json.dumps(dict(identity)))
    except Exception as exc:
        raise CredentialError(
            f"cannot store the token: {_describe_keyring_error(exc)}",
            hint=f"set {info.token_env[0]} in the environment instead (CI, headless servers)",
            target=info.name,
        ) from None
    return user


def delete(info: TargetInfo, endpoint: str) -> bool:
    """Remove the stored token (and identity). True if there was one."""
    user = keyring_user(info, endpoint)
    try:
        kr = _keyring()
        had = kr.get_password(KEYRING_SERVICE, user) is not None
        for name in (user, f"{user}:identity"):
            try:
                kr.delete_password(KEYRING_SERVICE, name)
            except Exception as exc:
                if type(exc).__name__ != "PasswordDeleteError":
                    raise
    except Exception as exc:
        raise CredentialError(f"cannot reach the keyring: {_describe_keyring_error(exc)}",
                              target=info.name) from None
    return had


def cached_identity(info: TargetInfo, endpoint: str) -> dict[str, Any] | None:
    """The identity saved by ``crosspost login`` (e.g. Medium's author id), if any."""
    raw = _keyring_get(f"{keyring_user(info, endpoint)}:identity")
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


__all__ = ["KEYRING_SERVICE", "Credential", "RedactingFilter", "Secret", "cached_identity",
           "delete", "keyring_user", "redact", "require", "resolve", "store"]
