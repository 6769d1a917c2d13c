"""Examples/alertmanager-receiver: Alertmanager v4 webhooks over real HTTP, routing, feedback."""
import importlib.util
import json
import pathlib
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("receiver", ROOT / "Examples" / "alertmanager-receiver" / "receiver.py")
receiver_mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(receiver_mod)


def payload(i, status="firing", service="checkout", alertname="HighLatency"):
    return {
        "version": "4", "status": status, "receiver": "smon", "groupKey": f'{{}}:{{alertname="{alertname}"}}',
        "groupLabels": {"alertname": alertname}, "commonLabels": {"alertname": alertname},
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093", "truncatedAlerts": 0,
        "alerts": [{
            "status": status,
            "labels": {"alertname": alertname, "service": service, "severity": "critical", "instance": f"h{i % 3}"},
            "annotations": {"summary": f"p99 latency of {service} above 2s", "description": "latency SLO burn"},
            "startsAt": f"2026-11-25T10:{i % 60:02d}:00Z", "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph", "fingerprint": f"{abs(hash((service, alertname, i % 3))):016x}"[:16],
        }],
    }


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode() if not isinstance(body, bytes) else body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_receiver_classifies_routes_and_learns(tmp_path):
    rec = receiver_mod.Receiver(state=str(tmp_path / "s.snap"))
    server = rec.serve("127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        first = post(base + "/alerts", payload(0))
        assert len(first) == 1
        d = first[0]
        for key in ("alert_class", "priority", "recommended_team", "false_positive_probability", "group_id", "suppressed"):
            assert key in d
        # The same alert repeating minutes later belongs to the same incident group and is folded.
        again = [post(base + "/alerts", payload(i))[0] for i in range(1, 6)]
        assert len({r["group_id"] for r in again} | {d["group_id"]}) <= 2
        assert any(r["suppressed"] for r in again)
        # Feedback is accepted; malformed JSON is a 400 with the library's message, not a crash.
        fb = dict(payload(7)["alerts"][0]["labels"], alert_message="p99 latency of checkout above 2s",
                  service_name="checkout", label_class="performance", label_team="payments")
        assert post(base + "/feedback", fb) == {"learned": True}
        try:
            post(base + "/alerts", b"{not json")
            assert False, "malformed payload accepted"
        except urllib.error.HTTPError as e:
            assert e.code == 400 and "error" in json.loads(e.read())
        metrics = urllib.request.urlopen(base + "/metrics").read().decode()
        assert 'smon_receiver_alerts_total{outcome="received"} 6' in metrics
        decisions = json.loads(urllib.request.urlopen(base + "/decisions").read())
        assert len(decisions) == 6
    finally:
        server.shutdown()
    rec.save()
    again = receiver_mod.Receiver(state=str(tmp_path / "s.snap"))
    assert again.classifier.snapshot() == rec.classifier.snapshot()
