#!/usr/bin/env python3
"""Clustering speed: spotifymon (through the Python binding, numpy arrays passed without
copy) against scikit-learn on the same data, same run, one core
(OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=MKL_NUM_THREADS=1 for both). Each time is the median CPU time
of --repeat full fits (fit + labels) with seeds 0..repeat-1 on both sides. Online: points/s of smon_clusterer_update on
1,000,000 points with d = 8 (per-event processing inside one batch call), with river's
streaming k-means as a reference on a smaller stream.

Usage: python3 Evaluation/bench_cluster.py [--repeat 3] [--out Evaluation/results/cluster-benchmarks.md]
"""
import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from sklearn import cluster, mixture  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Bindings", "python"))
from spotifymon.cluster import AdaptiveClusteringSystem  # noqa: E402


def median_time(fn, repeat):
    """Median CPU time (process_time: one thread on both sides) over runs with seeds 0..repeat-1."""
    times, out = [], None
    for seed in range(repeat):
        t0 = time.process_time()
        out = fn(seed)
        times.append(time.process_time() - t0)
    return float(np.median(times)), out


def ours(X, seed, **opts):
    s = AdaptiveClusteringSystem(config={"seed": seed}, **opts)
    s.fit(X)
    return s.labels_


def cases():
    X1, y1 = make_blobs(100_000, 8, centers=10, random_state=0)
    X2, y2 = make_blobs(20_000, 8, centers=10, random_state=1)
    X3, y3 = make_blobs(20_000, 2, centers=10, random_state=2)
    X4, y4 = make_blobs(20_000, 8, centers=10, random_state=3)
    X5, y5 = make_blobs(5_000, 8, centers=10, random_state=4)
    X6, y6 = make_blobs(10_000, 8, centers=10, random_state=5)
    return [
        ("K-Means 100,000 x 8, k=10, n_init=1", X1, y1,
         lambda s: cluster.KMeans(10, n_init=1, random_state=s).fit(X1).labels_,
         lambda s: ours(X1, s, algorithm="kmeans", k=10, n_init=1)),
        ("K-Means 100,000 x 8, k=10, n_init=10", X1, y1,
         lambda s: cluster.KMeans(10, n_init=10, random_state=s).fit(X1).labels_,
         lambda s: ours(X1, s, algorithm="kmeans", k=10, n_init=10)),
        ("Mini-batch K-Means 100,000 x 8, k=10, batch 1024", X1, y1,
         lambda s: cluster.MiniBatchKMeans(10, n_init=1, batch_size=1024, random_state=s).fit(X1).labels_,
         lambda s: ours(X1, s, algorithm="minibatch", k=10, n_init=1, batch_size=1024)),
        ("GMM full covariance 20,000 x 8, k=10", X2, y2,
         lambda s: mixture.GaussianMixture(10, covariance_type="full", random_state=s).fit(X2).predict(X2),
         lambda s: ours(X2, s, algorithm="gmm", k=10, covariance="full", n_init=1)),
        ("DBSCAN 20,000 x 2, eps=0.3, min_samples=10", X3, y3,
         lambda s: cluster.DBSCAN(eps=0.3, min_samples=10).fit(X3).labels_,
         lambda s: ours(X3, s, algorithm="dbscan", eps=0.3, min_samples=10)),
        ("DBSCAN 20,000 x 8, eps=1.5, min_samples=10", X4, y4,
         lambda s: cluster.DBSCAN(eps=1.5, min_samples=10).fit(X4).labels_,
         lambda s: ours(X4, s, algorithm="dbscan", eps=1.5, min_samples=10)),
        ("Spectral 5,000 x 8, k=10, 10-NN affinity", X5, y5,
         lambda s: cluster.SpectralClustering(10, affinity="nearest_neighbors", n_neighbors=10,
                                              random_state=s).fit(X5).labels_,
         lambda s: ours(X5, s, algorithm="spectral", k=10, neighbors=10)),
        ("Ward 10,000 x 8, k=10", X6, y6,
         lambda s: cluster.AgglomerativeClustering(10, linkage="ward").fit(X6).labels_,
         lambda s: ours(X6, s, algorithm="agglomerative", k=10, linkage="ward")),
    ]


