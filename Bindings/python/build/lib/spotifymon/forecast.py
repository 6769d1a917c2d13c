"""Forecasting (issue 4): the seed's `PredictiveAnalyticsEngine` over libspotifymon's forecaster,
plus numpy batch calls.

    engine = PredictiveAnalyticsEngine()
    result = engine.predict_metric(PredictionInput(metric_name="memory_utilization", timestamp=now,
                                   historical_values=[(t, v), ...], current_value=0.75,
                                   service_name="streaming"),
                                   PredictionType.CAPACITY, PredictionHorizon.MEDIUM)
    result.predicted_value, result.confidence_interval, result.risk_level.value, result.business_impact_score

Batch: `forecast_array(values, horizon)`, `forecast_batch(list_of_arrays, horizon)` (one native call
for all series), `forecast_exogenous(values, x, x_future, horizon)`, and the streaming `Forecaster`
handle (`series`, `observe`, `observe_batch`, `forecast`, `breach`, `info`, `model`).
"""
from __future__ import annotations

import ctypes
import datetime as _dt
import enum
import json
import math
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ._native import Handle, InvalidArgumentError, check, encode, lib, native_config, take_string

_D = ctypes.POINTER(ctypes.c_double)
_c = ctypes


class Breach(_c.Structure):
    """Mirror of `smon_breach`."""
    _fields_ = [("probability", _c.c_double), ("expected_steps", _c.c_double), ("expected_ms", _c.c_int64),
                ("mean_cross_step", _c.c_int32), ("risk_level", _c.c_int32), ("business_impact", _c.c_double)]


class ForecastInfo(_c.Structure):
    """Mirror of `smon_forecast_info`."""
    _fields_ = [("points", _c.c_uint64), ("step_ms", _c.c_int64), ("last_ts_ms", _c.c_int64),
                ("period", _c.c_uint32), ("members", _c.c_uint32), ("fits", _c.c_uint32),
                ("drift_refits", _c.c_uint32)]


def _sig(name, args):
    fn = getattr(lib, name)
    fn.restype = _c.c_int
    fn.argtypes = args


_V = _c.c_void_p
_sig("smon_forecaster_new", [_V, _c.POINTER(_V)])
_sig("smon_forecaster_series", [_V, _c.c_char_p, _c.POINTER(_c.c_uint32)])
_sig("smon_forecaster_observe", [_V, _c.c_uint32, _c.c_int64, _c.c_double])
_sig("smon_forecaster_observe_batch", [_V, _c.POINTER(_c.c_uint32), _c.POINTER(_c.c_int64), _D, _c.c_size_t])
_sig("smon_forecaster_forecast", [_V, _c.c_uint32, _c.c_size_t, _c.c_double, _D, _D, _D])
_sig("smon_forecaster_breach", [_V, _c.c_uint32, _c.c_double, _c.c_int, _c.c_size_t, _c.POINTER(Breach)])
_sig("smon_forecaster_info", [_V, _c.c_uint32, _c.POINTER(ForecastInfo)])
_sig("smon_forecaster_model_json", [_V, _c.c_uint32, _c.POINTER(_V)])
_sig("smon_forecaster_refit", [_V, _c.c_uint32])
_sig("smon_forecast_array", [_V, _D, _c.c_size_t, _c.c_size_t, _c.c_size_t, _c.c_double, _D, _D, _D])
_sig("smon_forecast_arrays", [_V, _D, _c.POINTER(_c.c_size_t), _c.c_size_t, _c.c_size_t, _c.c_size_t, _c.c_double,
                              _D, _D, _D])
_sig("smon_forecast_exogenous", [_V, _D, _c.c_size_t, _D, _c.c_size_t, _D, _c.c_size_t, _c.c_size_t, _c.c_double,
                                 _D, _D, _D, _D])

_MAX_H = 1_000_000


def _level(level: float) -> float:
    """Accepts 0.95 or 95 (percent)."""
    lv = float(level)
    if 1.0 < lv < 100.0:
        lv /= 100.0
    if not (0.0 < lv < 1.0) or math.isnan(lv):
        raise InvalidArgumentError(f"level {level} is not in (0, 1) or (1, 100)", 1)
    return lv


def _horizon(h) -> int:
    h = int(h)
    if h < 1:
        raise InvalidArgumentError("horizon must be at least 1", 1)
    if h > _MAX_H:
        raise InvalidArgumentError(f"horizon {h} exceeds {_MAX_H}", 1)
    return h


def _ptr(a: np.ndarray):
    return a.ctypes.data_as(_D)


