"""Signed session cookies, the idle timeout, and CSRF tokens.

The cookie holds a random token signed with the console's key (itsdangerous); the
database holds only the token's sha256, the account, a CSRF token and when it was last
used. A session unused for CONSOLE_IDLE_MINUTES is ended; signing out, or resetting the
password, ends it at once. Before sign-in, the login form's CSRF token is a signed
random value in its own cookie (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from itsdangerous import BadSignature, Signer

from console.db import ConsoleStore, Session

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
# A touch per request would write the database on every click; a minute is precise
# enough for a 15-minute timeout.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Started:
    """A new session: the cookie value to set and its CSRF token."""

    cookie: str
    csrf: str


class Sessions:
    """Creates, checks and ends staff sessions."""

    def __init__(self, store: ConsoleStore, secret_key: str, idle: timedelta) -> None:
        """Signs with `secret_key`; ends sessions idle for longer than `idle`."""
        self.store = store
        self.idle = idle
        self._sessions = Signer(secret_key, salt="console-session")
        self._login = Signer(secret_key, salt="console-login-csrf")

    def start(self, name: str) -> Started:
        """A new session for the account `name`."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        # Sessions abandoned without signing out are cleared here, not kept for ever.
        self.store.end_idle_sessions(datetime.now(timezone.utc) - self.idle)
        self.store.add_session(_digest(token), name, csrf)
        return Started(self._sessions.sign(token).decode(), csrf)

    def current(
        self, cookie: str | None, now: datetime | None = None
    ) -> Session | None:
        """The session a cookie names, if its signature is good and it is not idle."""
        token = self._unsign(self._sessions, cookie)
        if token is None:
            return None
        session = self.store.session(_digest(token))
        if session is None:
            return None
        now = now or datetime.now(timezone.utc)
        if now - session.last_seen > self.idle:
            self.store.end_session(session.token_hash)
            return None
        if now - session.last_seen > _TOUCH_EVERY:
            self.store.touch_session(session.token_hash, now)
        return session

    def end(self, session: Session) -> None:
        """Signs the browser out."""
        self.store.end_session(session.token_hash)

    def login_token(self, cookie: str | None = None) -> tuple[str, str]:
        """(cookie value, form token) for the sign-in form.

        A valid cookie the browser already has is kept: a second sign-in tab (or a
        favicon request sent to the sign-in page) must not void the first form.
        """
        token = self._unsign(self._login, cookie) or secrets.token_urlsafe(24)
        return self._login.sign(token).decode(), token

    def login_token_ok(self, cookie: str | None, submitted: str | None) -> bool:
        """Whether the sign-in form's token matches its signed cookie."""
        token = self._unsign(self._login, cookie)
        return token is not None and csrf_matches(token, submitted)

    @staticmethod
    def _unsign(signer: Signer, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return signer.unsign(cookie).decode()
        except BadSignature:
            return None


def csrf_matches(expected: str, submitted: str | None) -> bool:
    """Constant-time comparison of a CSRF token with what the browser sent."""
    return bool(submitted) and hmac.compare_digest(
        expected.encode(), str(submitted).encode()
    )


def _digest(token: str) -> str:
    # A stolen database copy must not give working cookies.
    return hashlib.sha256(token.encode()).hexdigest()
