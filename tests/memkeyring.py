"""An in-memory keyring backend: the only keyring the tests ever touch."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no entry for {service}/{username}") from None


class ForgotToUseMemoryKeyring(KeyringBackend):
    """Installed until a test asks for ``memory_keyring``: touching it is a test bug."""

    priority = 1

    def _fail(self) -> None:
        raise AssertionError(
            "a test touched the keyring without the `memory_keyring` fixture; "
            "the machine's real keyring must never be used by tests")

    def get_password(self, service: str, username: str) -> str | None:
        self._fail()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._fail()

    def delete_password(self, service: str, username: str) -> None:
        self._fail()
