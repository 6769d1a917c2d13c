"""Real-time anomaly detection (issue 3): the seed's `RealTimeAnomalyDetector`, `MetricData`
and `detect_anomaly`, plus numpy batch scoring over `smon_detector_observe_batch`.

    from spotifymon.anomaly import RealTimeAnomalyDetector, MetricData
    det = RealTimeAnomalyDetector()
    r = det.detect_anomaly(MetricData("cpu_utilization", 85.5, service_name="streaming-api"))
    if r.is_anomaly: print(r.anomaly_explanation, r.recommended_actions)

Fast path: `sid = det.series("cpu{host=\"a\"}")`, then `det.observe_batch(ids, ts_ms, values)`
with numpy arrays returns a structured array (one row per point, fields as `smon_anomaly`).
"""
from __future__ import annotations

import ctypes
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, List, Mapping, Optional, Union

import numpy as np

from ._native import (Handle, InvalidArgumentError, check, encode, lib, native_config, take_string)

SEVERITIES = ["none", "low", "medium", "high", "critical"]
IMPACT_CATEGORIES = ["revenue", "user_experience", "operational", "security"]


class Anomaly(ctypes.Structure):
    """Mirror of `smon_anomaly`."""
    _fields_ = [("score", ctypes.c_double), ("is_anomaly", ctypes.c_int32), ("severity", ctypes.c_int32),
                ("raw_score", ctypes.c_double), ("expected", ctypes.c_double),
                ("expected_low", ctypes.c_double), ("expected_high", ctypes.c_double),
                ("impact_score", ctypes.c_double), ("impact_category", ctypes.c_int32),
                ("drift", ctypes.c_int32), ("series_id", ctypes.c_uint32), ("group_id", ctypes.c_uint32)]


#: numpy dtype of one `smon_anomaly` (observe_batch results).
ANOMALY_DTYPE = np.dtype([("score", "<f8"), ("is_anomaly", "<i4"), ("severity", "<i4"), ("raw_score", "<f8"),
                          ("expected", "<f8"), ("expected_low", "<f8"), ("expected_high", "<f8"),
                          ("impact_score", "<f8"), ("impact_category", "<i4"), ("drift", "<i4"),
                          ("series_id", "<u4"), ("group_id", "<u4")], align=True)
assert ANOMALY_DTYPE.itemsize == ctypes.sizeof(Anomaly)

_P = ctypes.POINTER
_c = ctypes
lib.smon_detector_new.restype = _c.c_int
lib.smon_detector_new.argtypes = [_c.c_void_p, _P(_c.c_void_p)]
lib.smon_detector_series.restype = _c.c_int
lib.smon_detector_series.argtypes = [_c.c_void_p, _c.c_char_p, _P(_c.c_uint32)]
lib.smon_detector_observe.restype = _c.c_int
lib.smon_detector_observe.argtypes = [_c.c_void_p, _c.c_uint32, _c.c_int64, _c.c_double, _P(Anomaly)]
lib.smon_detector_observe_batch.restype = _c.c_int
lib.smon_detector_observe_batch.argtypes = [_c.c_void_p, _c.c_size_t, _c.c_void_p, _c.c_void_p, _c.c_void_p,
                                            _c.c_void_p]
lib.smon_detector_explain.restype = _c.c_int
lib.smon_detector_explain.argtypes = [_c.c_void_p, _c.c_uint32, _P(_c.c_void_p)]
lib.smon_detector_correlations.restype = _c.c_int
lib.smon_detector_correlations.argtypes = [_c.c_void_p, _P(_c.c_void_p)]
lib.smon_detector_series_count.restype = _c.c_int
lib.smon_detector_series_count.argtypes = [_c.c_void_p, _P(_c.c_size_t)]
#: C type of `smon_anomaly_callback`.
ANOMALY_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, _P(Anomaly))
lib.smon_detector_set_callback.restype = _c.c_int
lib.smon_detector_set_callback.argtypes = [_c.c_void_p, ANOMALY_CALLBACK, _c.c_void_p]


@dataclass
class MetricData:
    """One metric observation, as in the seed: name, value, time, service and tags."""
    metric_name: str
    value: float
    timestamp: Union[datetime, int, float, None] = None
    service_name: Optional[str] = None
    tags: Dict[str, str] = field(default_factory=dict)

    def series_key(self) -> str:
        """The Prometheus-style key of this metric's series (service becomes the `service` tag)."""
        tags = dict(self.tags or {})
        if self.service_name is not None:
            tags.setdefault("service", self.service_name)
        if not tags:
            return self.metric_name
        def esc(v: str) -> str:
            return str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return self.metric_name + "{" + ",".join(f'{k}="{esc(v)}"' for k, v in sorted(tags.items())) + "}"

    def timestamp_ms(self) -> int:
        """Milliseconds since the epoch (now when missing; naive datetimes are taken as UTC)."""
        t = self.timestamp
        if t is None:
            return int(datetime.now(timezone.utc).timestamp() * 1000)
        if isinstance(t, datetime):
            if t.tzinfo is None:
                t = t.replace(tzinfo=timezone.utc)
            return int(t.timestamp() * 1000)
        if isinstance(t, (int, float, np.integer, np.floating)):
            return int(t)
        raise TypeError("timestamp must be a datetime, epoch milliseconds, or None")


@dataclass
class AnomalyResult:
    """The seed's detection result."""
    is_anomaly: bool
    anomaly_score: float
    severity: str
    anomaly_explanation: dict
    recommended_actions: List[str]
    business_impact: dict
    raw_score: float
    expected_value: float
    expected_range: tuple
    drift_detected: bool
    correlation_group: int
    metric_name: str
    series_id: int


