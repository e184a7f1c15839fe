"""The action server's settings: the one module of `actions` reading the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class ActionServerSettings:
    """Where the action server listens and the secret the Rasa server must send."""

    host: str
    port: int
    token: str


def action_server_settings(
    environ: Mapping[str, str] = os.environ,
) -> ActionServerSettings:
    """Reads ACTIONS_HOST (127.0.0.1), ACTIONS_PORT (5055), ACTION_SERVER_TOKEN."""
    token = environ.get("ACTION_SERVER_TOKEN", "").strip()
    if len(token) < 16:
        raise ValueError(
            "ACTION_SERVER_TOKEN must be set (16 characters or more): the Rasa server "
            "sends it (endpoints.yml, action_endpoint.headers) and the action server "
            "refuses calls without it."
        )
    return ActionServerSettings(
        host=environ.get("ACTIONS_HOST", "").strip() or "127.0.0.1",
        port=int(environ.get("ACTIONS_PORT", "").strip() or 5055),
        token=token,
    )
