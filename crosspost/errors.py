"""Every failure crosspost reports, and the exit status each one maps to.

Only the CLI catches these: it prints ``str(error)`` as one line on stderr and exits with
``error.exit_code``. Library callers get the exception itself, with the target and operation
attached, so nothing here prints, prompts or exits.

The tree::

    CrosspostError                      exit 1
    ├── InputError                      exit 4   the post, site or config cannot be used
    │   ├── PostError                            broken front matter, no title (path:line)
    │   └── ConfigError                          _config.yml, hugo.toml, crosspost.toml, options
    ├── ConflictError                   exit 1   the post changed on disk while we worked
    ├── PluginError                     exit 1   a target's package does not import, or is no target
    ├── TargetBug                       exit 1   a target's code raised something else (its bug)
    ├── EditedThere                     exit 1   the copy was edited on the platform; not replaced
    ├── OwnershipError                  exit 1   whose copy a remote post is, is unclear
    ├── LockedError                     exit 6   another run holds the site's lock
    ├── CredentialError                 exit 5   no token, no keyring, token refused
    │   └── AuthError                            the platform said 401/403 or "anonymous"
    └── RemoteError                     exit 1   the platform or the network failed us
        ├── RateLimited                          429 / "Rate limit: …" (carries the wait)
        ├── Blocked                              bot protection answered with an HTML page
        ├── Rejected                             400, validation errors, GraphQL errors
        │   └── NotOwned                         the post belongs to another account
        ├── NotFound                             the recorded remote id does not exist
        ├── ServerError                          5xx
        ├── ProtocolError                        not JSON, wrong shape, unexpected redirect
        ├── NetworkError                         could not connect; nothing was sent
        └── AmbiguousWrite                       a write may or may not have happened

``AmbiguousWrite`` is the one the engine treats specially: the request left the machine and
no answer came back, so the post may exist. The engine never resends; it asks the platform
(``Target.find_existing``) and the journal instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

# Exit statuses. They are part of the user contract (listed in ``crosspost --help``); never
# renumber one, only add.
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2  # click's own code for usage errors: unknown option, unknown target
EXIT_PARTIAL = 3
EXIT_INPUT = 4
EXIT_CREDENTIALS = 5
EXIT_BUSY = 6
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = f"""\
Exit status:
  {EXIT_OK}    every requested target succeeded or was already up to date
  {EXIT_FAILED}    failure: no requested target succeeded (or the push was blocked)
  {EXIT_USAGE}    usage error: unknown command, option or target
  {EXIT_PARTIAL}    partial success: some targets succeeded, others failed
  {EXIT_INPUT}    the post, the site or the configuration could not be read; nothing was sent
  {EXIT_CREDENTIALS}    a token is missing, or the platform refused it
  {EXIT_BUSY}    another crosspost run holds the site's lock; nothing was sent
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C)
"""



def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"did you mean 'lesswrong'?"`` for a near miss among ``choices``, else ``""``.

    The closest spelling is offered, as git and click do, so a typo costs one glance.
    """
    import difflib

    matches = difflib.get_close_matches(word.strip().lower(), sorted(set(choices)), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else ""

class CrosspostError(Exception):
    """Base of every error crosspost raises on purpose.

    ``message`` says what happened, ``hint`` what to do next. ``target`` and ``operation``
    place the failure; the CLI prefixes the target so a multi-target run stays readable.
    """

    exit_code: ClassVar[int] = EXIT_FAILED

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        target: str | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.target = target
        self.operation = operation
        # A remote post that exists despite the failure (a draft created before publishing
        # it failed). The engine records it so the next run updates instead of creating.
        self.created: object | None = None

    def __str__(self) -> str:
        return self.text()

    def text(self, *, with_target: bool = True) -> str:
        """The one line: what happened, then what to do. ``with_target=False`` leaves out the
        target's name, for a line that shows it already (``post: lesswrong: failed: …``)."""
        text = self.message
        if with_target and self.target and not text.startswith(f"{self.target}:"):
            text = f"{self.target}: {text}"
        elif not with_target and self.target and text.startswith(f"{self.target}: "):
            text = text[len(self.target) + 2:]
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        # One line, always: messages may quote server text with newlines in it.
        return " ".join(text.split())

    def with_context(self, *, target: str | None = None, operation: str | None = None) -> CrosspostError:
        """Attach the target/operation when a lower layer did not know them."""
        if target and not self.target:
            self.target = target
        if operation and not self.operation:
            self.operation = operation
        return self


class InputError(CrosspostError):
    """The post, the site or the configuration cannot be used; nothing was sent."""

    exit_code = EXIT_INPUT


class PostError(InputError):
    """A post that cannot be read: broken front matter, no title, unreadable file."""

    @classmethod
    def at(cls, path: object, line: int | None, message: str, *, hint: str | None = None) -> PostError:
        where = f"{path}:{line}" if line else f"{path}"
        return cls(f"{where}: {message}", hint=hint)


class ConfigError(InputError):
    """A site or crosspost configuration problem (missing site URL, bad option)."""


class ConflictError(CrosspostError):
    """The post file changed on disk between reading and writing the record back."""


class PluginError(CrosspostError):
    """A target's entry point cannot be used: its module does not import, it names no target
    class, or two packages declare the same name. Names the entry point and its package."""


class TargetBug(CrosspostError):
    """A target's code raised an exception that is no CrosspostError: a bug in its package
    (or in crosspost). It fails that target only; ``__cause__`` is the original exception,
    whose traceback ``--debug`` shows."""


class EditedThere(CrosspostError):
    """The copy on the platform was edited there, and replacing it would lose that writing.

    Raised instead of an update when those edits and the post's own changes touch the same
    lines, or when crosspost never sent the copy's text and so cannot tell what was edited.
    Nothing was sent; ``--overwrite`` replaces the copy on purpose.
    """


class OwnershipError(CrosspostError):
    """A copy belongs to one file, and here that is not clear: two files record the same
    remote post, or the account already has a post of this title that no file records.
    Nothing is sent for that target until the author settles it."""


class LockedError(CrosspostError):
    """Another crosspost run holds the site's lock (``.crosspost/lock``) and did not let go
    in time; nothing was sent."""

    exit_code = EXIT_BUSY


class CredentialError(CrosspostError):
    """No usable token: not set, no keyring backend, or refused by the platform."""

    exit_code = EXIT_CREDENTIALS

    @classmethod
    def missing(cls, target: str, env_var: str, *, endpoint_host: str | None = None) -> CredentialError:
        where = f" for {endpoint_host}" if endpoint_host else ""
        return cls(
            f"no token{where}",
            hint=f"run `crosspost login {target}` or set {env_var}",
            target=target,
        )


class AuthError(CredentialError):
    """The platform refused the token (401, 403 on auth, or an anonymous currentUser)."""

    @classmethod
    def for_target(cls, target: str, *, status: int | None = None, detail: str | None = None,
                   how_to_fix: str | None = None) -> AuthError:
        what = "the token was refused"
        if status:
            what += f" (HTTP {status})"
        if detail:
            what += f": {detail}"
        return cls(what, hint=how_to_fix or f"get a new token and run `crosspost login {target}`",
                   target=target)


class RemoteError(CrosspostError):
    """The platform or the network failed; carries the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None, **kwargs: str | None) -> None:
        super().__init__(message, **kwargs)
        self.status = status


class RateLimited(RemoteError):
    """The platform asked us to slow down. ``retry_after`` is in seconds when known."""

    def __init__(self, message: str, *, retry_after: float | None = None,
                 status: int | None = None, **kwargs: str | None) -> None:
        super().__init__(message, status=status, **kwargs)
        self.retry_after = retry_after


class Blocked(RemoteError):
    """Edge protection (Vercel, Cloudflare, nginx) answered with an HTML page, not the API.

    Never retried: a challenge page does not go away by asking again, and retrying a create
    through it risks a duplicate once it lifts.
    """


class Rejected(RemoteError):
    """The platform understood the request and refused it (validation, permissions)."""


class NotOwned(Rejected):
    """The remote post exists but belongs to another account."""


class NotFound(RemoteError):
    """The remote id recorded for this post does not exist (or is not visible to us)."""


class ServerError(RemoteError):
    """The platform failed (5xx)."""


class ProtocolError(RemoteError):
    """The reply was not what the API promises: not JSON, wrong shape, a redirect."""


class NetworkError(RemoteError):
    """The request never reached the platform (DNS, refused connection, connect timeout)."""


class AmbiguousWrite(RemoteError):
    """A write was sent and no trustworthy answer came back; the remote post may exist.

    Raised for timeouts after sending, dropped connections, and 5xx replies to a create.
    The engine reconciles (``find_existing`` + journal) instead of resending.
    """


__all__ = [
    "EXIT_BUSY",
    "EXIT_CODES_HELP",
    "EXIT_CREDENTIALS",
    "EXIT_FAILED",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "AmbiguousWrite",
    "AuthError",
    "Blocked",
    "ConfigError",
    "ConflictError",
    "CredentialError",
    "CrosspostError",
    "EditedThere",
    "InputError",
    "LockedError",
    "NetworkError",
    "NotFound",
    "NotOwned",
    "OwnershipError",
    "PluginError",
    "PostError",
    "ProtocolError",
    "RateLimited",
    "Rejected",
    "RemoteError",
    "ServerError",
    "TargetBug",
]
