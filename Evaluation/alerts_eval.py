#!/usr/bin/env python3
"""Prequential evaluation of the alert classifier on the generated labeled alert stream.

Generates the stream with `smon classify --generate N --seed S` (see the generator's
description in Evaluation/results/alerts-evaluation.md), runs `smon classify FILE --learn`
(each alert predicted first, then learned), and scores, over firing alerts:
  class macro-F1, team-routing accuracy and macro-F1, false-positive ROC-AUC, priority accuracy,
  grouping adjusted Rand index and pairwise F1 against the true incidents, noise reduction
  (surfaced alerts per real incident, share suppressed) and real incidents left without a
  surfaced alert.
In the same run, river baselines (bag-of-words + multinomial naive Bayes, and bag-of-words +
logistic/softmax regression) are run prequentially on the same stream for class, team and
false positives; two simple grouping baselines (fingerprint, and service within 10 minutes)
are scored for grouping.

Usage: python3 Evaluation/alerts_eval.py [--alerts 30000] [--seeds 1,2,3] [--smon PATH] [--markdown OUT.md]
"""
import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import find_smon, run_smon  # noqa: E402


def load_stream(path):
    lines = [json.loads(l) for l in open(path) if l.strip()]
    return lines


def pair_f1(truth, pred):
    """Pairwise precision/recall/F1 of a clustering (pairs in the same group), counted via contingency."""
    from collections import Counter
    def pairs(c):
        return sum(v * (v - 1) // 2 for v in c.values())
    both = pairs(Counter(zip(truth, pred)))
    t, p = pairs(Counter(truth)), pairs(Counter(pred))
    prec = both / p if p else 1.0
    rec = both / t if t else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def incidents_without_an_alert_of_their_own(alerts):
    """From the stream alone (no output read): the incidents none of whose firing alerts is an
    alert of their own. Each of their alerts re-notifies a fingerprint already firing for
    another incident (it started firing there and has not resolved since), so no consumer of
    the stream can tell them from that incident."""
    episode = {}            # fingerprint -> incident whose firing episode it is in
    own_alert, seen = set(), set()
    for a in alerts:
        fp = a["fingerprint"]
        if a.get("status") == "resolved":
            episode.pop(fp, None)
            continue
        seen.add(a["incident_id"])
        if episode.setdefault(fp, a["incident_id"]) == a["incident_id"]:
            own_alert.add(a["incident_id"])
    return seen - own_alert


def score_ours(alerts, outputs):
    from sklearn.metrics import adjusted_rand_score, f1_score, roc_auc_score
    firing = [(a, o) for a, o in zip(alerts, outputs) if a.get("status") != "resolved"]
    y_cls = [a["label_class"] for a, _ in firing]
    p_cls = [o["alert_class"] for _, o in firing]
    y_team = [a["label_team"] for a, _ in firing]
    p_team = [o["recommended_team"] for _, o in firing]
    y_fp = np.array([1 if a["label_false_positive"] else 0 for a, _ in firing])
    p_fp = np.array([o["false_positive_probability"] for _, o in firing])
    y_pri = [a["label_priority"] for a, _ in firing]
    p_pri = [o["priority"] for _, o in firing]
    inc = [a["incident_id"] for a, _ in firing]
    grp = [o["group_id"] for _, o in firing]
    # Suppressed alerts escalated later because they kept firing (`escalate_now` of a later line)
    # count as surfaced.
    escalated_ids = {e["alert_id"] for o in outputs for e in o.get("escalate_now", [])}
    surfaced = [not o["suppressed"] or a["alert_id"] in escalated_ids for a, o in firing]
    # An incident is real by the generator's clean truth (incident_real); per-alert labels carry noise.
    real_inc = {a["incident_id"] for a, _ in firing if a.get("incident_real", not a["label_false_positive"])}
    covered = {a["incident_id"] for (a, _), s in zip(firing, surfaced) if s}
    escalated_real = sum(1 for a, _ in firing if a["alert_id"] in escalated_ids and a["incident_id"] in real_inc)
    real_surfaced = sum(1 for (a, _), s in zip(firing, surfaced) if s and a["incident_id"] in real_inc)
    # Why real incidents were left without a surfaced alert: every alert rated a false positive;
    # every alert rated real was the very alert already firing in its group (same fingerprint,
    # not resolved since: what any deduplication folds); every such alert came from a service
    # and named a cause (class) its group had already surfaced a real alert for (a coincident
    # incident of the same kind on the same service); or other.
    missed_rated_fp = missed_still_firing = missed_same_cause = missed_other = 0
    firing_in = {}          # fingerprint -> group it fires in
    paged = {}              # group -> {(service, class)} of surfaced alerts rated real
    kind = {}               # alert index among firing -> "fp" / "firing" / "same" / "new"
    k = 0
    for a, o in zip(alerts, outputs):
        fp = a["fingerprint"]
        if a.get("status") == "resolved":
            firing_in.pop(fp, None)
            continue
        g = o["group_id"]
        real = o["false_positive_probability"] < 0.5
        if not real:
            kind[k] = "fp"
        elif firing_in.get(fp) == g:
            kind[k] = "firing"
        elif (a["service_name"], o["alert_class"]) in paged.get(g, ()):
            kind[k] = "same"
        else:
            kind[k] = "new"
        firing_in[fp] = g
        if real and not o["suppressed"]:
            paged.setdefault(g, set()).add((a["service_name"], o["alert_class"]))
        k += 1
    unobservable = real_inc & incidents_without_an_alert_of_their_own(alerts)
    by_inc = {}
    for j, (a, o) in enumerate(firing):
        by_inc.setdefault(a["incident_id"], []).append(kind[j])
    for i in real_inc - covered:
        ks = [x for x in by_inc[i] if x != "fp"]
        if not ks:
            missed_rated_fp += 1
        elif all(x == "firing" for x in ks):
            missed_still_firing += 1
        elif all(x in ("firing", "same") for x in ks):
            missed_same_cause += 1
        else:
            missed_other += 1
    prec, rec, pf1 = pair_f1(inc, grp)
    n = len(firing)
    return {
        "alerts": n,
        "incidents": len(set(inc)),
        "real_incidents": len(real_inc),
        "class_macro_f1": f1_score(y_cls, p_cls, average="macro"),
        "class_accuracy": float(np.mean([a == b for a, b in zip(y_cls, p_cls)])),
        "team_accuracy": float(np.mean([a == b for a, b in zip(y_team, p_team)])),
        "team_macro_f1": f1_score(y_team, p_team, average="macro"),
        "fp_roc_auc": roc_auc_score(y_fp, p_fp),
        "priority_accuracy": float(np.mean([a == b for a, b in zip(y_pri, p_pri)])),
        "grouping_ari": adjusted_rand_score(inc, grp),
        "grouping_pair_precision": prec, "grouping_pair_recall": rec, "grouping_pair_f1": pf1,
        "groups": len(set(grp)),
        "surfaced": int(sum(surfaced)),
        "suppressed_share": 1 - sum(surfaced) / n,
        "surfaced_per_real_incident": sum(surfaced) / max(len(real_inc), 1),
        "real_alerts_surfaced_per_real_incident": real_surfaced / max(len(real_inc), 1),
        "real_incidents_without_surfaced_alert": len(real_inc - covered),
        "escalated_still_firing": len(escalated_ids),
        "escalated_still_firing_of_real_incidents": escalated_real,
        "real_incidents_without_an_alert_of_their_own": len(unobservable),
        "missed_without_an_alert_of_their_own": len(unobservable - covered),
        "missed_all_rated_false_positive": missed_rated_fp,
        "missed_all_still_firing_in_group": missed_still_firing,
        "missed_same_service_and_cause_already_paged": missed_same_cause,
        "missed_other": missed_other,
    }


def grouping_baselines(alerts):
    from sklearn.metrics import adjusted_rand_score
    firing = [a for a in alerts if a.get("status") != "resolved"]
    inc = [a["incident_id"] for a in firing]
    out = {}
    out["fingerprint"] = adjusted_rand_score(inc, [a["fingerprint"] for a in firing])
    # Same service within 10 minutes of the group's last alert.
    last, gid, groups, nxt = {}, {}, [], 0
    for a in firing:
        s, t = a["service_name"], a["timestamp"]
        if s in last and t - last[s] <= 600_000:
            g = gid[s]
        else:
            nxt += 1
            g = nxt
        last[s], gid[s] = t, g
        groups.append(g)
    out["service_10min"] = adjusted_rand_score(inc, groups)
    return out


def tokens(a):
    """Bag of words over the fields the river baseline sees (the same ones the classifier sees)."""
    text = " ".join(str(a.get(k) or "") for k in ("alert_message", "metric_name"))
    words = {}
    for w in "".join(c.lower() if c.isalnum() else " " for c in text).split():
        words[w] = words.get(w, 0) + 1
    for k in ("source_system", "service_name", "severity_raw"):
        words[f"{k}={a.get(k) or ''}"] = 1
    for k, v in (a.get("labels") or {}).items():
        if k not in ("instance",):
            words[f"label:{k}={v}"] = 1
    return words


def river_baselines(alerts):
    from river import linear_model, multiclass, naive_bayes, optim, preprocessing  # noqa: F401
    from sklearn.metrics import f1_score, roc_auc_score
    firing = [a for a in alerts if a.get("status") != "resolved"]
    models = {
        "nb_class": naive_bayes.MultinomialNB(alpha=0.1),
        "nb_team": naive_bayes.MultinomialNB(alpha=0.1),
        "nb_fp": naive_bayes.MultinomialNB(alpha=0.1),
        "lr_class": linear_model.SoftmaxRegression(optimizer=optim.SGD(0.05)),
        "lr_team": linear_model.SoftmaxRegression(optimizer=optim.SGD(0.05)),
        "lr_fp": linear_model.LogisticRegression(optimizer=optim.SGD(0.05)),
    }
    preds = defaultdict(list)
    t0 = time.perf_counter()
    for a in firing:
        x = tokens(a)
        ys = {"class": a["label_class"], "team": a["label_team"], "fp": bool(a["label_false_positive"])}
        for kind in ("class", "team"):
            for fam in ("nb", "lr"):
                m = models[f"{fam}_{kind}"]
                p = m.predict_one(x)
                preds[f"{fam}_{kind}"].append(p if p is not None else "")
                m.learn_one(x, ys[kind])
        for fam in ("nb", "lr"):
            m = models[f"{fam}_fp"]
            pr = m.predict_proba_one(x)
            preds[f"{fam}_fp"].append(pr.get(True, 0.0) if pr else 0.0)
            m.learn_one(x, ys["fp"])
    secs = time.perf_counter() - t0
    y_cls = [a["label_class"] for a in firing]
    y_team = [a["label_team"] for a in firing]
    y_fp = [1 if a["label_false_positive"] else 0 for a in firing]
    res = {"seconds": secs}
    for fam in ("nb", "lr"):
        res[f"{fam}_class_macro_f1"] = f1_score(y_cls, preds[f"{fam}_class"], average="macro")
        res[f"{fam}_team_accuracy"] = float(np.mean([a == b for a, b in zip(y_team, preds[f"{fam}_team"])]))
        res[f"{fam}_team_macro_f1"] = f1_score(y_team, preds[f"{fam}_team"], average="macro")
        res[f"{fam}_fp_roc_auc"] = roc_auc_score(y_fp, preds[f"{fam}_fp"])
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alerts", type=int, default=30000)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--smon", default=".build/release/smon")
    ap.add_argument("--no-river", action="store_true")
    ap.add_argument("--markdown", help="write a markdown table here")
    ap.add_argument("--set", action="append", default=[], help="classifier config KEY=VALUE")
    args = ap.parse_args()
    smon = find_smon(args.smon)
    rows = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "alerts.jsonl")
            with open(path, "w") as f:
                run_smon(smon, ["classify", "--generate", str(args.alerts), "--seed", str(seed)], stdout=f)
            stream = load_stream(path)
            alerts = [e for e in stream if "alert_id" in e]
            t0 = time.perf_counter()
            extra = sum((["--set", s] for s in args.set), [])
            out = run_smon(smon, ["classify", path, "--learn"] + extra)
            ours_secs = time.perf_counter() - t0
            outputs = [json.loads(l) for l in out.splitlines() if l.strip()]
            assert len(outputs) == len(alerts), f"{len(outputs)} outputs for {len(alerts)} alerts"
            bad = [o for o in outputs if "error" in o]
            assert not bad, bad[:3]
            ours = score_ours(alerts, outputs)
            ours["seconds"] = ours_secs
            base = {} if args.no_river else river_baselines(alerts)
            groups = grouping_baselines(alerts)
            rows.append((seed, ours, base, groups))
            print(f"seed {seed}: {json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in ours.items()})}")
            if base:
                print(f"  river: {json.dumps({k: round(v, 4) for k, v in base.items()})}")
            print(f"  grouping baselines ARI: {json.dumps({k: round(v, 4) for k, v in groups.items()})}")

    def mean(key, idx=1):
        vals = [r[idx][key] for r in rows if key in r[idx]]
        return sum(vals) / len(vals) if vals else float("nan")

    print("\nmean over seeds:")
    keys = ["class_macro_f1", "team_accuracy", "team_macro_f1", "fp_roc_auc", "priority_accuracy", "grouping_ari",
            "grouping_pair_f1", "suppressed_share", "surfaced_per_real_incident", "real_incidents_without_surfaced_alert",
            "escalated_still_firing", "escalated_still_firing_of_real_incidents",
            "real_incidents_without_an_alert_of_their_own", "missed_without_an_alert_of_their_own",
            "missed_all_rated_false_positive", "missed_all_still_firing_in_group",
            "missed_same_service_and_cause_already_paged", "missed_other"]
    for k in keys:
        print(f"  {k}: {mean(k):.4f}")
    if not args.no_river:
        for k in ["nb_class_macro_f1", "lr_class_macro_f1", "nb_team_accuracy", "lr_team_accuracy", "nb_team_macro_f1",
                  "lr_team_macro_f1", "nb_fp_roc_auc", "lr_fp_roc_auc"]:
            print(f"  river {k}: {mean(k, 2):.4f}")
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(rows, args))
        print(f"wrote {args.markdown}")


