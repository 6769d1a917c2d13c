"""The examples inside a real monitoring stack, on loopback: a real Prometheus server scrapes
`smon_exporter` (which itself scores Prometheus's own /metrics), a rule over the exporter's
series fires, Prometheus sends it to a real Alertmanager, and Alertmanager's webhook delivers
it to the spotifymon alert receiver, which classifies it.

This checks what unit tests cannot: that Prometheus's own parser accepts the exporter's
exposition, that the exporter copes with a real Go client's /metrics (counters, histograms,
summaries, escaped labels), and that a real Alertmanager's v4 webhook payload classifies.
The servers come from Debian's `prometheus` and `prometheus-alertmanager` packages, which
`scripts/setup.sh` installs.
"""
import importlib.util
import json
import pathlib
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(name, rel):
    spec = importlib.util.spec_from_file_location(name, ROOT / rel)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


smon_exporter = load("smon_exporter_stack", "Examples/prometheus-exporter/smon_exporter.py")
receiver_mod = load("receiver_stack", "Examples/alertmanager-receiver/receiver.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: scripts/setup.sh installs it (Debian package)")
    return path


def get_json(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read())


def wait_for(what, fn, timeout=60.0):
    """Polls fn() until it returns something truthy; fails with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = fn()
            if value:
                return value
        except OSError as e:  # server not up yet
            last = e
        time.sleep(0.25)
    pytest.fail(f"timed out waiting for {what} (last error: {last})")


class Server:
    """A child process with its log kept for the failure message."""

    def __init__(self, args, log):
        self.log = log
        self.proc = subprocess.Popen(args, stdout=open(log, "wb"), stderr=subprocess.STDOUT)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def tail(self):
        return pathlib.Path(self.log).read_text(errors="replace")[-2000:]


def test_prometheus_scrapes_exporter_and_alertmanager_delivers_to_receiver(tmp_path):
    prom_bin, am_bin = binary("prometheus"), binary("prometheus-alertmanager")
    prom_port, am_port = free_port(), free_port()

    # The receiver, then Alertmanager pointing its webhook at it.
    rec = receiver_mod.Receiver()
    rec_server = rec.serve("127.0.0.1", 0)
    (tmp_path / "am.yml").write_text(f"""
route: {{receiver: smon, group_by: [alertname], group_wait: 1s, group_interval: 1s, repeat_interval: 1h}}
receivers:
  - name: smon
    webhook_configs: [{{url: "http://127.0.0.1:{rec_server.server_address[1]}/alerts", send_resolved: true}}]
""")
    # The exporter scores Prometheus's own /metrics (a real Go client's exposition).
    exporter = smon_exporter.Exporter([f"http://127.0.0.1:{prom_port}/metrics"])
    exp_server = exporter.serve("127.0.0.1", 0)
    stop = threading.Event()

    def scrape_loop():
        while not stop.is_set():
            exporter.scrape_once()
            stop.wait(0.5)

    (tmp_path / "rules.yml").write_text("""
groups:
  - name: smon
    rules:
      - alert: SmonDetectorTracksSeries
        expr: smon_detector_series > 0
        labels: {severity: warning, service: monitoring}
        annotations: {summary: "spotifymon detector is scoring series", description: "the exporter is up"}
""")
    (tmp_path / "prometheus.yml").write_text(f"""
global: {{scrape_interval: 1s, evaluation_interval: 1s}}
rule_files: ["{tmp_path / 'rules.yml'}"]
alerting:
  alertmanagers: [{{static_configs: [{{targets: ["127.0.0.1:{am_port}"]}}]}}]
scrape_configs:
  - job_name: smon
    static_configs: [{{targets: ["127.0.0.1:{exp_server.server_address[1]}"]}}]
""")
    am = Server([am_bin, f"--config.file={tmp_path / 'am.yml'}", f"--storage.path={tmp_path / 'am-data'}",
                 f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
                str(tmp_path / "am.log"))
    prom = Server([prom_bin, f"--config.file={tmp_path / 'prometheus.yml'}",
                   f"--storage.tsdb.path={tmp_path / 'prom-data'}",
                   f"--web.listen-address=127.0.0.1:{prom_port}"], str(tmp_path / "prom.log"))
    thread = threading.Thread(target=scrape_loop, daemon=True)
    query = f"http://127.0.0.1:{prom_port}/api/v1/query?query="
    try:
        try:
            def ready():
                with urllib.request.urlopen(f"http://127.0.0.1:{prom_port}/-/ready", timeout=5) as r:
                    return r.status == 200
            wait_for("Prometheus to be ready", ready)
            thread.start()
            # 1. Prometheus scrapes the exporter and stores the scores of Prometheus's own metrics.
            def scores():
                r = get_json(query + urllib.parse.quote("smon_anomaly_score"))["data"]["result"]
                return r if len(r) >= 20 else None
            result = wait_for("smon_anomaly_score in Prometheus", scores)
            for sample in result:
                assert sample["metric"]["job"] == "smon" and "metric" in sample["metric"]
                assert 0.0 <= float(sample["value"][1]) <= 1.0
            up = get_json(query + urllib.parse.quote('up{job="smon"}'))["data"]["result"]
            assert [s["value"][1] for s in up] == ["1"]
            # Counters of the target became rates, histograms and summaries were left out.
            names = {s["metric"]["metric"] for s in result}
            assert any(n.endswith("_total:rate") for n in names)
            assert not any(n.endswith("_bucket") for n in names)
            assert exporter.scrape_errors == 0

            # 2. The rule fires, Alertmanager delivers it, the receiver classifies it.
            def delivered():
                with rec.lock:
                    return [d for d in rec.decisions if d.get("alert_id") and "alert_class" in d]
            decisions = wait_for("the alert at the receiver", delivered)
        except BaseException:
            print("prometheus log:\n" + prom.tail() + "\nalertmanager log:\n" + am.tail())
            raise
        d = decisions[0]
        for key in ("alert_class", "priority", "recommended_team", "false_positive_probability", "group_id",
                    "suppressed"):
            assert key in d, key
        assert d["priority"] in ("P1", "P2", "P3", "P4")
        assert rec.counts["received"] >= 1
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(timeout=5)
        prom.stop()
        am.stop()
        exp_server.shutdown()
        rec_server.shutdown()
