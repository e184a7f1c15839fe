"""Staff accounts: roles and what each may do, argon2 passwords, sign-in with lockout.

Roles: reception works the requests and reads conversations with patients' details;
editor changes answers and examples, reviews missed questions and checks a candidate
model, and sees personal data masked; admin does
everything, including accounts, the audit log and a visitor's export and deletion.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Deque, Dict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from console.db import ConsoleStore

ADMIN, EDITOR, RECEPTION = "admin", "editor", "reception"
ROLES = (ADMIN, EDITOR, RECEPTION)

# What each role may do; every page and action checks one of these server-side.
PERMISSIONS: Dict[str, frozenset[str]] = {
    # See the requests page (editors: phones and names masked, read only).
    "requests.view": frozenset(ROLES),
    "requests.work": frozenset({ADMIN, RECEPTION}),
    "conversations.view": frozenset(ROLES),
    "dashboard.view": frozenset(ROLES),
    # Patients' names, phones and free text in full.
    "personal_data": frozenset({ADMIN, RECEPTION}),
    # Take conversations from the Live queue and answer visitors.
    "live.work": frozenset({ADMIN, RECEPTION}),
    # Change answers and examples, file missed questions, undo changes, check a
    # candidate; putting it live (or rolling back) is for admins alone.
    "answers.edit": frozenset({ADMIN, EDITOR}),
    "release.check": frozenset({ADMIN, EDITOR}),
    "release.live": frozenset({ADMIN}),
    "audit.view": frozenset({ADMIN}),
    "accounts.view": frozenset({ADMIN}),
    "privacy.export": frozenset({ADMIN}),
    "privacy.delete": frozenset({ADMIN}),
}

MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_HASHER = PasswordHasher()
# Verified when the account does not exist, so a wrong name takes as long as a wrong
# password and the timing does not say which names exist.
_DUMMY_HASH = _HASHER.hash("not a password: no account has it")


def allowed(role: str, permission: str) -> bool:
    """Whether `role` may do `permission` (unknown permissions: nobody)."""
    return role in PERMISSIONS.get(permission, frozenset())


def check_name(name: str) -> str:
    """The account name, lower-case; ValueError if it is not a simple name."""
    name = name.strip().lower()
    if not _NAME.match(name):
        raise ValueError(
            f"{name!r} is not a usable account name: 2-40 letters, digits, '.', '_' "
            "or '-', starting with a letter or digit (e.g. wang.fang)."
        )
    return name


def check_password(password: str) -> str:
    """The password; ValueError if it is too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long."
        )
    return password


def hash_password(password: str) -> str:
    """An argon2id hash of the password (salted; parameters in the hash)."""
    return _HASHER.hash(password)


def save_account(store: ConsoleStore, name: str, role: str, password: str) -> bool:
    """Creates or resets an account; True if it is new. ValueError if bad input."""
    if role not in ROLES:
        raise ValueError(f"{role!r} is not a role: use one of {', '.join(ROLES)}.")
    return store.save_account(
        check_name(name), role, hash_password(check_password(password))
    )


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the role if it succeeded, else why not."""

    name: str
    role: str | None = None
    # "wrong" (name or password), "locked" (too many wrong passwords), "throttled".
    refused: str | None = None
    just_locked: bool = False


class Throttle:
    """Failed sign-ins per client address in a sliding window (in memory)."""

    def __init__(self, limit: int = 20, window_seconds: float = 900) -> None:
        """At most `limit` failures per address in `window_seconds`."""
        self.limit, self.window = limit, window_seconds
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)

    def blocked(self, address: str, now: float | None = None) -> bool:
        """Whether this address has failed too often lately."""
        failures = self._recent(address, time.monotonic() if now is None else now)
        return len(failures) >= self.limit

    def failed(self, address: str, now: float | None = None) -> None:
        """Counts one failure from this address."""
        moment = time.monotonic() if now is None else now
        self._recent(address, moment).append(moment)

    def _recent(self, address: str, now: float) -> Deque[float]:
        failures = self._failures[address]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures


def sign_in(
    store: ConsoleStore,
    name: str,
    password: str,
    lockout_failures: int,
    lockout: timedelta,
    now: datetime | None = None,
) -> SignIn:
    """Checks a name and password, counting failures and locking after too many."""
    now = now or datetime.now(timezone.utc)
    name = name.strip().lower()[:64]
    account = store.account(name)
    if account is None:
        _verify(_DUMMY_HASH, password)
        return SignIn(name, refused="wrong")
    if account.locked_until is not None and account.locked_until > now:
        # Not even the right password opens a locked account before its time.
        return SignIn(name, refused="locked")
    if not _verify(account.password_hash, password):
        _, locked = store.record_failure(name, lockout_failures, now + lockout)
        return SignIn(name, refused="locked" if locked else "wrong", just_locked=locked)
    store.clear_failures(name)
    if _HASHER.check_needs_rehash(account.password_hash):
        store.set_hash(name, _HASHER.hash(password))
    return SignIn(name, role=account.role)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