def markdown(rows, args):
    def m(key, idx=1):
        vals = [r[idx][key] for r in rows]
        return sum(vals) / len(vals)
    seeds = ",".join(str(r[0]) for r in rows)
    n = rows[0][1]["alerts"]
    out = [f"Seeds {seeds}, about {args.alerts} firing alerts each (first seed: {n} firing alerts, "
           f"{rows[0][1]['incidents']} incidents of which {rows[0][1]['real_incidents']} real); means over seeds.\n",
           "| metric | spotifymon | river NB (BoW + MultinomialNB) | river LR (BoW + softmax/logistic regression) |",
           "|---|---|---|---|"]
    out.append(f"| class macro-F1 | **{m('class_macro_f1'):.3f}** | {m('nb_class_macro_f1', 2):.3f} | {m('lr_class_macro_f1', 2):.3f} |")
    out.append(f"| team-routing accuracy | **{m('team_accuracy'):.3f}** | {m('nb_team_accuracy', 2):.3f} | {m('lr_team_accuracy', 2):.3f} |")
    out.append(f"| team-routing macro-F1 | **{m('team_macro_f1'):.3f}** | {m('nb_team_macro_f1', 2):.3f} | {m('lr_team_macro_f1', 2):.3f} |")
    out.append(f"| false-positive ROC-AUC | **{m('fp_roc_auc'):.3f}** | {m('nb_fp_roc_auc', 2):.3f} | {m('lr_fp_roc_auc', 2):.3f} |")
    out.append("")
    out.append("| grouping / noise | spotifymon | group by fingerprint | same service within 10 min |")
    out.append("|---|---|---|---|")
    out.append(f"| grouping ARI vs true incidents | **{m('grouping_ari'):.3f}** | {sum(r[3]['fingerprint'] for r in rows)/len(rows):.3f} | "
               f"{sum(r[3]['service_10min'] for r in rows)/len(rows):.3f} |")
    out.append(f"| grouping pairwise F1 (precision / recall) | {m('grouping_pair_f1'):.3f} ({m('grouping_pair_precision'):.3f} / "
               f"{m('grouping_pair_recall'):.3f}) | | |")
    out.append("")
    out.append("| noise reduction | spotifymon |")
    out.append("|---|---|")
    out.append(f"| alerts suppressed | {100*m('suppressed_share'):.1f}% |")
    out.append(f"| surfaced alerts per real incident | {m('surfaced_per_real_incident'):.2f} |")
    out.append(f"| alerts suppressed first, escalated later as still firing, per stream (of real incidents) | "
               f"{m('escalated_still_firing'):.1f} ({m('escalated_still_firing_of_real_incidents'):.1f}) |")
    out.append(f"| real incidents left without a surfaced alert | {m('real_incidents_without_surfaced_alert'):.1f} of "
               f"{m('real_incidents'):.0f} ({100*m('real_incidents_without_surfaced_alert')/m('real_incidents'):.2f}%) |")
    out.append(f"| — of which with no alert of their own in the stream (every one re-notifies a fingerprint "
               f"already firing for another incident; {m('real_incidents_without_an_alert_of_their_own'):.1f} such real incidents in all) | "
               f"{m('missed_without_an_alert_of_their_own'):.1f} |")
    out.append(f"| — every alert rated a false positive | {m('missed_all_rated_false_positive'):.1f} |")
    out.append(f"| — every alert rated real the same alert still firing in its group (same fingerprint) | "
               f"{m('missed_all_still_firing_in_group'):.1f} |")
    out.append(f"| — every other one from a service and of a cause its group had already paged for | "
               f"{m('missed_same_service_and_cause_already_paged'):.1f} |")
    out.append(f"| — other | {m('missed_other'):.1f} |")
    out.append(f"| priority accuracy (P1–P4) | {m('priority_accuracy'):.3f} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
