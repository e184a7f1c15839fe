"""WeChat's side of the protocol, written from the spec without wechatpy.

Signatures: SHA-1 of the sorted strings (token, timestamp, nonce[, encrypt]).
Safe mode: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = key[:16], over
random(16) + big-endian length(4) + xml + AppID, PKCS#7 padded to 32 bytes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import struct
import time
from typing import Dict, Tuple

import requests
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sign(*parts: str) -> str:
    """WeChat's signature over `parts`."""
    # SHA-1 is WeChat's choice, not ours.
    return hashlib.sha1(  # noqa: S324
        "".join(sorted(parts)).encode("utf-8")
    ).hexdigest()


def _cipher(aes_key: str) -> Cipher:
    key = base64.b64decode(aes_key + "=")
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt(aes_key: str, app_id: str, xml: str) -> str:
    """The `Encrypt` field WeChat would send for `xml`."""
    body = xml.encode("utf-8")
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + app_id.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = _cipher(aes_key).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(aes_key: str, encrypted: str) -> Tuple[str, str]:
    """(xml, app_id) from an `Encrypt` field."""
    decryptor = _cipher(aes_key).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    return plain[20 : 20 + length].decode("utf-8"), plain[20 + length :].decode()


def message_xml(
    open_id: str, msg_type: str, msg_id: int | None = None, **fields
) -> str:
    """A message or event as WeChat sends it."""
    created = fields.pop("CreateTime", int(time.time()))
    parts = [
        "<ToUserName><![CDATA[gh_clinic]]></ToUserName>",
        f"<FromUserName><![CDATA[{open_id}]]></FromUserName>",
        f"<CreateTime>{created}</CreateTime>",
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
    ]
    for name, value in fields.items():
        parts.append(f"<{name}><![CDATA[{value}]]></{name}>")
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


class WeChat:
    """Posts to the channel as WeChat's servers do."""

    def __init__(
        self, url: str, token: str, app_id: str = "", aes_key: str = ""
    ) -> None:
        """`url` is the webhook; with `aes_key` messages are sent in safe mode."""
        self.url, self.token, self.app_id, self.aes_key = url, token, app_id, aes_key

    def query(self, timestamp: str | None = None) -> Dict[str, str]:
        """Signed query parameters."""
        timestamp = timestamp or str(int(time.time()))
        nonce = os.urandom(6).hex()
        return {
            "timestamp": timestamp,
            "nonce": nonce,
            "signature": sign(self.token, timestamp, nonce),
        }

    def post_raw(
        self, body: bytes | str, params: Dict[str, str], timeout: float = 30
    ) -> requests.Response:
        """POSTs `body` with `params` as they are."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        return requests.post(self.url, params=params, data=body, timeout=timeout)

    def signed(
        self, xml: str, aes: bool | None = None, **query
    ) -> Tuple[Dict[str, str], str]:
        """(query parameters, body) of a message, encrypted in safe mode."""
        params = {**self.query(), **query}
        aes = bool(self.aes_key) if aes is None else aes
        if not aes:
            return params, xml
        encrypted = encrypt(self.aes_key, self.app_id, xml)
        params["encrypt_type"] = "aes"
        params["msg_signature"] = sign(
            self.token, params["timestamp"], params["nonce"], encrypted
        )
        envelope = (
            "<xml><ToUserName><![CDATA[gh_clinic]]></ToUserName>"
            f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
        )
        return params, envelope

    def post(self, xml: str, aes: bool | None = None, **query) -> requests.Response:
        """POSTs a message, encrypted in safe mode."""
        params, body = self.signed(xml, aes, **query)
        return self.post_raw(body, params)

    def reply(self, response: requests.Response) -> Dict[str, str]:
        """The reply's fields ({} for `success`), decrypted, signature checked."""
        assert response.status_code == 200, (response.status_code, response.text)
        return self.reply_fields(response.text)

    def reply_fields(self, text: str) -> Dict[str, str]:
        """The fields of a reply body ({} for `success`), decrypted and checked."""
        if text in ("success", ""):
            return {}
        if "<Encrypt>" in text:
            fields = _fields(text)
            assert fields["MsgSignature"] == sign(
                self.token, fields["TimeStamp"], fields["Nonce"], fields["Encrypt"]
            )
            text, app_id = decrypt(self.aes_key, fields["Encrypt"])
            assert app_id == self.app_id
        return _fields(text)


def _fields(xml: str) -> Dict[str, str]:
    found = re.findall(r"<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))</\1>", xml, re.DOTALL)
    return {name: cdata or plain for name, cdata, plain in found}
