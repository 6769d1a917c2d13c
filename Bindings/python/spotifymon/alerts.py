"""The intelligent alert classifier (issue 6): the seed's `IntelligentAlertClassifier`,
`AlertFeatures` and `classify_alert(features)`, over libspotifymon's C ABI.

    from spotifymon.alerts import IntelligentAlertClassifier, AlertFeatures
    classifier = IntelligentAlertClassifier()
    result = classifier.classify_alert(AlertFeatures(
        alert_id="alert_001", timestamp=datetime.now(), source_system="prometheus",
        metric_name="http_response_time", alert_message="High response time detected",
        severity_raw="high", current_value=2500.0, threshold_violated=1000.0))
    print(result.alert_class.value, result.priority.value, result.recommended_team)

Learn from what happened with `classifier.learn(features, AlertFeedback(...))`. Batches:
`classify_batch(list)` (one native call) returns results, or a numpy structured array with
`as_numpy=True`. Alertmanager webhook payloads: `classify_json(payload)`.
"""
from __future__ import annotations

import ctypes
import dataclasses
import datetime as _dt
import enum
import json
import math
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

from ._native import (Handle, InvalidArgumentError, check, encode, lib, native_config, take_string)

__all__ = ["AlertClass", "AlertPriority", "AlertFeatures", "AlertFeedback", "AlertClassification",
           "IntelligentAlertClassifier", "classify_alert", "SUPPRESSION_REASONS", "IMPACT_CATEGORIES"]


class _Alert(ctypes.Structure):
    _fields_ = [("alert_id", ctypes.c_char_p), ("timestamp_ms", ctypes.c_int64), ("source_system", ctypes.c_char_p),
                ("metric_name", ctypes.c_char_p), ("alert_message", ctypes.c_char_p), ("severity_raw", ctypes.c_char_p),
                ("service_name", ctypes.c_char_p), ("labels", ctypes.c_char_p), ("fingerprint", ctypes.c_char_p),
                ("current_value", ctypes.c_double), ("threshold_violated", ctypes.c_double), ("resolved", ctypes.c_int32)]


class _Feedback(ctypes.Structure):
    _fields_ = [("true_class", ctypes.c_char_p), ("resolved_by", ctypes.c_char_p), ("false_positive", ctypes.c_int32),
                ("priority", ctypes.c_int32), ("time_to_ack_s", ctypes.c_double), ("time_to_resolve_s", ctypes.c_double)]


class _Result(ctypes.Structure):
    _fields_ = [("alert_class", ctypes.c_int32), ("priority", ctypes.c_int32), ("priority_score", ctypes.c_double),
                ("confidence", ctypes.c_double), ("team", ctypes.c_int32), ("false_positive_probability", ctypes.c_double),
                ("group_id", ctypes.c_uint64), ("new_group", ctypes.c_int32), ("suppressed", ctypes.c_int32),
                ("suppress_reason", ctypes.c_int32), ("impact_category", ctypes.c_int32), ("sla_at_risk", ctypes.c_int32),
                ("ack_deadline_ms", ctypes.c_int64), ("resolve_deadline_ms", ctypes.c_int64),
                ("escalation_levels", ctypes.c_int32), ("escalation_after_min", ctypes.c_double * 3)]


class _Escalation(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint64), ("group_id", ctypes.c_uint64), ("fired_ms", ctypes.c_int64),
                ("due_ms", ctypes.c_int64), ("suppress_reason", ctypes.c_int32), ("priority", ctypes.c_int32),
                ("alert_class", ctypes.c_int32), ("team", ctypes.c_int32)]


