"""Checks the agent's output: the injected latency spike (api, minutes 2500-2505) and the CPU
level shift (search, from minute 2700) are reported, quiet stretches mostly are not, and the
snapshot restored identically."""
import re
import sys

T0, MIN = 1_700_000_000_000, 60_000
# Series ids follow registration order: api latency 0, api cpu 1, search latency 2, search cpu 3, ...
hits = [(int(m[1]), int(m[2])) for m in re.finditer(r"^ANOMALY ts=(\d+) series=(\d+) ", open(sys.argv[1]).read(), re.M)]
text = open(sys.argv[1]).read()
spike = any(s == 0 and T0 + 2500 * MIN <= t <= T0 + 2510 * MIN for t, s in hits)
shift = any(s == 3 and T0 + 2700 * MIN <= t <= T0 + 2720 * MIN for t, s in hits)
quiet = [h for h in hits if T0 + 1000 * MIN <= h[0] < T0 + 2400 * MIN]
errors = []
if not spike:
    errors.append("latency spike not reported")
if not shift:
    errors.append("cpu level shift not reported")
if len(quiet) > 10:
    errors.append(f"{len(quiet)} anomalies on 8400 quiet points")
if "restored=identical" not in text or "SUMMARY points=18000 series=6 " not in text:
    errors.append("summary or snapshot line missing")
if errors:
    sys.exit("c-agent: " + "; ".join(errors))
print(f"c-agent example: ok ({len(hits)} anomalies, spike and shift found, {len(quiet)} on the quiet stretch)")
