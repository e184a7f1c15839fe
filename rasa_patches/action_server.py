"""Rasa's calls to the action server.

`RemoteAction._validate_action_result` checks each action server response with
`jsonschema.validate`, which first validates the (constant) response schema itself
against the JSON Schema meta-schema: ~25 ms per custom action call on this machine,
most of a booking-form turn (measured with cProfile: 14.1 s of 14.2 s spent in
`check_schema`). Here the schema is checked once and its validator reused; responses
are validated exactly as before (same schema, same best-match error and message).

`EndpointConfig.request` (the action server's calls) fails at once when the
connection is refused: a restarting action server (about a second) made Rasa drop
the form's validation and the visitor got no answer at all (`make loadtest`). Here a
refused connection is tried again for up to `REFUSED_RETRY_SECONDS`; nothing else is
retried, since only a refused connection guarantees the server saw nothing.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Text

import aiohttp
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.utils.endpoints import EndpointConfig

REFUSED_RETRY_SECONDS = 5.0
REFUSED_PAUSE_SECONDS = 0.25

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR_CLASS = validator_for(_SCHEMA)
_VALIDATOR_CLASS.check_schema(_SCHEMA)
_VALIDATOR = _VALIDATOR_CLASS(_SCHEMA)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's check of an action server response, with the schema checked only once."""
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def _refused(error: aiohttp.ClientConnectorError) -> bool:
    return isinstance(getattr(error, "os_error", None), ConnectionRefusedError)


_REQUEST = EndpointConfig.request


async def request_retrying_refused(
    self: EndpointConfig, *args: Any, **kwargs: Any
) -> Any:
    """Rasa's endpoint request, sent again while the server refuses connections."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REFUSED_RETRY_SECONDS
    while True:
        try:
            return await _REQUEST(self, *args, **kwargs)
        except aiohttp.ClientConnectorError as error:
            if not _refused(error) or loop.time() >= deadline:
                raise
        await asyncio.sleep(REFUSED_PAUSE_SECONDS)


RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
EndpointConfig.request = request_retrying_refused  # type: ignore[method-assign]
