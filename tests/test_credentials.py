"""Where tokens come from, and that they never show."""

from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from crosspost import credentials
from crosspost.credentials import Secret
from crosspost.errors import CredentialError
from crosspost.platforms import TARGETS
from tests.memkeyring import MemoryKeyring

LW = TARGETS["lesswrong"]
AF = TARGETS["alignmentforum"]
MEDIUM = TARGETS["medium"]
TOKEN = "0123456789abcdef" * 4


def test_secret_never_shows_itself() -> None:
    secret = Secret(TOKEN)
    assert TOKEN not in repr(secret)
    assert TOKEN not in str(secret)
    assert TOKEN not in f"{secret} {secret!r}"
    assert secret.reveal() == TOKEN


def test_redact_hides_every_token_seen() -> None:
    Secret(TOKEN)
    assert credentials.redact(f"cookie loginToken={TOKEN}; x") == "cookie loginToken=***; x"


def test_environment_wins_over_keyring(memory_keyring: MemoryKeyring,
                                      caplog: pytest.LogCaptureFixture) -> None:
    memory_keyring.set_password("crosspost", "lesswrong", "from-keyring-token")
    caplog.set_level(logging.INFO, logger="crosspost")
    found = credentials.resolve(LW, LW.default_endpoint, {"CROSSPOST_LESSWRONG_TOKEN": TOKEN})
    assert found is not None
    assert found.token.reveal() == TOKEN
    assert found.source == "environment variable CROSSPOST_LESSWRONG_TOKEN"
    assert caplog.messages == [
        "lesswrong: using the token from the environment variable CROSSPOST_LESSWRONG_TOKEN"]


def test_keyring_is_used_when_the_environment_has_nothing(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.set_password("crosspost", "medium", "kr-token-1234")
    found = credentials.resolve(MEDIUM, MEDIUM.default_endpoint, {})
    assert found is not None
    assert found.token.reveal() == "kr-token-1234"
    assert found.source == "keyring (crosspost/medium)"


def test_alignment_forum_falls_back_to_lesswrong(memory_keyring: MemoryKeyring) -> None:
    found = credentials.resolve(AF, AF.default_endpoint, {"CROSSPOST_LESSWRONG_TOKEN": TOKEN})
    assert found is not None
    assert found.source.endswith("CROSSPOST_LESSWRONG_TOKEN")
    memory_keyring.set_password("crosspost", "lesswrong", "lw-keyring-token")
    found = credentials.resolve(AF, AF.default_endpoint, {})
    assert found is not None
    assert found.token.reveal() == "lw-keyring-token"


def test_lesswrongs_token_goes_only_where_it_is_meant(memory_keyring: MemoryKeyring) -> None:
    # CROSSPOST_LESSWRONG_TOKEN for a staging server must not go on to alignmentforum.org.
    staging = {"CROSSPOST_LESSWRONG_TOKEN": TOKEN,
               "CROSSPOST_LESSWRONG_ENDPOINT": "https://staging.example.org/graphql"}
    assert credentials.resolve(AF, AF.default_endpoint, staging) is None
    # Pointed at one host, both sides: that host is where it is meant to go.
    same = credentials.resolve(AF, "https://staging.example.org/graphql", staging)
    assert same is not None
    assert same.token.reveal() == TOKEN
    # The Alignment Forum's own variable is its own, whatever LessWrong's endpoint.
    own = credentials.resolve(AF, AF.default_endpoint,
                              {**staging, "CROSSPOST_ALIGNMENTFORUM_TOKEN": "af-token"})
    assert own is not None
    assert own.token.reveal() == "af-token"


def test_keyring_tokens_are_tied_to_their_host(memory_keyring: MemoryKeyring) -> None:
    """A token saved for lesswrong.com never goes to an overridden endpoint."""
    memory_keyring.set_password("crosspost", "lesswrong", "real-site-token")
    assert credentials.resolve(LW, "https://evil.example/graphql", {}) is None
    with pytest.raises(CredentialError, match=r"evil\.example"):
        credentials.require(LW, "https://evil.example/graphql", {})
    assert credentials.keyring_user(LW, "https://evil.example/graphql") == "lesswrong@evil.example"


def test_store_and_delete(memory_keyring: MemoryKeyring) -> None:
    user = credentials.store(MEDIUM, MEDIUM.default_endpoint, Secret("tok-abc-123"), {"id": "u1"})
    assert user == "medium"
    assert credentials.cached_identity(MEDIUM, MEDIUM.default_endpoint) == {"id": "u1"}
    assert credentials.delete(MEDIUM, MEDIUM.default_endpoint) is True
    assert credentials.delete(MEDIUM, MEDIUM.default_endpoint) is False
    assert memory_keyring.entries == {}


def test_missing_token_says_how_to_provide_one(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(CredentialError) as caught:
        credentials.require(LW, LW.default_endpoint, {})
    assert str(caught.value) == (
        "lesswrong: no token. run `crosspost login lesswrong` or set CROSSPOST_LESSWRONG_TOKEN")
    assert caught.value.exit_code == 5


def test_no_keyring_backend_is_explained_when_a_token_is_needed() -> None:
    keyring.set_keyring(NoKeyring())  # type: ignore[no-untyped-call]
    assert credentials.resolve(LW, LW.default_endpoint, {}) is None  # no crash
    with pytest.raises(CredentialError) as caught:
        credentials.require(LW, LW.default_endpoint, {})
    assert str(caught.value) == (
        "lesswrong: no token. the keyring cannot be used here (no keyring backend is available "
        "on this machine): set CROSSPOST_LESSWRONG_TOKEN in the environment")
    with pytest.raises(CredentialError, match="CROSSPOST_MEDIUM_TOKEN"):
        credentials.store(MEDIUM, MEDIUM.default_endpoint, Secret("tok-abc-123"))


def test_redacting_filter_cleans_log_records(caplog: pytest.LogCaptureFixture) -> None:
    Secret(TOKEN)
    logger = logging.getLogger("crosspost.test")
    logger.addFilter(credentials.RedactingFilter())
    caplog.set_level(logging.INFO, logger="crosspost.test")
    logger.info("header was %s", f"Cookie: loginToken={TOKEN}")
    assert caplog.messages == ["header was Cookie: loginToken=***"]
