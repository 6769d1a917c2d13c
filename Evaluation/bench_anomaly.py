#!/usr/bin/env python3
"""Anomaly detector speed benchmark, side by side with river's HalfSpaceTrees and
GaussianScorer on the same stream, in one run, one core.

Stream: round-robin over S series (default 100,000), each a noisy daily-shaped metric, epoch-ms
timestamps. Measured:
  * spotifymon observe_batch, default config and the full ensemble (events/s, wall clock of the
    batch calls from Python, plus the library's own telemetry);
  * single-event observe latency (p50/p99 from the library's per-call telemetry);
  * memory: RSS growth for 1,000,000 series registered and observed once (a separate process);
  * river HalfSpaceTrees and GaussianScorer (per-event learn_one + score_one on one stream).
Ratios are printed against each river detector.

Run (one core):
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    taskset -c 0 python3 Evaluation/bench_anomaly.py [--events 2000000] [--series 100000] [--memory-series 1000000]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Bindings", "python"))
os.environ.setdefault("SPOTIFYMON_LIBRARY", os.path.join(ROOT, ".build", "release", "libspotifymon.so"))

FULL = "robust,forest,gru,prototype,novelty"


def make_stream(n_events, n_series, seed=0):
    rng = np.random.default_rng(seed)
    ids = np.arange(n_events, dtype=np.int64) % n_series
    step = np.arange(n_events, dtype=np.int64) // n_series
    base = 50 + 50 * rng.random(n_series)
    vals = base[ids] * (1 + 0.3 * np.sin(step * 2 * np.pi / 288)) + rng.normal(0, 1, n_events)
    spikes = rng.random(n_events) < 1e-4
    vals[spikes] += 10 * base[ids[spikes]]
    ts = 1_700_000_000_000 + step * 300_000
    return ids.astype(np.uint32), ts.astype(np.int64), vals.astype(np.float64)


WARM = 12  # untimed points per series first, so every member runs (steady state)


def bench_spotifymon(members, ids, ts, vals, n_series, batch):
    from spotifymon.anomaly import RealTimeAnomalyDetector
    # Steady state: the warm-up (points that only train) is shortened so that every member,
    # including pattern novelty, is active after WARM untimed points per series.
    cfg = {"series.max": max(n_series, 1), "detector.warmup": WARM - 2}
    if members:
        cfg["detector.members"] = members
    det = RealTimeAnomalyDetector(cfg)
    for k in range(n_series):
        det.series(f"metric{{series=\"{k}\"}}")
    wi, wt, wv = make_stream(WARM * n_series, n_series, 99)
    for s in range(0, len(wi), batch):
        det.observe_batch(wi[s:s + batch], wt[s:s + batch] - 10**10, wv[s:s + batch])
    base = det.performance()
    t0, c0 = time.perf_counter(), time.process_time()
    for s in range(0, len(ids), batch):
        det.observe_batch(ids[s:s + batch], ts[s:s + batch], vals[s:s + batch])
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    perf = det.performance()
    det.close()
    # library-timed rate of the timed part only
    busy = perf["count"] / perf["events_per_second"] - base["count"] / base["events_per_second"]
    perf["events_per_second"] = (perf["count"] - base["count"]) / busy
    perf["cpu_events_per_second"] = len(ids) / cpu
    return len(ids) / wall, perf


def bench_single(members, n, n_series=1000):
    from spotifymon.anomaly import RealTimeAnomalyDetector
    cfg = {"detector.members": members} if members else {}
    det = RealTimeAnomalyDetector(cfg)
    sids = [det.series(f"m{{k=\"{k}\"}}") for k in range(n_series)]
    ids, ts, vals = make_stream(n, n_series, 1)
    # untimed warm-up past detector.warmup, then a fresh handle-level histogram is not
    # available, so warm on a separate detector state copy: restore a warmed snapshot
    wi, wt, wv = make_stream(300 * n_series, n_series, 2)
    det.observe_batch(wi, wt - 10**11, wv)
    snap = det.snapshot()
    det.close()
    det = RealTimeAnomalyDetector(cfg)
    det.restore(snap)
    obs = det.observe
    for i in range(n):
        obs(sids[ids[i]], int(ts[i]), float(vals[i]))
    perf = det.performance()
    det.close()
    return perf


def bench_river(ids, ts, vals, n_hst, n_gauss):
    """Events/s of river's detectors, by wall clock and by process CPU time."""
    from river import anomaly
    out, cpu = {}, {}
    # river's detectors are single-stream models: one model fed the interleaved stream
    # (scaled into [0, 1] for HalfSpaceTrees, as its docs require).
    lo, hi = float(vals.min()), float(vals.max())
    hst = anomaly.HalfSpaceTrees(seed=42)
    x = (vals[:n_hst] - lo) / (hi - lo)
    t0, c0 = time.perf_counter(), time.process_time()
    for v in x:
        d = {"v": float(v)}
        hst.score_one(d)
        hst.learn_one(d)
    out["HalfSpaceTrees"] = n_hst / (time.perf_counter() - t0)
    cpu["HalfSpaceTrees"] = n_hst / (time.process_time() - c0)
    g = anomaly.GaussianScorer()
    t0, c0 = time.perf_counter(), time.process_time()
    for v in vals[:n_gauss]:
        g.score_one(None, float(v))
        g.learn_one(None, float(v))
    out["GaussianScorer"] = n_gauss / (time.perf_counter() - t0)
    cpu["GaussianScorer"] = n_gauss / (time.process_time() - c0)
    # What a river user monitoring many series runs: one GaussianScorer per series.
    models = {}
    t0, c0 = time.perf_counter(), time.process_time()
    for sid, v in zip(ids[:n_gauss].tolist(), vals[:n_gauss].tolist()):
        m = models.get(sid)
        if m is None:
            m = models[sid] = anomaly.GaussianScorer()
        m.score_one(None, v)
        m.learn_one(None, v)
    out["GaussianScorer per series"] = n_gauss / (time.perf_counter() - t0)
    cpu["GaussianScorer per series"] = n_gauss / (time.process_time() - c0)
    return out, cpu


