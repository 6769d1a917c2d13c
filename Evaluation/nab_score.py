#!/usr/bin/env python3
"""NAB v1.1 scorer, exactly as /work/shared/data/nab/SCORING.md describes (standard library + numpy).

Scores a directory of per-file detector results against the NAB corpus:
probation (first min(floor(0.15 N), 750) rows unscored), scaled-sigmoid window weights,
per-profile costs from config/profiles.json, one corpus-wide threshold per profile found by an
exhaustive (vectorised) sweep over all distinct scores, normalisation 100*(raw-null)/(perfect-null).

Results layout: RESULTS/<category>/<file>.csv mirroring data/<category>/<file>.csv (NAB's own
RESULTS/<category>/<detector>_<file>.csv is accepted too), one row per data row in order, with a
`score` column (smon detect output) or `anomaly_score` (NAB results).

Run:
    python3 Evaluation/nab_score.py RESULTS_DIR [--per-file]
    python3 Evaluation/nab_score.py --run-smon OUT_DIR [--smon .build/release/smon] [--jobs 2]
"""
import argparse
import csv
import glob
import json
import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import DEFAULT_SMON, find_smon, run_smon  # noqa: E402

DEFAULT_NAB = "/work/shared/data/nab"
MAX_TP = 2.0 / (1.0 + math.exp(-5.0)) - 1.0  # scaledSigmoid(-1) ~ 0.98661


def scaled_sigmoid(y):
    """-1 if y > 3, else 2/(1+exp(5y)) - 1 (vectorised)."""
    y = np.asarray(y, dtype=float)
    return np.where(y > 3.0, -1.0, 2.0 / (1.0 + np.exp(5.0 * np.minimum(y, 3.0))) - 1.0)


def probation_length(n):
    return min(math.floor(0.15 * n), 750)


def load_profiles(nab_dir):
    with open(os.path.join(nab_dir, "config", "profiles.json")) as f:
        prof = json.load(f)
    return {name: (p["CostMatrix"]["tpWeight"], p["CostMatrix"]["fpWeight"], p["CostMatrix"]["fnWeight"])
            for name, p in prof.items()}


def _ts_key(s):
    return datetime.fromisoformat(s.strip())


def load_corpus(nab_dir):
    """Return [(relpath, n_rows, [(l, r), ...] row-index windows)] for every labelled data file."""
    with open(os.path.join(nab_dir, "labels", "combined_windows.json")) as f:
        labels = json.load(f)
    corpus = []
    for rel in sorted(labels):
        with open(os.path.join(nab_dir, "data", rel)) as f:
            rows = list(csv.reader(f))[1:]
        index = {_ts_key(r[0]): i for i, r in enumerate(rows)}
        windows = sorted((index[_ts_key(a)], index[_ts_key(b)]) for a, b in labels[rel])
        corpus.append((rel, len(rows), windows))
    return corpus


def file_weights(n, windows):
    """Per-row unscaled weights of one file.

    Returns (win, tpw, fpu, scorable): win = window index within the file (-1 outside),
    tpw = scaledSigmoid(-(r-i+1)/w)/maxTP inside windows, fpu = the unscaled false-positive
    weight u outside windows, scorable = row is past probation."""
    i = np.arange(n)
    win = np.full(n, -1)
    tpw = np.zeros(n)
    fpu = np.full(n, -1.0)  # before any window has closed
    for k, (l, r) in enumerate(windows):
        w = r - l + 1
        win[l:r + 1] = k
        tpw[l:r + 1] = scaled_sigmoid(-(r - i[l:r + 1] + 1) / w) / MAX_TP
        end = windows[k + 1][0] if k + 1 < len(windows) else n
        if w > 1:
            fpu[r + 1:end] = scaled_sigmoid(np.abs(i[r + 1:end] - r) / (w - 1))
        else:  # degenerate 1-row window: NAB would divide by zero; treat as far away
            fpu[r + 1:end] = -1.0
    fpu[win >= 0] = 0.0
    scorable = i >= probation_length(n)
    return win, tpw, fpu, scorable


