"""A second response selector that knows the passages: whether a question asks a detail.

The classifier's FAQ answers were trained on the topics' questions, and it is as sure
of the topic's answer for "what makes kidney qi go weak" (a detail one passage states)
as for "what is kidney deficiency back pain". A selector that learns the same FAQ
examples beside the questions each passage answers (knowledge/articles, sixteen per
passage and language) tells the two apart: it picks the passage for the first and the
FAQ answer for the second. Its choice is a second opinion for the retriever
(components/article_retriever.py): where it chose the classifier's answer, no passage
replaces it; where it prefers a passage the retriever ranks first too, that passage is
quoted with the answer. The FAQ answers themselves still come from the classifier,
trained as before.

- `PassageQuestions` (first in the pipeline) adds the passages' questions to the
  training data as FAQ examples of keys `faq/passage_<id>`, with the passage as answer;
- every other component trained on the examples leaves them out
  (`without_passages`), so that it learns what it learnt without them:
  `CountVectorsWithoutPassages` (its vocabulary; it still counts the words of all),
  `DietWithoutPassages`, `FaqSelector` (the pipeline's ResponseSelector), the sentence
  encoder's classifier and the retriever;
- `PassageSelector` learns all of them and marks its choice in the message
  (`PASSAGE_CHOICE`: {"passage": id or None, "confidence": ...}), not in the parse
  result's `response_selector`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Sequence, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.model_data import RasaModelData

PASSAGE_KEY_PREFIX = "faq/passage_"
# The selector's share of the blended choice (`MeaningChoice`): 0.3 to 0.5 chose the
# same share of right answers on the nine article sets, and 0.4 the most held-out
# FAQ answers (docs/performance.md).
SPARSE_SHARE = 0.4
# The regression's inverse regularisation strength (the sentence encoder's).
REGULARISATION = 10.0
# Where PassageSelector leaves its choice on the message (for the retriever only).
PASSAGE_CHOICE = "passage_choice"


def passage_key(passage_id: str) -> str:
    """The FAQ key a passage's questions are learnt under ("faq/passage_a04-p002")."""
    return PASSAGE_KEY_PREFIX + passage_id


def is_passage_example(message: Message) -> bool:
    """Whether a training example is one of a passage's questions."""
    return (message.get(INTENT_RESPONSE_KEY) or "").startswith(PASSAGE_KEY_PREFIX)


def confidence_in(choice: Dict[str, Any], key: str) -> float:
    """How sure the passage selector (its `PASSAGE_CHOICE`) is of FAQ answer `key`."""
    return (choice.get("ranking") or {}).get(key, 0.0)


def without_passages(training_data: TrainingData) -> TrainingData:
    """The training data without the passages' questions and answers."""
    kept = training_data.filter_training_examples(
        lambda example: not is_passage_example(example)
    )
    kept.responses = {
        name: answer
        for name, answer in training_data.responses.items()
        if not name.startswith("utter_" + PASSAGE_KEY_PREFIX)
    }
    return kept


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class PassageQuestions(GraphComponent):
    """Adds the questions each passage answers to the training data (see above)."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """Where the article files are."""
        return {"knowledge": "knowledge/articles"}

    def __init__(self, config: Dict[str, Any]) -> None:
        """Keeps the configuration."""
        self._config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PassageQuestions:
        """Creates the component."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The training data with every reviewed passage's questions added."""
        from knowledge.passages import load_passages

        examples = []
        responses: Dict[str, List[Dict[str, Any]]] = {}
        for passage in load_passages(Path(self._config["knowledge"])):
            if not passage.reviewed:
                continue
            key = passage_key(passage.id)
            questions = [q for qs in passage.questions.values() for q in qs]
            examples += [Message.build(text=q, intent=key) for q in questions]
            if questions:
                responses["utter_" + key] = [{TEXT: passage.text.en}]
        return training_data.merge(
            TrainingData(training_examples=examples, responses=responses)
        )

    def process(self, messages: List[Message]) -> List[Message]:
        """Messages pass unchanged."""
        return messages


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class CountVectorsWithoutPassages(CountVectorsFeaturizer):
    """Rasa's CountVectorsFeaturizer; no vocabulary from the passages' questions."""

    def train(self, training_data: TrainingData, model: Any = None) -> Resource:
        """Learns the vocabulary without the passages' questions."""
        return super().train(without_passages(training_data), model)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class DietWithoutPassages(DIETClassifier):
    """Rasa's DIETClassifier, trained without the passages' questions."""

    def preprocess_train_data(self, training_data: TrainingData) -> RasaModelData:
        """Prepares the examples, without the passages' questions."""
        return super().preprocess_train_data(without_passages(training_data))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class FaqSelector(ResponseSelector):
    """The ResponseSelector, trained on the FAQ examples only (not the passages')."""

    def preprocess_train_data(self, training_data: TrainingData) -> RasaModelData:
        """Prepares the FAQ examples, without the passages' questions."""
        return super().preprocess_train_data(without_passages(training_data))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class PassageSelector(ResponseSelector):
    """A ResponseSelector over the FAQ answers and the passages; marks its choice.

    Its answers are told apart as DIET tells intents apart, each its own label (the
    featurizers know no passage key's words: they learn no passage's).
    """

    def preprocess_train_data(self, training_data: TrainingData) -> RasaModelData:
        """Prepares the examples, their answers' keys without features."""
        examples = [
            Message(
                data=example.data,
                features=[
                    f for f in example.features if f.attribute != INTENT_RESPONSE_KEY
                ],
            )
            for example in training_data.training_examples
        ]
        return super().preprocess_train_data(
            TrainingData(
                examples,
                training_data.entity_synonyms,
                training_data.regex_features,
                training_data.lookup_tables,
                training_data.responses,
            )
        )

    def _set_message_property(
        self, message: Message, prediction_dict: Dict[Text, Any], selector_key: Text
    ) -> None:
        chosen = prediction_dict["response"]
        key = chosen.get(INTENT_RESPONSE_KEY) or ""
        message.set(
            PASSAGE_CHOICE,
            {
                "passage": key[len(PASSAGE_KEY_PREFIX) :]
                if key.startswith(PASSAGE_KEY_PREFIX)
                else None,
                "confidence": float(chosen.get("confidence") or 0.0),
                # How sure it is of each answer it ranks (the first ten).
                "ranking": {
                    label[INTENT_RESPONSE_KEY]: float(label["confidence"])
                    for label in prediction_dict["ranking"]
                },
            },
        )


