#!/usr/bin/env python3
"""Alert classifier speed, side by side with a river baseline, in one run on one core.

spotifymon: the C struct path (Evaluation/bench_alerts.c, compiled here against the release
library): classify through smon_classifier_classify_batch (batches of 1024; alerts/s from the
thread's CPU time, i.e. per core, and from wall time), single-call
latency (p50/p99 of smon_classifier_classify), learn through smon_classifier_learn_batch.
Also the Python binding's classify_batch (ctypes, includes building the structs in Python).
river: bag-of-words + multinomial naive Bayes and bag-of-words + softmax/logistic regression
(class, team and false-positive models: what a river user would run for the same outputs),
predict_one / learn_one per alert, on the same generated stream.

Usage: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 python3 Evaluation/bench_alerts.py [--alerts 20000] [--n 200000]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import REPO_ROOT, find_smon, run_smon  # noqa: E402


def clean(s):
    s = "" if s is None else str(s)
    s = s.replace("\t", " ").replace("\n", " ")
    return s if s else "-"


def to_tsv(alerts, path):
    with open(path, "w") as f:
        for a in alerts:
            labels = ",".join(f"{k}={v}" for k, v in (a.get("labels") or {}).items())
            pr = str(a.get("label_priority", "")).lstrip("P")
            row = [a["timestamp"], a["source_system"], a["metric_name"], a["alert_message"], a["severity_raw"],
                   a["service_name"], labels, a["fingerprint"], a["current_value"], a["threshold_violated"],
                   1 if a.get("status") == "resolved" else 0, a["label_class"], a["label_team"],
                   1 if a["label_false_positive"] else 0, pr or "-", a["time_to_ack_s"], a["time_to_resolve_s"]]
            f.write("\t".join(clean(x) for x in row) + "\n")


def generated_stream(smon, n, seed, d):
    """Generates `n` alerts of `seed` (smon classify --generate) in folder `d`; returns the
    alerts (dicts) and the path of their TSV for the C harnesses."""
    path = os.path.join(d, "alerts.jsonl")
    with open(path, "w") as f:
        run_smon(smon, ["classify", "--generate", str(n), "--seed", str(seed)], stdout=f)
    alerts = [a for a in (json.loads(line) for line in open(path)) if "alert_id" in a]
    tsv = os.path.join(d, "alerts.tsv")
    to_tsv(alerts, tsv)
    return alerts, tsv


def bench_c(tsv, n):
    exe = os.path.join(tempfile.gettempdir(), "smon_bench_alerts")
    rel = os.path.join(REPO_ROOT, ".build", "release")
    subprocess.run(["cc", "-O2", "-std=c11", "-I", os.path.join(REPO_ROOT, "Include"),
                    os.path.join(REPO_ROOT, "Evaluation", "bench_alerts.c"), "-L", rel, "-lspotifymon",
                    f"-Wl,-rpath,{rel}", "-lm", "-o", exe], check=True)
    out = subprocess.run([exe, tsv, str(n)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def bench_python_binding(alerts, reps=3):
    sys.path.insert(0, os.path.join(REPO_ROOT, "Bindings", "python"))
    os.environ.setdefault("SPOTIFYMON_LIBRARY", os.path.join(REPO_ROOT, ".build", "release", "libspotifymon.so"))
    from spotifymon.alerts import AlertFeatures, IntelligentAlertClassifier
    feats = [AlertFeatures(alert_id=a["alert_id"], timestamp=a["timestamp"], source_system=a["source_system"],
                           metric_name=a["metric_name"], alert_message=a["alert_message"], severity_raw=a["severity_raw"],
                           current_value=a["current_value"], threshold_violated=a["threshold_violated"],
                           service_name=a["service_name"], labels=a["labels"], fingerprint=a["fingerprint"],
                           resolved=a.get("status") == "resolved") for a in alerts]
    c = IntelligentAlertClassifier()
    best = 0
    for _ in range(reps):
        t0 = time.perf_counter()
        c.classify_batch(feats, as_numpy=True)
        best = max(best, len(feats) / (time.perf_counter() - t0))
    return best


def bench_river(alerts, limit):
    from river import linear_model, naive_bayes, optim
    from alerts_eval import tokens
    rows = [(tokens(a), a["label_class"], a["label_team"], bool(a["label_false_positive"])) for a in alerts[:limit]]
    out = {}
    for fam in ("nb", "lr"):
        if fam == "nb":
            m_c, m_t, m_f = naive_bayes.MultinomialNB(alpha=0.1), naive_bayes.MultinomialNB(alpha=0.1), naive_bayes.MultinomialNB(alpha=0.1)
        else:
            m_c = linear_model.SoftmaxRegression(optimizer=optim.SGD(0.05))
            m_t = linear_model.SoftmaxRegression(optimizer=optim.SGD(0.05))
            m_f = linear_model.LogisticRegression(optimizer=optim.SGD(0.05))
        t_pred = t_learn = 0.0
        lat = []
        for x, yc, yt, yf in rows:
            s = time.perf_counter()
            m_c.predict_one(x); m_t.predict_one(x); m_f.predict_proba_one(x)
            e = time.perf_counter()
            m_c.learn_one(x, yc); m_t.learn_one(x, yt); m_f.learn_one(x, yf)
            t_pred += e - s
            t_learn += time.perf_counter() - e
            lat.append((e - s) * 1e6)
        lat.sort()
        out[fam] = {"classify_per_s": len(rows) / t_pred, "learn_per_s": len(rows) / t_learn,
                    "p50_us": lat[len(lat) // 2], "p99_us": lat[int(len(lat) * 0.99)]}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alerts", type=int, default=20000, help="generated alerts (distinct)")
    ap.add_argument("--n", type=int, default=400000, help="alerts pushed through the C path (stream repeated)")
    ap.add_argument("--river-alerts", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--smon", default=".build/release/smon")
    ap.add_argument("--markdown")
    args = ap.parse_args()
    smon = find_smon(args.smon)
    with tempfile.TemporaryDirectory() as d:
        alerts, tsv = generated_stream(smon, args.alerts, args.seed, d)
        c = bench_c(tsv, args.n)
    py = bench_python_binding(alerts)
    rv = bench_river(alerts, args.river_alerts)
    res = {"spotifymon_c": c, "spotifymon_python_classify_batch_per_s": py, "river": rv}
    print(json.dumps(res, indent=1))
    best_c = max(rv["nb"]["classify_per_s"], rv["lr"]["classify_per_s"])
    best_l = max(rv["nb"]["learn_per_s"], rv["lr"]["learn_per_s"])
    lines = [
        "| measure | spotifymon | river NB (BoW + MultinomialNB) | river LR (BoW + softmax/logistic) | ratio vs faster river |",
        "|---|---|---|---|---|",
        f"| classify, alerts/s | {c['classify_batch_per_s']:,.0f} (C struct batch) | {rv['nb']['classify_per_s']:,.0f} | "
        f"{rv['lr']['classify_per_s']:,.0f} | {c['classify_batch_per_s'] / best_c:,.0f}x |",
        f"| classify, alerts/s, wall clock (same pass) | {c['classify_batch_wall_per_s']:,.0f} | | | |",
        f"| classify, alerts/s, second pass (warm caches) | {c['classify_batch_second_pass_per_s']:,.0f} | | | |",
        f"| classify, one alert p50 / p99 µs | {c['single_p50_us']:.2f} / {c['single_p99_us']:.2f} | "
        f"{rv['nb']['p50_us']:.1f} / {rv['nb']['p99_us']:.1f} | {rv['lr']['p50_us']:.1f} / {rv['lr']['p99_us']:.1f} | "
        f"{min(rv['nb']['p99_us'], rv['lr']['p99_us']) / c['single_p99_us']:,.0f}x lower p99 |",
        f"| learn, alerts/s | {c['learn_batch_per_s']:,.0f} (C struct batch) | {rv['nb']['learn_per_s']:,.0f} | "
        f"{rv['lr']['learn_per_s']:,.0f} | {c['learn_batch_per_s'] / best_l:,.0f}x |",
        f"| classify via Python binding (classify_batch, ctypes) | {py:,.0f} alerts/s | | | {py / best_c:,.0f}x |",
    ]
    md = "\n".join(lines) + "\n"
    print(md)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(md)


if __name__ == "__main__":
    main()
