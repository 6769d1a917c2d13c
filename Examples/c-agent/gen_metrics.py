"""Writes `timestamp_ms,series_key,value` lines for the c-agent: three services' latency and
CPU with a daily shape and noise, one latency spike and one CPU level shift injected."""
import math
import random
import sys

random.seed(7)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
t0 = 1_700_000_000_000
for i in range(n):
    ts = t0 + i * 60_000
    for svc in ("api", "search", "player"):
        daily = math.sin(2 * math.pi * i / 1440)
        lat = 120 + 30 * daily + random.gauss(0, 4)
        cpu = 45 + 10 * daily + random.gauss(0, 1.5)
        if svc == "api" and 2500 <= i < 2506:
            lat *= 6
        if svc == "search" and i >= 2700:
            cpu += 40
        print(f'{ts},http_latency_ms{{service="{svc}",env="prod"}},{lat:.3f}')
        print(f'{ts},cpu_utilization{{service="{svc}",env="prod"}},{cpu:.3f}')
