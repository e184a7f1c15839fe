"""A tracker's dialogue states are built once per event and handed out as copies."""

from __future__ import annotations

from rasa_patches import dialogue_states
from tests.spies import calls_to


def test_states_are_built_once_per_event_and_handed_out_as_copies(monkeypatch):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_dict({"intents": ["greet", "faq"], "actions": ["utter_hi"]})
    tracker = DialogueStateTracker("visitor", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("hi", {"name": "greet"}))
    original = dialogue_states._PAST_STATES
    built = calls_to(monkeypatch, dialogue_states, "_PAST_STATES")

    first = tracker.past_states(domain)
    assert first == original(tracker, domain)
    del first[-1]["user"]["intent"]  # as RulePolicy does to match on the text
    assert tracker.past_states(domain) == original(tracker, domain)
    assert len(built) == 1
    tracker.past_states(domain, ignore_rule_only_turns=True)  # other arguments
    assert len(built) == 2

    tracker.update(ActionExecuted("utter_hi"))
    assert tracker.past_states(domain) == original(tracker, domain)
    assert len(built) == 3
