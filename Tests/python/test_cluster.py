"""Clusterer binding: numpy batch calls, the seed's per-event API, bad input."""
import datetime

import numpy as np
import pytest

import spotifymon
from spotifymon.cluster import AdaptiveClusteringSystem, AnomalyType, ClusteringInput


def blobs(n=600, d=3, k=3, seed=0, spread=0.5):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-20, 20, size=(k, d))
    y = np.arange(n) % k
    return centres[y] + rng.normal(scale=spread, size=(n, d)), y


def ari(a, b):
    """Adjusted Rand index (Hubert & Arabie) from the contingency table, numpy only."""
    _, ai = np.unique(np.asarray(a), return_inverse=True)
    _, bi = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)
    pairs = lambda x: (x * (x - 1) / 2).sum()
    index, rows, cols, total = pairs(table), pairs(table.sum(1)), pairs(table.sum(0)), pairs(np.array([len(ai)]))
    expected = rows * cols / total
    return (index - expected) / ((rows + cols) / 2 - expected)


def test_ari_helper():
    assert ari([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert abs(ari([0, 0, 1, 1], [0, 1, 0, 1]) - (-0.5)) < 1e-12


@pytest.mark.parametrize("alg", ["kmeans", "minibatch", "dbscan", "gmm", "spectral", "agglomerative", "stream"])
def test_algorithms_recover_blobs(alg):
    X, y = blobs()
    s = AdaptiveClusteringSystem(algorithm=alg, k=3, eps=1.5, min_samples=5)
    labels = s.fit_predict(X)
    assert labels.dtype == np.int32 and labels.shape == (600,)
    assert ari(y, labels) > 0.95
    pl, sc = s.predict_with_scores(X)
    assert ari(y, pl) > 0.95
    assert ((sc >= 0) & (sc <= 1)).all()
    m = s.metrics()
    assert m["clusters"] == 3 and m["silhouette"] > 0.7


def test_centres_metrics_cut_and_snapshot():
    X, y = blobs()
    s = AdaptiveClusteringSystem(algorithm="agglomerative", k=3, linkage="ward", standardize=True)
    s.fit(X)
    assert s.cluster_centers_.shape == (3, 3)
    assert len(set(s.cut(2))) == 2 and len(set(s.cut(5))) == 5
    snap = s.snapshot()
    t = AdaptiveClusteringSystem()
    t.restore(snap)
    assert (t.predict(X) == s.predict(X)).all()
    with pytest.raises(spotifymon.CorruptSnapshotError):
        t.restore(snap[:-3] + b"xyz")
    perf = s.performance()
    assert perf["count"] > 0


def test_refit_stability():
    X, _ = blobs()
    s = AdaptiveClusteringSystem(algorithm="kmeans", k=3)
    s.fit(X)
    assert np.isnan(s.metrics()["stability_ari"])
    s.fit(X)
    assert s.metrics()["stability_ari"] > 0.99


def test_detect_anomaly_seed_api():
    rng = np.random.default_rng(1)
    system = AdaptiveClusteringSystem(stream_warmup=50)
    names = ["listening_duration", "skip_rate", "session_length", "genre_diversity"]
    for i in range(400):
        f = dict(zip(names, [120 + rng.normal(0, 5), 0.15 + rng.normal(0, 0.02), 45 + rng.normal(0, 3),
                             0.8 + rng.normal(0, 0.03)]))
        r = system.detect_anomaly(ClusteringInput(data_id=f"u{i}", timestamp=datetime.datetime.now(), features=f,
                                                  service_name="recommendation"))
        assert 0 <= r.anomaly_score <= 1
    r = system.detect_anomaly(ClusteringInput(
        data_id="user_001", timestamp=datetime.datetime.now(),
        features={"listening_duration": 5000, "skip_rate": 0.99, "session_length": 1.0, "genre_diversity": 0.0},
        service_name="payment"))
    assert r.is_anomaly
    assert r.anomaly_type == AnomalyType.OUTLIER and r.anomaly_type.value == "outlier"
    assert r.recommended_actions and r.impact_category == "revenue"
    assert 0 < r.business_impact_score <= 1


def test_update_after_fit_and_emerging():
    X, _ = blobs(n=900)
    s = AdaptiveClusteringSystem(algorithm="kmeans", k=3, min_samples=5)
    s.fit(X)
    new = np.full((200, 3), 200.0) + np.random.default_rng(3).normal(scale=0.3, size=(200, 3))
    labels, scores, types = s.update(new)
    assert scores.min() == 1.0
    assert types[0] == 1 and (types == 2).any()


def test_bad_input():
    s = AdaptiveClusteringSystem(algorithm="kmeans", k=3)
    with pytest.raises(spotifymon.StateError):
        s.predict(np.zeros((2, 3)))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.fit(np.array([[1.0, np.nan, 2.0]] * 5))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.fit(np.array([[1.0, np.inf, 2.0]] * 5))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.fit(np.zeros((2, 3)))  # n < k
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.fit(np.zeros((5, 0)))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.fit(np.zeros((0, 3)))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.fit(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError):
        s.fit([["a", "b"]])
    with pytest.raises(spotifymon.ConfigError):
        AdaptiveClusteringSystem(algorithm="nope")
    with pytest.raises(spotifymon.ConfigError):
        AdaptiveClusteringSystem(k=-3)
    X, _ = blobs()
    s.fit(X)
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.predict(np.zeros((4, 5)))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.detect_anomaly(ClusteringInput(data_id="x", features={}))
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.detect_anomaly(ClusteringInput(data_id="x", features={"a": "not a number"}))
    with pytest.raises(spotifymon.StateError):
        s.cut(2)
    with pytest.raises(spotifymon.InvalidArgumentError):
        s.cut(0)
    # duplicates and constant columns are fine
    dup = np.array([[1.0, 3.0]] * 50 + [[5.0, 3.0]] * 10)
    for alg in ["kmeans", "minibatch", "dbscan", "gmm", "spectral", "agglomerative", "stream"]:
        t = AdaptiveClusteringSystem(algorithm=alg, k=2, standardize=True)
        assert t.fit_predict(dup).shape == (60,)
    s.close()
    with pytest.raises(spotifymon.BadHandleError):
        s.predict(X)
