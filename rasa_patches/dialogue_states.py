"""The dialogue states the policies read.

`DialogueStateTracker.past_states` replays the whole conversation to build the
dialogue states, and RulePolicy asks for the same states twice after each message
(once to match rules on the text, once on the intent): ~3% of a turn. A tracker now
keeps the states it built until its events change (another event appended), and
hands out copies: the policies edit the last state in place.
"""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.shared.core.trackers import DialogueStateTracker

_PAST_STATES = DialogueStateTracker.past_states
# Where a tracker keeps (its last event, the domain, {arguments: states}).
_STATES = "_clinic_past_states"


def past_states_once(
    self: DialogueStateTracker,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[Text, Any] | None = None,
) -> list:
    """Rasa's states of the conversation so far, built once per event and domain."""
    last = self.events[-1] if self.events else None
    kept = self.__dict__.get(_STATES)
    if kept is None or kept[0] is not last or kept[1] is not domain:
        kept = self.__dict__[_STATES] = (last, domain, {})
    key = (len(self.events), omit_unset_slots, ignore_rule_only_turns)
    key += (repr(rule_only_data),)
    if key not in kept[2]:
        kept[2][key] = _PAST_STATES(
            self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
    return [
        {
            name: dict(part) if isinstance(part, dict) else part
            for name, part in s.items()
        }
        for s in kept[2][key]
    ]


DialogueStateTracker.past_states = past_states_once  # type: ignore[method-assign]
