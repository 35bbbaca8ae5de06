#!/usr/bin/python3
"""The baseline of bench-raster: the same raster (N random spikes over 5,000 cells in 3
populations over 1 s, 900 x 600 px at 100 dpi) drawn as NetPyNE's plotRaster draws it —
matplotlib's scatter with one '|' marker per spike, coloured per population — and saved as
PNG. Prints the seconds of the draw + save. Usage: bench-raster-python.py [N] [OUT.png]"""
import sys
import time

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/raster-mpl.png"
rng = np.random.default_rng(1)
t = np.sort(rng.uniform(0, 1000, n))
gid = rng.integers(0, 5000, n)
bounds = [0, 3000, 4000, 5000]
colors = ["tab:blue", "tab:orange", "tab:green"]

t0 = time.perf_counter()
fig, ax = plt.subplots(figsize=(9, 6), dpi=100)
for p in range(3):
    sel = (gid >= bounds[p]) & (gid < bounds[p + 1])
    ax.scatter(t[sel], gid[sel], marker="|", s=3, c=colors[p], linewidths=0.5, label=f"pop {p}")
ax.set_xlabel("Time (ms)")
ax.set_ylabel("Cell")
ax.set_xlim(0, 1000)
ax.legend(loc="upper right")
fig.savefig(out)
print(f"matplotlib raster, {n} spikes: {time.perf_counter() - t0:.2f} s")
