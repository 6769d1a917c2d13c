"""Tests of the alert classifier binding (spotifymon.alerts): seed usage, learning, batches,
JSON / Alertmanager input, snapshots, and bad input (exceptions, never a crash)."""
import datetime as dt
import math

import pytest

from spotifymon._native import BadHandleError, ConfigError, CorruptSnapshotError, InvalidArgumentError, NotFoundError
from spotifymon.alerts import (AlertFeatures, AlertFeedback, AlertPriority, IntelligentAlertClassifier,
                               classify_alert)

T0 = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.timezone.utc)


def seed_alert(**kw):
    base = dict(alert_id="alert_001", timestamp=T0, source_system="prometheus", metric_name="http_response_time",
                alert_message="High response time detected", severity_raw="high", current_value=2500.0,
                threshold_violated=1000.0)
    base.update(kw)
    return AlertFeatures(**base)


def test_seed_example():
    classifier = IntelligentAlertClassifier()
    result = classifier.classify_alert(seed_alert())
    assert isinstance(result.alert_class.value, str) and result.alert_class.value
    assert result.priority.value in ("P1", "P2", "P3", "P4")
    assert isinstance(result.recommended_team, str) and result.recommended_team
    assert 0 <= result.false_positive_probability <= 1 and 0 <= result.priority_score <= 1
    assert result.group_id >= 1 and not result.suppressed
    assert result.ack_deadline > T0 and result.escalation_path[0].endswith("-oncall")
    assert classify_alert(seed_alert()).priority in AlertPriority


def test_learning_routes_and_flags_false_positives():
    c = IntelligentAlertClassifier({"classifier.hash_bits": 14})
    for i in range(60):
        t = T0 + dt.timedelta(hours=i)
        c.learn(seed_alert(alert_message=f"Widget frobnication stalled on shard {i}", service_name="widgets", timestamp=t),
                AlertFeedback(true_class="widgetry", resolved_by="widget-team", false_positive=False, priority="P1"))
        c.learn(seed_alert(alert_message=f"Synthetic ping jitter {i}", service_name="probes", timestamp=t),
                AlertFeedback(true_class="network", resolved_by="netops", false_positive=True, priority=4))
    r = c.classify_alert(seed_alert(alert_message="Widget frobnication stalled on shard 7", service_name="widgets",
                                    timestamp=T0 + dt.timedelta(days=30)))
    assert r.alert_class.value == "widgetry" and r.recommended_team == "widget-team"
    fp = c.classify_alert(seed_alert(alert_message="Synthetic ping jitter 7", service_name="probes",
                                     timestamp=T0 + dt.timedelta(days=31)))
    assert fp.false_positive_probability > 0.7 and fp.suppressed and fp.suppression_reason == "likely_false_positive"
    s = c.stats()
    assert s["feedback"]["class"] == 120 and "P1" in s["sla"]


def test_batch_and_numpy():
    np = pytest.importorskip("numpy")
    c = IntelligentAlertClassifier()
    feats = [seed_alert(alert_id=f"a{i}", service_name=f"svc{i % 3}", timestamp=T0 + dt.timedelta(minutes=i))
             for i in range(50)]
    res = c.classify_batch(feats)
    assert len(res) == 50 and all(r.priority.level in (1, 2, 3, 4) for r in res)
    arr = c.classify_batch(feats, as_numpy=True)
    assert arr.shape == (50,) and np.all((arr["priority"] >= 1) & (arr["priority"] <= 4))
    assert np.all(arr["group_id"] >= 1)
    c.learn_batch(feats, [AlertFeedback(true_class="network", resolved_by="edge")] * 50)
    assert c.performance()["count"] >= 150


