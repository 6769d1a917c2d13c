#!/usr/bin/env python3
"""M4 hourly evaluation of `smon forecast` (and optionally statsforecast peers).

Reads Hourly-train/test and the shipped Naive2 forecasts, writes the training parts in long
format (series,timestamp,value with integer steps 1..n), runs
`smon forecast FILE --horizon 48 --season 24 --level 95`, and reports, averaged over series,
sMAPE, MASE (m = 24), OWA vs Naive2, 95% interval coverage and MSIS, as the data README
defines them, plus wall time per series. `--peers` runs statsforecast AutoETS, AutoTheta and
SeasonalNaive (season 24, level 95, n_jobs=1) on the same series in the same run.

`score_forecasts(...)` scores any forecast array standalone (numpy only).

`--dev` evaluates on a development split of the TRAINING data only (the last 48 points of each
training part are held out; Naive2 is recomputed the M4 way on the shortened series): use it to
choose settings without looking at the test part.

Run:
    python3 Evaluation/m4_eval.py [--limit N] [--peers] [--skip-smon] [--smon PATH] [--dev] [--set KEY=VALUE ...]
"""
import argparse
import csv
import os
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # one core, for smon and the peers alike
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_SMON, find_smon, run_smon  # noqa: E402

DEFAULT_M4 = "/work/shared/data/m4-hourly"
H, M, LEVEL = 48, 24, 95


# ---------------------------------------------------------------- metrics (numpy only)
def smape(y, f):
    y, f = np.asarray(y, float), np.asarray(f, float)
    return float(200.0 / len(y) * np.sum(np.abs(y - f) / (np.abs(y) + np.abs(f))))


def seasonal_scale(insample, m=M):
    """(1/(n-m)) * sum_{t>m} |y_t - y_{t-m}| over the training part."""
    x = np.asarray(insample, float)
    return float(np.mean(np.abs(x[m:] - x[:-m])))


def mase(y, f, insample, m=M):
    return float(np.mean(np.abs(np.asarray(y, float) - np.asarray(f, float))) / seasonal_scale(insample, m))


def msis(y, lo, hi, insample, m=M, level=LEVEL):
    y, lo, hi = (np.asarray(a, float) for a in (y, lo, hi))
    a = 2.0 / (1.0 - level / 100.0)  # 40 for 95%
    pen = (hi - lo) + a * (lo - y) * (y < lo) + a * (y - hi) * (y > hi)
    return float(np.mean(pen) / seasonal_scale(insample, m))


def coverage(y, lo, hi):
    y = np.asarray(y, float)
    return float(np.mean((y >= np.asarray(lo, float)) & (y <= np.asarray(hi, float))))


def score_forecasts(train, test, fc, naive2=None, lo=None, hi=None, m=M, level=LEVEL):
    """Score forecasts for a list of series.

    train: list of 1-d arrays; test, fc, naive2, lo, hi: arrays (n_series, h) or lists.
    Returns dict with mean sMAPE, MASE, OWA (needs naive2), coverage and MSIS (need lo/hi)."""
    n = len(train)
    out = {"sMAPE": np.mean([smape(test[i], fc[i]) for i in range(n)]),
           "MASE": np.mean([mase(test[i], fc[i], train[i], m) for i in range(n)])}
    if naive2 is not None:
        s2 = np.mean([smape(test[i], naive2[i]) for i in range(n)])
        m2 = np.mean([mase(test[i], naive2[i], train[i], m) for i in range(n)])
        out["OWA"] = 0.5 * (out["sMAPE"] / s2 + out["MASE"] / m2)
    if lo is not None and hi is not None:
        out["coverage"] = np.mean([coverage(test[i], lo[i], hi[i]) for i in range(n)])
        out["MSIS"] = np.mean([msis(test[i], lo[i], hi[i], train[i], m, level) for i in range(n)])
    return {k: float(v) for k, v in out.items()}


# ---------------------------------------------------------------- data
def read_wide(path):
    """{id: np.array(values)} from an M4 wide csv (ragged rows, first column = id)."""
    out = {}
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            out[row[0].strip('"')] = np.array([float(v) for v in row[1:] if v.strip() != ""])
    return out


def load_m4(m4_dir, limit=None):
    train = read_wide(os.path.join(m4_dir, "Hourly-train.csv"))
    test = read_wide(os.path.join(m4_dir, "Hourly-test.csv"))
    naive2 = read_wide(os.path.join(m4_dir, "submission-Naive2-Hourly.csv"))
    ids = sorted(train, key=lambda s: int(s[1:]))[:limit]
    return ids, [train[i] for i in ids], np.array([test[i][:H] for i in ids]), np.array([naive2[i][:H] for i in ids])


def naive2_forecast(x, m=M, h=H):
    """The M4 Naive2: naive forecast of the series seasonally adjusted by classical multiplicative
    decomposition, applied when the 90% autocorrelation test at lag m finds seasonality."""
    x = np.asarray(x, float)
    n = len(x)
    if n >= 3 * m:
        acf = [np.corrcoef(x[k:], x[:-k])[0, 1] for k in range(1, m + 1)]
        limit = 1.645 * np.sqrt((1 + 2 * np.sum(np.square(acf[:-1]))) / n)
        if abs(acf[-1]) > limit:
            w = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
            ma = np.convolve(x, w, mode="valid")
            off = m // 2
            ratio = x[off:off + len(ma)] / ma
            phase = (np.arange(len(ratio)) + off) % m
            si = np.array([ratio[phase == i].mean() for i in range(m)])
            si /= si.mean()
            return x[-1] / si[(n - 1) % m] * si[np.arange(n, n + h) % m]
    return np.full(h, x[-1])


