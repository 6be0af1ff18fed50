"""Accounts: checking tokens with the platforms, storing them, and saying whose they are.

The library half of ``crosspost login / logout / whoami``. A token is checked with the
platform (``Target.whoami``) before it is stored, so a typo never sits in the keyring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crosspost import credentials
from crosspost.errors import CredentialError, CrosspostError, TargetBug
from crosspost.http import HttpSettings, check_endpoint
from crosspost.platforms import TARGETS, TargetInfo
from crosspost.targets import BUG_HINT, blamed, culprit, load_adapter

if TYPE_CHECKING:
    from crosspost.targets.base import Identity


def endpoint_for(info: TargetInfo, environ: Mapping[str, str]) -> str:
    """The endpoint for ``info``: ``CROSSPOST_<T>_ENDPOINT`` or the platform's own."""
    override = environ.get(info.endpoint_env)
    return check_endpoint(override or info.default_endpoint, target=info.name,
                          env_var=info.endpoint_env if override else None)


def _identity(info: TargetInfo, endpoint: str, token: credentials.Secret,
              http: HttpSettings) -> Identity:
    from crosspost.targets.base import Identity, TargetContext

    with blamed(info.name), \
            load_adapter(info)(TargetContext(endpoint=endpoint, token=token, http=http)) as adapter:
        identity = adapter.whoami()
    if not isinstance(identity, Identity):
        raise TargetBug(f"{culprit(info.name)}'s whoami returned {type(identity).__name__}, not "
                        "a crosspost.targets.base.Identity", hint=BUG_HINT, target=info.name)
    return identity


@dataclass(frozen=True)
class LoginResult:
    identity: Identity
    where: str


def login(target: str, token: str, *, environ: Mapping[str, str], http: HttpSettings) -> LoginResult:
    """Check ``token`` with the platform, then store it (and the identity) in the keyring."""
    info = TARGETS[target]
    secret = credentials.Secret(token)
    if not secret:
        raise CredentialError("no token given", hint=f"paste the token; {info.token_help}",
                              target=info.name)
    endpoint = endpoint_for(info, environ)
    identity = _identity(info, endpoint, secret, http)
    cached = {"id": identity.id, "name": identity.name, "url": identity.url}
    user = credentials.store(info, endpoint, secret, cached)
    return LoginResult(identity, f"service {credentials.KEYRING_SERVICE!r}, user {user!r}")


def logout(target: str, *, environ: Mapping[str, str]) -> bool:
    info = TARGETS[target]
    return credentials.delete(info, endpoint_for(info, environ))


@dataclass(frozen=True)
class WhoAmI:
    target: str
    identity: Identity | None
    source: str | None
    error: CrosspostError | None

    @property
    def has_token(self) -> bool:
        return self.source is not None

    def line(self) -> str:
        if self.identity is not None:
            label = TARGETS[self.target].label
            return f"{self.target}: {self.identity} ({label}; token from {self.source})"
        if self.source is None:
            return (f"{self.target}: no token (run `crosspost login {self.target}` or set "
                    f"{TARGETS[self.target].token_env[0]})")
        error = self.error.message if self.error is not None else "unknown error"
        if self.error is not None and self.error.hint:
            error = f"{error.rstrip('.')}. {self.error.hint}"
        if self.source == "?":
            return f"{self.target}: {error}"
        return f"{self.target}: {error} (token from {self.source})"


def whoami(targets: Iterable[str], *, environ: Mapping[str, str], http: HttpSettings) -> list[WhoAmI]:
    """Ask each platform whose token we hold; a failure is reported per target, not raised."""
    out: list[WhoAmI] = []
    for name in targets:
        info = TARGETS[name]
        try:
            endpoint = endpoint_for(info, environ)
            credential = credentials.resolve(info, endpoint, environ)
        except CrosspostError as exc:
            out.append(WhoAmI(name, None, "?", exc))
            continue
        if credential is None:
            out.append(WhoAmI(name, None, None, CredentialError.missing(name, info.token_env[0])))
            continue
        try:
            out.append(WhoAmI(name, _identity(info, endpoint, credential.token, http),
                              credential.source, None))
        except CrosspostError as exc:
            out.append(WhoAmI(name, None, credential.source, exc))
    return out


__all__ = ["LoginResult", "WhoAmI", "endpoint_for", "login", "logout", "whoami"]