_P = ctypes.c_void_p
_decl = [
    ("smon_classifier_new", [_P, ctypes.POINTER(_P)]),
    ("smon_classifier_classify", [_P, ctypes.POINTER(_Alert), ctypes.POINTER(_Result)]),
    ("smon_classifier_classify_batch", [_P, ctypes.POINTER(_Alert), ctypes.c_size_t, ctypes.POINTER(_Result)]),
    ("smon_classifier_classify_json", [_P, ctypes.c_char_p, ctypes.POINTER(_P)]),
    ("smon_classifier_learn", [_P, ctypes.POINTER(_Alert), ctypes.POINTER(_Feedback)]),
    ("smon_classifier_learn_batch", [_P, ctypes.POINTER(_Alert), ctypes.POINTER(_Feedback), ctypes.c_size_t]),
    ("smon_classifier_learn_json", [_P, ctypes.c_char_p]),
    ("smon_classifier_explain", [_P, ctypes.POINTER(_Alert), ctypes.POINTER(_P)]),
    ("smon_classifier_stats", [_P, ctypes.POINTER(_P)]),
    ("smon_classifier_label_name", [_P, ctypes.c_int, ctypes.c_int32, ctypes.c_char_p, ctypes.c_size_t]),
    ("smon_classifier_add_maintenance", [_P, ctypes.c_char_p, ctypes.c_int64, ctypes.c_int64]),
    ("smon_classifier_poll_escalations", [_P, ctypes.c_int64, ctypes.POINTER(_Escalation), ctypes.c_size_t,
                                          ctypes.POINTER(ctypes.c_size_t)]),
]
for _name, _args in _decl:
    getattr(lib, _name).restype = ctypes.c_int
    getattr(lib, _name).argtypes = _args

#: Suppression reasons by code (smon_alert_result.suppress_reason).
SUPPRESSION_REASONS = ["", "duplicate", "likely_false_positive", "flapping", "maintenance_window",
                       "deployment_window", "resolved"]
#: Impact categories by code.
IMPACT_CATEGORIES = ["revenue", "user_experience", "operational", "security"]


class AlertClass(str):
    """A root-cause class name (a str), with `.value` like the seed's enum."""

    @property
    def value(self) -> str:
        return str(self)


class AlertPriority(enum.Enum):
    """Priority levels; `.value` is "P1".."P4", `.level` 1..4 (1 most urgent)."""
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def level(self) -> int:
        return int(self.value[1])


@dataclasses.dataclass
class AlertFeatures:
    """One alert: the seed's fields plus service, labels, fingerprint and status.
    Missing values may be None. `labels` maps names to values (team/owner = ownership,
    depends_on = "a|b" topology, cluster/namespace = context, maintenance = "true")."""
    alert_id: str = ""
    timestamp: Union[_dt.datetime, float, int, str, None] = None
    source_system: Optional[str] = ""
    metric_name: Optional[str] = ""
    alert_message: Optional[str] = ""
    severity_raw: Optional[str] = ""
    current_value: Optional[float] = None
    threshold_violated: Optional[float] = None
    service_name: Optional[str] = ""
    labels: Optional[Mapping[str, Any]] = None
    fingerprint: Optional[str] = ""
    resolved: bool = False


@dataclasses.dataclass
class AlertFeedback:
    """What was learned about an alert: true class, resolving team, false positive,
    priority (1..4 or "P1".."P4"), times to acknowledge / resolve in seconds. None: unknown."""
    true_class: Optional[str] = None
    resolved_by: Optional[str] = None
    false_positive: Optional[bool] = None
    priority: Union[int, str, None] = None
    time_to_ack_s: Optional[float] = None
    time_to_resolve_s: Optional[float] = None


@dataclasses.dataclass
class AlertClassification:
    """The classifier's decisions about one alert."""
    alert_id: str
    alert_class: AlertClass
    priority: AlertPriority
    priority_score: float
    confidence: float
    recommended_team: str
    false_positive_probability: float
    group_id: int
    new_group: bool
    suppressed: bool
    suppression_reason: str
    impact_category: str
    sla_at_risk: bool
    ack_deadline: _dt.datetime
    resolve_deadline: _dt.datetime
    escalation_path: List[str]
    escalation_after_minutes: List[float]


def _ms(ts) -> int:
    if ts is None:
        return 0
    if isinstance(ts, _dt.datetime):
        return int(ts.timestamp() * 1000)
    if isinstance(ts, str):
        try:
            return _ms(_dt.datetime.fromisoformat(ts.replace("Z", "+00:00")))
        except ValueError:
            raise InvalidArgumentError(f"timestamp {ts[:40]!r} is not ISO 8601", 1) from None
    x = float(ts)
    if not math.isfinite(x):
        return 0
    x = max(-4e15, min(4e15, x))
    return int(x * 1000) if abs(x) < 1e11 else int(x)


