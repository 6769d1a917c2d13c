"""Tests for m4_eval.py: metrics against hand-computed values, data loading on a tiny synthetic
M4 directory, and parsing of `smon forecast` output (no shared data, no smon needed).

Run: python3 -m pytest Evaluation/tests/test_m4_eval.py -q
"""
import csv
import os

import numpy as np
import pytest

import m4_eval as me


def test_smape_and_mase_by_hand():
    y, f = np.array([100.0, 200.0]), np.array([110.0, 180.0])
    # 200/2 * (10/210 + 20/380)
    assert me.smape(y, f) == pytest.approx(100 * (10 / 210 + 20 / 380))
    insample = np.array([1.0, 2.0, 4.0, 7.0])
    # m = 2: |4-1| + |7-2| -> mean 4 ; MAE = 15 -> MASE 3.75
    assert me.seasonal_scale(insample, 2) == pytest.approx(4.0)
    assert me.mase(y, f, insample, 2) == pytest.approx(15 / 4)


def test_msis_and_coverage_by_hand():
    y = np.array([0.0, 10.0, 5.0])
    lo, hi = np.array([1.0, 0.0, 0.0]), np.array([2.0, 8.0, 10.0])
    # widths 1, 8, 10 ; penalties 40*(1-0)=40, 40*(10-8)=80, 0
    insample = np.array([0.0, 1.0, 3.0])  # m = 1 -> scale mean(1, 2) = 1.5
    assert me.msis(y, lo, hi, insample, m=1, level=95) == pytest.approx(((1 + 40) + (8 + 80) + 10) / 3 / 1.5)
    assert me.coverage(y, lo, hi) == pytest.approx(1 / 3)


def test_owa_of_naive2_against_itself_is_one():
    rng = np.random.default_rng(0)
    train = [rng.normal(100, 5, 200) for _ in range(3)]
    test = rng.normal(100, 5, (3, 48))
    n2 = rng.normal(100, 5, (3, 48))
    s = me.score_forecasts(train, test, n2, n2, m=24)
    assert s["OWA"] == pytest.approx(1.0)
    better = me.score_forecasts(train, test, test * 0.999 + 0.001 * n2, n2, m=24)
    assert better["OWA"] < 0.1


def write_wide(path, rows, header):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def test_load_m4_ragged_rows_and_order(tmp_path):
    width = 6
    train = {"H2": [1, 2, 3], "H10": [4, 5, 6, 7, 8], "H1": [9, 9]}
    write_wide(tmp_path / "Hourly-train.csv", [[k] + v + [""] * (width - len(v)) for k, v in train.items()],
               ["V1"] + [f"V{i}" for i in range(2, width + 2)])
    test = {k: list(range(me.H)) for k in train}
    write_wide(tmp_path / "Hourly-test.csv", [[k] + v for k, v in test.items()], ["V1"] + [f"V{i}" for i in range(2, me.H + 2)])
    write_wide(tmp_path / "submission-Naive2-Hourly.csv", [[f'"{k}"'] + v for k, v in test.items()],
               ["id"] + [f"F{i}" for i in range(1, me.H + 1)])
    ids, tr, te, n2 = me.load_m4(str(tmp_path))
    assert ids == ["H1", "H2", "H10"]  # numeric order, not text order
    assert [list(x) for x in tr] == [[9, 9], [1, 2, 3], [4, 5, 6, 7, 8]]
    assert te.shape == n2.shape == (3, me.H)
    ids2, _, _, _ = me.load_m4(str(tmp_path), limit=2)
    assert ids2 == ["H1", "H2"]


def test_write_long_and_parse_forecast(tmp_path):
    p = tmp_path / "long.csv"
    me.write_long(str(p), ["a", "b"], [np.array([1.0, 2.0]), np.array([3.0])])
    rows = list(csv.reader(open(p)))
    assert rows[0] == ["series", "timestamp", "value"] and rows[1] == ["a", "1", "1.0"] and rows[3] == ["b", "1", "3.0"]
    out = "series,step,forecast,lo,hi\n" + "".join(f"{s},{k},{k},{k - 1},{k + 1}\n" for s in ("b", "a") for k in (1, 2))
    fc, lo, hi = me.parse_smon_forecast(out, ["a", "b"], h=2)
    assert fc.tolist() == [[1, 2], [1, 2]] and lo[0, 0] == 0 and hi[1, 1] == 3
    with pytest.raises(ValueError):
        me.parse_smon_forecast(out, ["a", "b", "c"], h=2)


def test_naive2_matches_the_shipped_forecasts():
    """On the real data (skipped without it): recomputed Naive2 = the competition's own file."""
    if not os.path.isdir(me.DEFAULT_M4):
        pytest.skip("no M4 data")
    ids, train, test, naive2 = me.load_m4(me.DEFAULT_M4, limit=20)
    mine = np.array([me.naive2_forecast(x) for x in train])
    assert np.allclose(mine, naive2, rtol=1e-3, atol=1e-6)


def test_naive2_flat_without_seasonality():
    x = np.arange(100, dtype=float)  # trend only: the acf at lag 24 is high, but a constant seasonal shape
    f = me.naive2_forecast(np.random.default_rng(1).normal(10, 1, 100))
    assert f.shape == (me.H,) and np.allclose(f, f[0])
    assert me.naive2_forecast(x[:30]).tolist() == [29.0] * me.H  # too short for the test
