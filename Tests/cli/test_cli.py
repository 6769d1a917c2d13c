"""The smon CLI: help, version, and errors on stderr with a non-zero exit."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SMON = os.environ.get("SMON", str(ROOT / ".build" / "release" / "smon"))


def run(*args, input=None):
    return subprocess.run([SMON, *args], capture_output=True, text=True, input=input, timeout=600)


def test_help_lists_every_subcommand():
    r = run("--help")
    assert r.returncode == 0
    for sub in ("version", "detect", "classify", "forecast", "cluster", "demo", "bench"):
        assert sub in r.stdout


def test_version_matches_library():
    r = run("version")
    assert r.returncode == 0 and "0.1.0" in r.stdout


@pytest.mark.parametrize("args", [("detect", "/no/such/file.csv"), ("forecast", "/no/such.csv", "--horizon", "4"),
                                  ("cluster", "/no/such.csv", "--algorithm", "kmeans"),
                                  ("classify", "/no/such.jsonl"), ("no-such-command",)])
def test_errors_go_to_stderr_with_nonzero_exit(args):
    r = run(*args)
    assert r.returncode != 0
    assert r.stderr.strip() != ""
    assert r.stdout.strip() == ""


def test_classify_escalates_a_suppressed_alert_that_keeps_firing(tmp_path):
    # A probe learned as a false positive (40 times, an hour apart), then one that keeps firing:
    # the first line 10 minutes later carries it in escalate_now; one that resolved is not.
    import json
    t0 = 1793491200000
    probe = {"metric_name": "probe_success", "alert_message": "Synthetic check failed for web endpoint /health",
             "service_name": "web"}
    lines = []
    for i in range(40):
        t = t0 + i * 3600000
        lines.append({**probe, "alert_id": f"p{i}", "timestamp": t, "fingerprint": f"p{i}", "label_false_positive": True})
        lines.append({**probe, "alert_id": f"r{i}", "timestamp": t + 60000, "fingerprint": f"p{i}", "status": "resolved"})
    t1 = t0 + 41 * 3600000
    lines.append({**probe, "alert_id": "stuck", "timestamp": t1, "fingerprint": "stuck"})
    lines.append({**probe, "alert_id": "blip", "timestamp": t1 + 1000, "fingerprint": "blip"})
    lines.append({**probe, "alert_id": "blip-end", "timestamp": t1 + 60000, "fingerprint": "blip", "status": "resolved"})
    lines.append({"alert_id": "later", "timestamp": t1 + 700000, "alert_message": "Disk almost full on db", "service_name": "db"})
    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    r = run("classify", str(f), "--learn")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == len(lines)
    by_id = {o["alert_id"]: o for o in out}
    assert by_id["stuck"]["suppressed"] and by_id["blip"]["suppressed"]
    assert [e["alert_id"] for e in by_id["later"].get("escalate_now", [])] == ["stuck"]
    assert sum(len(o.get("escalate_now", [])) for o in out) == 1
