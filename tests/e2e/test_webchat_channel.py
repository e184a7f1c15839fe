"""The widget's socket.io over a real WebSocket: ids, acknowledgements, replays."""

from __future__ import annotations

from tests.webchat.client import WidgetClient


def _user_ids(assistant, session_id: str) -> list:
    tracker = assistant.tracker(session_id)
    return [e.get("message_id") for e in tracker["events"] if e["event"] == "user"]


def test_a_repeated_message_id_is_answered_from_the_record_not_processed_again(
    assistant,
):
    client = WidgetClient(assistant.url).connect()
    try:
        assert client.sio.transport() == "websocket"
        first = client.send("does tuina hurt?", "m-0001")
        answer = client.wait_replies("m-0001")
        again = client.send("does tuina hurt?", "m-0001")
        replies = [r for r in client.all_replies() if r.get("replayed")]
    finally:
        client.close()
    assert first == again == {"status": "ok", "message_id": "m-0001"}
    assert answer and all(r["reply_to"] == "m-0001" for r in answer)
    assert [r["text"] for r in replies] == [r["text"] for r in answer]
    assert _user_ids(assistant, client.session_id) == ["m-0001"]


def test_refused_messages_are_acknowledged_as_refused_and_not_stored(assistant):
    client = WidgetClient(assistant.url).connect()
    try:
        blank = client.send("   ", "m-blank")
        notice = client.wait_replies("m-blank")
        bad_id = client.send("hello", "not an id!")
    finally:
        client.close()
    assert blank == {"status": "refused", "message_id": "m-blank", "message": "empty"}
    assert notice and "type" in notice[0]["text"].lower()
    assert bad_id["status"] == "refused" and "message_id" in bad_id["message"]
    assert _user_ids(assistant, client.session_id) == []
