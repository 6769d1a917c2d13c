"""Forecast binding: the seed's PredictiveAnalyticsEngine API, numpy batch calls, bad input."""
import datetime as dt
import math

import numpy as np
import pytest

from spotifymon import _native
from spotifymon.forecast import (Forecaster, PredictionHorizon, PredictionInput, PredictionType,
                                 PredictiveAnalyticsEngine, RiskLevel, forecast_array, forecast_batch,
                                 forecast_exogenous)


def seasonal(n, m=24, seed=0, trend=0.05):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 100 + trend * t + 20 * np.sin(2 * np.pi * (t % m) / m) + rng.normal(0, 1, n)


def test_forecast_array_shapes_and_order():
    y = seasonal(480)
    mean, lo, hi = forecast_array(y, 48, season=24, level=95)
    assert mean.shape == lo.shape == hi.shape == (48,)
    assert np.all(np.isfinite(mean)) and np.all(lo <= mean) and np.all(mean <= hi)
    # follows the season: the forecast correlates with the last day
    assert np.corrcoef(mean[:24], y[-24:])[0, 1] > 0.9


def test_forecast_batch_matches_single_calls():
    ys = [seasonal(300, seed=1), seasonal(480, seed=2), np.full(40, 5.0)]
    mean, lo, hi = forecast_batch(ys, 24, season=24, level=0.9)
    assert mean.shape == (3, 24)
    for i, y in enumerate(ys):
        m1, l1, h1 = forecast_array(y, 24, season=24, level=0.9)
        np.testing.assert_allclose(mean[i], m1)
        np.testing.assert_allclose(hi[i], h1)
    two_d = np.vstack([seasonal(200, seed=3), seasonal(200, seed=4)])
    m2, _, _ = forecast_batch(two_d, 12)
    assert m2.shape == (2, 12)


def test_config_changes_the_fit():
    y = seasonal(480, seed=5)
    a = forecast_array(y, 24, season=24, config={"forecaster.ensemble_size": 1})[0]
    b = forecast_array(y, 24, season=24, config={"forecaster.ensemble_size": 4})[0]
    assert a.shape == b.shape
    with pytest.raises(_native.ConfigError):
        forecast_array(y, 24, config={"forecaster.ensemble_size": 0})


def test_bad_input_raises_never_crashes():
    y = seasonal(100)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array([], 5)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array(y, 0)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array(y, 10**9)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array(y, 5, level=0)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array(y, 5, level=float("nan"))
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array([np.nan, np.inf], 5)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_batch([y, []], 5)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_array(y, 5, season=-3)
    # NaN gaps, negatives, constants, tiny series: defined, finite output
    g = y.copy()
    g[[3, 50, 99]] = np.nan
    for series in (g, y - 200, np.zeros(50), np.array([1.0]), np.array([1.0, 2.0, 3.0])):
        m, lo, hi = forecast_array(series, 30)
        assert np.all(np.isfinite(m)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))


def test_exogenous_importance():
    n, h = 480, 24
    rng = np.random.default_rng(7)
    event = (np.arange(n) % 19 == 0).astype(float)
    noise = rng.normal(size=n)
    y = seasonal(n) + 25 * event
    fut = np.zeros((h, 2))
    fut[3, 0] = 1
    m, lo, hi, imp = forecast_exogenous(y, np.column_stack([event, noise]), fut, season=24)
    assert imp[0] > 0.8 and abs(imp.sum() - 1) < 1e-9
    assert m[3] > m[2] + 10
    with pytest.raises(_native.InvalidArgumentError):
        forecast_exogenous(y, np.zeros((n - 1, 2)), fut)
    with pytest.raises(_native.InvalidArgumentError):
        forecast_exogenous(y, np.zeros((n, 2)), np.zeros((h, 3)))


