#!/usr/bin/python3
# Reference spectrograms for tests/test-spectral.c, from scipy.signal.spectrogram (mode 'psd',
# density scaling), the function NetPyNE's prepareSpectrogram ('fft') calls. NetPyNE passes
# window='hanning', which Debian 12's scipy 1.10 rejects; older scipy read it as 'hann'.
# Run with Debian's /usr/bin/python3 (numpy, scipy) from the source root:
#   /usr/bin/python3 tests/data/gen-spectrogram.py > tests/data/spectrogram-ref.csv
import math
import sys

import numpy as np
from scipy import signal

FS = 1000.0


def test_signal(n):
    # The same formula is evaluated by the C test.
    i = np.arange(n, dtype=float)
    return (np.sin(2 * math.pi * 37.0 * i / FS)
            + 0.5 * np.cos(2 * math.pi * 180.0 * i / FS + 0.2)
            + 0.1 * ((i % 7) - 3.0) + 0.001 * i)


# case is the index in this list
CASES = [
    # name, n, nperseg, noverlap, nfft, detrend
    ("netpyne", 800, 256, 128, 256, False),
    ("odd-linear", 800, 200, 50, 301, "linear"),
    ("short", 100, 256, 50, 256, False),
]

out = sys.stdout
out.write("case,k,j,freq_hz,time_ms,psd\n")
for case, (name, n, nperseg, noverlap, nfft, detrend) in enumerate(CASES):
    f, t, s = signal.spectrogram(test_signal(n), fs=FS, window="hann", detrend=detrend,
                                 nperseg=nperseg, noverlap=noverlap, nfft=nfft, mode="psd")
    for k in range(len(f)):
        for j in range(len(t)):
            out.write("%d,%d,%d,%.17g,%.17g,%.17g\n" % (case, k, j, f[k], t[j] * 1000.0, s[k, j]))
