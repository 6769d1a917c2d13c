#!/usr/bin/env python3
"""smon_exporter: a Prometheus exporter that scores other exporters' metrics for anomalies.

It scrapes one or more Prometheus text endpoints (node_exporter, an application's /metrics)
and/or this host's own /proc figures, streams every sample through one in-process spotifymon
detector (counters become per-second rates first), and serves the results on its own
/metrics for Prometheus to scrape and Alertmanager rules to fire on:

    smon_anomaly_score{metric="...",<original labels>}     calibrated score in [0, 1]
    smon_anomaly{...}                                      1 while the point is anomalous
    smon_anomaly_severity{...}                             0 none .. 4 critical
    smon_anomaly_expected_low / _high{...}                 the plausible range
    smon_detector_*                                        the detector's own telemetry

The detector state is snapshotted to --state on exit (SIGTERM/SIGINT) and restored at start,
so a restart does not forget what normal looks like.

    python3 smon_exporter.py --listen 127.0.0.1:9464 --target http://127.0.0.1:9100/metrics
    python3 smon_exporter.py --host-metrics --interval 5
"""
from __future__ import annotations

import argparse
import math
import os
import re
import signal
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, Iterable, List, Optional, Tuple

import numpy as np

try:
    from spotifymon.anomaly import RealTimeAnomalyDetector
except ImportError:  # running from a checkout: use the in-tree binding
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Bindings", "python"))
    from spotifymon.anomaly import RealTimeAnomalyDetector

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?\s*$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text: str) -> Tuple[Dict[str, str], List[Tuple[str, Dict[str, str], float]]]:
    """Parses Prometheus text exposition: ({metric: type}, [(name, labels, value)]).
    Malformed lines and non-finite values are skipped."""
    types: Dict[str, str] = {}
    samples = []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            parts = line.split()
            if len(parts) >= 4:
                types[parts[2]] = parts[3]
            continue
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        try:
            value = float(m.group(4))
        except ValueError:
            continue
        if not math.isfinite(value):
            continue
        labels = {k: v for k, v in _LABEL.findall(m.group(3) or "")}
        samples.append((m.group(1), labels, value))
    return types, samples


def series_key(name: str, labels: Dict[str, str]) -> str:
    """The Prometheus-style key the detector interns."""
    if not labels:
        return name
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def host_samples() -> List[Tuple[str, Dict[str, str], float, str]]:
    """This host's load, memory and CPU figures from /proc: (name, labels, value, type)."""
    out = []
    try:
        load = open("/proc/loadavg").read().split()
        out.append(("node_load1", {}, float(load[0]), "gauge"))
        mem = {}
        for line in open("/proc/meminfo"):
            k, v = line.split(":", 1)
            mem[k] = float(v.split()[0]) * 1024
        if "MemAvailable" in mem and "MemTotal" in mem:
            out.append(("node_memory_available_ratio", {}, mem["MemAvailable"] / mem["MemTotal"], "gauge"))
        cpu = open("/proc/stat").readline().split()[1:]
        names = ["user", "nice", "system", "idle", "iowait", "irq", "softirq"]
        for n, v in zip(names, cpu):
            out.append(("node_cpu_seconds_total", {"mode": n}, float(v) / os.sysconf("SC_CLK_TCK"), "counter"))
    except (OSError, ValueError, IndexError):
        pass
    return out


