#!/usr/bin/python3
# Reference numbers for tests/test-csd.c: NetPyNE 1.1.0's CSD band-pass (netpyne/analysis/
# filter.py `bandpass`, as getBandpass calls it from csd.py) and its whole prepareCSD pipeline,
# computed with scipy's own iirfilter / zpk2sos / sosfilt. The inputs are formulas the C test
# evaluates too. Run with Debian's /usr/bin/python3 (numpy 1.24, scipy 1.10) from the source
# root:   /usr/bin/python3 tests/data/gen-csd-filter.py tests/data
# Writes csd-filter-sos.csv, csd-filter-signal.csv and csd-pipeline.csv. tests/test-csd.c
# compares coefficients at 2e-15 relative, filtered signals and CSD at 1e-11 of their peak.
import math
import os
import sys

import numpy as np
from scipy.signal import iirfilter, sosfilt, zpk2sos


def netpyne_sos(freqmin, freqmax, df, corners=4):
    """The filter NetPyNE's bandpass() designs (with its high-pass fallback)."""
    fe = 0.5 * df
    low = freqmin / fe
    high = freqmax / fe
    if high - 1.0 > -1e-6:  # NetPyNE warns and applies highpass(freqmin) instead
        z, p, k = iirfilter(corners, low, btype='highpass', ftype='butter', output='zpk')
    else:
        if low > 1:
            raise ValueError("low corner above Nyquist")
        z, p, k = iirfilter(corners, [low, high], btype='band', ftype='butter', output='zpk')
    return zpk2sos(z, p, k)


def netpyne_bandpass(data, sos):
    """zerophase=True: forward, then backward, zero initial state, no padding."""
    firstpass = sosfilt(sos, data)
    return sosfilt(sos, firstpass[::-1])[::-1]


def signal_1d(n, fs):
    i = np.arange(n, dtype=float)
    return (np.sin(2 * math.pi * 5.0 * i / fs) + 0.3 * np.sin(2 * math.pi * 200.0 * i / fs)
            + 0.2 * np.cos(2 * math.pi * 0.02 * i) + 0.5 + 0.0005 * i)


def lfp_2d(n, nch, fs):
    t = np.arange(n, dtype=float)[:, None]
    c = np.arange(nch, dtype=float)[None, :]
    return (np.sin(2 * math.pi * (3.0 + c) * t / fs + c)
            + 0.1 * c * np.cos(2 * math.pi * 150.0 * t / fs) + 0.05 * c * c)


out = sys.argv[1] if len(sys.argv) > 1 else "."

# case: order, fs, min, max. NetPyNE's defaults (4 corners) at recordStep 1 ms and 0.1 ms; at
# 500 Hz (300 Hz is above Nyquist: NetPyNE's high-pass fallback); a narrower band; then odd
# orders, whose prototypes have a real pole (zpk2sos pairs those differently).
CASES = [(4, 1000.0, 0.05, 300.0), (4, 10000.0, 0.05, 300.0), (4, 500.0, 0.05, 300.0),
         (4, 1000.0, 1.0, 100.0), (3, 1000.0, 0.05, 300.0), (5, 1000.0, 1.0, 100.0),
         (3, 500.0, 0.05, 300.0), (1, 1000.0, 1.0, 100.0)]
with open(os.path.join(out, "csd-filter-sos.csv"), "w") as f:
    f.write("case,order,fs,min_hz,max_hz,section,b0,b1,b2,a0,a1,a2\n")
    for case, (order, fs, lo, hi) in enumerate(CASES):
        sos = netpyne_sos(lo, hi, fs, order)
        for s, row in enumerate(sos):
            f.write("%d,%d,%.17g,%.17g,%.17g,%d,%s\n" % (case, order, fs, lo, hi, s,
                                                         ",".join("%.17g" % v for v in row)))

# The filtered signal: 1000 samples, case 0 (band-pass at 1 kHz) and case 2 (high-pass).
N = 1000
x = signal_1d(N, 1000.0)
y0 = netpyne_bandpass(x, netpyne_sos(0.05, 300.0, 1000.0))
x2 = signal_1d(N, 500.0)
y2 = netpyne_bandpass(x2, netpyne_sos(0.05, 300.0, 500.0))
with open(os.path.join(out, "csd-filter-signal.csv"), "w") as f:
    f.write("band_1khz,highpass_500hz\n")
    for a, b in zip(y0, y2):
        f.write("%.17g,%.17g\n" % (a, b))

# prepareCSD: getBandpass (0.05-300 Hz, fs 1 kHz), vakninCorrection, removeMean over the
# electrodes (norm=True), -diff(n=2) / spacing_mm**2 with spacing 100 um; one row per time.
n, nch = 300, 5
lfp = lfp_2d(n, nch, 1000.0)
sos = netpyne_sos(0.05, 300.0, 1000.0)
datband = np.array([netpyne_bandpass(lfp[:, i], sos) for i in range(nch)])
x_new = np.zeros((datband.shape[0] + 2, datband.shape[1]))
x_new[0, :] = datband[0, :]
x_new[-1, :] = datband[-1, :]
x_new[1:-1, :] = datband
x_new -= np.mean(x_new, axis=0, keepdims=True)
csd = -np.diff(x_new, n=2, axis=0) / (100 / 1000) ** 2
with open(os.path.join(out, "csd-pipeline.csv"), "w") as f:
    f.write("rows=time, cols=%d channels; filter 0.05-300 Hz at 1 kHz, vaknin, norm, 100 um\n"
            % nch)
    for row in csd.T:
        f.write(",".join("%.17g" % v for v in row) + "\n")
