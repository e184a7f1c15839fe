import asyncio

from channels.guard import (
    GuardSettings,
    MessageGuard,
    RateLimiter,
    button_payloads,
    language_of,
    neutralise,
    parse_payload,
)

RESPONSES = {
    "utter_ask_service": [
        {"text": "x", "buttons": [{"payload": '/inform{{"service": "tuina"}}'}]}
    ],
    "utter_ask_note": [{"text": "y", "buttons": [{"payload": "/deny"}]}],
    "utter_greet": [{"text": "z", "buttons": [{"payload": "What is tuina?"}]}],
}
OFFERED = button_payloads(RESPONSES)


def test_button_payloads_are_read_with_format_braces_undone():
    assert parse_payload('/inform{"service": "tuina"}') in OFFERED
    assert parse_payload("/deny") in OFFERED
    assert len(OFFERED) == 2


def test_offered_payloads_pass_even_with_a_language():
    assert neutralise("/deny", OFFERED) == "/deny"
    text = '/inform{"service": "tuina", "language": "zh"}'
    assert neutralise(text, OFFERED) == text
    assert neutralise('/greet{"language": "en"}', OFFERED).startswith("/greet")


def test_typed_commands_lose_their_slash():
    assert (
        neutralise('/inform{"service": "spa"}', OFFERED) == 'inform{"service": "spa"}'
    )
    assert neutralise('/inform{"phone": "1"}', OFFERED) == 'inform{"phone": "1"}'
    assert neutralise("/restart", OFFERED) == "restart"
    assert neutralise('/deny{"language": "fr"}', OFFERED) == 'deny{"language": "fr"}'
    assert neutralise("//affirm", OFFERED) == "affirm"
    assert neutralise("what is /tuina", OFFERED) == "what is /tuina"


def test_language_of_messages():
    assert language_of("推拿会疼吗") == "zh"
    assert language_of("does tuina hurt") == "en"
    assert language_of("12345", "zh") == "zh"


def test_too_long_message_gets_a_notice_in_its_language():
    guard = MessageGuard(GuardSettings(max_chars=10), OFFERED)
    verdict = asyncio.run(guard.check("a", "推" * 11))
    assert verdict.reason == "too_long" and "太长" in verdict.notice
    verdict = asyncio.run(guard.check("a", "x" * 11))
    assert "too long" in verdict.notice
    assert asyncio.run(guard.check("a", "x" * 10)).notice is None


def test_rate_limiter_window():
    limiter = RateLimiter(2, 10)
    assert limiter.allow("k", 0) and limiter.allow("k", 1)
    assert not limiter.allow("k", 2)
    assert limiter.allow("other", 2)
    assert limiter.allow("k", 10.5)


def test_sender_over_the_rate_is_told_to_slow_down():
    guard = MessageGuard(GuardSettings(sender_rate=(1, 60)), OFFERED)
    assert asyncio.run(guard.check("s", "hi")).notice is None
    verdict = asyncio.run(guard.check("s", "hi again"))
    assert verdict.reason == "rate_limited" and "too quickly" in verdict.notice


def test_buttons_are_read_again_when_a_new_model_is_loaded():
    class Agent:
        def __init__(self, responses):
            self.domain = type("Domain", (), {"responses": responses})()

    guard = MessageGuard(GuardSettings())
    old = Agent(RESPONSES)
    guard.learn_domain(old)
    assert neutralise("/deny", guard.offered) == "/deny"
    guard.learn_domain(old)  # the same model: nothing changes
    assert parse_payload("/deny") in guard.offered
    new = Agent(
        {"utter_ask_note": [{"text": "y", "buttons": [{"payload": "/affirm"}]}]}
    )
    guard.learn_domain(new)
    assert neutralise("/deny", guard.offered) == "deny"
    assert neutralise("/affirm", guard.offered) == "/affirm"


def test_open_sockets_per_address_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUARD_IP_SOCKETS", "3")
    assert GuardSettings.from_env().sockets_per_ip == 3
    monkeypatch.delenv("GUARD_IP_SOCKETS")
    assert GuardSettings.from_env().sockets_per_ip == 20


async def test_empty_and_invisible_messages_get_a_notice_and_are_not_processed():
    guard = MessageGuard(GuardSettings(max_chars=100, sender_rate=(0, 60.0)))
    for text in ("", "  \n\t", "\u200b\u200d\ufeff", None):
        verdict = await guard.check("s", text)
        assert verdict.reason == "empty" and verdict.notice and not verdict.text
    assert "问题" in (await guard.check("s", " ", "zh")).notice
    assert (await guard.check("s", "\u200b推拿")).reason is None


async def test_lone_surrogates_become_replacement_characters():
    guard = MessageGuard(GuardSettings(max_chars=100, sender_rate=(0, 60.0)))
    verdict = await guard.check("s", "tuina \ud800 hurt?")
    assert verdict.text == "tuina \ufffd hurt?"
    verdict.text.encode("utf-8")  # storable
