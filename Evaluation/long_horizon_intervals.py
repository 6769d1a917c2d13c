#!/usr/bin/env python3
"""Coverage and width of 95% intervals 288 steps ahead (a day of 5-minute data), far past the
validated steps, on generated level (i.i.d. uniform), AR(0.9) and random-walk series of 61,
200 and 1000 points, 40 series each (see Evaluation/results/forecast-evaluation.md).

Usage: python3 Evaluation/long_horizon_intervals.py   (release build first)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Bindings", "python"))
import numpy as np
from spotifymon.forecast import forecast_array
rng=np.random.default_rng(0)
for kind in ("iid","rw","ar"):
    for n in (61, 200, 1000):
        cov=[];w=[]
        for rep in range(40):
            if kind=="iid": z=rng.uniform(0.5,0.8,n+288)
            elif kind=="rw": z=np.cumsum(rng.normal(size=n+288))
            else:
                z=np.zeros(n+288)
                for t in range(1,n+288): z[t]=0.9*z[t-1]+rng.normal()
            y=z[:n]; fut=z[n:]
            m,l,h=forecast_array(y, 288, season=0, level=0.95)
            cov.append(np.mean((fut>=l)&(fut<=h))); w.append(np.mean(h-l))
        print(kind, n, 'coverage %.3f width %.3f' % (np.mean(cov), np.mean(w)))
