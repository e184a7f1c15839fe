"""'Delete my data' on PostgreSQL: every event of the visitor goes, nobody else's."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from scripts.servers import Assistant
from tests.production.conftest import Database, post

pytestmark = pytest.mark.postgres


def stored_rows(database: Database, sender: str) -> list:
    return database.rows(
        "SELECT type_name, data FROM events WHERE sender_id = %s", (sender,)
    )


def api_user_texts(assistant: Assistant, sender: str) -> list:
    response = requests.get(
        f"{assistant.url}/conversations/{sender}/tracker",
        params={"token": assistant.token},
        timeout=30,
    )
    response.raise_for_status()
    return [e["text"] for e in response.json()["events"] if e["event"] == "user"]


def test_a_confirmed_deletion_erases_the_conversation_in_postgresql(
    production: Assistant, services
) -> None:
    database, _ = services
    visitor, other = f"privacy-{uuid.uuid4().hex}", f"other-{uuid.uuid4().hex}"
    assert post(production, other, "where are your clinics?").ok
    for text in ["does tuina hurt?", "my number is 13812345678"]:
        assert post(production, visitor, text).ok
    assert len(stored_rows(database, visitor)) > 4

    asked = post(production, visitor, "please delete my data").json()
    assert "delete" in asked[0]["text"].lower()
    done = post(production, visitor, "yes").json()
    assert "deleted" in done[0]["text"]

    assert stored_rows(database, visitor) == []
    assert api_user_texts(production, visitor) == []
    assert "13812345678" not in json.dumps(stored_rows(database, visitor))
    assert api_user_texts(production, other) == ["where are your clinics?"]

    production.stop_rasa()
    production.start_rasa()
    assert api_user_texts(production, visitor) == []
    assert all(kind != "user" for kind, _ in stored_rows(database, visitor))