def online(repeat):
    X, _ = make_blobs(1_000_000, 8, centers=10, random_state=6)
    rows = []
    for label, opts in [("online, no batch model (micro-clusters only)", {}),
                        ("online after a k-means fit (k=10)", {"algorithm": "kmeans", "k": 10})]:
        def run():
            s = AdaptiveClusteringSystem(**opts)
            if opts:
                s.fit(X[:20_000])
            t0 = time.process_time()
            s.update(X)
            return time.process_time() - t0
        t = min(run() for _ in range(repeat))
        rows.append((label, len(X) / t))
    ref = None
    try:
        from river import cluster as rcluster
        m = rcluster.STREAMKMeans(chunk_size=100, n_clusters=10, seed=0)
        pts = [dict(enumerate(r)) for r in X[:20_000]]
        t0 = time.process_time()
        for p in pts:
            m.learn_one(p)
        ref = len(pts) / (time.process_time() - t0)
    except Exception as e:  # river missing or API change
        print("river reference skipped:", e)
    return rows, ref


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=None)
    ap.add_argument("--only", default=None,
                    help="run only the batch cases whose name contains this text (case-insensitive), and skip the online cases")
    a = ap.parse_args()
    rows = []
    for name, X, y, sk, sm in cases():
        if a.only and a.only.lower() not in name.lower():
            continue
        tsk, lsk = median_time(sk, a.repeat)
        tsm, lsm = median_time(sm, a.repeat)
        rows.append((name, tsk, tsm, adjusted_rand_score(y, lsk), adjusted_rand_score(y, lsm)))
        print(f"{name:52s} sklearn {tsk*1000:9.1f} ms  spotifymon {tsm*1000:9.1f} ms  x{tsk/tsm:6.1f}  "
              f"ARI {rows[-1][3]:.3f} / {rows[-1][4]:.3f}", flush=True)
    if a.only:
        return
    orows, ref = online(a.repeat)
    for label, rate in orows:
        print(f"{label:52s} {rate:,.0f} points/s", flush=True)
    if ref:
        print(f"river STREAMKMeans learn_one (20,000 points): {ref:,.0f} points/s")
    lines = ["# Clustering speed vs scikit-learn", "",
             f"Command: `python3 Evaluation/bench_cluster.py --repeat {a.repeat} --out Evaluation/results/cluster-benchmarks.md` "
             "(one core: OMP/OPENBLAS/MKL_NUM_THREADS=1 for both sides; same data, same run; median CPU time (process_time) of "
             f"{a.repeat} full fits each, with seeds 0..{a.repeat - 1} on both sides; spotifymon through the Python binding; scikit-learn "
             f"{__import__('sklearn').__version__}). Target: each batch algorithm >= 5x faster; online >= 1,000,000 points/s with d = 8.",
             "", "| case | scikit-learn | spotifymon | speed-up | ARI sklearn / spotifymon |", "|---|---|---|---|---|"]
    for name, tsk, tsm, ask, asm in rows:
        lines.append(f"| {name} | {tsk*1000:.1f} ms | {tsm*1000:.1f} ms | {tsk/tsm:.1f}x | {ask:.3f} / {asm:.3f} |")
    lines += ["", "| online (1,000,000 points, d = 8, smon_clusterer_update) | points/s |", "|---|---|"]
    for label, rate in orows:
        lines.append(f"| {label} | {rate:,.0f} |")
    if ref:
        lines.append(f"| reference: river STREAMKMeans.learn_one, 20,000 points | {ref:,.0f} |")
    lines += ["", "Timings on a shared 2-core machine while other builds ran may be noisy; the ratios come from one run."]
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        with open(a.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