def _num(v) -> float:
    return math.nan if v is None else float(v)


def _text(v, what) -> Optional[bytes]:
    if v is None or v == "":
        return None
    return encode(str(v) if not isinstance(v, (str, bytes)) else v, what)


def _labels(labels) -> Optional[bytes]:
    if not labels:
        return None
    if isinstance(labels, str):
        return encode(labels, "labels")
    parts = []
    for k, v in dict(labels).items():
        k = str(k).replace(",", " ").replace("=", " ")
        v = "" if v is None else str(v).replace(",", " ")
        parts.append(f"{k}={v}")
    return encode(",".join(parts), "labels")


def _fill(a: _Alert, f: AlertFeatures, keep: list) -> None:
    if not isinstance(f, AlertFeatures):
        raise TypeError(f"expected AlertFeatures, not {type(f).__name__}")
    vals = [_text(f.alert_id, "alert_id"), _text(f.source_system, "source_system"), _text(f.metric_name, "metric_name"),
            _text(f.alert_message, "alert_message"), _text(f.severity_raw, "severity_raw"),
            _text(f.service_name, "service_name"), _labels(f.labels), _text(f.fingerprint, "fingerprint")]
    keep.append(vals)
    (a.alert_id, a.source_system, a.metric_name, a.alert_message, a.severity_raw, a.service_name, a.labels,
     a.fingerprint) = vals
    a.timestamp_ms = _ms(f.timestamp)
    a.current_value = _num(f.current_value)
    a.threshold_violated = _num(f.threshold_violated)
    a.resolved = 1 if f.resolved else 0


def _priority_code(p) -> int:
    if p is None:
        return 0
    if isinstance(p, AlertPriority):
        return p.level
    if isinstance(p, str):
        s = p.upper().lstrip("P")
        if s.isdigit():
            p = int(s)
        else:
            raise InvalidArgumentError(f"priority {p!r} is not P1..P4", 1)
    p = int(p)
    if not 1 <= p <= 4:
        raise InvalidArgumentError(f"priority {p} is not 1..4", 1)
    return p


def _fill_feedback(b: _Feedback, fb: AlertFeedback, keep: list) -> None:
    if not isinstance(fb, AlertFeedback):
        raise TypeError(f"expected AlertFeedback, not {type(fb).__name__}")
    vals = [_text(fb.true_class, "true_class"), _text(fb.resolved_by, "resolved_by")]
    keep.append(vals)
    b.true_class, b.resolved_by = vals
    b.false_positive = -1 if fb.false_positive is None else (1 if fb.false_positive else 0)
    b.priority = _priority_code(fb.priority)
    b.time_to_ack_s = _num(fb.time_to_ack_s)
    b.time_to_resolve_s = _num(fb.time_to_resolve_s)


_RESULT_DTYPE = None


def _result_dtype():
    global _RESULT_DTYPE
    if _RESULT_DTYPE is None:
        import numpy as np
        _RESULT_DTYPE = np.dtype({
            "names": [n for n, _ in _Result._fields_],
            "formats": ["<i4", "<i4", "<f8", "<f8", "<i4", "<f8", "<u8", "<i4", "<i4", "<i4", "<i4", "<i4", "<i8",
                        "<i8", "<i4", ("<f8", (3,))],
            "offsets": [getattr(_Result, n).offset for n, _ in _Result._fields_],
            "itemsize": ctypes.sizeof(_Result)})
    return _RESULT_DTYPE