def file_raw_score(scores, win, tpw, fpu, scorable, cost, theta):
    """Raw NAB score of one file at threshold theta (plain loop-free reference)."""
    a_tp, a_fp, a_fn = cost
    det = scorable & (np.asarray(scores) >= theta)
    total = float(np.sum(a_fp * fpu[det & (win < 0)]))
    counts = {"tp": 0, "fp": int(np.sum(det & (win < 0))), "fn": 0}
    for k in np.unique(win[scorable & (win >= 0)]):
        hit = det & (win == k)
        if hit.any():
            total += a_tp * tpw[hit].max()
            counts["tp"] += 1
        else:
            total -= a_fn
            counts["fn"] += 1
    return total, counts


def sweep(scores, win, tpw, fpu, cost):
    """Exhaustive corpus-wide threshold sweep over pooled scorable rows.

    `win` must be a corpus-global window id (-1 outside). Rows are sorted by score descending
    and contributions accumulated; a window contributes -A_FN until its first detection and
    afterwards the running max of its detected weights, so each detected in-window row adds
    (new running max - old running max). Returns (best_raw, best_theta, null_raw); theta = inf
    means "never fire" is best."""
    a_tp, a_fp, a_fn = cost
    scores = np.asarray(scores, dtype=float)
    n_win = len(np.unique(win[win >= 0]))
    null = -a_fn * n_win
    if len(scores) == 0:
        return null, math.inf, null
    order = np.argsort(-scores, kind="stable")
    s, wid = scores[order], win[order]
    contrib = np.where(wid < 0, a_fp * fpu[order], 0.0)
    pos = np.flatnonzero(wid >= 0)
    if len(pos):
        pos = pos[np.argsort(wid[pos], kind="stable")]  # grouped by window, rank order within
        g, v = wid[pos], a_tp * tpw[order][pos]
        first = np.r_[True, g[1:] != g[:-1]]
        offset = np.cumsum(first) * (2.0 * abs(a_tp) + 1.0)  # keeps running max within a group
        runmax = np.maximum.accumulate(v + offset) - offset
        prev = np.r_[0.0, runmax[:-1]]
        prev[first] = -a_fn
        contrib[pos] = runmax - prev
    total = null + np.cumsum(contrib)
    last_of_tie = np.r_[s[1:] != s[:-1], True]
    cand = np.r_[null, total[last_of_tie]]
    thetas = np.r_[math.inf, s[last_of_tie]]
    k = int(np.argmax(cand))  # first max = highest threshold among equals
    return float(cand[k]), float(thetas[k]), null


