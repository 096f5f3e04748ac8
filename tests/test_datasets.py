"""Data loaders: the shipped digits, IDX files, the download path (for real, against an HTTP server on the
loopback interface: no test reaches outside the machine), and the bag of words."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import subprocess
import sys
import threading
import zipfile

import numpy as np
import pytest

from adamlab import datasets

# ------------------------------------------------------------------------------------------------------------
# The digits.


def test_digits_are_the_uci_test_set_scaled_to_one():
    d = datasets.digits()
    X = np.vstack([d.X_train, d.X_test])
    y = np.concatenate([d.y_train, d.y_test])
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0 and np.all((X * 16) == np.round(X * 16))  # 0..16 / 16
    assert np.bincount(y).tolist() == [
        178,
        182,
        177,
        183,
        181,
        182,
        181,
        179,
        174,
        180,
    ]  # UCI's class counts
    assert d.X_test.shape == (449, 64)


def test_digits_split_is_seeded():
    a, b, c = datasets.digits(seed=1), datasets.digits(seed=1), datasets.digits(seed=2)
    np.testing.assert_array_equal(a.y_train, b.y_train)
    assert not np.array_equal(a.y_train, c.y_train)
    with pytest.raises(ValueError, match=r"digits: test_size must be finite and in \(0, 1\)"):
        datasets.digits(test_size=1.0)


def test_the_digits_ship_with_the_package_and_their_licence(tmp_path):
    """Build the wheel: the data file and its README (licence and attribution) are in it."""
    root = datasets.__file__.rsplit("/adamlab/", 1)[0]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            root,
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("adamlab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "adamlab/data/digits.csv.gz" in names and "adamlab/data/README.md" in names
    readme = zipfile.ZipFile(wheel).read("adamlab/data/README.md").decode()
    assert "CC BY 4.0" in readme and "Alpaydin" in readme


# ------------------------------------------------------------------------------------------------------------
# IDX files and downloads.


def idx_bytes(array: np.ndarray) -> bytes:
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.tobytes()


def write_set(folder, n_train=6, n_test=4, seed=0):
    """Small IDX files in MNIST's layout; returns {file name: SHA-256 of its .gz}."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sums = {}
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        for kind, array in (
            ("images-idx3", rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)),
            ("labels-idx1", rng.integers(0, 10, size=n, dtype=np.uint8)),
        ):
            name = f"{prefix}-{kind}-ubyte.gz"
            data = gzip.compress(idx_bytes(array), mtime=0)
            (folder / name).write_bytes(data)
            sums[name] = hashlib.sha256(data).hexdigest()
    return sums


def test_idx_reads_gz_and_raw_and_names_a_broken_file(tmp_path):
    a = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a.idx").write_bytes(idx_bytes(a))
    (tmp_path / "a.idx.gz").write_bytes(gzip.compress(idx_bytes(a)))
    np.testing.assert_array_equal(datasets.idx(tmp_path / "a.idx"), a)
    np.testing.assert_array_equal(datasets.idx(tmp_path / "a.idx.gz"), a)
    b = np.array([[1, -2], [300000, 4]], dtype=">i4")
    (tmp_path / "b.idx").write_bytes(idx_bytes(b))
    np.testing.assert_array_equal(datasets.idx(tmp_path / "b.idx"), b)
    (tmp_path / "short.idx").write_bytes(idx_bytes(a)[:-3])
    with pytest.raises(
        ValueError, match=r"short.idx' has 37 bytes, but its header \(2, 3, 4\) promises 40"
    ):
        datasets.idx(tmp_path / "short.idx")
    (tmp_path / "text.idx").write_bytes(b"hello world")
    with pytest.raises(ValueError, match="is not an IDX file"):
        datasets.idx(tmp_path / "text.idx")


