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