def dev_split(train, h=H):
    """(train minus its last h points, those h points, Naive2 on the shortened training parts)."""
    short = [x[:-h] for x in train]
    return short, np.array([x[-h:] for x in train]), np.array([naive2_forecast(x) for x in short])


def write_long(path, ids, train):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "timestamp", "value"])
        for sid, x in zip(ids, train):
            w.writerows([sid, t + 1, repr(float(v))] for t, v in enumerate(x))


def parse_smon_forecast(text, ids, h=H):
    rows = list(csv.DictReader(text.splitlines()))
    fc, lo, hi = (np.full((len(ids), h), np.nan) for _ in range(3))
    pos = {s: k for k, s in enumerate(ids)}
    for r in rows:
        k, step = pos.get(r["series"]), int(float(r["step"]))
        if k is not None and 1 <= step <= h:
            fc[k, step - 1], lo[k, step - 1], hi[k, step - 1] = float(r["forecast"]), float(r["lo"]), float(r["hi"])
    missing = [ids[k] for k in range(len(ids)) if np.isnan(fc[k]).any()]
    if missing:
        raise ValueError(f"smon output lacks forecasts for {len(missing)} series, e.g. {missing[:5]}")
    return fc, lo, hi


# ---------------------------------------------------------------- runners
def run_smon_forecast(smon, ids, train, settings=()):
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "m4_hourly_long.csv")
        write_long(p, ids, train)
        extra = [a for kv in settings for a in ("--set", kv)]
        t0 = time.perf_counter()
        out = run_smon(smon, ["forecast", p, "--horizon", str(H), "--season", str(M), "--level", str(LEVEL), *extra])
        dt = time.perf_counter() - t0
    return (*parse_smon_forecast(out, ids), dt)


def run_peers(ids, train):
    """statsforecast AutoETS / AutoTheta / SeasonalNaive, one fit per model for separate timing."""
    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta, SeasonalNaive
    df = pd.concat([pd.DataFrame({"unique_id": sid, "ds": np.arange(1, len(x) + 1), "y": x})
                    for sid, x in zip(ids, train)], ignore_index=True)
    results = {}
    for model in (AutoETS(season_length=M), AutoTheta(season_length=M), SeasonalNaive(season_length=M)):
        name = repr(model)
        # warm-up on one series so numba JIT compilation is not billed to the timing
        StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=df[df.unique_id == ids[0]], h=H, level=[LEVEL])
        t0 = time.perf_counter()
        out = StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=df, h=H, level=[LEVEL])
        dt = time.perf_counter() - t0
        out = out.reset_index() if "unique_id" not in out.columns else out
        out = out.set_index("unique_id").loc[ids]
        col = [c for c in out.columns if c not in ("ds",) and "-lo-" not in c and "-hi-" not in c][0]
        get = lambda c: out[c].to_numpy(float).reshape(len(ids), H)  # noqa: E731
        results[name] = (get(col), get(f"{col}-lo-{LEVEL}"), get(f"{col}-hi-{LEVEL}"), dt)
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--m4", default=DEFAULT_M4, help="directory with the M4 hourly csvs")
    ap.add_argument("--limit", type=int, help="only the first N series (H1..HN)")
    ap.add_argument("--smon", default=DEFAULT_SMON, help="smon binary (relative to repo root unless absolute)")
    ap.add_argument("--peers", action="store_true", help="also run statsforecast AutoETS, AutoTheta, SeasonalNaive")
    ap.add_argument("--skip-smon", action="store_true", help="do not run smon (peers/Naive2 only)")
    ap.add_argument("--dev", action="store_true", help="development split of the training data (no test data used)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="smon config (repeatable)")
    a = ap.parse_args(argv)

    smon = None if a.skip_smon else find_smon(a.smon)
    ids, train, test, naive2 = load_m4(a.m4, a.limit)
    if a.dev:
        train, test, naive2 = dev_split(train)
    rows = {("Naive2 (recomputed)" if a.dev else "Naive2 (shipped)"): (score_forecasts(train, test, naive2, naive2), None)}
    if smon:
        fc, lo, hi, dt = run_smon_forecast(smon, ids, train, a.set)
        rows["smon"] = (score_forecasts(train, test, fc, naive2, lo, hi), dt / len(ids))
    if a.peers:
        for name, (fc, lo, hi, dt) in run_peers(ids, train).items():
            rows[name] = (score_forecasts(train, test, fc, naive2, lo, hi), dt / len(ids))

    ref = rows["smon"][1] if "smon" in rows else None
    split = "DEV split (last 48 training points held out)" if a.dev else "test part"
    print(f"M4 hourly, {len(ids)} series, {split}, h={H}, m={M}, {LEVEL}% intervals\n")
    print("| method | sMAPE | MASE | OWA | coverage95 | MSIS | ms/series | time vs smon |")
    print("|---|---|---|---|---|---|---|---|")
    fmt = lambda v, p=3: "-" if v is None else f"{v:.{p}f}"  # noqa: E731
    for name, (s, t) in rows.items():
        ratio = f"{t / ref:.2f}x" if (t and ref) else "-"
        print(f"| {name} | {fmt(s['sMAPE'])} | {fmt(s['MASE'])} | {fmt(s.get('OWA'))} | "
              f"{fmt(s.get('coverage'))} | {fmt(s.get('MSIS'))} | {fmt(None if t is None else 1000 * t, 1)} | {ratio} |")


if __name__ == "__main__":
    main()
