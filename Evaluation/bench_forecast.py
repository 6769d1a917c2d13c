#!/usr/bin/env python3
"""Forecaster speed (and accuracy) against statsforecast on M4 hourly, in ONE run, one core.

Measures, on the same series:
  * smon one-shot fit with automatic selection + 48-step forecast with 95% intervals
    (`forecast_batch`, one native call over the series; wall and CPU time per series);
  * smon forecast from a fitted online model (`Forecaster.forecast`, 48 steps, µs per call)
    and online observe throughput;
  * statsforecast AutoETS, AutoTheta, SeasonalNaive (season 24, level 95, n_jobs=1, after a
    warm-up so numba compilation is not billed).
Accuracy (sMAPE, MASE, OWA vs the shipped Naive2, 95% coverage, MSIS) is reported for every
method on the series it ran on.

Run (single core):
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
        python3 Evaluation/bench_forecast.py [--peer-series N | --peer-all] [--out FILE.md]
By default the peers run on a representative subset (every k-th series, N = 30); ours runs on
the same subset AND on all 207.
"""
import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "Bindings", "python"))
from m4_eval import DEFAULT_M4, H, LEVEL, M, load_m4, score_forecasts  # noqa: E402


def time_smon_batch(train, repeats=3):
    from spotifymon.forecast import forecast_batch
    best = None
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fc, lo, hi = forecast_batch(train, H, season=M, level=LEVEL / 100)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if best is None or cpu < best[1]:
            best = (wall, cpu)
    return fc, lo, hi, best[0] / len(train), best[1] / len(train)


def time_smon_online(ids, train, calls=2000):
    from spotifymon.forecast import Forecaster
    f = Forecaster({"forecaster.season": str(M)})
    sids = [f.series(s) for s in ids]
    n_obs = 0
    t0 = time.perf_counter()
    for sid, y in zip(sids, train):
        f.observe_batch(np.full(len(y), sid, dtype=np.uint32), np.arange(len(y), dtype=np.int64) * 3_600_000, y)
        n_obs += len(y)
    observe_s = time.perf_counter() - t0
    for sid in sids:  # fit every series once (first forecast fits if needed)
        f.forecast(sid, H)
    perf0 = f.performance()
    t0 = time.perf_counter()
    for k in range(calls):
        f.forecast(sids[k % len(sids)], H, LEVEL / 100)
    py_us = (time.perf_counter() - t0) / calls * 1e6
    perf = f.performance()
    # native per-call latency from the handle's own telemetry (forecast calls only, by difference)
    native_us = None
    if perf["count"] > perf0["count"]:
        native_us = (perf["mean_latency_us"] * perf["count"] - perf0["mean_latency_us"] * perf0["count"]) / (perf["count"] - perf0["count"])
    f.close()
    return py_us, native_us, n_obs / observe_s


def run_peers(ids, train):
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta, SeasonalNaive
    df = pd.concat([pd.DataFrame({"unique_id": sid, "ds": np.arange(1, len(x) + 1), "y": x})
                    for sid, x in zip(ids, train)], ignore_index=True)
    out = {}
    for model in (AutoETS(season_length=M), AutoTheta(season_length=M), SeasonalNaive(season_length=M)):
        name = repr(model)
        StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=df[df.unique_id == ids[0]], h=H, level=[LEVEL])
        t0, c0 = time.perf_counter(), time.process_time()
        res = StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=df, h=H, level=[LEVEL])
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        res = res.reset_index() if "unique_id" not in res.columns else res
        res = res.set_index("unique_id").loc[ids]
        col = [c for c in res.columns if c != "ds" and "-lo-" not in c and "-hi-" not in c][0]
        get = lambda c: res[c].to_numpy(float).reshape(len(ids), H)  # noqa: E731
        out[name] = (get(col), get(f"{col}-lo-{LEVEL}"), get(f"{col}-hi-{LEVEL}"), wall / len(ids), cpu / len(ids))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--m4", default=DEFAULT_M4)
    ap.add_argument("--peer-series", type=int, default=30, help="peers on every k-th series, this many")
    ap.add_argument("--peer-all", action="store_true", help="peers on all series (slow: AutoETS ~0.4-0.7 s each)")
    ap.add_argument("--out", help="also write the markdown here")
    a = ap.parse_args(argv)

    ids, train, test, naive2 = load_m4(a.m4)
    n = len(ids)
    sub = list(range(n)) if a.peer_all else list(np.linspace(0, n - 1, min(a.peer_series, n)).round().astype(int))
    s_ids, s_train = [ids[i] for i in sub], [train[i] for i in sub]
    s_test, s_naive2 = test[sub], naive2[sub]

    lines = []
    p = lines.append
    p(f"M4 hourly (h={H}, m={M}, {LEVEL}% intervals), one core, one run. "
      f"Peers on {len(sub)} of {n} series ({'all' if a.peer_all else 'evenly spaced ids'}).\n")
    # ours, all series
    fc, lo, hi, wall_all, cpu_all = time_smon_batch(train)
    s_all = score_forecasts(train, test, fc, naive2, lo, hi)
    # ours, the peer subset
    fc_s, lo_s, hi_s, wall_s, cpu_s = time_smon_batch(s_train)
    s_sub = score_forecasts(s_train, s_test, fc_s, s_naive2, lo_s, hi_s)
    py_us, native_us, obs_rate = time_smon_online(ids, train)
    peers = run_peers(s_ids, s_train)

    p("| method | series | sMAPE | MASE | OWA | coverage95 | MSIS | ms/series (wall) | ms/series (CPU) | CPU time vs smon |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    row = lambda name, k, s, w, c, ref: p(  # noqa: E731
        f"| {name} | {k} | {s['sMAPE']:.3f} | {s['MASE']:.3f} | {s['OWA']:.3f} | {s['coverage']:.3f} | {s['MSIS']:.3f} | "
        f"{1000 * w:.2f} | {1000 * c:.2f} | {c / ref:.1f}x |")
    row("smon (auto ensemble)", n, s_all, wall_all, cpu_all, cpu_all)
    if len(sub) != n:
        row("smon (auto ensemble)", len(sub), s_sub, wall_s, cpu_s, cpu_s)
    for name, (f, l, h, w, c) in peers.items():
        row(f"statsforecast {name}", len(sub), score_forecasts(s_train, s_test, f, s_naive2, l, h), w, c, cpu_s)
    p("")
    p(f"- smon forecast from a fitted online model (48 steps + 95% interval): {native_us:.1f} µs per call inside the "
      f"library (handle telemetry), {py_us:.1f} µs per call from Python (ctypes + numpy included).")
    p(f"- smon online observe (batch of each series' history, incl. scheduled automatic refits): {obs_rate / 1000:.0f}K points/s.")
    ets = peers.get("AutoETS")
    if ets:
        p(f"- Speed-up of the smon fit (automatic selection + 48-step forecast) over statsforecast AutoETS on the same "
          f"series: {ets[4] / cpu_s:.0f}x CPU time, {ets[3] / wall_s:.0f}x wall time.")
    text = "\n".join(lines)
    print(text)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
