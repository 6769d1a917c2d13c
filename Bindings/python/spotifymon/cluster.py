"""Adaptive clustering (issue 5): the seed's AdaptiveClusteringSystem / ClusteringInput over
libspotifymon's clusterer, plus numpy batch calls (fit / predict / score / update).

    system = AdaptiveClusteringSystem(algorithm="kmeans", k=4, standardize=True)
    system.fit(X)                       # X: (n, d) array-like
    labels = system.predict(X_new)
    result = system.detect_anomaly(ClusteringInput(data_id="u1", timestamp=datetime.now(),
                                                   features={...}, service_name="recommendation"))
    if result.is_anomaly: print(result.anomaly_type.value, result.anomaly_score, result.recommended_actions)
"""
from __future__ import annotations

import ctypes
import datetime as _dt
import enum
import json
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from ._native import Handle, InvalidArgumentError, check, encode, lib, native_config, take_string

_D = ctypes.POINTER(ctypes.c_double)
_I32 = ctypes.POINTER(ctypes.c_int32)
_SZ = ctypes.POINTER(ctypes.c_size_t)


class ClusterMetrics(ctypes.Structure):
    """Mirror of `smon_cluster_metrics`."""
    _fields_ = [("clusters", ctypes.c_int32), ("noise", ctypes.c_int32), ("points", ctypes.c_int64),
                ("features", ctypes.c_int32), ("model_dim", ctypes.c_int32), ("silhouette", ctypes.c_double),
                ("davies_bouldin", ctypes.c_double), ("calinski_harabasz", ctypes.c_double),
                ("inertia", ctypes.c_double), ("bic", ctypes.c_double), ("stability_ari", ctypes.c_double),
                ("stability_jaccard", ctypes.c_double), ("drift_statistic", ctypes.c_double),
                ("drift_alarm", ctypes.c_int32), ("drift_alarms", ctypes.c_int32)]


class ClusterDetection(ctypes.Structure):
    """Mirror of `smon_cluster_detection`."""
    _fields_ = [("is_anomaly", ctypes.c_int32), ("anomaly_type", ctypes.c_int32), ("anomaly_score", ctypes.c_double),
                ("business_impact_score", ctypes.c_double), ("impact_category", ctypes.c_int32),
                ("cluster", ctypes.c_int32), ("drift_alarm", ctypes.c_int32), ("cluster_drift", ctypes.c_double)]


def _sig(name, res, args):
    f = getattr(lib, name)
    f.restype = res
    f.argtypes = args


_sig("smon_clusterer_new", ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)])
_sig("smon_clusterer_fit", ctypes.c_int, [ctypes.c_void_p, _D, ctypes.c_size_t, ctypes.c_size_t])
_sig("smon_clusterer_predict", ctypes.c_int, [ctypes.c_void_p, _D, ctypes.c_size_t, ctypes.c_size_t, _I32, _D])
_sig("smon_clusterer_score", ctypes.c_int, [ctypes.c_void_p, _D, ctypes.c_size_t, ctypes.c_size_t, _D])
_sig("smon_clusterer_update", ctypes.c_int, [ctypes.c_void_p, _D, ctypes.c_size_t, ctypes.c_size_t, _I32, _D, _I32])
_sig("smon_clusterer_detect", ctypes.c_int, [ctypes.c_void_p, _D, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int64,
                                             ctypes.POINTER(ClusterDetection), ctypes.POINTER(ctypes.c_void_p)])
_sig("smon_clusterer_metrics", ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(ClusterMetrics)])
_sig("smon_clusterer_labels", ctypes.c_int, [ctypes.c_void_p, _I32, ctypes.c_size_t, _SZ])
_sig("smon_clusterer_centroids", ctypes.c_int, [ctypes.c_void_p, _D, ctypes.c_size_t, _SZ, _SZ])
_sig("smon_clusterer_cut", ctypes.c_int, [ctypes.c_void_p, ctypes.c_size_t, _I32, ctypes.c_size_t])


class AnomalyType(enum.Enum):
    """Why a point is anomalous (`result.anomaly_type.value` is the name)."""
    NORMAL = "none"
    OUTLIER = "outlier"
    EMERGING_CLUSTER = "emerging_cluster"
    DRIFTED_CLUSTER = "drifted_cluster"


_TYPES = [AnomalyType.NORMAL, AnomalyType.OUTLIER, AnomalyType.EMERGING_CLUSTER, AnomalyType.DRIFTED_CLUSTER]
_IMPACT = ["revenue", "user_experience", "operational", "security"]


