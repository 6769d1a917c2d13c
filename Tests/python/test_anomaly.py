"""Python binding of the anomaly detector: seed names, numpy batch, snapshots, bad input."""
import math
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import spotifymon
from spotifymon.anomaly import ANOMALY_DTYPE, MetricData, RealTimeAnomalyDetector


def wave(n, seed=0):
    rng = np.random.default_rng(seed)
    return 100 + 10 * np.sin(np.arange(n) * 2 * np.pi / 48) + rng.normal(0, 1, n)


def test_seed_example_flow():
    det = RealTimeAnomalyDetector({"detector.warmup": 100})
    det.initialize()
    t0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
    xs = wave(800)
    xs[700:706] += 80
    results = []
    for i, x in enumerate(xs):
        md = MetricData(metric_name="http_latency_ms", value=float(x), timestamp=t0 + timedelta(minutes=5 * i),
                        service_name="streaming-api", tags={"environment": "production", "region": "us-east-1"})
        results.append(det.detect_anomaly(md))
    assert all(0 <= r.anomaly_score <= 1 for r in results)
    hits = [r for r in results[700:710] if r.is_anomaly]
    assert hits, max(r.anomaly_score for r in results[700:710])
    r = hits[0]
    assert r.severity in ("low", "medium", "high", "critical")
    assert r.recommended_actions and isinstance(r.recommended_actions[0], str)
    assert r.business_impact["category"] == "user_experience"
    assert "expected_range" in r.anomaly_explanation
    assert max(x.anomaly_score for x in results[300:690]) < max(x.anomaly_score for x in results[700:710])
    assert det.series_count() == 1


def test_numpy_batch_matches_single_calls_and_snapshot():
    a = RealTimeAnomalyDetector()
    b = RealTimeAnomalyDetector()
    ids = [a.series(f"cpu{{host=\"h{k}\"}}") for k in range(5)]
    for k in range(5):
        b.series(f"cpu{{host=\"h{k}\"}}")
    n = 3000
    bid = np.array([ids[i % 5] for i in range(n)], dtype=np.uint32)
    ts = np.arange(n, dtype=np.int64) * 1000
    vals = wave(n, 1)
    out = a.observe_batch(bid, ts, vals)
    assert out.dtype == ANOMALY_DTYPE and out.shape == (n,)
    for i in range(0, n, 97):
        pass
    single = [b.observe(int(bid[i]), int(ts[i]), float(vals[i]))["score"] for i in range(n)]
    assert np.array_equal(out["score"], np.array(single))
    snap = a.snapshot()
    c = RealTimeAnomalyDetector()
    c.restore(snap)
    more = a.observe_batch(bid[:500], ts[:500] + 10**7, vals[:500] + 3)
    again = c.observe_batch(bid[:500], ts[:500] + 10**7, vals[:500] + 3)
    # every field continues identically, correlation groups included
    for name in ANOMALY_DTYPE.names:
        assert np.array_equal(more[name], again[name]), name
    perf = a.performance()
    assert perf["count"] >= n and perf["events_per_second"] > 0
    # the seed's get_performance_metrics() names
    seed = a.get_performance_metrics()
    assert seed["avg_latency_ms"] == pytest.approx(seed["mean_latency_us"] / 1000)
    assert seed["p99_latency_ms"] >= seed["p50_latency_ms"] > 0
    assert seed["accuracy"] is None  # no ground truth at run time: see EVALUATION.md


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the raising callback, on purpose
def test_on_anomaly_pushes_exactly_the_notable_results():
    det = RealTimeAnomalyDetector()
    sid = det.series('cpu_utilization{host="a"}')
    pushed = []
    det.on_anomaly(pushed.append)
    n = 3000
    vals = 40 + 3 * np.sin(np.arange(n) / 50) + (np.arange(n) % 7) * 0.2
    vals[2500:2505] += 60
    out = det.observe_batch(np.full(n, sid), 1_700_000_000_000 + np.arange(n) * 60_000, vals)
    notable = out[(out["is_anomaly"] == 1) | (out["drift"] != 0)]
    assert len(notable) > 0 and len(pushed) == len(notable)
    assert [e["score"] for e in pushed] == list(notable["score"])
    # A callback that raises does not break the detector; None unregisters.
    det.on_anomaly(lambda e: 1 / 0)
    det.observe(sid, 1_700_000_000_000 + n * 60_000, 500.0)
    det.on_anomaly(None)
    before = len(pushed)
    det.observe(sid, 1_700_000_000_000 + (n + 1) * 60_000, 900.0)
    assert len(pushed) == before


def test_bad_input_raises_never_crashes():
    det = RealTimeAnomalyDetector()
    sid = det.series("x")
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.observe(sid, 0, math.nan)
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.observe(sid, 0, math.inf)
    with pytest.raises(spotifymon.NotFoundError):
        det.observe(999, 0, 1.0)
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.series("")
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.series('m{a="b"')
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.series("a\x00b")
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.observe_batch([sid, sid], [0, 1], [1.0, np.nan])
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.observe_batch([sid], [0, 1], [1.0, 2.0])
    with pytest.raises(spotifymon.InvalidArgumentError):
        det.observe_batch([], [], [])
    with pytest.raises(spotifymon.NotFoundError):
        det.explain(1234)
    with pytest.raises(spotifymon.CorruptSnapshotError):
        det.restore(b"garbage" * 10)
    with pytest.raises(spotifymon.ConfigError):
        RealTimeAnomalyDetector({"detector.members": "magic"})
    with pytest.raises(TypeError):
        RealTimeAnomalyDetector(no_such_option=1)
    with pytest.raises(TypeError):
        det.detect_anomaly({"metric_name": "x"})
    r = det.observe(sid, 0, 1e300)
    assert 0 <= r["score"] <= 1
    det.close()
    with pytest.raises(spotifymon.BadHandleError):
        det.observe(sid, 0, 1.0)


def test_full_ensemble_and_correlations():
    det = RealTimeAnomalyDetector(enable_multi_algorithm=True, redis_host="localhost")
    a = det.series('checkout_errors{service="checkout",host="a"}')
    b = det.series('checkout_latency_ms{service="checkout",host="b"}')
    xs = wave(600, 3)
    for i in range(600):
        bump = 60 if 500 <= i < 506 else 0
        det.observe(a, i * 1000, xs[i] + bump)
        det.observe(b, i * 1000 + 1, xs[i] * 2 + 2 * bump)
    groups = det.correlations()
    assert isinstance(groups, list)
    ex = det.explain(a)
    assert set(ex["members"]) == {"robust", "forest", "gru", "prototype"}
