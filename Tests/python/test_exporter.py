"""Examples/prometheus-exporter: scrapes a real HTTP target, scores it, serves /metrics, and
keeps its state across a restart."""
import importlib.util
import pathlib
import random
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("smon_exporter", ROOT / "Examples" / "prometheus-exporter" / "smon_exporter.py")
smon_exporter = importlib.util.module_from_spec(spec)
spec.loader.exec_module(smon_exporter)


class Target:
    """A fake application exporter: a latency gauge, a request counter, a histogram."""

    def __init__(self):
        self.rng = random.Random(3)
        self.requests = 0.0
        self.spike = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/metrics"

    def _handler(self):
        target = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self):
                lat = 120 + target.rng.gauss(0, 3) + (900 if target.spike else 0)
                target.requests += 100 + target.rng.gauss(0, 5)
                body = (f'# TYPE app_latency_ms gauge\napp_latency_ms{{route="/play"}} {lat}\n'
                        f'# TYPE app_requests_total counter\napp_requests_total{{route="/play"}} {target.requests}\n'
                        '# TYPE app_size histogram\napp_size_bucket{le="1"} 3\napp_size_count 3\n'
                        'garbage line here\napp_bad_value NaN\n').encode()
                self.send_response(200)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass
        return H


def test_exporter_scores_target_and_serves_metrics(tmp_path):
    target = Target()
    state = tmp_path / "state.bin"
    ex = smon_exporter.Exporter([target.url], state=str(state))
    t = 1_700_000_000.0
    for i in range(400):
        ex.scrape_once(now=t + 15 * i)
    target.spike = True
    ex.scrape_once(now=t + 15 * 400)
    server = ex.serve("127.0.0.1", 0)
    page = urllib.request.urlopen(f"http://127.0.0.1:{server.server_address[1]}/metrics").read().decode()
    server.shutdown()
    types, samples = smon_exporter.parse_exposition(page)
    scores = {(n, tuple(sorted(l.items()))): v for n, l, v in samples if n == "smon_anomaly_score"}
    lat = scores[("smon_anomaly_score", (("metric", "app_latency_ms"), ("route", "/play")))]
    rate = scores[("smon_anomaly_score", (("metric", "app_requests_total:rate"), ("route", "/play")))]
    assert lat > 0.5 and rate < lat  # the spiking gauge scores high, the steady rate does not
    assert not any("app_size" in str(k) or "app_bad_value" in str(k) for k in scores)
    assert types["smon_anomaly"] == "gauge"
    count = [v for n, l, v in samples if n == "smon_detector_observations_total"][0]
    assert count == 401 + 400  # the gauge every round, the counter's rate from the second round on

    ex.save()
    again = smon_exporter.Exporter([target.url], state=str(state))
    assert again.detector.series_count() == 2
    assert again.detector.snapshot() == ex.detector.snapshot()