def test_streaming_handle_snapshot_and_breach():
    f = Forecaster()
    sid = f.series('disk_used{service="checkout"}')
    t0 = 1_700_000_000_000
    y = 50 + 0.1 * np.arange(300) + np.random.default_rng(1).normal(0, 0.3, 300)
    f.observe_batch(np.full(300, sid), t0 + 3_600_000 * np.arange(300), y)
    info = f.info(sid)
    assert info["points"] == 300 and info["step_ms"] == 3_600_000
    mean, lo, hi = f.forecast(sid, 24)
    assert mean[-1] > y[-1]
    b = f.breach(sid, 84.0, 60)
    assert b["probability"] > 0.5 and b["expected_ms"] > 0 and b["business_impact"] > 0
    assert f.breach(sid, 1e6, 60)["probability"] == 0
    assert "members" in f.model(sid)
    snap = f.snapshot()
    g = Forecaster()
    g.restore(snap)
    f.observe(sid, t0 + 3_600_000 * 300, 80.0)
    g.observe(sid, t0 + 3_600_000 * 300, 80.0)
    np.testing.assert_array_equal(f.forecast(sid, 10)[0], g.forecast(sid, 10)[0])
    with pytest.raises(_native.CorruptSnapshotError):
        g.restore(snap[:-3] + b"xyz")
    with pytest.raises(_native.InvalidArgumentError):
        f.observe(sid, t0, 1.0)  # not after the last point
    with pytest.raises(_native.InvalidArgumentError):
        f.observe(sid, t0 + 3_600_000 * 400, float("nan"))
    with pytest.raises(_native.NotFoundError):
        f.forecast(9999, 5)
    with pytest.raises(_native.StateError):
        f.forecast(f.series("nothing_yet"), 5)
    with pytest.raises(_native.InvalidArgumentError):
        f.series("bad{key")
    assert f.performance()["count"] >= 301
    f.close()
    with pytest.raises(_native.SpotifyMonError):
        f.forecast(sid, 5)


def test_seed_example_predict_metric():
    engine = PredictiveAnalyticsEngine()
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
    rng = np.random.default_rng(0)
    hist = [(now - dt.timedelta(minutes=i), float(rng.uniform(0.5, 0.8))) for i in range(60, 0, -1)]
    inp = PredictionInput(metric_name="memory_utilization", timestamp=now, historical_values=hist,
                          current_value=0.75, service_name="streaming")
    r = engine.predict_metric(inp, PredictionType.CAPACITY, PredictionHorizon.MEDIUM)
    assert math.isfinite(r.predicted_value)
    lo, hi = r.confidence_interval
    assert lo <= r.predicted_value <= hi
    assert isinstance(r.risk_level, RiskLevel) and r.risk_level.value in ("none", "low", "medium", "high", "critical")
    assert 0.0 <= r.business_impact_score <= 1.0
    assert r.horizon_steps == 180 and r.threshold == 0.9  # one-minute steps, 3 hours
    # a second call with one more point streams it in
    r2 = engine.predict_metric(PredictionInput("memory_utilization", now + dt.timedelta(minutes=1), hist, 0.76,
                                               "streaming"), PredictionType.CAPACITY, PredictionHorizon.SHORT)
    assert r2.horizon_steps == 30
    assert engine.get_performance_metrics()["count"] > 0


def test_predict_metric_rising_series_is_risky():
    engine = PredictiveAnalyticsEngine()
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone.utc)
    hist = [(now - dt.timedelta(minutes=5 * i), 0.5 + 0.004 * (100 - i)) for i in range(100, 0, -1)]
    r = engine.predict_metric(PredictionInput("cpu_utilization", now, hist, 0.9, "payment"),
                              PredictionType.CAPACITY, PredictionHorizon.LONG)
    assert r.breach_probability > 0.5
    assert r.risk_level in (RiskLevel.HIGH, RiskLevel.CRITICAL, RiskLevel.MEDIUM)
    assert r.time_to_breach is not None
    with pytest.raises(_native.InvalidArgumentError):
        engine.predict_metric(PredictionInput("x", now, [], None), PredictionType.TRAFFIC)
