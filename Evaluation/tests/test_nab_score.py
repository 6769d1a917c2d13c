"""Tests for nab_score.py on small synthetic corpora (no shared data, no smon).

Run: python3 -m pytest Evaluation/tests/test_nab_score.py -q
"""
import csv
import json
import math
import os
from datetime import datetime, timedelta

import numpy as np
import pytest

import nab_score as ns

PROFILES = {
    "standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
    "reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}},
    "reward_low_FN_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0}},
}
# file -> (rows, windows as row indexes); all windows are past probation
LAYOUT = {
    "catA/none.csv": (400, []),
    "catA/one.csv": (1000, [(300, 339)]),
    "catB/two.csv": (2000, [(500, 549), (1200, 1299)]),
}
T0 = datetime(2020, 1, 1)


def ts(i):
    return (T0 + timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S")


def make_corpus(root, layout=LAYOUT):
    labels = {}
    for rel, (n, wins) in layout.items():
        p = root / "data" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["timestamp", "value"])
            w.writerows([ts(i), i % 7] for i in range(n))
        labels[rel] = [[ts(l) + ".000000", ts(r) + ".000000"] for l, r in wins]
    (root / "labels").mkdir()
    (root / "labels" / "combined_windows.json").write_text(json.dumps(labels))
    (root / "config").mkdir()
    (root / "config" / "profiles.json").write_text(json.dumps(PROFILES))
    return root


def write_results(root, scores_by_file, col="score", nab_style=False):
    for rel, sc in scores_by_file.items():
        cat, name = os.path.split(rel)
        p = root / cat / (("det_" + name) if nab_style else name)
        p.parent.mkdir(parents=True, exist_ok=True)
        with open(p, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["timestamp", "series", "value", col, "anomaly"])
            w.writerows([ts(i), "x", 0, repr(float(s)), int(s > 0.5)] for i, s in enumerate(sc))
    return root


def perfect_scores(layout=LAYOUT):
    out = {}
    for rel, (n, wins) in layout.items():
        s = np.zeros(n)
        for l, _ in wins:
            s[l] = 1.0
        out[rel] = s
    return out


def test_scaled_sigmoid_and_probation():
    assert ns.scaled_sigmoid(-1.0) == pytest.approx(ns.MAX_TP)
    assert ns.MAX_TP == pytest.approx(0.98661, abs=1e-5)
    assert ns.scaled_sigmoid(0.0) == pytest.approx(0.0)
    assert ns.scaled_sigmoid(3.5) == -1.0
    assert ns.probation_length(1000) == 150
    assert ns.probation_length(100000) == 750


def test_file_weights_shape():
    win, tpw, fpu, ok = ns.file_weights(1000, [(300, 339)])
    assert tpw[300] == pytest.approx(1.0)  # left edge pays A_TP exactly
    assert 0 < tpw[339] < tpw[320] < tpw[300]
    assert fpu[200] == -1.0  # before any window closed
    assert fpu[340] == pytest.approx(ns.scaled_sigmoid(1 / 39))  # just after the window: mild
    assert fpu[999] == -1.0
    assert ok.sum() == 850 and not ok[149] and ok[150]
    assert set(np.unique(win)) == {-1, 0}


def test_perfect_is_100_and_null_is_0(tmp_path):
    nab = make_corpus(tmp_path / "nab")
    perf = write_results(tmp_path / "perfect", perfect_scores())
    res = ns.score_results(str(perf), str(nab))
    for name in PROFILES:
        assert res[name]["score"] == pytest.approx(100.0)
        assert res[name]["counts"] == {"tp": 3, "fp": 0, "fn": 0}
    null = write_results(tmp_path / "null", {r: np.zeros(n) for r, (n, _) in LAYOUT.items()})
    res = ns.score_results(str(null), str(nab))
    for name in PROFILES:
        assert res[name]["score"] == pytest.approx(0.0)
        assert math.isinf(res[name]["theta"])
    assert res["reward_low_FN_rate"]["null"] == -6.0


def test_nab_layout_and_anomaly_score_column(tmp_path):
    nab = make_corpus(tmp_path / "nab")
    d = write_results(tmp_path / "res", perfect_scores(), col="anomaly_score", nab_style=True)
    assert ns.score_results(str(d), str(nab))["standard"]["score"] == pytest.approx(100.0)


def test_row_count_mismatch_raises(tmp_path):
    nab = make_corpus(tmp_path / "nab")
    sc = perfect_scores()
    sc["catA/one.csv"] = sc["catA/one.csv"][:-1]
    d = write_results(tmp_path / "res", sc)
    with pytest.raises(ValueError):
        ns.score_results(str(d), str(nab))


