"""Thin client for the clinic's booking system: one signed HTTPS POST per request."""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import ssl
import time
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from booking.outbox import Request

# Conventionally transient: try again later. Every other 4xx means the request
# itself is wrong, and sending it again would fail the same way.
_RETRY_STATUSES = {408, 429}
MAX_RETRY_AFTER = 86400.0


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery attempt came to; `error` never holds patients' data."""

    delivered: bool
    retry: bool
    error: str | None
    status: int | None
    retry_after: float | None = None  # seconds the booking system asked us to wait


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Returns the X-BodySoul-Signature value for a body sent at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class _ExtraCaAdapter(HTTPAdapter):
    """Trusts one more CA on top of the usual ones (requests' `verify=` replaces)."""

    def __init__(self, ca_bundle: str) -> None:
        self._context = ssl.create_default_context()
        self._context.load_verify_locations(cafile=ca_bundle)
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)


class BookingClient:
    """Posts requests to the booking system's webhook."""

    def __init__(
        self, url: str, secret: str, timeout: float, ca_bundle: str | None = None
    ) -> None:
        """Prepares a session for `url`, signing with `secret`."""
        self._url = url
        self._secret = secret
        self._timeout = timeout
        self._session = requests.Session()
        if ca_bundle:
            self._session.mount("https://", _ExtraCaAdapter(ca_bundle))

    def deliver(self, request: Request) -> DeliveryResult:
        """Sends one request; says whether it arrived and whether to try again."""
        body = json.dumps(
            {
                "reference": request.reference,
                "kind": request.kind,
                "created_at": request.created_at.isoformat(),
                "request": request.payload,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": request.idempotency_key,
            "X-BodySoul-Timestamp": str(timestamp),
            "X-BodySoul-Signature": sign(self._secret, timestamp, body),
        }
        try:
            # No redirects: a 3xx is a wrong URL to fix, not somewhere to post data.
            response = self._session.post(
                self._url,
                data=body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            return DeliveryResult(
                False, True, f"no answer in {self._timeout:g} s", None
            )
        except requests.RequestException as error:
            # The exception's text is about the connection, never the body.
            reason = f"could not connect ({type(error).__name__}: {error})"[:300]
            return DeliveryResult(False, True, reason, None)
        status = response.status_code
        if 200 <= status < 300:
            return DeliveryResult(True, False, None, status)
        # The response body is not quoted: it may echo the patient's details.
        error = f"HTTP {status} {response.reason or ''}".strip()
        if status >= 500 or status in _RETRY_STATUSES:
            return DeliveryResult(False, True, error, status, _retry_after(response))
        return DeliveryResult(False, False, error, status)

    def close(self) -> None:
        """Closes pooled connections."""
        self._session.close()


def _retry_after(response: requests.Response) -> float | None:
    # Only the delay-seconds form; an HTTP date is rare from APIs and is ignored.
    try:
        seconds = float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
    # At most a day: a wrong header must not park a request for ever.
    return min(max(0.0, seconds), MAX_RETRY_AFTER) if math.isfinite(seconds) else None