class Exporter:
    """Scrapes, scores and renders; thread-safe (the HTTP server reads while a scraper writes)."""

    def __init__(self, targets: Iterable[str] = (), host_metrics: bool = False, config: Optional[dict] = None,
                 state: Optional[str] = None):
        self.targets = list(targets)
        self.host_metrics = host_metrics
        self.state = state
        self.detector = RealTimeAnomalyDetector(config)
        if state and os.path.exists(state):
            with open(state, "rb") as f:
                self.detector.restore(f.read())
        self._last_counter: Dict[str, Tuple[float, float]] = {}
        self._results: Dict[str, Tuple[str, Dict[str, str], np.void]] = {}
        self._lock = threading.Lock()
        self.scrape_errors = 0

    def _fetch(self, url: str) -> List[Tuple[str, Dict[str, str], float, str]]:
        with urllib.request.urlopen(url, timeout=10) as r:
            types, samples = parse_exposition(r.read().decode("utf-8", "replace"))
        out = []
        for name, labels, value in samples:
            base = re.sub(r"_(total|count|sum|bucket)$", "", name)
            kind = types.get(name) or types.get(base) or "untyped"
            if kind == "histogram" or kind == "summary":
                continue  # buckets and quantiles: score the application's own gauges and counters
            out.append((name, labels, value, kind))
        return out

    def scrape_once(self, now: Optional[float] = None) -> int:
        """One round: fetch, turn counters into rates, score in one batch. Returns points scored."""
        now = time.time() if now is None else now
        samples = host_samples() if self.host_metrics else []
        for url in self.targets:
            try:
                samples += self._fetch(url)
            except (OSError, ValueError):
                self.scrape_errors += 1
        keys, ids, values, meta = [], [], [], []
        for name, labels, value, kind in samples:
            key = series_key(name, labels)
            if kind == "counter":
                prev = self._last_counter.get(key)
                self._last_counter[key] = (now, value)
                if prev is None or now <= prev[0] or value < prev[1]:
                    continue  # first sight or a counter reset: no rate yet
                value = (value - prev[1]) / (now - prev[0])
                name = name + ":rate"
                key = series_key(name, labels)
            try:
                sid = self.detector.series(key)
            except Exception:
                continue  # too many series or a key the library refuses: skip it, keep going
            keys.append(key); ids.append(sid); values.append(value); meta.append((name, labels))
        if not ids:
            return 0
        ts = np.full(len(ids), int(now * 1000), dtype=np.int64)
        res = self.detector.observe_batch(np.array(ids, dtype=np.uint32), ts, np.array(values))
        with self._lock:
            for key, (name, labels), row in zip(keys, meta, res):
                self._results[key] = (name, labels, row)
        return len(ids)

    def render(self) -> str:
        """The /metrics page."""
        def lab(name: str, labels: Dict[str, str]) -> str:
            items = [("metric", name)] + sorted((k, v) for k, v in labels.items() if k != "metric")
            return "{" + ",".join(f'{k}="{v}"' for k, v in items) + "}"
        lines = []
        with self._lock:
            results = list(self._results.values())
        for metric, help_text, field in [
                ("smon_anomaly_score", "Calibrated anomaly score of the series' latest point, 0..1.", "score"),
                ("smon_anomaly", "1 if the series' latest point is anomalous.", "is_anomaly"),
                ("smon_anomaly_severity", "Severity of the latest point: 0 none, 1 low .. 4 critical.", "severity"),
                ("smon_anomaly_expected_low", "Low end of the plausible range.", "expected_low"),
                ("smon_anomaly_expected_high", "High end of the plausible range.", "expected_high")]:
            lines += [f"# HELP {metric} {help_text}", f"# TYPE {metric} gauge"]
            for name, labels, row in results:
                v = float(row[field])
                if math.isfinite(v):
                    lines.append(f"{metric}{lab(name, labels)} {v:.6g}")
        perf = self.detector.performance()
        lines += ["# HELP smon_detector_observations_total Points scored by the detector.",
                  "# TYPE smon_detector_observations_total counter",
                  f"smon_detector_observations_total {perf['count']}",
                  "# HELP smon_detector_series Series the detector tracks.",
                  "# TYPE smon_detector_series gauge",
                  f"smon_detector_series {self.detector.series_count()}",
                  "# HELP smon_detector_latency_microseconds Per-point scoring latency.",
                  "# TYPE smon_detector_latency_microseconds summary"]
        for q, k in [("0.5", "p50_latency_us"), ("0.95", "p95_latency_us"), ("0.99", "p99_latency_us")]:
            lines.append(f'smon_detector_latency_microseconds{{quantile="{q}"}} {perf[k]:.6g}')
        lines += ["# HELP smon_exporter_scrape_errors_total Failed target scrapes.",
                  "# TYPE smon_exporter_scrape_errors_total counter",
                  f"smon_exporter_scrape_errors_total {self.scrape_errors}"]
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        """Writes the detector snapshot to the state file (atomically)."""
        if self.state:
            tmp = self.state + ".tmp"
            with open(tmp, "wb") as f:
                f.write(self.detector.snapshot())
            os.replace(tmp, self.state)

    def serve(self, host: str, port: int) -> ThreadingHTTPServer:
        """Starts the /metrics HTTP server in a background thread and returns it."""
        exporter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.split("?")[0] != "/metrics":
                    self.send_error(404)
                    return
                body = exporter.render().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="127.0.0.1:9464", help="host:port to serve /metrics on")
    ap.add_argument("--target", action="append", default=[], help="a /metrics URL to scrape (repeatable)")
    ap.add_argument("--host-metrics", action="store_true", help="also score this host's /proc figures")
    ap.add_argument("--interval", type=float, default=15.0, help="seconds between scrapes")
    ap.add_argument("--state", default=None, help="snapshot file: restored at start, written at exit")
    ap.add_argument("--config", action="append", default=[], metavar="KEY=VALUE", help="detector config")
    args = ap.parse_args(argv)
    if not args.target and not args.host_metrics:
        ap.error("give at least one --target or --host-metrics")
    config = dict(kv.split("=", 1) for kv in args.config)
    exporter = Exporter(args.target, args.host_metrics, config, args.state)
    host, port = args.listen.rsplit(":", 1)
    server = exporter.serve(host, int(port))
    print(f"smon_exporter: serving http://{host}:{server.server_address[1]}/metrics", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        exporter.scrape_once()
        stop.wait(args.interval)
    exporter.save()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