def test_late_detection_and_false_positive_values(tmp_path):
    layout = {"c/f.csv": (1000, [(300, 339)])}
    nab = make_corpus(tmp_path / "nab", layout)
    s = np.zeros(1000)
    s[319] = 0.9  # detection in the middle of the window
    s[600] = 0.8  # false positive far after the window
    d = write_results(tmp_path / "res", {"c/f.csv": s})
    res = ns.score_results(str(d), str(nab))["standard"]
    tp = ns.scaled_sigmoid(-(339 - 319 + 1) / 40) / ns.MAX_TP
    # best threshold: 0.9 (take the TP, skip the FP) -> raw = tp
    assert res["theta"] == pytest.approx(0.9)
    assert res["raw"] == pytest.approx(tp)
    assert res["score"] == pytest.approx(100 * (tp + 1) / 2)


def brute_force(corpus, scores, cost):
    """Reference: evaluate every candidate threshold with the per-file loop."""
    best = -math.inf
    cands = sorted({float(x) for rel, n, w in corpus for x in scores[rel][ns.probation_length(n):]},
                   reverse=True)
    for theta in [math.inf] + cands:
        tot = sum(ns.file_raw_score(scores[rel], *ns.file_weights(n, w), cost, theta)[0]
                  for rel, n, w in corpus)
        best = max(best, tot)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sweep_matches_brute_force(tmp_path, seed):
    rng = np.random.default_rng(seed)
    layout = {"a/x.csv": (600, [(100, 139), (400, 449)]),  # first window straddles probation (90 rows)
              "a/y.csv": (500, [(200, 209)]),
              "b/z.csv": (300, [])}
    nab = make_corpus(tmp_path / "nab", layout)
    # coarse scores -> many ties; windows get a boost so the optimum is non-trivial
    scores = {}
    for rel, (n, wins) in layout.items():
        s = np.round(rng.random(n) ** 3, 2)
        for l, r in wins:
            s[l:r + 1] = np.maximum(s[l:r + 1], np.round(rng.random(r - l + 1), 2))
        scores[rel] = s
    d = write_results(tmp_path / "res", scores)
    corpus = ns.load_corpus(str(nab))
    res = ns.score_results(str(d), str(nab))
    for name, p in PROFILES.items():
        cm = p["CostMatrix"]
        cost = (cm["tpWeight"], cm["fpWeight"], cm["fnWeight"])
        assert res[name]["raw"] == pytest.approx(brute_force(corpus, scores, cost))
        # reported per-file raws sum to the corpus raw at the chosen threshold
        assert sum(r for _, r, _ in res[name]["per_file"]) == pytest.approx(res[name]["raw"])


def test_cli_prints_table(tmp_path, capsys):
    nab = make_corpus(tmp_path / "nab")
    d = write_results(tmp_path / "res", perfect_scores())
    ns.main([str(d), "--nab", str(nab), "--per-file"])
    out = capsys.readouterr().out
    assert "| standard | 100.00 |" in out and "catB/two.csv" in out


def test_missing_smon_fails_clearly(tmp_path, capsys):
    nab = make_corpus(tmp_path / "nab")
    with pytest.raises(SystemExit) as e:
        ns.main(["--run-smon", str(tmp_path / "out"), "--nab", str(nab), "--smon", str(tmp_path / "nope")])
    assert "smon binary not found" in str(e.value)


def test_run_smon_passes_config_overrides(tmp_path):
    """--set KEY=VALUE reaches every `smon detect` call (one config for the whole corpus)."""
    nab = make_corpus(tmp_path / "nab")
    log = tmp_path / "calls.txt"
    fake = tmp_path / "smon"
    fake.write_text(
        "#!/usr/bin/env python3\n"
        "import csv, sys\n"
        f"open({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        "rows = list(csv.reader(open(sys.argv[2])))[1:]\n"
        "print('timestamp,series,value,score,anomaly,severity')\n"
        "for r in rows: print(f'{r[0]},x,{r[1]},0.0,0,0')\n")
    fake.chmod(0o755)
    ns.main(["--run-smon", str(tmp_path / "out"), "--nab", str(nab), "--smon", str(fake), "--quiet",
             "--set", "detector.threshold=0.9", "--set", "detector.warmup=10"])
    calls = log.read_text().strip().splitlines()
    assert len(calls) == len(LAYOUT)
    assert all("--set detector.threshold=0.9 --set detector.warmup=10" in c for c in calls)
