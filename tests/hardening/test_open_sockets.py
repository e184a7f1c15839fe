"""Open socket.io connections per address are limited (GUARD_IP_SOCKETS).

The socket.io handshake is spoken directly over a WebSocket (Engine.IO 4: the server
opens with "0{...}", the client asks for the namespace with "40", the server accepts
with "40{sid}" or refuses with "44{message}"), as the widget's client does.
"""

from __future__ import annotations

import asyncio
import json
from typing import List

import websockets

from tests.hardening.conftest import SOCKET_LIMIT


async def _connect(url: str, address: str) -> websockets.WebSocketClientProtocol:
    """Opens a socket.io connection from `address`; raises ConnectionRefusedError."""
    ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    socket = await websockets.connect(
        ws_url, extra_headers={"X-Forwarded-For": address}, open_timeout=10
    )
    opening = await asyncio.wait_for(socket.recv(), 10)
    assert opening.startswith("0"), opening
    await socket.send("40")
    answer = await asyncio.wait_for(socket.recv(), 10)
    if answer.startswith("44"):
        await socket.close()
        raise ConnectionRefusedError(json.loads(answer[2:]).get("message"))
    assert answer.startswith("40"), answer
    return socket


async def _open_too_many(url: str, address: str) -> None:
    sockets: List[websockets.WebSocketClientProtocol] = []
    try:
        for _ in range(SOCKET_LIMIT):
            sockets.append(await _connect(url, address))
        try:
            sockets.append(await _connect(url, address))
            raise AssertionError("a connection over the limit was accepted")
        except ConnectionRefusedError as refused:
            assert "too_many_connections" in str(refused)
        # Another address is not affected.
        sockets.append(await _connect(url, "192.0.2.250"))
        # Closing one connection makes room again.
        await sockets.pop(0).close()
        await asyncio.sleep(0.5)
        sockets.append(await _connect(url, address))
    finally:
        for socket in sockets:
            await socket.close()


def test_one_address_cannot_hold_more_sockets_than_the_limit(assistant, visitor_ip):
    asyncio.run(_open_too_many(assistant.url, visitor_ip))