def _vector(values, name="values") -> np.ndarray:
    a = np.ascontiguousarray(np.asarray(values, dtype=np.float64).ravel())
    if a.size == 0:
        raise InvalidArgumentError(f"{name} is empty", 1)
    return a


# ------------------------------------------------------------------ numpy batch calls
def forecast_array(values, horizon: int, season: int = 0, level: float = 0.95,
                   config: Optional[Mapping[str, object]] = None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fits one series (NaN = missing) automatically and returns (mean, lo, hi), each `horizon` long."""
    y = _vector(values)
    h, lv = _horizon(horizon), _level(level)
    mean, lo, hi = (np.empty(h) for _ in range(3))
    with native_config(config) as cfg:
        check(lib.smon_forecast_array(cfg, _ptr(y), y.size, int(season), h, lv, _ptr(mean), _ptr(lo), _ptr(hi)))
    return mean, lo, hi


def forecast_batch(series: Sequence, horizon: int, season: int = 0, level: float = 0.95,
                   config: Optional[Mapping[str, object]] = None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fits many series in one native call; returns (mean, lo, hi) arrays of shape (n_series, horizon).

    `series` is a list of 1-d arrays (lengths may differ) or a 2-d array (one series per row)."""
    if isinstance(series, np.ndarray) and series.ndim == 2:
        rows = [series[i] for i in range(series.shape[0])]
    else:
        rows = [np.asarray(s, dtype=np.float64).ravel() for s in series]
    if not rows:
        raise InvalidArgumentError("no series given", 1)
    lengths = np.array([r.size for r in rows], dtype=np.uint64)
    if (lengths == 0).any():
        raise InvalidArgumentError(f"series {int(np.argmin(lengths))} is empty", 1)
    values = np.ascontiguousarray(np.concatenate(rows).astype(np.float64))
    offsets = np.zeros(len(rows) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets[1:])
    h, lv = _horizon(horizon), _level(level)
    k = len(rows)
    mean, lo, hi = (np.empty((k, h)) for _ in range(3))
    with native_config(config) as cfg:
        check(lib.smon_forecast_arrays(cfg, _ptr(values), offsets.ctypes.data_as(_c.POINTER(_c.c_size_t)), k,
                                       int(season), h, lv, _ptr(mean), _ptr(lo), _ptr(hi)))
    return mean, lo, hi


def forecast_exogenous(values, x, x_future, horizon: Optional[int] = None, season: int = 0, level: float = 0.95,
                       config: Optional[Mapping[str, object]] = None):
    """Forecast with exogenous inputs. x: (n, k) inputs aligned with values; x_future: (horizon, k).

    Returns (mean, lo, hi, importance) with importance[k] summing to 1 (or all 0)."""
    y = _vector(values)
    X = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    F = np.ascontiguousarray(np.asarray(x_future, dtype=np.float64))
    if F.ndim == 1:
        F = F.reshape(-1, 1)
    if X.shape[0] != y.size:
        raise InvalidArgumentError(f"x has {X.shape[0]} rows, values has {y.size}", 1)
    if F.shape[1] != X.shape[1]:
        raise InvalidArgumentError("x and x_future have different feature counts", 1)
    h = _horizon(horizon if horizon is not None else F.shape[0])
    if F.shape[0] != h:
        raise InvalidArgumentError(f"x_future has {F.shape[0]} rows, horizon is {h}", 1)
    k = X.shape[1]
    mean, lo, hi, imp = np.empty(h), np.empty(h), np.empty(h), np.empty(k)
    with native_config(config) as cfg:
        check(lib.smon_forecast_exogenous(cfg, _ptr(y), y.size, _ptr(X), k, _ptr(F), int(season), h, _level(level),
                                          _ptr(mean), _ptr(lo), _ptr(hi), _ptr(imp)))
    return mean, lo, hi, imp


# ------------------------------------------------------------------ streaming handle
class Forecaster(Handle):
    """A streaming forecaster handle: per-series online models, drift re-selection, snapshots."""

    def __init__(self, config: Optional[Mapping[str, object]] = None):
        ptr = _c.c_void_p()
        with native_config(config) as cfg:
            check(lib.smon_forecaster_new(cfg, _c.byref(ptr)))
        super().__init__("forecaster", ptr)

    def series(self, key: str) -> int:
        """The id of a series key such as `cpu{host="a"}` (created on first use)."""
        out = _c.c_uint32()
        check(lib.smon_forecaster_series(self._live(), encode(key, "key"), _c.byref(out)))
        return out.value

    def observe(self, series_id: int, ts_ms: int, value: float) -> None:
        check(lib.smon_forecaster_observe(self._live(), int(series_id), int(ts_ms), float(value)))

    def observe_batch(self, ids, ts_ms, values) -> None:
        """Parallel arrays; absorbed in order (stops at the first bad row, earlier rows kept)."""
        i = np.ascontiguousarray(np.asarray(ids, dtype=np.uint32).ravel())
        t = np.ascontiguousarray(np.asarray(ts_ms, dtype=np.int64).ravel())
        v = np.ascontiguousarray(np.asarray(values, dtype=np.float64).ravel())
        if not (i.size == t.size == v.size):
            raise InvalidArgumentError("ids, ts_ms and values differ in length", 1)
        if i.size == 0:
            return
        check(lib.smon_forecaster_observe_batch(self._live(), i.ctypes.data_as(_c.POINTER(_c.c_uint32)),
                                                t.ctypes.data_as(_c.POINTER(_c.c_int64)), _ptr(v), i.size))

    def forecast(self, series_id: int, horizon: int, level: float = 0.95):
        """(mean, lo, hi) numpy arrays for steps 1..horizon."""
        h, lv = _horizon(horizon), _level(level)
        mean, lo, hi = (np.empty(h) for _ in range(3))
        check(lib.smon_forecaster_forecast(self._live(), int(series_id), h, lv, _ptr(mean), _ptr(lo), _ptr(hi)))
        return mean, lo, hi

    def breach(self, series_id: int, threshold: float, horizon: int, above: bool = True) -> dict:
        """Breach probability within the horizon, expected time to breach, risk level, business impact."""
        out = Breach()
        check(lib.smon_forecaster_breach(self._live(), int(series_id), float(threshold), 1 if above else 0,
                                         _horizon(horizon), _c.byref(out)))
        return {name: getattr(out, name) for name, _ in Breach._fields_}

    def info(self, series_id: int) -> dict:
        out = ForecastInfo()
        check(lib.smon_forecaster_info(self._live(), int(series_id), _c.byref(out)))
        return {name: getattr(out, name) for name, _ in ForecastInfo._fields_}

    def model(self, series_id: int) -> dict:
        """The series' fitted model (members, parameters, validation scores) as a dict."""
        out = _c.c_void_p()
        check(lib.smon_forecaster_model_json(self._live(), int(series_id), _c.byref(out)))
        return json.loads(take_string(out))

    def refit(self, series_id: int) -> None:
        check(lib.smon_forecaster_refit(self._live(), int(series_id)))


# ------------------------------------------------------------------ the seed's API
class PredictionType(enum.Enum):
    """What a prediction is for (sets the default threshold and direction of the risk)."""
    CAPACITY = "capacity"
    PERFORMANCE = "performance"
    FAILURE = "failure"
    TRAFFIC = "traffic"
    SLA_BREACH = "sla_breach"
    USER_EXPERIENCE = "user_experience"


class PredictionHorizon(enum.Enum):
    """How far ahead: SHORT 30 minutes, MEDIUM 3 hours, LONG 24 hours (`.minutes`), whatever the
    sampling step (converted to steps with the series' inferred step)."""
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"

    @property
    def minutes(self) -> int:
        return {"short": 30, "medium": 180, "long": 1440}[self.value]


class RiskLevel(enum.Enum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


_RISK = [RiskLevel.NONE, RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL]


@dataclass
class PredictionInput:
    """The seed's input: history as (datetime, value) pairs (oldest first), the current value.

    `threshold` (optional) is the level whose crossing is the risk; without it a default per
    PredictionType is used (capacity: 90% of the scale for fractions/percentages, else
    mean + 3 sd of the history). `breach_above=False` watches downward crossings."""
    metric_name: str
    timestamp: _dt.datetime
    historical_values: List[Tuple[_dt.datetime, float]]
    current_value: Optional[float] = None
    service_name: Optional[str] = None
    threshold: Optional[float] = None
    breach_above: bool = True
    labels: Dict[str, str] = field(default_factory=dict)


@dataclass
class PredictionResult:
    """What predict_metric returns."""
    metric_name: str
    prediction_type: PredictionType
    horizon: PredictionHorizon
    predicted_value: float
    confidence_interval: Tuple[float, float]
    confidence_level: float
    forecast: List[float]
    lower: List[float]
    upper: List[float]
    threshold: float
    breach_probability: float
    time_to_breach: Optional[_dt.timedelta]
    risk_level: RiskLevel
    business_impact_score: float
    horizon_steps: int
    step_seconds: float
    model: Dict = field(default_factory=dict)


def _ms(t) -> int:
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_dt.timezone.utc)
        return int(round(t.timestamp() * 1000))
    return int(t)


def _key(inp: PredictionInput) -> str:
    tags = dict(inp.labels or {})
    if inp.service_name:
        tags.setdefault("service", inp.service_name)
    if not tags:
        return inp.metric_name
    body = ",".join(f'{k}="{str(v)}"' for k, v in sorted(tags.items()))
    return f"{inp.metric_name}{{{body}}}"


class PredictiveAnalyticsEngine:
    """The seed's engine: one streaming forecaster; each predict_metric absorbs the input's new
    points (those after the series' last timestamp), then forecasts and assesses the risk."""

    def __init__(self, config: Optional[Mapping[str, object]] = None, level: float = 0.95):
        self.forecaster = Forecaster(config)
        self.level = _level(level)

    def close(self) -> None:
        self.forecaster.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_performance_metrics(self) -> dict:
        return self.forecaster.performance()

    def _absorb(self, sid: int, inp: PredictionInput) -> None:
        info = self.forecaster.info(sid)
        last = info["last_ts_ms"] if info["points"] > 0 else None
        pts = [(_ms(t), float(v)) for t, v in inp.historical_values]
        if inp.current_value is not None:
            pts.append((_ms(inp.timestamp), float(inp.current_value)))
        pts.sort(key=lambda p: p[0])
        ts, vals = [], []
        for t, v in pts:
            if (last is None or t > last) and (not ts or t > ts[-1]) and math.isfinite(v):
                ts.append(t)
                vals.append(v)
        if ts:
            self.forecaster.observe_batch(np.full(len(ts), sid, dtype=np.uint32), ts, vals)

    @staticmethod
    def _default_threshold(kind: PredictionType, history: np.ndarray, name: str) -> float:
        mx, mu = float(np.max(history)), float(np.mean(history))
        sd = float(np.std(history)) or abs(mu) * 0.1 or 1.0
        if kind == PredictionType.CAPACITY:
            if 0 <= np.min(history) and mx <= 1.0:
                return 0.9
            if 0 <= np.min(history) and mx <= 100.0 and any(s in name for s in ("util", "percent", "usage", "pct")):
                return 90.0
        return mu + 3.0 * sd

    def predict_metric(self, prediction_input: PredictionInput, prediction_type: PredictionType = PredictionType.CAPACITY,
                       horizon: PredictionHorizon = PredictionHorizon.MEDIUM) -> PredictionResult:
        inp = prediction_input
        if not inp.historical_values and inp.current_value is None:
            raise InvalidArgumentError("prediction input has no values", 1)
        sid = self.forecaster.series(_key(inp))
        self._absorb(sid, inp)
        info = self.forecaster.info(sid)
        step_ms = info["step_ms"] or 60_000
        steps = max(1, min(100_000, math.ceil(horizon.minutes * 60_000 / step_ms)))
        mean, lo, hi = self.forecaster.forecast(sid, steps, self.level)
        hist = np.array([float(v) for _, v in inp.historical_values if math.isfinite(float(v))] or [float(inp.current_value)])
        thr = inp.threshold if inp.threshold is not None else self._default_threshold(prediction_type, hist, inp.metric_name)
        b = self.forecaster.breach(sid, thr, steps, above=inp.breach_above)
        ttb = _dt.timedelta(milliseconds=b["expected_ms"]) if b["probability"] > 0 and b["expected_ms"] > 0 else None
        return PredictionResult(
            metric_name=inp.metric_name, prediction_type=prediction_type, horizon=horizon,
            predicted_value=float(mean[-1]), confidence_interval=(float(lo[-1]), float(hi[-1])),
            confidence_level=self.level, forecast=mean.tolist(), lower=lo.tolist(), upper=hi.tolist(),
            threshold=float(thr), breach_probability=float(b["probability"]), time_to_breach=ttb,
            risk_level=_RISK[max(0, min(4, b["risk_level"]))], business_impact_score=float(b["business_impact"]),
            horizon_steps=steps, step_seconds=step_ms / 1000.0)

    def model(self, prediction_input: PredictionInput) -> dict:
        """The fitted model of the input's series."""
        return self.forecaster.model(self.forecaster.series(_key(prediction_input)))


__all__ = ["PredictiveAnalyticsEngine", "PredictionInput", "PredictionType", "PredictionHorizon", "PredictionResult",
           "RiskLevel", "Forecaster", "forecast_array", "forecast_batch", "forecast_exogenous"]