@dataclass
class ClusteringInput:
    """One observation: named numeric features of an entity at a time, from a service."""
    data_id: str
    timestamp: Any = None  # datetime, epoch seconds (float/int), or None for now
    features: Dict[str, float] = field(default_factory=dict)
    service_name: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)


@dataclass
class ClusteringResult:
    """The verdict of `detect_anomaly`."""
    data_id: str
    is_anomaly: bool
    anomaly_type: AnomalyType
    anomaly_score: float
    business_impact_score: float
    impact_category: str
    cluster_id: int
    drift_detected: bool
    cluster_drift: float
    recommended_actions: List[str]
    timestamp: Any = None


def _matrix(X, d_expected: Optional[int] = None) -> np.ndarray:
    a = np.asarray(X, dtype=np.float64)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2:
        raise InvalidArgumentError(f"expected a 2-D array (n, d), got {a.ndim} dimensions", 1)
    a = np.ascontiguousarray(a)
    if d_expected is not None and a.shape[1] != d_expected and a.shape[0] > 0:
        raise InvalidArgumentError(f"points have {a.shape[1]} features, the model expects {d_expected}", 1)
    return a


def _ptr(a: np.ndarray):
    return a.ctypes.data_as(_D)


def _ms(ts) -> int:
    if ts is None:
        return int(time.time() * 1000)
    if isinstance(ts, _dt.datetime):
        if ts.tzinfo is None:
            ts = ts.replace(tzinfo=_dt.timezone.utc)
        return int(ts.timestamp() * 1000)
    return int(float(ts) * 1000)


