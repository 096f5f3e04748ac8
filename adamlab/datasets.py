"""Data for the paper's experiments: small real data shipped with adamlab, MNIST on request, a sparse stand-in for
IMDB. NumPy only; the network is used only when you ask for a download.

- :func:`digits`: the 8 × 8 handwritten digits (1,797 images, UCI, CC BY 4.0), shipped inside the package.
- :func:`mnist`, :func:`fashion_mnist`: the real 60,000 + 10,000 sets, downloaded once into a cache directory and
  checked against their published SHA-256 sums; :func:`idx` reads IDX files you already have (Debian's
  ``dataset-fashion-mnist`` package installs Fashion-MNIST under /usr/share/datasets/fashion-mnist).
- :func:`bag_of_words`: a seeded Zipfian bag of words with a logistic label planted in the rarer words, the
  stand-in for the paper's IMDB features (no package ships IMDB for offline use).

Every loader returns a :class:`Split` of plain arrays: ``X`` float (dense, values in [0, 1]) or a :class:`CSR`
matrix, ``y`` int64 labels.

>>> from adamlab import datasets
>>> d = datasets.digits()
>>> d.X_train.shape, d.X_test.shape, d.X_train.dtype, d.y_train.dtype, float(d.X_train.max())
((1348, 64), (449, 64), dtype('float64'), dtype('int64'), 1.0)
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import pathlib
import tempfile
import urllib.error
import urllib.request
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from adamlab._checks import Interval, check_count

__all__ = [
    "Split",
    "CSR",
    "digits",
    "mnist",
    "fashion_mnist",
    "idx",
    "bag_of_words",
    "cache_dir",
    "MNIST",
    "FASHION_MNIST",
]


class Split(NamedTuple):
    """Training and test data: ``X`` of shape (n, d) (dense float, or a :class:`CSR`), ``y`` int64 of shape (n,)."""

    X_train: Any
    y_train: np.ndarray
    X_test: Any
    y_test: np.ndarray


# ------------------------------------------------------------------------------------------------------------
# The digits, shipped with the package.


def digits(test_size: float = 0.25, seed: int = 0) -> Split:
    """The UCI handwritten digits: 1,797 images of 8 × 8 pixels, scaled from 0..16 to [0, 1], labels 0..9.

    The file ships with adamlab (``adamlab/data/digits.csv.gz``, CC BY 4.0; see its README for the attribution).
    The split is stratified by nothing but a seeded permutation: ``test_size`` of the images go to the test set.
    """
    test_size = Interval("(0, 1)").check("digits", "test_size", test_size)
    seed = check_count("digits", "seed", seed)
    with resources.files("adamlab").joinpath("data/digits.csv.gz").open("rb") as fh:
        table = np.loadtxt(gzip.open(fh), delimiter=",", dtype=np.int64)
    X, y = table[:, :-1] / 16.0, table[:, -1]
    return _split(X, y, test_size, seed)


def _split(X: np.ndarray, y: np.ndarray, test_size: float, seed: int) -> Split:
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_size * len(y)))
    test, train = order[:n_test], order[n_test:]
    return Split(X[train], y[train], X[test], y[test])


# ------------------------------------------------------------------------------------------------------------
# IDX files (MNIST, Fashion-MNIST).

_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (gzipped or not), the format of MNIST and Fashion-MNIST: a magic number that gives the
    element type and the number of dimensions, the sizes, then the data. ValueError naming the file if it is not
    a complete IDX file."""
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            raw = fh.read()
    except (OSError, EOFError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(f"{path!r} is not a readable IDX file ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(
            f"{path!r} is not an IDX file (its magic number is {raw[:4].hex() or 'missing'})"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path!r} is truncated: its header needs {header} bytes")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(
            f"{path!r} has {len(raw)} bytes, but its header {shape} promises {expected}"
        )
    return (
        np.frombuffer(raw, dtype=dtype, offset=header)
        .reshape(shape)
        .astype(dtype.newbyteorder("="))
    )


class _Set(NamedTuple):
    name: str
    mirrors: tuple[str, ...]
    files: dict[str, str]  # file name -> SHA-256 of the .gz file as published