def memory_child(n_series, members):
    """Runs in a subprocess: RSS growth for n_series series, each registered and observed once."""
    from spotifymon.anomaly import RealTimeAnomalyDetector
    def rss_kib():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0
    cfg = {"series.max": n_series}
    if members:
        cfg["detector.members"] = members
    det = RealTimeAnomalyDetector(cfg)
    before = rss_kib()
    lib = __import__("spotifymon._native", fromlist=["lib"]).lib
    import ctypes
    sid = ctypes.c_uint32()
    for k in range(n_series):
        lib.smon_detector_series(det.ptr, f"m{{k=\"{k}\"}}".encode(), ctypes.byref(sid))
    ids = np.arange(n_series, dtype=np.uint32)
    det.observe_batch(ids, np.zeros(n_series, dtype=np.int64), np.ones(n_series))
    after = rss_kib()
    print(json.dumps({"series": n_series, "rss_growth_bytes": (after - before) * 1024,
                      "bytes_per_series": (after - before) * 1024 / n_series,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--series", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--single", type=int, default=200_000, help="events for the single-observe latency run")
    ap.add_argument("--river-hst", type=int, default=50_000)
    ap.add_argument("--river-gauss", type=int, default=300_000)
    ap.add_argument("--memory-series", type=int, default=1_000_000)
    ap.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--members", default="", help=argparse.SUPPRESS)
    ap.add_argument("--json", help="also write the figures as JSON")
    a = ap.parse_args()
    if a.memory_child:
        memory_child(a.memory_child, a.members)
        return
    ids, ts, vals = make_stream(a.events, a.series)
    res = {}
    print(f"load average at start: {os.getloadavg()[0]:.2f} (other processes share the cores: wall rates are noisy, CPU-time rates less so)")
    print(f"stream: {a.events:,} events round-robin over {a.series:,} series; batch {a.batch:,}", flush=True)
    for name, members in [("default", ""), ("full ensemble", FULL), ("robust member only", "robust")]:
        n = a.events if name != "full ensemble" else max(a.events // 4, a.series)
        eps, perf = bench_spotifymon(members, ids[:n], ts[:n], vals[:n], a.series, a.batch)
        res[name] = {"events_per_s": eps, "library_events_per_s": perf["events_per_second"],
                     "cpu_events_per_s": perf["cpu_events_per_second"]}
        print(f"spotifymon observe_batch [{name}]: {eps:,.0f} events/s wall, {perf['cpu_events_per_second']:,.0f}/s of CPU time "
              f"(library-timed {perf['events_per_second']:,.0f}/s) on {n:,} events", flush=True)
    for name, members in [("default", ""), ("full ensemble", FULL)]:
        perf = bench_single(members, a.single)
        res[name]["single_p50_us"] = perf["p50_latency_us"]
        res[name]["single_p99_us"] = perf["p99_latency_us"]
        print(f"spotifymon observe (single) [{name}]: p50 {perf['p50_latency_us']:.2f} us, p99 {perf['p99_latency_us']:.2f} us", flush=True)
    river, river_cpu = bench_river(ids, ts, vals, a.river_hst, a.river_gauss)
    res["river"] = river
    res["river_cpu"] = river_cpu
    for k, v in river.items():
        print(f"river {k}: {v:,.0f} events/s wall, {river_cpu[k]:,.0f}/s of CPU time", flush=True)
    for name in ("default", "full ensemble", "robust member only"):
        for k, v in river.items():
            print(f"ratio spotifymon [{name}] / river {k}: {res[name]['events_per_s'] / v:,.1f}x wall, "
                  f"{res[name]['cpu_events_per_s'] / river_cpu[k]:,.1f}x CPU time")
    if a.memory_series:
        for name, members in [("default", ""), ("full ensemble", FULL)]:
            out = subprocess.run([sys.executable, __file__, "--memory-child", str(a.memory_series), "--members", members],
                                 capture_output=True, text=True, check=True).stdout
            m = json.loads(out.strip().splitlines()[-1])
            res[name]["memory"] = m
            print(f"memory [{name}]: {m['series']:,} series -> RSS +{m['rss_growth_bytes'] / 2**30:.2f} GiB "
                  f"({m['bytes_per_series']:,.0f} B/series), peak RSS {m['peak_rss_bytes'] / 2**30:.2f} GiB", flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=2)


if __name__ == "__main__":
    main()
