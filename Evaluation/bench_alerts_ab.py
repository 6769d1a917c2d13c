#!/usr/bin/env python3
"""Before/after speed of the alert classifier: two builds of libspotifymon.so in one process.

On a shared machine the speed of one run drifts by 10-40% from the next, which hides changes
of a few percent. Evaluation/bench_alerts_ab.c loads every library given (dlopen, each with
its own static Swift runtime), trains each on the same generated stream, then lets them take
turns classifying the whole stream, ROUNDS times: drift hits all of them alike, and the
checksums say whether they decided alike.

Usage (one core):
  taskset -c 0 python3 Evaluation/bench_alerts_ab.py --base REV     # REV's build vs this checkout's
  taskset -c 0 python3 Evaluation/bench_alerts_ab.py LIB.so LIB.so ...
With --base, REV is checked out in a temporary git worktree and built there (swift build -c
release, a minute or two); this checkout's .build/release/libspotifymon.so must be built.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_alerts import generated_stream  # noqa: E402
from common import REPO_ROOT, find_smon  # noqa: E402


def build_base(rev, where):
    """Builds the library of git revision `rev` in a worktree at `where`; returns its path."""
    subprocess.run(["git", "-C", REPO_ROOT, "worktree", "add", "--detach", where, rev], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["swift", "build", "-c", "release", "--product", "spotifymon"], cwd=where, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(where, ".build", "release", "libspotifymon.so")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("libs", nargs="*", help="libraries to compare (default with --base: base, then this checkout)")
    ap.add_argument("--base", help="git revision to build and compare with this checkout's build")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--alerts", type=int, default=20000, help="generated alerts (distinct)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--smon", default=".build/release/smon")
    args = ap.parse_args()
    smon = find_smon(args.smon)
    with tempfile.TemporaryDirectory() as d:
        libs = list(args.libs)
        worktree = os.path.join(d, "base")
        if args.base:
            libs = [build_base(args.base, worktree), os.path.join(REPO_ROOT, ".build", "release", "libspotifymon.so")] + libs
        if len(libs) < 1:
            sys.exit("error: give libraries to compare, or --base REV")
        try:
            _, tsv = generated_stream(smon, args.alerts, args.seed, d)
            exe = os.path.join(d, "bench_alerts_ab")
            subprocess.run(["cc", "-O2", "-std=c11", "-I", os.path.join(REPO_ROOT, "Include"),
                            os.path.join(REPO_ROOT, "Evaluation", "bench_alerts_ab.c"), "-ldl", "-lm", "-o", exe], check=True)
            res = json.loads(subprocess.run([exe, tsv, str(args.rounds)] + libs, check=True, capture_output=True,
                                            text=True).stdout)
        finally:
            if args.base:
                subprocess.run(["git", "-C", REPO_ROOT, "worktree", "remove", "--force", worktree],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    names = ([f"base {args.base}", "this checkout"] if args.base else []) + list(args.libs)
    first, n = res["mean_per_s"][0], len(res["rounds"])
    print("| library | classify alerts/s (mean of rounds) | vs first | rounds where faster than first | checksum |")
    print("|---|---|---|---|---|")
    for i, name in enumerate(names):
        wins = f"{sum(1 for r in res['rounds'] if r[i] > r[0])} of {n}" if i else ""
        print(f"| {name} | {res['mean_per_s'][i]:,.0f} | {res['mean_per_s'][i] / first:.3f} | {wins} | {res['checksum'][i]} |")


if __name__ == "__main__":
    main()