class RealTimeAnomalyDetector(Handle):
    """Streaming anomaly detector over many series (one native handle).

    `config`: detector.* / context.* keys (see `spotifymon.describe_config()`). The seed's
    keyword arguments are accepted: `enable_multi_algorithm=True` runs the full ensemble
    (robust, forest, gru, prototype); `enable_adaptive_thresholds` is always on; the server
    options of the seed (`redis_host`, `kafka_bootstrap_servers`, `detection_latency_target_ms`)
    have no meaning in-process and are ignored.
    """

    _SEED_NO_OPS = {"redis_host", "redis_port", "kafka_bootstrap_servers", "detection_latency_target_ms",
                    "enable_adaptive_thresholds"}

    def __init__(self, config: Optional[Mapping[str, object]] = None, enable_multi_algorithm: bool = False,
                 **seed_options):
        unknown = set(seed_options) - self._SEED_NO_OPS
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        cfg = dict(config or {})
        if enable_multi_algorithm:
            cfg.setdefault("detector.members", "robust,forest,gru,prototype")
        ptr = ctypes.c_void_p()
        with native_config(cfg) as c:
            check(lib.smon_detector_new(c, ctypes.byref(ptr)))
        super().__init__("detector", ptr)
        self._ids: Dict[str, int] = {}

    def initialize(self) -> None:
        """Seed compatibility: the detector is ready on creation."""

    def series(self, key: str) -> int:
        """The id of a series key (`metric{tag="v"}`), registering it on first use."""
        sid = self._ids.get(key)
        if sid is None:
            out = ctypes.c_uint32()
            check(lib.smon_detector_series(self._live(), encode(key, "key"), ctypes.byref(out)))
            sid = self._ids[key] = out.value
        return sid

    def observe(self, series_id: int, ts_ms: int, value: float) -> dict:
        """Scores one point; returns the `smon_anomaly` fields as a dict."""
        out = Anomaly()
        check(lib.smon_detector_observe(self._live(), int(series_id), int(ts_ms), float(value), ctypes.byref(out)))
        return {name: getattr(out, name) for name, _ in Anomaly._fields_}

    def observe_batch(self, ids, ts_ms, values) -> np.ndarray:
        """Scores many points (parallel array-likes) in order; returns a structured array of
        ANOMALY_DTYPE. All inputs are validated first: on error nothing is applied."""
        ids = np.ascontiguousarray(ids, dtype=np.uint32)
        ts = np.ascontiguousarray(ts_ms, dtype=np.int64)
        vals = np.ascontiguousarray(values, dtype=np.float64)
        if ids.ndim != 1 or ts.shape != ids.shape or vals.shape != ids.shape:
            raise InvalidArgumentError("ids, ts_ms and values must be 1-D arrays of one length", 1)
        out = np.zeros(ids.shape[0], dtype=ANOMALY_DTYPE)
        check(lib.smon_detector_observe_batch(self._live(), ids.shape[0], ids.ctypes.data, ts.ctypes.data,
                                              vals.ctypes.data, out.ctypes.data))
        return out

    def on_anomaly(self, callback) -> None:
        """Pushes every anomaly or drift to `callback(event: dict)` (the `smon_anomaly` fields)
        as observe / observe_batch find them, on the observing thread; None unregisters.
        An exception raised by the callback is printed by ctypes and otherwise ignored: it
        never reaches the library."""
        if callback is None:
            check(lib.smon_detector_set_callback(self._live(), ANOMALY_CALLBACK(), None))
            self._callback = None
            return

        def trampoline(_user, event):
            e = event.contents
            callback({name: getattr(e, name) for name, _ in Anomaly._fields_})
        c_callback = ANOMALY_CALLBACK(trampoline)
        check(lib.smon_detector_set_callback(self._live(), c_callback, None))
        self._callback = c_callback  # kept alive while registered

    def explain(self, series_id: int) -> dict:
        """The explanation of a series' last observation (parsed JSON)."""
        p = ctypes.c_void_p()
        check(lib.smon_detector_explain(self._live(), int(series_id), ctypes.byref(p)))
        return json.loads(take_string(p))

    def correlations(self) -> list:
        """Recent correlation groups with their leading series."""
        p = ctypes.c_void_p()
        check(lib.smon_detector_correlations(self._live(), ctypes.byref(p)))
        return json.loads(take_string(p))

    def series_count(self) -> int:
        """Number of registered series."""
        n = ctypes.c_size_t()
        check(lib.smon_detector_series_count(self._live(), ctypes.byref(n)))
        return n.value

    def detect_anomaly(self, metric_data: MetricData) -> AnomalyResult:
        """Scores one MetricData and returns the seed's result with explanation and actions."""
        if not isinstance(metric_data, MetricData):
            raise TypeError("detect_anomaly expects a MetricData")
        sid = self.series(metric_data.series_key())
        r = self.observe(sid, metric_data.timestamp_ms(), metric_data.value)
        ex = self.explain(sid)
        return AnomalyResult(
            is_anomaly=bool(r["is_anomaly"]), anomaly_score=r["score"], severity=SEVERITIES[r["severity"]],
            anomaly_explanation=ex, recommended_actions=list(ex.get("recommended_actions", [])),
            business_impact={"category": IMPACT_CATEGORIES[r["impact_category"]], "score": r["impact_score"]},
            raw_score=r["raw_score"], expected_value=r["expected"],
            expected_range=(r["expected_low"], r["expected_high"]), drift_detected=bool(r["drift"]),
            correlation_group=r["group_id"], metric_name=metric_data.metric_name, series_id=sid)


__all__ = ["RealTimeAnomalyDetector", "MetricData", "AnomalyResult", "Anomaly", "ANOMALY_DTYPE", "SEVERITIES"]
