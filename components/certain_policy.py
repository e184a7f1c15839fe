"""A policy that is either certain of the next action or silent.

`DataRequestPolicy`, `FollowUpPolicy` and `HandoverPolicy` learn nothing: each reads
the tracker and names one action (probability 1) or leaves the turn to the others. The
shared mechanics are here; a subclass sets `priority` and says `next_action`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class CertainPolicy(Policy):
    """Names the next action with certainty, or says nothing."""

    priority: ClassVar[int]

    @classmethod
    def get_default_config(cls) -> Dict[Text, Any]:
        """The policy's priority over the others."""
        return {"priority": cls.priority}

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn."""
        return self._resource

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The action to take now, or None to leave the turn to the other policies."""
        raise NotImplementedError

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Dict[Text, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Probability 1 for `next_action`, if it names one of the domain's actions."""
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is not None and action in domain.action_names_or_texts:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities)
