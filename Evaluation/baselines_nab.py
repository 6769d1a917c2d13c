#!/usr/bin/env python3
"""Two simple causal NAB baselines, used to sanity-check nab_score.py on the real corpus.

- gaussian: windowed Gaussian as in NAB's detector - mean and (population) std of the previous
  up to 1000 values (std 0 -> 1e-6), z = (x - mean)/std; score = 1 - Q(|z|) = 1 - 0.5*erfc(|z|/sqrt 2),
  0 on row 0. `--one-sided` uses 1 - Q(z) (upward deviations only), the form found in some of NAB's
  stored result files; it scores lower (~32). Scores are written at full precision: rounding them
  (e.g. to 10 digits) merges the saturated tail into ties at 1.0 and costs several points.
- random: uniform(0, 1) per row, random.seed(42) at the start of every file (as NAB's detector).

Writes OUT/<name>/<category>/<file>.csv (timestamp,value,score) and scores each with nab_score.

Run:
    python3 Evaluation/baselines_nab.py --out /tmp/nab_baselines [--nab /work/shared/data/nab]
"""
import argparse
import csv
import math
import os
import random
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nab_score  # noqa: E402


def windowed_gaussian(values, window=1000, one_sided=False):
    """Causal score for every row: row i uses values[max(0, i-window):i] only."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    x0 = x - (x[0] if n else 0.0)  # centre for numerically safer cumulative sums
    c1, c2 = np.r_[0.0, np.cumsum(x0)], np.r_[0.0, np.cumsum(x0 * x0)]
    i = np.arange(n)
    lo = np.maximum(0, i - window)
    cnt = np.maximum(i - lo, 1)
    mean = (c1[i] - c1[lo]) / cnt
    var = np.maximum((c2[i] - c2[lo]) / cnt - mean ** 2, 0.0)
    std = np.sqrt(var)
    std[std < 1e-9 * np.maximum(1.0, np.abs(mean))] = 1e-6
    z = (x0 - mean) / std
    if not one_sided:
        z = np.abs(z)
    score = 1.0 - 0.5 * np.array([math.erfc(v / math.sqrt(2)) for v in z])
    if n:
        score[0] = 0.0
    return score


def random_scores(n, seed=42):
    rng = random.Random(seed)
    return np.array([rng.uniform(0, 1) for _ in range(n)])


def write_results(nab_dir, out_dir, scorer):
    for rel, _, _ in nab_score.load_corpus(nab_dir):
        with open(os.path.join(nab_dir, "data", rel)) as f:
            rows = list(csv.reader(f))[1:]
        scores = scorer(np.array([float(r[1]) for r in rows]))
        dst = os.path.join(out_dir, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["timestamp", "value", "score"])
            for r, s in zip(rows, scores):
                w.writerow([r[0], r[1], repr(float(s))])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nab", default=nab_score.DEFAULT_NAB)
    ap.add_argument("--out", default="/tmp/nab_baselines", help="where to write result directories")
    ap.add_argument("--window", type=int, default=1000, help="gaussian window length")
    ap.add_argument("--one-sided", action="store_true", help="gaussian score 1 - Q(z) instead of 1 - Q(|z|)")
    a = ap.parse_args(argv)
    detectors = {
        "gaussian": lambda v: windowed_gaussian(v, a.window, a.one_sided),
        "random": lambda v: random_scores(len(v)),
    }
    for name, fn in detectors.items():
        d = os.path.join(a.out, name)
        write_results(a.nab, d, fn)
        print(f"\n## {name}  ({d})")
        nab_score.print_report(nab_score.score_results(d, a.nab))


if __name__ == "__main__":
    main()