class AdaptiveClusteringSystem(Handle):
    """A clusterer handle. Options are clusterer.* config keys, with or without the prefix
    (`algorithm="gmm"`, `k=3`, `standardize=True`, `eps=0.5`, ...), or any other config key
    given in `config` (e.g. "context.impact_rules")."""

    def __init__(self, config: Optional[Mapping[str, Any]] = None, feature_names: Optional[Sequence[str]] = None,
                 **options):
        opts: Dict[str, Any] = dict(config or {})
        for k, v in options.items():
            opts[k if "." in k else "clusterer." + k] = v
        ptr = ctypes.c_void_p()
        with native_config(opts) as cfg:
            check(lib.smon_clusterer_new(cfg, ctypes.byref(ptr)))
        super().__init__("clusterer", ptr)
        self.feature_names: Optional[List[str]] = list(feature_names) if feature_names else None
        self._d: Optional[int] = len(self.feature_names) if self.feature_names else None

    # -- numpy batch calls -------------------------------------------------------------
    def fit(self, X, feature_names: Optional[Sequence[str]] = None) -> "AdaptiveClusteringSystem":
        """Fits the configured algorithm on X (n, d); returns self."""
        a = _matrix(X)
        check(lib.smon_clusterer_fit(self._live(), _ptr(a), a.shape[0], a.shape[1]))
        self._d = a.shape[1]
        if feature_names is not None:
            self.feature_names = list(feature_names)
        return self

    def predict(self, X) -> np.ndarray:
        """Cluster labels (int32; -1 noise) of X against the fitted model."""
        return self.predict_with_scores(X)[0]

    def predict_with_scores(self, X):
        """(labels, calibrated anomaly scores in [0, 1])."""
        a = _matrix(X, self._d)
        n = a.shape[0]
        labels = np.empty(n, dtype=np.int32)
        scores = np.empty(n, dtype=np.float64)
        check(lib.smon_clusterer_predict(self._live(), _ptr(a), n, a.shape[1], labels.ctypes.data_as(_I32),
                                         scores.ctypes.data_as(_D)))
        return labels, scores

    def score(self, X) -> np.ndarray:
        """Calibrated anomaly scores in [0, 1] of X."""
        return self.predict_with_scores(X)[1]

    score_samples = score

    def fit_predict(self, X) -> np.ndarray:
        """Fits on X and returns the training labels."""
        return self.fit(X).labels_

    def update(self, X):
        """Online update, one event per row: returns (labels, scores, AnomalyType codes)."""
        a = _matrix(X, self._d)
        n = a.shape[0]
        labels = np.empty(n, dtype=np.int32)
        scores = np.empty(n, dtype=np.float64)
        types = np.empty(n, dtype=np.int32)
        check(lib.smon_clusterer_update(self._live(), _ptr(a), n, a.shape[1], labels.ctypes.data_as(_I32),
                                        scores.ctypes.data_as(_D), types.ctypes.data_as(_I32)))
        self._d = a.shape[1]
        return labels, scores, types

    partial_fit = update

    @property
    def labels_(self) -> np.ndarray:
        """Labels of the last fit."""
        n = ctypes.c_size_t()
        check(lib.smon_clusterer_labels(self._live(), None, 0, ctypes.byref(n)))
        out = np.empty(n.value, dtype=np.int32)
        check(lib.smon_clusterer_labels(self._live(), out.ctypes.data_as(_I32), n.value, ctypes.byref(n)))
        return out

    @property
    def cluster_centers_(self) -> np.ndarray:
        """Cluster centres in input space, shape (k, d)."""
        k, d = ctypes.c_size_t(), ctypes.c_size_t()
        check(lib.smon_clusterer_centroids(self._live(), None, 0, ctypes.byref(k), ctypes.byref(d)))
        out = np.empty((k.value, d.value), dtype=np.float64)
        check(lib.smon_clusterer_centroids(self._live(), out.ctypes.data_as(_D), out.size, ctypes.byref(k),
                                           ctypes.byref(d)))
        return out

    def cut(self, k: int) -> np.ndarray:
        """Agglomerative models: training labels with the dendrogram cut into k clusters."""
        if int(k) < 1:
            raise InvalidArgumentError("k must be at least 1", 1)
        n = ctypes.c_size_t()
        check(lib.smon_clusterer_labels(self._live(), None, 0, ctypes.byref(n)))
        out = np.empty(max(n.value, 1), dtype=np.int32)
        check(lib.smon_clusterer_cut(self._live(), int(k), out.ctypes.data_as(_I32), out.size))
        return out[:n.value]

    def metrics(self) -> dict:
        """Quality (silhouette, Davies–Bouldin, Calinski–Harabasz, inertia, BIC), stability
        between refits (adjusted Rand, Jaccard) and drift figures."""
        m = ClusterMetrics()
        check(lib.smon_clusterer_metrics(self._live(), ctypes.byref(m)))
        return {name: getattr(m, name) for name, _ in ClusterMetrics._fields_}

    get_cluster_metrics = metrics

    # -- the seed's per-event API -------------------------------------------------------
    def _vector(self, features: Mapping[str, float]) -> np.ndarray:
        if not isinstance(features, Mapping) or not features:
            raise InvalidArgumentError("features must be a non-empty mapping of name -> number", 1)
        names = self.feature_names if self.feature_names is not None else sorted(features)
        missing = [f for f in names if f not in features]
        if missing:
            raise InvalidArgumentError(f"missing features: {', '.join(missing)}", 1)
        if self._d is not None and len(names) != self._d:
            raise InvalidArgumentError(f"{len(names)} features given, the model expects {self._d}", 1)
        try:
            x = np.array([float(features[f]) for f in names], dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(f"features must be numbers: {e}", 1) from None
        if self.feature_names is None:
            self.feature_names = list(names)
        return x

    def detect_anomaly(self, item: ClusteringInput) -> ClusteringResult:
        """Scores one observation against the model (or the online micro-clusters before a
        fit), learns it, and returns the verdict with business weighting and actions."""
        x = self._vector(item.features)
        out = ClusterDetection()
        js = ctypes.c_void_p()
        svc = None if item.service_name is None else encode(item.service_name, "service_name")
        check(lib.smon_clusterer_detect(self._live(), _ptr(x), x.shape[0], svc, _ms(item.timestamp),
                                        ctypes.byref(out), ctypes.byref(js)))
        self._d = x.shape[0]
        info = json.loads(take_string(js))
        return ClusteringResult(
            data_id=item.data_id, is_anomaly=bool(out.is_anomaly), anomaly_type=_TYPES[out.anomaly_type],
            anomaly_score=out.anomaly_score, business_impact_score=out.business_impact_score,
            impact_category=_IMPACT[out.impact_category] if 0 <= out.impact_category < 4 else "operational",
            cluster_id=out.cluster, drift_detected=bool(out.drift_alarm), cluster_drift=out.cluster_drift,
            recommended_actions=list(info.get("recommended_actions", [])), timestamp=item.timestamp)


__all__ = ["AdaptiveClusteringSystem", "ClusteringInput", "ClusteringResult", "AnomalyType", "ClusterMetrics"]
