"""`python -m actions.server`: rasa_sdk's action server, on loopback, with a secret.

rasa_sdk 3.6 has no authentication (`rasa run actions` takes --port, --cors, --ssl-*,
and SANIC_HOST, default 0.0.0.0). This builds the same app (rasa_sdk.endpoint.
create_app), adds a check that every call except /health carries
`Authorization: Bearer $ACTION_SERVER_TOKEN` (what endpoints.yml's action_endpoint
sends), allows no CORS origin, and listens on ACTIONS_HOST (default 127.0.0.1).
"""

from __future__ import annotations

import hmac
import logging
import sys

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.settings import action_server_settings

logger = logging.getLogger(__name__)

OPEN_PATHS = {"/health"}


def secured_app(token: str) -> Sanic:
    """The action server's app, refusing calls without the shared secret."""
    app = create_app("actions", cors_origins=None)
    expected = f"Bearer {token}".encode()

    @app.on_request
    async def check_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        provided = request.headers.get("authorization", "").encode()
        if not hmac.compare_digest(provided, expected):
            logger.warning("Action server: call without the right token refused.")
            return response.json({"error": "unauthorized"}, status=401)
        return None

    return app


def main() -> None:
    """Starts the action server (one worker) until it is stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        settings = action_server_settings()
    except ValueError as error:
        sys.exit(str(error))
    app = secured_app(settings.token)
    logger.info("Action server on http://%s:%d", settings.host, settings.port)
    app.run(settings.host, settings.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