class IntelligentAlertClassifier(Handle):
    """The seed's intelligent alert classifier. `config` maps classifier./context. keys to
    values (see smon_config_describe); None: defaults. Not for sharing between threads
    without care: calls on one classifier are serialised by the library."""

    def __init__(self, config: Optional[Mapping[str, Any]] = None):
        ptr = ctypes.c_void_p()
        with native_config(config) as cfg:
            check(lib.smon_classifier_new(cfg, ctypes.byref(ptr)))
        super().__init__("classifier", ptr)
        self._names = {0: {}, 1: {}}

    def _name(self, kind: int, index: int) -> str:
        cache = self._names[kind]
        if index not in cache:
            buf = ctypes.create_string_buffer(256)
            check(lib.smon_classifier_label_name(self._live(), kind, index, buf, len(buf)))
            cache[index] = buf.value.decode("utf-8", "replace")
        return cache[index]

    def _result(self, r: _Result, alert_id: str) -> AlertClassification:
        team = self._name(1, r.team)
        levels = r.escalation_levels
        path = [f"{team}-oncall", f"{team}-secondary", "incident-commander"] if levels >= 3 else [f"{team}-oncall", f"{team}-lead"]
        utc = _dt.timezone.utc
        return AlertClassification(
            alert_id=alert_id, alert_class=AlertClass(self._name(0, r.alert_class)),
            priority=AlertPriority(f"P{r.priority}"), priority_score=r.priority_score, confidence=r.confidence,
            recommended_team=team, false_positive_probability=r.false_positive_probability, group_id=r.group_id,
            new_group=bool(r.new_group), suppressed=bool(r.suppressed),
            suppression_reason=SUPPRESSION_REASONS[r.suppress_reason] if 0 <= r.suppress_reason < 7 else "",
            impact_category=IMPACT_CATEGORIES[r.impact_category] if 0 <= r.impact_category < 4 else "operational",
            sla_at_risk=bool(r.sla_at_risk),
            ack_deadline=_dt.datetime.fromtimestamp(r.ack_deadline_ms / 1000, utc),
            resolve_deadline=_dt.datetime.fromtimestamp(r.resolve_deadline_ms / 1000, utc),
            escalation_path=path, escalation_after_minutes=list(r.escalation_after_min)[:levels])

    def classify_alert(self, features: AlertFeatures) -> AlertClassification:
        """Classifies one alert (updates its history, grouping and counters)."""
        a, r, keep = _Alert(), _Result(), []
        _fill(a, features, keep)
        check(lib.smon_classifier_classify(self._live(), ctypes.byref(a), ctypes.byref(r)))
        return self._result(r, features.alert_id or "")

    classify = classify_alert

    def classify_batch(self, features: Sequence[AlertFeatures], as_numpy: bool = False):
        """Classifies many alerts in one native call: a list of AlertClassification, or with
        as_numpy=True a numpy structured array mirroring smon_alert_result (class and team as
        indices: see class_names / team_names)."""
        n = len(features)
        if n == 0:
            return [] if not as_numpy else __import__("numpy").zeros(0, dtype=_result_dtype())
        alerts, out, keep = (_Alert * n)(), (_Result * n)(), []
        for i, f in enumerate(features):
            _fill(alerts[i], f, keep)
        check(lib.smon_classifier_classify_batch(self._live(), alerts, n, out))
        if as_numpy:
            import numpy as np
            return np.frombuffer(bytearray(out), dtype=_result_dtype())
        return [self._result(out[i], features[i].alert_id or "") for i in range(n)]

    def learn(self, features: AlertFeatures, feedback: AlertFeedback) -> None:
        """Learns from what happened with an alert."""
        a, b, keep = _Alert(), _Feedback(), []
        _fill(a, features, keep)
        _fill_feedback(b, feedback, keep)
        check(lib.smon_classifier_learn(self._live(), ctypes.byref(a), ctypes.byref(b)))

    def learn_batch(self, features: Sequence[AlertFeatures], feedback: Sequence[AlertFeedback]) -> None:
        """Learns from many alerts in one native call."""
        n = len(features)
        if n != len(feedback):
            raise ValueError("features and feedback differ in length")
        if n == 0:
            return
        alerts, fbs, keep = (_Alert * n)(), (_Feedback * n)(), []
        for i in range(n):
            _fill(alerts[i], features[i], keep)
            _fill_feedback(fbs[i], feedback[i], keep)
        check(lib.smon_classifier_learn_batch(self._live(), alerts, fbs, n))

    def poll_escalations(self, now=None, max_items: int = 256) -> List[dict]:
        """Suppressed alerts that kept firing: those suppressed while their group had paged for
        nothing (likely false positive, flapping, deployment window) and still
        firing, unresolved, `classifier.escalate_persisting_s` after they fired; and those folded
        as duplicates into a group that paged, still firing `classifier.escalate_outlived_s` after
        every alert the group paged for resolved (suppression_reason "duplicate") — page for them
        now. `now` (datetime, epoch seconds or ms; None: the newest alert time seen). Each dict:
        sequence (how many alerts this classifier had classified before that one), group_id,
        fired_at, due_at (UTC datetimes), suppression_reason, priority, alert_class,
        recommended_team. At most `max_items` per call (the rest stay queued); each is returned
        once; call it as time passes."""
        if max_items < 0:
            raise InvalidArgumentError(f"max_items is {max_items}", 1)
        now_ms = 0 if now is None else _ms(now)
        out, n = (_Escalation * max_items)(), ctypes.c_size_t(0)
        check(lib.smon_classifier_poll_escalations(self._live(), now_ms, out, max_items, ctypes.byref(n)))
        utc = _dt.timezone.utc
        return [{"sequence": e.sequence, "group_id": e.group_id,
                 "fired_at": _dt.datetime.fromtimestamp(e.fired_ms / 1000, utc),
                 "due_at": _dt.datetime.fromtimestamp(e.due_ms / 1000, utc),
                 "suppression_reason": SUPPRESSION_REASONS[e.suppress_reason] if 0 <= e.suppress_reason < 7 else "",
                 "priority": AlertPriority(f"P{e.priority}"), "alert_class": AlertClass(self._name(0, e.alert_class)),
                 "recommended_team": self._name(1, e.team)} for e in out[:n.value]]

    def classify_json(self, payload: Union[str, bytes, Mapping, list]) -> List[dict]:
        """Classifies a JSON AlertFeatures object / array, or an Alertmanager webhook payload
        (version 4); returns the result objects (the CLI's fields). Window lines of the
        `smon classify` format ({"type": "deployment"|"maintenance", "service", "start_ms",
        "end_ms"}) are announced and yield no result."""
        text = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
        out = ctypes.c_void_p()
        check(lib.smon_classifier_classify_json(self._live(), encode(text, "json"), ctypes.byref(out)))
        return json.loads(take_string(out))

    def learn_json(self, payload: Union[str, bytes, Mapping, list]) -> None:
        """Learns from JSON lines with label_class / label_team / label_false_positive / label_priority."""
        text = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
        check(lib.smon_classifier_learn_json(self._live(), encode(text, "json")))

    def explain(self, features: AlertFeatures) -> dict:
        """Why the classifier decides what it does (no state change)."""
        a, keep, out = _Alert(), [], ctypes.c_void_p()
        _fill(a, features, keep)
        check(lib.smon_classifier_explain(self._live(), ctypes.byref(a), ctypes.byref(out)))
        return json.loads(take_string(out))

    def stats(self) -> dict:
        """Counters: suppression by reason, groups, feedback, SLA per priority (breaches, at risk)."""
        out = ctypes.c_void_p()
        check(lib.smon_classifier_stats(self._live(), ctypes.byref(out)))
        return json.loads(take_string(out))

    def add_maintenance(self, service: Optional[str], start_ms: int, end_ms: int) -> None:
        """Announces a maintenance window of a service (None: all)."""
        svc = None if service is None else encode(service, "service")
        check(lib.smon_classifier_add_maintenance(self._live(), svc, int(start_ms), int(end_ms)))

    @property
    def class_names(self) -> List[str]:
        return list(self.stats()["classes"])

    @property
    def team_names(self) -> List[str]:
        return list(self.stats()["teams"])


_default: Optional[IntelligentAlertClassifier] = None


def classify_alert(features: AlertFeatures) -> AlertClassification:
    """Classifies one alert with a process-wide default classifier."""
    global _default
    if _default is None:
        _default = IntelligentAlertClassifier()
    return _default.classify_alert(features)