def test_json_and_alertmanager():
    c = IntelligentAlertClassifier()
    out = c.classify_json({"alert_id": "j1", "alert_message": "Disk almost full", "service_name": "db",
                           "labels": {"team": "data"}})
    assert out[0]["alert_id"] == "j1" and out[0]["recommended_team"] == "data"
    am = {"version": "4", "status": "firing", "groupKey": "g", "alerts": [
        {"status": "firing", "labels": {"alertname": "HighLatency", "service": "checkout", "severity": "critical"},
         "annotations": {"summary": "p99 above 2s"}, "startsAt": "2026-11-01T10:00:00Z",
         "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "abc"}]}
    out = c.classify_json(am)
    assert len(out) == 1 and out[0]["priority"] in ("P1", "P2", "P3", "P4")
    c.learn_json({"alert_message": "x", "label_class": "security", "label_team": "identity"})
    ex = c.explain(seed_alert())
    assert "class_probabilities" in ex and "top_features" in ex


def test_json_window_lines_are_announced_not_classified():
    # The generated stream's window lines, passed to classify_json like its alert lines,
    # announce the window: no result, nothing counted, and alerts inside it see it.
    c = IntelligentAlertClassifier()
    t = 1793520000000
    assert c.classify_json({"type": "deployment", "service": "checkout", "start_ms": t, "end_ms": t + 1200000}) == []
    assert c.classify_json([{"type": "maintenance", "service": "db", "start_ms": t, "end_ms": t + 600000}]) == []
    assert c.stats()["classified"] == 0
    out = c.classify_json([{"alert_id": "d", "timestamp": t + 60000, "service_name": "checkout", "alert_message": "Error rate up"},
                           {"alert_id": "m", "timestamp": t + 60000, "service_name": "db", "alert_message": "Replication lag"}])
    assert [o["alert_id"] for o in out] == ["d", "m"]
    assert out[0]["context"]["deployment"] and not out[0]["context"]["maintenance"]
    assert out[1]["context"]["maintenance"]
    with pytest.raises(InvalidArgumentError):
        c.classify_json({"type": "deployment", "service": "x", "start_ms": t, "end_ms": t - 1})
    with pytest.raises(InvalidArgumentError):  # nothing to learn from a window
        c.learn_json({"type": "deployment", "service": "x", "start_ms": t, "end_ms": t + 1})
    assert c.stats()["classified"] == 2


def test_snapshot_roundtrip_and_context():
    a = IntelligentAlertClassifier()
    a.add_deployment("checkout", 0, 2**40)
    a.add_maintenance("db", 0, 2**40)
    for i in range(20):
        a.classify_alert(seed_alert(timestamp=T0 + dt.timedelta(minutes=i)))
    snap = a.snapshot()
    b = IntelligentAlertClassifier()
    b.restore(snap)
    x = seed_alert(alert_message="Replication lag", service_name="db", timestamp=T0 + dt.timedelta(hours=5))
    ra, rb = a.classify_alert(x), b.classify_alert(x)
    assert ra == rb
    with pytest.raises(CorruptSnapshotError):
        b.restore(snap[:-3] + b"xyz")
    with pytest.raises(CorruptSnapshotError):
        b.restore(b"")


def test_suppressed_alert_still_firing_is_escalated():
    c = IntelligentAlertClassifier({"classifier.escalate_persisting_s": 600})
    probe = dict(metric_name="probe_success", alert_message="Synthetic check failed for web endpoint /health",
                 service_name="web", source_system="synthetic-probe", severity_raw="warning", current_value=0.0,
                 threshold_violated=1.0)
    for i in range(40):  # learned as a false positive, an hour apart
        t = T0 + dt.timedelta(hours=i)
        f = AlertFeatures(alert_id=f"p{i}", timestamp=t, fingerprint=f"p{i}", **probe)
        c.classify_alert(f)
        c.learn(f, AlertFeedback(false_positive=True))
        c.classify_alert(AlertFeatures(alert_id=f"r{i}", timestamp=t + dt.timedelta(minutes=1), fingerprint=f"p{i}",
                                       resolved=True, **probe))
    t1 = T0 + dt.timedelta(hours=41)
    r = c.classify_alert(AlertFeatures(alert_id="stuck", timestamp=t1, fingerprint="stuck", **probe))
    assert r.suppressed and r.suppression_reason == "likely_false_positive"
    assert c.poll_escalations(t1 + dt.timedelta(minutes=5)) == []
    due = c.poll_escalations(t1 + dt.timedelta(minutes=10))
    assert len(due) == 1 and due[0]["sequence"] == 80 and due[0]["group_id"] == r.group_id
    assert due[0]["fired_at"] == t1 and due[0]["suppression_reason"] == "likely_false_positive"
    assert c.poll_escalations() == []


def test_folded_alert_outliving_its_incident_is_escalated():
    # A pages, B folds behind it; A resolves, B keeps firing: 10 minutes later B is due, once.
    c = IntelligentAlertClassifier({"classifier.escalate_outlived_s": 600})
    def alert(minutes, fp, resolved=False):
        return AlertFeatures(alert_id=f"{fp}{minutes}", timestamp=T0 + dt.timedelta(minutes=minutes), fingerprint=fp,
                             metric_name="lag" if fp == "A" else "slow", service_name="db-a", resolved=resolved,
                             alert_message="Replication lag on db-a is 45s" if fp == "A" else "Slow queries on db-a")
    first = c.classify_alert(alert(0, "A"))
    b = c.classify_alert(alert(0.5, "B"))
    c.classify_alert(alert(1.5, "A", resolved=True))
    assert not first.suppressed and b.suppressed and b.suppression_reason == "duplicate"
    assert c.poll_escalations(T0 + dt.timedelta(minutes=11)) == []
    due = c.poll_escalations(T0 + dt.timedelta(minutes=11.5))
    assert len(due) == 1 and due[0]["sequence"] == 1 and due[0]["group_id"] == b.group_id
    assert due[0]["suppression_reason"] == "duplicate" and due[0]["due_at"] == T0 + dt.timedelta(minutes=11.5)
    assert c.poll_escalations(T0 + dt.timedelta(hours=2)) == [] and c.stats()["escalated_outlived"] == 1


# Fixtures written by earlier libraries, all with this small config (91 KB gzipped each).
FIXTURE_CONFIG = {"classifier.hash_bits": 10, "classifier.max_fingerprints": 64, "classifier.max_classes": 8,
                  "classifier.max_teams": 12}


def load_old_snapshot(name):
    """Restores fixture `name`, classifies one more alert, and checks that the state re-saves
    (as the current payload version) and round-trips exactly; returns (raw bytes, restored)."""
    import gzip
    import pathlib
    data = gzip.decompress((pathlib.Path(__file__).parent / "fixtures" / name).read_bytes())
    c = IntelligentAlertClassifier(FIXTURE_CONFIG)
    c.restore(data)
    stats = c.stats()
    out = c.classify_json({"alert_id": "x", "timestamp": 1793520000000, "metric_name": "db_deadlocks_total",
                           "alert_message": "Deadlock detected in postgres-users transaction", "service_name": "postgres-users"})
    assert len(out) == 1 and out[0]["alert_class"]
    again = c.snapshot()
    assert again != data
    d = IntelligentAlertClassifier(FIXTURE_CONFIG)
    d.restore(again)
    assert d.snapshot() == again  # re-saved as the current version, round-trips exactly
    return data, stats


def test_snapshot_from_payload_version_3_still_loads():
    # Written by the library of commit a2c2388 (classifier payload version 3) after 400 lines
    # of `smon classify --generate 30000 --seed 1` (classified, then learned).
    data, stats = load_old_snapshot("classifier-payload-v3.snap.gz")
    assert stats["classified"] == 400
    with pytest.raises(CorruptSnapshotError):
        IntelligentAlertClassifier().restore(data)  # another shape


def test_snapshot_from_payload_version_4_still_loads():
    # Written by the library of commit c586f32 (classifier payload version 4: no isolated
    # groups yet) from the first lines of `smon classify --generate 30000 --seed 1` through
    # `classify_json` (411 lines; that library read the window announcements among them as
    # alerts with defaults), the 400 alerts among them learned.
    _, stats = load_old_snapshot("classifier-payload-v4.snap.gz")
    assert stats["classified"] == 411 and stats["pending_escalations"] == 41 and stats["groups_isolated"] == 0


def test_snapshot_from_payload_version_5_still_loads():
    # Written by the library of commit aa69059 (classifier payload version 5: no paged counts,
    # folded alerts nor outlived ring yet) from the first 420 lines of that library's
    # `smon classify --generate 30000 --seed 1` through `classify_json`, the 409 alerts among
    # them learned through `learn_json`.
    _, stats = load_old_snapshot("classifier-payload-v5.snap.gz")
    assert stats["classified"] == 409 and stats["groups_isolated"] == 6 and stats["pending_escalations"] == 42
    assert stats["escalated_outlived"] == 0 and stats["pending_outlived"] == 0


def test_snapshot_from_payload_version_6_still_loads():
    # Written by the library of commit 36df109 (classifier payload version 6: no priorities
    # per service yet) from the first 420 lines of `smon classify --generate 30000 --seed 1`
    # through `classify_json`, the 408 alerts among them learned through `learn_json`.
    _, stats = load_old_snapshot("classifier-payload-v6.snap.gz")
    assert stats["classified"] == 408 and stats["pending_outlived"] == 27
    assert stats["surfaced_service_upgrade"] == 0


def test_bad_input_raises_or_is_defined():
    c = IntelligentAlertClassifier()
    with pytest.raises(ConfigError):
        IntelligentAlertClassifier({"classifier.hash_bits": 99})
    with pytest.raises(ConfigError):
        IntelligentAlertClassifier({"classifier.nope": 1})
    # Missing fields, NaN, empty and huge messages, odd labels: defined results.
    r = c.classify_alert(AlertFeatures())
    assert r.priority in AlertPriority and not math.isnan(r.priority_score)
    r = c.classify_alert(seed_alert(current_value=float("nan"), threshold_violated=0.0, alert_message="",
                                    labels={"": "", "a=b": "c,d", "team": None}))
    assert 0 <= r.priority_score <= 1
    r = c.classify_alert(seed_alert(alert_message="x" * (2 << 20), timestamp=float("inf")))
    assert r.group_id >= 1
    r = c.classify_alert(seed_alert(alert_message="\udcff invalid surrogate", service_name="caf\u00e9"))
    assert r.group_id >= 1
    with pytest.raises(InvalidArgumentError):
        c.classify_alert(seed_alert(alert_message="nul\x00inside"))
    with pytest.raises(InvalidArgumentError):
        c.classify_alert(seed_alert(timestamp="yesterday"))
    with pytest.raises(TypeError):
        c.classify_alert({"alert_id": "x"})
    with pytest.raises(ValueError):
        c.classify_alert(seed_alert(current_value="abc"))
    with pytest.raises(InvalidArgumentError):
        c.learn(seed_alert(), AlertFeedback(priority="P9"))
    with pytest.raises(InvalidArgumentError):
        c.classify_json("{not json")
    with pytest.raises(InvalidArgumentError):
        c.classify_json("[1, 2]")
    with pytest.raises(InvalidArgumentError):
        c.learn_json('{"alert_message": "no labels"}')
    with pytest.raises(InvalidArgumentError):
        c.add_maintenance("db", 10, 5)
    with pytest.raises(NotFoundError):
        c._name(0, 999)
    with pytest.raises(ValueError):
        c.learn_batch([seed_alert()], [])
    c.close()
    with pytest.raises(BadHandleError):
        c.classify_alert(seed_alert())
    c.close()