def read_scores(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        col = header.index("score") if "score" in header else header.index("anomaly_score")
        vals = [float(r[col]) if r[col].strip() else 0.0 for r in reader if r]
    return np.nan_to_num(np.array(vals, dtype=float), nan=0.0)


def find_result_file(results_dir, rel):
    cat, name = os.path.split(rel)
    direct = os.path.join(results_dir, rel)
    if os.path.exists(direct):
        return direct
    hits = glob.glob(os.path.join(results_dir, cat, "*_" + name))
    if len(hits) == 1:
        return hits[0]
    raise FileNotFoundError(f"no result file for {rel} under {results_dir}")


def score_results(results_dir, nab_dir=DEFAULT_NAB, corpus=None, profiles=None):
    """Score a results directory. Returns {profile: dict(score, theta, raw, null, perfect, per_file)}."""
    corpus = corpus if corpus is not None else load_corpus(nab_dir)
    profiles = profiles if profiles is not None else load_profiles(nab_dir)
    per_file, pooled = [], {k: [] for k in ("s", "win", "tpw", "fpu")}
    gid = 0
    for rel, n, windows in corpus:
        sc = read_scores(find_result_file(results_dir, rel))
        if len(sc) != n:
            raise ValueError(f"{rel}: {len(sc)} result rows but {n} data rows")
        win, tpw, fpu, ok = file_weights(n, windows)
        per_file.append((rel, sc, win, tpw, fpu, ok))
        gwin = np.where(win >= 0, win + gid, -1)
        gid += len(windows)
        for k, arr in zip(("s", "win", "tpw", "fpu"), (sc, gwin, tpw, fpu)):
            pooled[k].append(arr[ok])
    s, win, tpw, fpu = (np.concatenate(pooled[k]) for k in ("s", "win", "tpw", "fpu"))
    out = {}
    for name, cost in profiles.items():
        raw, theta, null = sweep(s, win, tpw, fpu, cost)
        perfect = cost[0] * len(np.unique(win[win >= 0]))
        files, counts = [], {"tp": 0, "fp": 0, "fn": 0}
        for rel, sc, w, t, u, ok in per_file:
            r, c = file_raw_score(sc, w, t, u, ok, cost, theta)
            files.append((rel, r, c))
            for key in counts:
                counts[key] += c[key]
        out[name] = dict(score=100.0 * (raw - null) / (perfect - null), theta=theta, raw=raw,
                         null=null, perfect=perfect, counts=counts, per_file=files)
    return out


def run_smon_corpus(smon, nab_dir, out_dir, jobs=2, overrides=(), quiet=False):
    """Run `smon detect` over every corpus file into out_dir/<category>/<file>.csv
    (`overrides`: KEY=VALUE config settings passed as --set, the same for every file)."""
    rels = [rel for rel, _, _ in load_corpus(nab_dir)]

    def one(rel):
        dst = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w") as f:
            extra = [a for kv in overrides for a in ("--set", kv)]
            run_smon(smon, ["detect", os.path.join(nab_dir, "data", rel), *extra], stdout=f)
        return rel

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for k, rel in enumerate(pool.map(one, rels), 1):
            if not quiet:
                print(f"[{k}/{len(rels)}] {rel}", file=sys.stderr)


def print_report(res, per_file=False):
    print("| profile | score | threshold | raw | TP windows | FN windows | FP rows |")
    print("|---|---|---|---|---|---|---|")
    for name, r in res.items():
        c = r["counts"]
        print(f"| {name} | {r['score']:.2f} | {r['theta']:.15g} | {r['raw']:.3f} | "
              f"{c['tp']} | {c['fn']} | {c['fp']} |")
    if per_file:
        names = list(res)
        print("\n| file | " + " | ".join(f"raw {n}" for n in names) + " | TP/FN/FP (standard) |")
        print("|---|" + "---|" * (len(names) + 1))
        ref = res.get("standard", res[names[0]])
        for k, (rel, _, c) in enumerate(ref["per_file"]):
            raws = " | ".join(f"{res[n]['per_file'][k][1]:.3f}" for n in names)
            print(f"| {rel} | {raws} | {c['tp']}/{c['fn']}/{c['fp']} |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="?", help="results directory to score")
    ap.add_argument("--nab", default=DEFAULT_NAB, help="NAB corpus root (data/, labels/, config/)")
    ap.add_argument("--run-smon", metavar="OUT_DIR", help="run `smon detect` on every file into OUT_DIR, then score it")
    ap.add_argument("--smon", default=DEFAULT_SMON,
                    help="smon binary (relative to repo root unless absolute)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel smon processes (default 2)")
    ap.add_argument("--per-file", action="store_true", help="also print per-file raw scores")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="config override passed to every `smon detect` run (one config for the whole corpus)")
    ap.add_argument("--quiet", action="store_true", help="no per-file progress lines")
    ap.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    a = ap.parse_args(argv)
    if a.run_smon:
        run_smon_corpus(find_smon(a.smon), a.nab, a.run_smon, a.jobs, a.set, a.quiet)
        a.results = a.run_smon
    if not a.results:
        ap.error("give a results directory or --run-smon OUT_DIR")
    res = score_results(a.results, a.nab)
    print_report(res, a.per_file)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({n: {k: r[k] for k in ("score", "theta", "raw", "null", "perfect", "counts")}
                       for n, r in res.items()}, f, indent=2)


if __name__ == "__main__":
    main()