def choice_from(ranking: Dict[str, float]) -> Dict[str, Any]:
    """A `PASSAGE_CHOICE` from each answer's confidence (FAQ and passage keys)."""
    if not ranking:
        return {}
    key = max(ranking, key=ranking.__getitem__)
    return {
        "passage": key[len(PASSAGE_KEY_PREFIX) :]
        if key.startswith(PASSAGE_KEY_PREFIX)
        else None,
        "confidence": ranking[key],
        "ranking": ranking,
    }


class MeaningChoice:
    """The same choice made from the question's meaning, and the two choices blended.

    The selector above sees words and character n-grams; a logistic regression over
    the multilingual sentence encoder's vectors of the same examples (the FAQ answers'
    and the passages' questions) sees paraphrases. Each is right where the other is
    not about as often (47 and 47 of the 585 answered questions of nine article
    sets), and their average (`SPARSE_SHARE` of the selector's) is right for more
    than either: 89.9% against 85.8% (docs/performance.md).
    """

    def __init__(self, weights: np.ndarray, bias: np.ndarray, labels: List[str]):
        """Keeps the regression's parameters; `labels` are the answers' keys."""
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.labels = list(labels)

    @classmethod
    def fit(cls, vectors: np.ndarray, keys: Sequence[str]) -> MeaningChoice:
        """Fits the regression on the examples' vectors and their answers' keys."""
        from sklearn.linear_model import LogisticRegression

        regression = LogisticRegression(C=REGULARISATION, max_iter=3000)
        regression.fit(vectors, list(keys))
        weights, bias = regression.coef_, regression.intercept_
        if len(regression.classes_) == 2:
            # Two answers: one row, the second's odds; a softmax over (0, odds).
            weights = np.concatenate([np.zeros_like(weights), weights])
            bias = np.concatenate([np.zeros_like(bias), bias])
        return cls(weights, bias, [str(k) for k in regression.classes_])

    def probabilities(self, vector: np.ndarray) -> Dict[str, float]:
        """How likely each answer is for a question's sentence vector."""
        scores = self.weights @ np.asarray(vector, dtype=np.float32) + self.bias
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return dict(zip(self.labels, scores.tolist(), strict=True))

    def blend(self, choice: Dict[str, Any], vector: np.ndarray) -> Dict[str, Any]:
        """The selector's `choice` averaged with the regression's, as a choice."""
        ranking = choice.get("ranking") or {}
        meaning = self.probabilities(vector)
        return choice_from(
            {
                key: SPARSE_SHARE * ranking.get(key, 0.0)
                + (1 - SPARSE_SHARE) * meaning.get(key, 0.0)
                for key in {*ranking, *meaning}
            }
        )

    def to_arrays(self) -> Dict[str, np.ndarray]:
        """The parameters, to store with the model."""
        return {
            "weights": self.weights,
            "bias": self.bias,
            "labels": np.asarray(self.labels),
        }

    @classmethod
    def from_arrays(cls, arrays: Any) -> MeaningChoice:
        """The regression stored by `to_arrays`."""
        return cls(
            arrays["weights"], arrays["bias"], [str(k) for k in arrays["labels"]]
        )
