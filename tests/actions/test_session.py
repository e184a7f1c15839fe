import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart, language_from_metadata

DOMAIN = {"session_config": {"carry_over_slots_to_new_session": True}}


def tracker(slots: dict) -> Tracker:
    return Tracker("visitor", slots, {}, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    "metadata, language",
    [
        ({"language": "zh-CN"}, "zh"),
        ({"language": "zh_Hans"}, "zh"),
        ({"language": "en-US"}, "en"),
        ({"language": "fr"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_language_hint_is_normalised(metadata, language):
    assert language_from_metadata(metadata) == language


async def test_new_visitor_gets_the_channels_language():
    events = await ActionSessionStart().run(
        CollectingDispatcher(),
        tracker({"session_started_metadata": {"language": "zh-CN"}}),
        DOMAIN,
    )
    assert events == [
        SessionStarted(),
        SlotSet("language", "zh"),
        ActionExecuted("action_listen"),
    ]


async def test_returning_visitor_keeps_the_language_they_wrote_in():
    slots = {
        "language": "en",
        "service": "tuina",
        "session_started_metadata": {"language": "zh"},
    }
    events = await ActionSessionStart().run(
        CollectingDispatcher(), tracker(slots), DOMAIN
    )
    assert SlotSet("language", "en") in events
    assert SlotSet("service", "tuina") in events
    assert SlotSet("language", "zh") not in events


async def test_slots_are_dropped_when_the_domain_says_so():
    slots = {"language": "en", "session_started_metadata": {"language": "zh"}}
    domain = {"session_config": {"carry_over_slots_to_new_session": False}}
    events = await ActionSessionStart().run(
        CollectingDispatcher(), tracker(slots), domain
    )
    assert events == [
        SessionStarted(),
        SlotSet("language", "zh"),
        ActionExecuted("action_listen"),
    ]