def test_debians_fashion_mnist_reads_with_idx_if_installed():
    path = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"
    try:
        labels = datasets.idx(path)
    except FileNotFoundError:
        pytest.skip("Debian's dataset-fashion-mnist is not installed")
    assert labels.shape == (10000,) and np.bincount(labels).tolist() == [1000] * 10


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving tmp_path/served (and its requests log)."""
    served = tmp_path / "served"
    served.mkdir()
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args):
            requests.append(self.path)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", served, requests
    httpd.shutdown()
    httpd.server_close()


def test_download_verifies_caches_and_reads(server, tmp_path, monkeypatch):
    url, served, requests = server
    sums = write_set(served)
    fake = datasets._Set("tiny", (url,), sums)
    split = datasets._load_set(fake, tmp_path / "cache", True, None, 10.0)
    assert split.X_train.shape == (6, 784) and split.X_train.dtype == np.float32
    assert (
        0.0 <= split.X_train.min() and split.X_train.max() <= 1.0 and split.y_test.dtype == np.int64
    )
    assert len(requests) == 4
    again = datasets._load_set(fake, tmp_path / "cache", True, None, 10.0)  # cached: no new request
    assert len(requests) == 4
    np.testing.assert_array_equal(again.y_train, split.y_train)
    monkeypatch.setenv("ADAMLAB_DATA", str(tmp_path / "env"))
    assert datasets.cache_dir() == tmp_path / "env"


def test_a_corrupted_download_is_refused_and_nothing_is_kept(server, tmp_path):
    url, served, _ = server
    write_set(
        served
    )  # files that are not the real MNIST: their SHA-256 does not match the published one
    with pytest.raises(ValueError) as info:
        datasets.mnist(root=tmp_path / "cache", mirror=url)
    assert "SHA-256" in str(info.value) and "not the published" in str(info.value)
    folder = tmp_path / "cache" / "mnist"
    assert not list(folder.iterdir())  # neither the file nor a temporary one


def test_offline_gives_advice_and_download_false_says_where(tmp_path):
    with pytest.raises(
        ConnectionError, match=r"could not download .* copy the four files .*datasets\.idx\(path\)"
    ):
        datasets.mnist(root=tmp_path, mirror="http://127.0.0.1:9/", timeout=2)
    with pytest.raises(FileNotFoundError, match="download=False"):
        datasets.fashion_mnist(root=tmp_path, download=False)


def test_published_checksums_are_the_known_ones():
    assert datasets.MNIST.files["train-images-idx3-ubyte.gz"].startswith("440fcabf73cc546f")
    assert datasets.FASHION_MNIST.files["t10k-labels-idx1-ubyte.gz"].startswith("42bd18137a62d599")


# ------------------------------------------------------------------------------------------------------------
# The bag of words.


def test_bag_of_words_is_zipfian_sparse_seeded_and_balanced():
    d = datasets.bag_of_words(4000, 2000, informative_from=100, n_informative=300, seed=3)
    X = d.X_train
    assert isinstance(X, datasets.CSR) and X.shape == (3200, 2000) and d.X_test.shape == (800, 2000)
    counts = np.bincount(X.indices, minlength=2000)
    assert counts[0] > counts[100] > counts[1000] > 0  # word frequency falls with rank
    assert 0.4 < d.y_train.mean() < 0.6
    again = datasets.bag_of_words(4000, 2000, informative_from=100, n_informative=300, seed=3)
    np.testing.assert_array_equal(again.X_train.indices, X.indices)
    dense = X.toarray()
    assert set(np.unique(dense)) <= {0.0, 1.0}
    w = np.random.default_rng(0).normal(size=2000)
    np.testing.assert_allclose(X.dot(w), dense @ w)
    r = np.random.default_rng(1).normal(size=3200)
    np.testing.assert_allclose(X.rdot(r), dense.T @ r)
    np.testing.assert_array_equal(X.rows(np.array([5, 2])).toarray(), dense[[5, 2]])
    with pytest.raises(ValueError, match="exceeds vocab"):
        datasets.bag_of_words(100, 50, informative_from=40, n_informative=20)