#: The original MNIST files (TensorFlow's and PyTorch's mirrors; LeCun's site is often down), with their SHA-256.
MNIST = _Set(
    "mnist",
    (
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
    ),
    {
        "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
)

#: Zalando's Fashion-MNIST (MIT licence), with the SHA-256 sums of the files as Zalando serves them.
FASHION_MNIST = _Set(
    "fashion-mnist",
    ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
    {
        "train-images-idx3-ubyte.gz": "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
        "train-labels-idx1-ubyte.gz": "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
        "t10k-images-idx3-ubyte.gz": "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
        "t10k-labels-idx1-ubyte.gz": "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
    },
)


def cache_dir() -> pathlib.Path:
    """Where downloads go: ``$ADAMLAB_DATA`` if set, else ``$XDG_CACHE_HOME/adamlab`` (``~/.cache/adamlab``)."""
    if os.environ.get("ADAMLAB_DATA"):
        return pathlib.Path(os.environ["ADAMLAB_DATA"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "adamlab"


def _sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, target: pathlib.Path, sha256: str, timeout: float) -> None:
    """Download ``url`` to ``target`` through a temporary file in the same directory, renamed into place only when
    it is complete and its SHA-256 is right: never a half-written or unverified file in the cache."""
    fd, tmp = tempfile.mkstemp(prefix=".download-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            for block in iter(lambda: response.read(1 << 20), b""):
                out.write(block)
        got = _sha256(pathlib.Path(tmp))
        if got != sha256:
            raise ValueError(
                f"{url} has SHA-256 {got}, not the published {sha256}: the mirror serves another or a "
                "damaged file. Nothing was kept; try again later, or download the file yourself and check it"
            )
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _load_set(
    dataset: _Set, root: Any, download: bool, mirror: str | None, timeout: float
) -> Split:
    folder = (pathlib.Path(root).expanduser() if root is not None else cache_dir()) / dataset.name
    mirrors = (mirror,) if mirror is not None else dataset.mirrors
    for name, sha256 in dataset.files.items():
        target = folder / name
        if target.exists():
            continue
        if not download:
            raise FileNotFoundError(
                f"{target} is missing and download=False: pass download=True, or put the four files of "
                f"{dataset.name} ({', '.join(dataset.files)}) in {folder}"
            )
        folder.mkdir(parents=True, exist_ok=True)
        errors = []
        for base in mirrors:
            try:
                _fetch(base.rstrip("/") + "/" + name, target, sha256, timeout)
                break
            except (urllib.error.URLError, OSError) as exc:
                errors.append(f"{base}: {getattr(exc, 'reason', exc)}")
        else:
            raise ConnectionError(
                f"could not download {name} of {dataset.name} ({'; '.join(errors)}). If you are offline, "
                f"copy the four files ({', '.join(dataset.files)}) into {folder}, or read local files with "
                "adamlab.datasets.idx(path)"
            )
    images = {part: idx(folder / f"{prefix}-images-idx3-ubyte.gz") for part, prefix in (("train", "train"),
              ("test", "t10k"))}  # fmt: skip
    labels = {part: idx(folder / f"{prefix}-labels-idx1-ubyte.gz") for part, prefix in (("train", "train"),
              ("test", "t10k"))}  # fmt: skip
    for part in ("train", "test"):
        if len(images[part]) != len(labels[part]):
            raise ValueError(
                f"{dataset.name}: {len(images[part])} {part} images but {len(labels[part])} labels"
            )
    X = {
        part: images[part].reshape(len(images[part]), -1).astype(np.float32) / 255
        for part in images
    }
    return Split(
        X["train"], labels["train"].astype(np.int64), X["test"], labels["test"].astype(np.int64)
    )


def mnist(
    root: Any = None, download: bool = True, *, mirror: str | None = None, timeout: float = 60.0
) -> Split:
    """MNIST: 60,000 + 10,000 handwritten digits, 28 × 28 = 784 float32 pixels in [0, 1], labels 0..9.

    The four files are downloaded once into ``root/mnist`` (default :func:`cache_dir`), each checked against its
    published SHA-256 before it is kept. Offline, or when a checksum does not match, a clear error says what to
    do; no partial file is ever left in the cache. ``mirror`` replaces the download address (a base URL).
    """
    return _load_set(MNIST, root, download, mirror, timeout)


def fashion_mnist(
    root: Any = None, download: bool = True, *, mirror: str | None = None, timeout: float = 60.0
) -> Split:
    """Fashion-MNIST: 60,000 + 10,000 images of clothing, as :func:`mnist` (same shapes, dtypes and caching)."""
    return _load_set(FASHION_MNIST, root, download, mirror, timeout)


# ------------------------------------------------------------------------------------------------------------
# A sparse bag of words.


class CSR(NamedTuple):
    """A binary sparse matrix in compressed sparse row form: row ``i`` has ones in the columns
    ``indices[indptr[i]:indptr[i + 1]]``. NumPy only; enough for logistic regression on bags of words."""

    indices: np.ndarray  # int64 column of every one
    indptr: np.ndarray  # int64, shape (n + 1,)
    shape: tuple[int, int]

    def rows(self, which: np.ndarray) -> CSR:
        """The sub-matrix of the given rows (a minibatch)."""
        which = np.asarray(which)
        starts, stops = self.indptr[which], self.indptr[which + 1]
        lengths = stops - starts
        indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        take = np.arange(indptr[-1]) - np.repeat(
            indptr[:-1] - starts, lengths
        )  # each row's run of indices
        return CSR(self.indices[take], indptr, (len(which), self.shape[1]))

    def row_ids(self) -> np.ndarray:
        """The row of every stored one."""
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def dot(self, w: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        """X @ w, with ``values`` (one per stored one) in place of the ones if given."""
        v = w[self.indices] if values is None else values * w[self.indices]
        return np.bincount(self.row_ids(), weights=v, minlength=self.shape[0])

    def rdot(self, r: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        """Xᵀ @ r."""
        v = r[self.row_ids()] if values is None else values * r[self.row_ids()]
        return np.bincount(self.indices, weights=v, minlength=self.shape[1])

    def toarray(self) -> np.ndarray:
        out = np.zeros(self.shape)
        out[self.row_ids(), self.indices] = 1.0
        return out

    @property
    def nnz(self) -> int:
        return len(self.indices)


def bag_of_words(
    n_docs: int = 25_000,
    vocab: int = 10_000,
    *,
    doc_length: float = 230.0,
    informative_from: int = 300,
    n_informative: int = 1000,
    test_size: float = 0.2,
    seed: int = 0,
) -> Split:
    """A seeded stand-in for the paper's IMDB features: binary bags of words with a planted logistic label.

    Word ``k`` (0-based frequency rank) is drawn with probability ∝ 1/(k + 10) (Zipf), each document has
    Poisson(``doc_length``) tokens and records which words occur (binary presence, ~1.9% of the 25,000 × 10,000
    entries for the defaults). The label is Bernoulli(σ(x·w*)) with w* nonzero (±1.5) on ``n_informative`` words
    from rank ``informative_from`` on: the signal sits in the rarer words, which is what AdaGrad and Adam's
    per-coordinate step sizes are for. ``X`` is a :class:`CSR`, ``y`` int64 in {0, 1}.
    """
    n_docs = check_count("bag_of_words", "n_docs", n_docs, 2)
    vocab = check_count("bag_of_words", "vocab", vocab, 2)
    doc_length = Interval("(0, inf)").check("bag_of_words", "doc_length", doc_length)
    informative_from = check_count("bag_of_words", "informative_from", informative_from, 0)
    n_informative = check_count("bag_of_words", "n_informative", n_informative, 1)
    if informative_from + n_informative > vocab:
        raise ValueError(
            f"bag_of_words: informative_from + n_informative = {informative_from + n_informative} exceeds "
            f"vocab = {vocab}"
        )
    rng = np.random.default_rng(check_count("bag_of_words", "seed", seed))
    p = 1.0 / (np.arange(vocab) + 10.0)
    p /= p.sum()
    lengths = rng.poisson(doc_length, size=n_docs)
    words = np.minimum(np.searchsorted(np.cumsum(p), rng.random(int(lengths.sum()))), vocab - 1)
    doc = np.repeat(np.arange(n_docs), lengths)
    pairs = np.sort(doc * vocab + words)  # presence: each (document, word) once, sorted by document
    pairs = pairs[np.concatenate([[True], pairs[1:] != pairs[:-1]])]
    rows, cols = pairs // vocab, pairs % vocab
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_docs))]).astype(np.int64)
    X = CSR(cols.astype(np.int64), indptr, (n_docs, vocab))
    w = np.zeros(vocab)
    w[informative_from : informative_from + n_informative] = rng.choice(
        [-1.5, 1.5], size=n_informative
    )
    z = X.dot(w)
    z -= np.median(z)  # balanced classes
    y = (rng.random(n_docs) < 1 / (1 + np.exp(-z))).astype(np.int64)
    order = rng.permutation(n_docs)
    n_test = int(round(Interval("(0, 1)").check("bag_of_words", "test_size", test_size) * n_docs))
    test, train = np.sort(order[:n_test]), np.sort(order[n_test:])
    return Split(X.rows(train), y[train], X.rows(test), y[test])
