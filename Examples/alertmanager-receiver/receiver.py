#!/usr/bin/env python3
"""alertmanager-receiver: an Alertmanager webhook receiver that triages alerts in-process.

Point an Alertmanager `webhook_configs` entry at it. Every payload (version 4: `status`,
`groupKey`, `alerts[]` with `labels`, `annotations`, `startsAt`, `endsAt`, `fingerprint`) goes
through one spotifymon classifier: each alert gets a class, a priority, a team, a
false-positive probability, an incident group, and a suppression decision with its reason.
Surfaced alerts are forwarded, per team, to `--forward TEAM=URL` webhooks (or printed); the
suppressed ones are only counted, unless still firing `classifier.escalate_persisting_s` later
(checked at each payload), when they are forwarded as escalated. Operators teach it with POST /feedback (the CLI's JSON
with `label_class`, `label_team`, `label_false_positive`, ...).

    alertmanager.yml:
      receivers:
        - name: smon
          webhook_configs: [{url: "http://127.0.0.1:9095/alerts"}]

    python3 receiver.py --listen 127.0.0.1:9095 --forward sre=http://chat/hooks/sre --state triage.snap

GET /decisions returns the last decisions, GET /metrics the counters in Prometheus form.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional

try:
    from spotifymon.alerts import IntelligentAlertClassifier
except ImportError:  # running from a checkout
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "Bindings", "python"))
    from spotifymon.alerts import IntelligentAlertClassifier

from spotifymon import SpotifyMonError


class Receiver:
    """Classifies webhook payloads and routes the surfaced alerts."""

    def __init__(self, forward: Optional[Dict[str, str]] = None, state: Optional[str] = None,
                 config: Optional[dict] = None):
        self.classifier = IntelligentAlertClassifier(config)
        self.forward = dict(forward or {})
        self.state = state
        if state and os.path.exists(state):
            with open(state, "rb") as f:
                self.classifier.restore(f.read())
        self.decisions: collections.deque = collections.deque(maxlen=1000)
        self.counts = collections.Counter()
        self.lock = threading.Lock()

    def handle_payload(self, body: bytes) -> List[dict]:
        """Classifies one webhook body; returns the decisions (raises SpotifyMonError on bad JSON)."""
        results = self.classifier.classify_json(body)
        surfaced = [r for r in results if not r.get("suppressed")]
        # Alerts suppressed earlier (likely false positive, ...) that are still firing by now: page for them.
        late = [{"alert_class": str(e["alert_class"]), "priority": e["priority"].value, "recommended_team": e["recommended_team"],
                 "group_id": e["group_id"], "escalated": True, "reason": f"still firing since {e['fired_at'].isoformat()}",
                 "suppression_reason": e["suppression_reason"]} for e in self.classifier.poll_escalations()]
        with self.lock:
            self.decisions.extend(results + late)
            self.counts["received"] += len(results)
            self.counts["surfaced"] += len(surfaced)
            self.counts["escalated"] += len(late)
            for r in results:
                if r.get("suppressed"):
                    self.counts["suppressed:" + str(r.get("suppression_reason") or "other")] += 1
        for r in surfaced + late:
            self._route(r)
        return results

    def _route(self, decision: dict) -> None:
        team = decision.get("recommended_team") or "unassigned"
        url = self.forward.get(team) or self.forward.get("*")
        if url is None:
            print(f"[{decision.get('priority')}] -> {team}: {decision.get('alert_class')} "
                  f"group={decision.get('group_id')} alert={decision.get('alert_id')}", flush=True)
            return
        req = urllib.request.Request(url, data=json.dumps(decision).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=5).close()
            self.counts["forwarded"] += 1
        except OSError:
            self.counts["forward_errors"] += 1

    def metrics(self) -> str:
        with self.lock:
            counts = dict(self.counts)
        lines = ["# TYPE smon_receiver_alerts_total counter"]
        for key, value in sorted(counts.items()):
            if key.startswith("suppressed:"):
                lines.append(f'smon_receiver_alerts_total{{outcome="suppressed",reason="{key[11:]}"}} {value}')
            else:
                lines.append(f'smon_receiver_alerts_total{{outcome="{key}"}} {value}')
        perf = self.classifier.performance()
        lines += ["# TYPE smon_classifier_latency_microseconds summary",
                  f'smon_classifier_latency_microseconds{{quantile="0.99"}} {perf["p99_latency_us"]:.6g}']
        return "\n".join(lines) + "\n"

    def save(self) -> None:
        if self.state:
            tmp = self.state + ".tmp"
            with open(tmp, "wb") as f:
                f.write(self.classifier.snapshot())
            os.replace(tmp, self.state)

    def serve(self, host: str, port: int) -> ThreadingHTTPServer:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, code: int, body: bytes, ctype: str = "application/json") -> None:
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length <= 0 or length > 16 << 20:
                    return self._reply(413 if length > 0 else 400, b'{"error":"body size"}')
                body = self.rfile.read(length)
                try:
                    if self.path == "/alerts":
                        out = receiver.handle_payload(body)
                    elif self.path == "/feedback":
                        receiver.classifier.learn_json(body)
                        out = {"learned": True}
                    else:
                        return self._reply(404, b'{"error":"not found"}')
                except SpotifyMonError as e:
                    return self._reply(400, json.dumps({"error": str(e)}).encode())
                self._reply(200, json.dumps(out).encode())

            def do_GET(self):
                if self.path == "/metrics":
                    return self._reply(200, receiver.metrics().encode(), "text/plain; version=0.0.4")
                if self.path == "/decisions":
                    with receiver.lock:
                        body = json.dumps(list(receiver.decisions)).encode()
                    return self._reply(200, body)
                self._reply(404, b'{"error":"not found"}')

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="127.0.0.1:9095")
    ap.add_argument("--forward", action="append", default=[], metavar="TEAM=URL",
                    help="webhook per team for surfaced alerts ('*' for all)")
    ap.add_argument("--state", default=None, help="snapshot file: restored at start, written at exit")
    ap.add_argument("--config", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args(argv)
    receiver = Receiver(dict(f.split("=", 1) for f in args.forward), args.state,
                        dict(kv.split("=", 1) for kv in args.config))
    host, port = args.listen.rsplit(":", 1)
    server = receiver.serve(host, int(port))
    print(f"alertmanager-receiver: listening on http://{host}:{server.server_address[1]}/alerts", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    receiver.save()
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
