"""Shared helpers for the Evaluation scripts: locating and running the `smon` CLI.

Not a script; imported by nab_score.py, m4_eval.py, alerts_eval.py, cluster_eval.py.
"""
import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SMON = ".build/release/smon"


def find_smon(path=DEFAULT_SMON):
    """Return an absolute path to an executable smon binary, or exit with a clear message."""
    p = path if os.path.isabs(path) else os.path.join(REPO_ROOT, path)
    if not (os.path.isfile(p) and os.access(p, os.X_OK)):
        sys.exit(f"error: smon binary not found or not executable at {p}\n"
                 f"       build it first (swift build -c release) or pass --smon PATH")
    return p


def run_smon(smon, args, stdout=None):
    """Run `smon ARGS`; return stdout text (or write it to the open file `stdout`).

    Raises RuntimeError with smon's stderr when it exits non-zero."""
    proc = subprocess.run([smon, *args], stdout=stdout if stdout is not None else subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"smon {' '.join(args)} failed (exit {proc.returncode}): "
                           f"{proc.stderr.strip()[:2000]}")
    return proc.stdout
