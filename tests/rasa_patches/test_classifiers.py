"""A message's sparse features are combined once until more arrive."""

from __future__ import annotations

from rasa_patches import classifiers


def test_sparse_features_are_combined_once_until_more_arrive(monkeypatch):
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    def features(origin: str, columns: int) -> Features:
        matrix = scipy.sparse.coo_matrix(np.ones((1, columns)))
        return Features(matrix, "sentence", TEXT, origin)

    message = Message({TEXT: "tuina"}, features=[features("words", 3)])
    combined = []
    original = classifiers._GET_SPARSE_FEATURES
    monkeypatch.setattr(
        classifiers,
        "_GET_SPARSE_FEATURES",
        lambda *args: combined.append(1) or original(*args),
    )
    first = message.get_sparse_features(TEXT)
    assert message.get_sparse_features(TEXT) is first and len(combined) == 1
    message.add_features(features("chars", 4))
    _, sentence = message.get_sparse_features(TEXT)
    assert sentence.features.shape == (1, 7) and len(combined) == 2
    assert message.get_sparse_features(TEXT, ["words"])[1].features.shape == (1, 3)
