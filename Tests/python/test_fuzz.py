"""Property tests over the real library, every engine: corrupt snapshots are refused and leave
the state exactly as it was; random and hostile input gives a result or a SpotifyMonError,
never a crash, and never a non-finite output."""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spotifymon
from spotifymon import (AdaptiveClusteringSystem, CorruptSnapshotError, Forecaster, IntelligentAlertClassifier,
                        RealTimeAnomalyDetector, SpotifyMonError)
from spotifymon.forecast import forecast_array

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _detector():
    d = RealTimeAnomalyDetector()
    ids = np.array([d.series(f'cpu{{host="h{k}"}}') for k in range(5)] * 60, dtype=np.uint32)
    ts = 1_700_000_000_000 + 60_000 * np.repeat(np.arange(60), 5)
    d.observe_batch(ids, ts, 50 + np.sin(np.arange(300)))
    return d


def _classifier():
    c = IntelligentAlertClassifier()
    c.classify_json({"alert_id": "a", "alert_message": "disk full", "service_name": "db", "metric_name": "disk"})
    return c


def _forecaster():
    f = Forecaster()
    sid = f.series("rps")
    for t in range(100):
        f.observe(sid, 1_700_000_000_000 + t * 60_000, 10 + (t % 7))
    return f


def _clusterer():
    c = AdaptiveClusteringSystem({"clusterer.algorithm": "kmeans", "clusterer.k": 2})
    rng = np.random.default_rng(0)
    c.fit(np.vstack([rng.normal(0, 1, (50, 3)), rng.normal(8, 1, (50, 3))]))
    return c


ENGINES = [_detector, _classifier, _forecaster, _clusterer]


@pytest.mark.parametrize("make", ENGINES, ids=lambda f: f.__name__[1:])
@SETTINGS
@given(data=st.data())
def test_corrupt_snapshot_is_refused_and_state_kept(make, data):
    engine = make()
    good = engine.snapshot()
    kind = data.draw(st.sampled_from(["flip", "truncate", "random", "extend"]))
    if kind == "flip":
        pos = data.draw(st.integers(0, len(good) - 1))
        bit = data.draw(st.integers(0, 7))
        bad = bytearray(good)
        bad[pos] ^= 1 << bit
        bad = bytes(bad)
    elif kind == "truncate":
        bad = good[:data.draw(st.integers(1, len(good) - 1))]
    elif kind == "extend":
        bad = good + data.draw(st.binary(min_size=1, max_size=64))
    else:
        bad = data.draw(st.binary(min_size=1, max_size=4096))
    with pytest.raises(SpotifyMonError):
        engine.restore(bad)
    assert engine.snapshot() == good
    engine.restore(good)  # the real one still restores
    assert engine.snapshot() == good


finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=64)


@SETTINGS
@given(values=st.lists(finite_or_not, min_size=1, max_size=50))
def test_detector_batch_is_all_or_nothing(values):
    d = _detector()
    before = d.snapshot()
    vals = np.array(values, dtype=np.float64)
    ids = np.zeros(len(vals), dtype=np.uint32)
    ts = 1_800_000_000_000 + np.arange(len(vals), dtype=np.int64)
    if np.isfinite(vals).all():
        out = d.observe_batch(ids, ts, vals)
        assert np.all((out["score"] >= 0) & (out["score"] <= 1))
    else:
        with pytest.raises(spotifymon.InvalidArgumentError):
            d.observe_batch(ids, ts, vals)
        assert d.snapshot() == before


@SETTINGS
@given(values=st.lists(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), min_size=1, max_size=300),
       horizon=st.integers(1, 100), season=st.sampled_from([0, 1, 7, 24]))
def test_forecast_array_is_finite_or_an_error(values, horizon, season):
    try:
        mean, lo, hi = forecast_array(np.array(values), horizon=horizon, season=season)
    except SpotifyMonError:
        return
    assert len(mean) == horizon
    assert np.isfinite(mean).all() and np.isfinite(lo).all() and np.isfinite(hi).all()
    assert np.all(lo <= mean + 1e-6 * (1 + np.abs(mean))) and np.all(mean <= hi + 1e-6 * (1 + np.abs(mean)))


@SETTINGS
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=300).map(lambda b: b.decode("latin-1"))))
def test_classifier_json_never_crashes(text):
    c = _classifier()
    try:
        out = c.classify_json(text)
    except SpotifyMonError:
        return
    assert isinstance(out, list)


@SETTINGS
@given(n=st.integers(0, 40), d=st.integers(0, 5), k=st.integers(1, 6), poison=st.booleans())
def test_clusterer_fit_is_a_result_or_an_error(n, d, k, poison):
    rng = np.random.default_rng(n * 31 + d)
    x = rng.normal(size=(n, d))
    if poison and x.size:
        x.flat[rng.integers(x.size)] = np.nan
    c = AdaptiveClusteringSystem({"clusterer.algorithm": "kmeans", "clusterer.k": k})
    try:
        c.fit(x)
    except (SpotifyMonError, ValueError):
        return
    assert not poison and n >= k and d > 0
    scores = c.score(x)
    assert np.isfinite(scores).all() and np.all((scores >= 0) & (scores <= 1))
