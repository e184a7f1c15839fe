"""A message's sparse features are combined once until more arrive."""

from __future__ import annotations

import pytest

from rasa_patches import classifiers
from tests.spies import calls_to


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
    combined = calls_to(monkeypatch, classifiers, "_GET_SPARSE_FEATURES")
    first = message.get_sparse_features(TEXT)
    assert message.get_sparse_features(TEXT) is first and len(combined) == 1
    message.add_features(features("chars", 4))
    _, sentence = message.get_sparse_features(TEXT)
    assert sentence.features.shape == (1, 7) and len(combined) == 2
    assert message.get_sparse_features(TEXT, ["words"])[1].features.shape == (1, 3)


def test_empty_features_are_rasas_without_copying_the_matrices():
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    from rasa_patches import classifiers

    sparse = Features(
        scipy.sparse.random(3, 11501, density=0.01, format="coo", dtype=np.float32),
        "sequence",
        "text",
        ["CountVectorsFeaturizer1"],
    )
    dense = Features(np.ones((1, 128), np.float32), "sentence", "text", "Encoder")
    examples = [[None], [[sparse, dense]], [[dense, sparse]]]
    ours = classifiers.fake_features_without_copies(examples)
    theirs = classifiers._CREATE_FAKE_FEATURES(examples)
    assert len(ours) == len(theirs) == 2
    for mine, rasas in zip(ours, theirs, strict=True):
        assert type(mine.features) is type(rasas.features)
        assert mine.features.shape == rasas.features.shape
        assert mine.features.dtype == rasas.features.dtype
        assert {k: v for k, v in vars(mine).items() if k != "features"} == {
            k: v for k, v in vars(rasas).items() if k != "features"
        }
        assert mine.origin is not sparse.origin  # copied, as Rasa copies it


@pytest.mark.parametrize(
    "dtypes,density",
    [
        (("float32", "float32"), 0.01),
        (("float64", "float32"), 0.2),
        (("int64", "float32"), 0.0),
    ],
)
def test_two_coo_matrices_are_joined_as_scipys_hstack_joins_them(dtypes, density):
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    from rasa_patches import classifiers

    def features(columns, dtype, seed):
        matrix = scipy.sparse.random(
            4, columns, density=density, format="coo", random_state=seed
        ).astype(dtype)
        return Features(matrix, "sequence", "text", "CountVectorsFeaturizer")

    ours, theirs = features(5464, dtypes[0], 1), features(5464, dtypes[0], 1)
    more = features(11501, dtypes[1], 2)
    classifiers.combine_coo_directly(ours, more)
    classifiers._COMBINE_SPARSE(theirs, more)
    assert type(ours.features) is type(theirs.features)
    assert ours.features.shape == theirs.features.shape == (4, 5464 + 11501)
    for part in ("data", "row", "col"):
        mine, rasas = getattr(ours.features, part), getattr(theirs.features, part)
        assert mine.dtype == rasas.dtype
        np.testing.assert_array_equal(mine, rasas)


def test_other_matrices_go_to_rasas_join():
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.training_data.features import Features

    from rasa_patches import classifiers

    csr = Features(scipy.sparse.csr_matrix(np.eye(3)), "sequence", "text", "a")
    coo = Features(scipy.sparse.coo_matrix(np.eye(3)), "sequence", "text", "b")
    classifiers.combine_coo_directly(csr, coo)
    assert csr.features.shape == (3, 6)
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        classifiers.combine_coo_directly(
            coo, Features(scipy.sparse.coo_matrix((2, 4)), "sequence", "text", "c")
        )
