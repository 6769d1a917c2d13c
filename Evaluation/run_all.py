#!/usr/bin/env python3
"""Runs every evaluation (`make evaluate`) or every side-by-side benchmark (`make bench`).

Each step is one script of this folder, run from the repository root with one thread for
BLAS/OpenMP on both sides; the figures in EVALUATION.md / BENCHMARKS.md come from these
commands. Steps that need the shared data sets (NAB, M4) are skipped with a message when the
data is not there; the generated-data steps always run.

    python3 Evaluation/run_all.py evaluate|bench [--only anomaly,forecast,...]
"""
import argparse
import os
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DATA = pathlib.Path(os.environ.get("SPOTIFYMON_DATA", ROOT.parent / "shared" / "data"))

STEPS = {
    "evaluate": [
        ("anomaly", "NAB v1.1, three profiles", DATA / "nab",
         ["Evaluation/nab_score.py", "--run-smon", "/tmp/smon_nab", "--nab", str(DATA / "nab")]),
        ("alerts", "generated labeled alert stream vs river", None,
         ["Evaluation/alerts_eval.py", "--alerts", "30000", "--seeds", "11,12,13"]),
        ("forecast", "M4 hourly H1-H207", DATA / "m4-hourly",
         ["Evaluation/m4_eval.py", "--m4", str(DATA / "m4-hourly")]),
        ("cluster", "scikit-learn data sets + blobs, ARI vs scikit-learn", None,
         ["Evaluation/cluster_eval.py"]),
    ],
    "bench": [
        ("anomaly", "detector vs river HalfSpaceTrees / GaussianScorer", None, ["Evaluation/bench_anomaly.py"]),
        ("alerts", "classifier vs river naive Bayes / logistic regression", None,
         ["Evaluation/bench_alerts.py", "--alerts", "20000", "--n", "400000", "--river-alerts", "5000"]),
        ("forecast", "forecaster vs statsforecast", DATA / "m4-hourly",
         ["Evaluation/bench_forecast.py", "--m4", str(DATA / "m4-hourly"), "--peer-all"]),
        ("cluster", "clusterer vs scikit-learn", None, ["Evaluation/bench_cluster.py", "--repeat", "5"]),
    ],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=sorted(STEPS))
    ap.add_argument("--only", default="", help="comma-separated engines (anomaly, alerts, forecast, cluster)")
    args = ap.parse_args()
    only = {s for s in args.only.split(",") if s}
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONPATH=str(ROOT / "Bindings" / "python"),
               SPOTIFYMON_LIBRARY=str(ROOT / ".build" / "release" / "libspotifymon.so"))
    failed = []
    for engine, what, needs, cmd in STEPS[args.what]:
        if only and engine not in only:
            continue
        print(f"\n==== {args.what} {engine}: {what}\n$ python3 {' '.join(cmd)}", flush=True)
        if needs is not None and not needs.exists():
            print(f"skipped: {needs} is not here (shared data set)")
            continue
        t0 = time.time()
        r = subprocess.run([sys.executable, *cmd], cwd=ROOT, env=env)
        print(f"({engine}: exit {r.returncode}, {time.time() - t0:.0f} s)")
        if r.returncode != 0:
            failed.append(engine)
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
